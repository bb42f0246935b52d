"""Outbound ticket messages (staff replies, the CSAT question) as customer-service messages.

A refusal is written on the message and on the ticket with what staff can do about it; nothing
is dropped silently. Temporary failures are raised so the queue tries again.
"""
from __future__ import annotations

import logging

from ..worker.registry import every_minute, job
from ..models import Ticket, TicketMessage, utcnow
from ..wechat.outbound import Sent
from .service import audit, escalate_overdue

log = logging.getLogger(__name__)


def queue_outbound(services, message_id: int) -> None:
    services.queue.enqueue("send_ticket_message", message_id)


@job
def send_ticket_message(services, message_id: int) -> None:
    with services.db.session() as s:
        message = s.get(TicketMessage, message_id)
        if message is None or message.delivery == "sent":
            return  # already delivered by an earlier try
        ticket = s.get(Ticket, message.ticket_id)
        openid, text = ticket.openid, message.text
    sent = services.outbound.send(openid, text)
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


def _record_failure(services, message_id: int, sent: Sent) -> None:
    exc = sent.error
    with services.db.session() as s:
        message = s.get(TicketMessage, message_id)
        message.delivery = "retrying" if exc.retryable else "failed"
        message.delivery_error = sent.detail
        ticket = s.get(Ticket, message.ticket_id)
        ticket.delivery_problem = f"回复未送达（错误 {exc.code}）：{sent.advice}"
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
