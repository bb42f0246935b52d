"""Outbound ticket messages (staff replies, the CSAT question) as customer-service messages.

A refusal is written on the message and on the ticket with what staff can do about it; nothing
is dropped silently. Temporary failures are raised so the queue tries again.
"""
from __future__ import annotations

import logging

from sqlalchemy import select

from ..worker.registry import every_minute, job
from ..models import Ticket, TicketMessage, utcnow
from ..wechat.api import WeChatError
from ..wechat.outbound import Sent
from .service import audit, escalate_overdue

log = logging.getLogger(__name__)


def queue_outbound(services, message_id: int) -> None:
    services.queue.enqueue("send_ticket_message", message_id)


@job
def send_ticket_message(services, message_id: int) -> None:
    """A customer reads a ticket's messages in the order staff wrote them (a reply, then the rating
    question). Jobs run on parallel threads or workers, so under a per-ticket lock each one first
    sends the ticket's earlier messages still waiting, in order, then its own."""
    with services.db.session() as s:
        message = s.get(TicketMessage, message_id)
        if message is None or message.delivery == "sent":
            return  # already delivered by an earlier try (or by a later message's job)
        ticket_id = message.ticket_id
    with services.store.lock(f"ticket-send:{ticket_id}", timeout=60, wait=60):
        with services.db.session() as s:
            waiting = list(s.execute(select(TicketMessage.id).where(
                TicketMessage.ticket_id == ticket_id, TicketMessage.direction == "out",
                TicketMessage.id <= message_id, TicketMessage.delivery != "sent",
                TicketMessage.delivery != "failed").order_by(TicketMessage.id)).scalars())
        for waiting_id in waiting:
            _send_one(services, waiting_id)


def _send_one(services, message_id: int) -> None:
    with services.db.session() as s:
        message = s.get(TicketMessage, message_id)
        if message is None or message.delivery == "sent":
            return
        openid, text = message.recipient, message.text
    if not openid:  # written before recipients were recorded: never guess who it was for
        _record_failure(services, message_id, Sent(WeChatError(None, "no recipient recorded", retryable=False)),
                        advice="这条消息没有记录收件人，没有发出。请在工单里重新回复。")
        return
    sent = services.outbound.send(openid, text, key=f"ticket-message:{message_id}")
    if not sent.ok:
        _record_failure(services, message_id, sent)
        sent.retry_later()
        return
    with services.db.session() as s:
        message = s.get(TicketMessage, message_id)
        message.delivery, message.delivery_error, message.sent_at = "sent", None, utcnow()
        ticket = s.get(Ticket, message.ticket_id)
        if ticket.delivery_problem and message.author != "bot":
            ticket.delivery_problem = None
        audit(s, ticket, "system", "delivered", message_id=message_id)


def _record_failure(services, message_id: int, sent: Sent, advice: str | None = None) -> None:
    exc = sent.error
    with services.db.session() as s:
        message = s.get(TicketMessage, message_id)
        message.delivery = "retrying" if exc.retryable else "failed"
        message.delivery_error = sent.detail
        ticket = s.get(Ticket, message.ticket_id)
        ticket.delivery_problem = f"回复未送达（错误 {exc.code}）：{advice or sent.advice}"
        audit(s, ticket, "system", "delivery_failed", message_id=message_id, code=exc.code, retryable=exc.retryable)
    log.warning("ticket message %s not delivered: %s", message_id, exc)


@every_minute
def escalate_tickets(services) -> list[str]:
    """Overdue tickets are flagged and escalated within a minute, not only when a page is opened."""
    with services.db.session() as s:
        escalated = escalate_overdue(s)
    if escalated:
        log.warning("escalated overdue tickets to admins: %s", ", ".join(escalated))
    return escalated
