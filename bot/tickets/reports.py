"""Numbers for the home page and reports: today's tickets, open work, overdue, CSAT."""
from __future__ import annotations

from sqlalchemy import func, select

from .. import clock
from ..models import MessageLog, Ticket
from ..models.tickets import ACTIVE_STATES
from .service import escalate_overdue, is_overdue


def today_numbers(db) -> dict:
    """Today starts at local midnight in the shop's time zone."""
    since, now = clock.local_midnight(clock.today()), clock.utcnow()
    with db.session() as s:
        escalate_overdue(s)
        active = list(s.execute(select(Ticket).where(Ticket.state.in_(ACTIVE_STATES))).scalars())
        scores = s.execute(select(func.count(Ticket.csat_score), func.avg(Ticket.csat_score))
                           .where(Ticket.csat_at >= since)).one()
        return {
            "messages_today": s.execute(select(func.count()).select_from(MessageLog)
                                        .where(MessageLog.created_at >= since)).scalar(),
            "tickets_today": s.execute(select(func.count()).select_from(Ticket).where(Ticket.created_at >= since)).scalar(),
            "resolved_today": s.execute(select(func.count()).select_from(Ticket).where(Ticket.resolved_at >= since)).scalar(),
            "open": len(active),
            "unassigned": sum(1 for t in active if t.assignee_id is None),
            "urgent": sum(1 for t in active if t.priority == "urgent"),
            "overdue": sum(1 for t in active if is_overdue(t, now)),
            "escalated": [t.number for t in active if t.escalated_at],
            "csat_count": scores[0] or 0,
            "csat_average": round(float(scores[1]), 2) if scores[1] is not None else None,
        }
