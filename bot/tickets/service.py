"""Every ticket operation in one place, used by the chat handlers, the console and the JSON API.

Each function works inside the caller's session and writes an audit row, so an action and its
record are committed together or not at all. Outbound messages are queued by the caller only
after the commit (`queue_outbound`), so the worker always finds the row it is asked to send.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import CustomerOpenid, StaffUser, Ticket, TicketCounter, TicketEvent, TicketMessage, TicketNote, utcnow
from ..models.tickets import ACTIVE_STATES, STATES
from .classify import STATE_LABELS, category_of, priority_of
from .sla import BusinessHours, parse_targets

REOPEN_WINDOW = dt.timedelta(days=7)
# Allowed moves; anything else is refused with a clear message.
TRANSITIONS = {
    "new": {"open", "pending_customer", "resolved", "closed"},
    "open": {"pending_customer", "resolved", "closed"},
    "pending_customer": {"open", "resolved", "closed"},
    "resolved": {"open", "closed"},
    "closed": {"open"},
}


class TicketError(ValueError):
    """An action that cannot be done as asked; the message is shown to staff as is."""


def business_hours(config) -> BusinessHours:
    return BusinessHours(config.BUSINESS_HOURS, config.BUSINESS_DAYS)


def audit(s: Session, ticket: Ticket, actor: str, action: str, **detail) -> None:
    s.add(TicketEvent(ticket_id=ticket.id, actor=actor, action=action, detail=detail or None))
    ticket.updated_at = utcnow()


def _next_number(s: Session, now: dt.datetime) -> str:
    day = now.strftime("%y%m%d")
    for _ in range(5):
        counter = s.execute(select(TicketCounter).where(TicketCounter.day == day).with_for_update()).scalar()
        if counter is None:
            try:
                with s.begin_nested():
                    s.add(TicketCounter(day=day, value=0))
            except IntegrityError:  # another worker created today's row first: lock theirs
                continue
            continue
        counter.value += 1
        s.flush()
        return f"T{day}{counter.value:04d}"
    raise RuntimeError("could not allocate a ticket number")


def open_ticket_for(s: Session, openid: str, kinds: tuple[str, ...] = ("complaint", "handoff")) -> Ticket | None:
    return s.execute(select(Ticket).where(Ticket.openid == openid, Ticket.state.in_(ACTIVE_STATES),
                                          Ticket.kind.in_(kinds)).order_by(Ticket.id.desc())).scalars().first()


def recently_resolved(s: Session, openid: str, now: dt.datetime | None = None) -> Ticket | None:
    since = (now or utcnow()) - REOPEN_WINDOW
    return s.execute(select(Ticket).where(Ticket.openid == openid, Ticket.state == "resolved",
                                          Ticket.resolved_at >= since).order_by(Ticket.id.desc())).scalars().first()


def create(s: Session, config, openid: str, text: str, kind: str = "complaint", order_no: str | None = None,
           product: str | None = None, media: tuple[str, str] | None = None, category: str | None = None) -> Ticket:
    now = utcnow()
    category = category or (category_of(text) if kind == "complaint" else "handoff")
    priority = priority_of(text, category)
    targets = parse_targets(config.SLA_TARGETS)[priority]
    hours = business_hours(config)
    link = s.get(CustomerOpenid, openid)
    ticket = Ticket(number=_next_number(s, now), kind=kind, openid=openid, customer_id=link.customer_id if link else None,
                    order_no=order_no, product=product, category=category, priority=priority, state="new",
                    summary=text[:500], created_at=now, updated_at=now, last_customer_at=now,
                    first_response_due_at=hours.add(now, targets[0] * 3600),
                    sla_due_at=hours.add(now, targets[1] * 3600))
    s.add(ticket)
    s.flush()
    s.add(TicketMessage(ticket_id=ticket.id, direction="in", kind="text", text=text, author="customer", created_at=now))
    audit(s, ticket, "customer", "created", kind=kind, category=category, priority=priority)
    return ticket


def add_customer_message(s: Session, config, ticket: Ticket, text: str | None = None, kind: str = "text",
                         media_id: str | None = None, media_url: str | None = None) -> None:
    """The customer wrote again: keep it on the ticket; waiting on them or resolved means reopen."""
    now = utcnow()
    s.add(TicketMessage(ticket_id=ticket.id, direction="in", kind=kind, text=text, media_id=media_id,
                        media_url=media_url, author="customer", created_at=now))
    ticket.last_customer_at = now
    if ticket.state in ("pending_customer", "resolved"):
        _move(s, config, ticket, "open", "customer", reason="customer wrote again")
    else:
        audit(s, ticket, "customer", "photo" if kind == "image" else "message")
    if text and kind == "text":
        _refine(s, config, ticket, text, now)


RANK = {"normal": 0, "high": 1, "urgent": 2}


def reclassified(ticket, text: str) -> tuple[str, str] | None:
    """(category, priority) these words give the ticket (an ORM object or a row), None: no change."""
    category = ticket.category
    if ticket.kind == "complaint" and category == "other":
        category = category_of(text)
    priority = priority_of(text, category)
    if category == ticket.category and RANK[priority] <= RANK[ticket.priority]:
        return None
    return category, priority


def _refine(s: Session, config, ticket: Ticket, text: str, now: dt.datetime) -> None:
    """「我要退货」 opened a ticket of category 其他; 「草莓全烂了」 next says what it is, and 「孩子吃了
    拉肚子」 later makes it urgent. A category is only filled in where none was known (staff may have
    chosen one); a priority only ever rises, and its deadlines only come closer."""
    changed = reclassified(ticket, text)
    if changed is None:
        return
    category, priority = changed
    before = (ticket.category, ticket.priority)
    ticket.category = category
    if RANK[priority] > RANK[ticket.priority]:
        ticket.priority = priority
        first, done = parse_targets(config.SLA_TARGETS)[priority]
        hours = business_hours(config)
        if ticket.first_responded_at is None and ticket.first_response_due_at:
            ticket.first_response_due_at = min(ticket.first_response_due_at, hours.add(now, first * 3600))
        if ticket.sla_due_at:
            ticket.sla_due_at = min(ticket.sla_due_at, hours.add(now, done * 3600))
    audit(s, ticket, "customer", "reclassified", category=[before[0], ticket.category],
          priority=[before[1], ticket.priority])


def _pause(config, ticket: Ticket, now: dt.datetime) -> None:
    hours = business_hours(config)
    remaining = {"sla": hours.between(now, ticket.sla_due_at) if ticket.sla_due_at else None}
    if ticket.first_responded_at is None and ticket.first_response_due_at:
        remaining["first"] = hours.between(now, ticket.first_response_due_at)
    ticket.paused_at, ticket.paused_remaining = now, remaining


def _resume(config, ticket: Ticket, now: dt.datetime) -> None:
    hours, remaining = business_hours(config), ticket.paused_remaining or {}
    if remaining.get("sla") is not None:
        ticket.sla_due_at = hours.add(now, remaining["sla"])
    if remaining.get("first") is not None:
        ticket.first_response_due_at = hours.add(now, remaining["first"])
    ticket.paused_at, ticket.paused_remaining = None, None


def _move(s: Session, config, ticket: Ticket, state: str, actor: str, **detail) -> None:
    if state not in STATES:
        raise TicketError(f"没有这个状态：{state}")
    if state == ticket.state:
        return
    if state not in TRANSITIONS[ticket.state]:
        raise TicketError(f"工单 {ticket.number} 不能从「{STATE_LABELS[ticket.state]}」改为「{STATE_LABELS[state]}」")
    now, before = utcnow(), ticket.state
    if before == "pending_customer":
        _resume(config, ticket, now)
    if state == "pending_customer":
        _pause(config, ticket, now)
    if state == "resolved":
        ticket.resolved_at = now
    if state == "closed":
        ticket.closed_at = now
    if state == "open" and before in ("resolved", "closed"):
        ticket.resolved_at = ticket.closed_at = None
        ticket.csat_asked_at = None
    ticket.state = state
    audit(s, ticket, actor, "state", before=before, after=state, **detail)


def set_state(s: Session, config, ticket: Ticket, state: str, actor: str) -> None:
    _move(s, config, ticket, state, actor)


def claim(s: Session, ticket: Ticket, user: StaffUser, actor: str | None = None) -> None:
    if ticket.assignee_id == user.id:
        return
    before = ticket.assignee.username if ticket.assignee else None
    ticket.assignee = user
    if ticket.state == "new":
        ticket.state = "open"
    audit(s, ticket, actor or user.username, "assigned" if actor and actor != user.username else "claimed",
          before=before, after=user.username)


def add_note(s: Session, ticket: Ticket, actor: str, text: str) -> TicketNote:
    text = (text or "").strip()
    if not text:
        raise TicketError("备注不能为空。")
    note = TicketNote(ticket_id=ticket.id, author=actor, text=text[:4000])
    s.add(note)
    audit(s, ticket, actor, "note")
    return note


def add_reply(s: Session, config, ticket: Ticket, actor: str, text: str, author_id: int | None = None) -> TicketMessage:
    """Queued for the worker; the first reply stops the first-response clock."""
    text = (text or "").strip()
    if not text:
        raise TicketError("回复内容不能为空。")
    if ticket.state == "closed":
        raise TicketError(f"工单 {ticket.number} 已关闭，请先重新打开再回复。")
    now = utcnow()
    message = TicketMessage(ticket_id=ticket.id, direction="out", kind="text", text=text[:2000], author=actor,
                            author_id=author_id, delivery="queued", created_at=now, recipient=ticket.openid)
    s.add(message)
    if ticket.first_responded_at is None:
        ticket.first_responded_at = now
    if ticket.state == "new":
        _move(s, config, ticket, "open", actor)
    s.flush()
    audit(s, ticket, actor, "reply", message_id=message.id)
    return message


def resolve(s: Session, config, ticket: Ticket, actor: str) -> TicketMessage:
    """Resolved, and the customer is asked for a 1-5 score (the question is queued like a reply).
    Once: a double tap or a resubmitted form must not ask the customer twice."""
    if ticket.state == "resolved":
        raise TicketError(f"工单 {ticket.number} 已经是「已解决」，已请顾客评分，不再重复发送。")
    _move(s, config, ticket, "resolved", actor)
    ticket.csat_asked_at = utcnow()
    question = (f"您的工单 {ticket.number} 已处理完毕。请为本次服务打分：回复 1-5 的数字"
                "（5 分最满意）。如果问题还没解决，直接回复说明即可，我们会继续跟进。")
    message = TicketMessage(ticket_id=ticket.id, direction="out", kind="text", text=question, author="bot",
                            delivery="queued", created_at=utcnow(), recipient=ticket.openid)
    s.add(message)
    s.flush()
    return message


def record_csat(s: Session, ticket: Ticket, score: int) -> None:
    if not 1 <= score <= 5:
        raise TicketError("评分须为 1-5。")
    ticket.csat_score, ticket.csat_at = score, utcnow()
    s.add(TicketMessage(ticket_id=ticket.id, direction="in", kind="text", text=str(score), author="customer"))
    audit(s, ticket, "customer", "csat", score=score)


def same_customer(a: Ticket, b: Ticket) -> bool:
    """One person: the same openid, or two openids bound to the same customer record."""
    return a.openid == b.openid or (a.customer_id is not None and a.customer_id == b.customer_id)


def merge(s: Session, config, duplicate: Ticket, target: Ticket, actor: str) -> None:
    """The duplicate's conversation moves to the target; the duplicate closes, pointing at it."""
    if duplicate.id == target.id:
        raise TicketError("不能把工单合并到它自己。")
    if target.state == "closed" or target.merged_into_id:
        raise TicketError(f"目标工单 {target.number} 已关闭，不能合并进去。")
    if not same_customer(duplicate, target):
        raise TicketError(f"工单 {duplicate.number} 和 {target.number} 属于不同的顾客，不能合并"
                          "（合并后的回复会发给另一位顾客）。")
    for message in list(duplicate.messages):
        message.ticket_id = target.id
    for note in list(duplicate.notes):
        note.ticket_id = target.id
    duplicate.merged_into_id = target.id
    if duplicate.state != "closed":
        duplicate.state, duplicate.closed_at = "closed", utcnow()
    audit(s, duplicate, actor, "merged_into", target=target.number)
    audit(s, target, actor, "merged_from", duplicate=duplicate.number)


def is_overdue(ticket: Ticket, now: dt.datetime | None = None) -> bool:
    now = now or utcnow()
    if ticket.state not in ACTIVE_STATES or ticket.paused_at is not None:
        return False
    first_late = ticket.first_responded_at is None and ticket.first_response_due_at and ticket.first_response_due_at < now
    return bool(first_late or (ticket.sla_due_at and ticket.sla_due_at < now))


def escalate_overdue(s: Session) -> list[str]:
    """Flag overdue tickets once and record the escalation to admins; returns their numbers."""
    now, escalated = utcnow(), []
    rows = s.execute(select(Ticket).where(Ticket.state.in_(ACTIVE_STATES), Ticket.paused_at.is_(None),
                                          Ticket.escalated_at.is_(None))).scalars()
    for ticket in rows:
        if is_overdue(ticket, now):
            ticket.escalated_at = now
            audit(s, ticket, "system", "escalated", to="admin")
            escalated.append(ticket.number)
    return escalated
