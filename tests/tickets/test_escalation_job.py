"""The worker's minute sweep escalates overdue tickets without anyone opening the console."""
import datetime as dt

from bot.worker.registry import JOBS
from bot.models import Ticket, TicketEvent, utcnow
from bot.tickets import service
from sqlalchemy import select


def test_minute_sweep_escalates_overdue_tickets_once(app, services):
    with services.db.session() as s:
        late = service.create(s, services.config, "o-late", "草莓全烂了，要退款")
        fresh = service.create(s, services.config, "o-fresh", "鸡蛋碎了两个")
        late.sla_due_at = late.first_response_due_at = utcnow() - dt.timedelta(hours=1)
        numbers = (late.number, fresh.number)
    JOBS["sweep_rounds"](services)
    JOBS["sweep_rounds"](services)  # a second sweep finds nothing new
    with services.db.session() as s:
        tickets = {t.number: t for t in s.execute(select(Ticket)).scalars()}
        events = s.execute(select(TicketEvent).where(TicketEvent.action == "escalated")).scalars().all()
    assert tickets[numbers[0]].escalated_at is not None and tickets[numbers[1]].escalated_at is None
    assert len(events) == 1
