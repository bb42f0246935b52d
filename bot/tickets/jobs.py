"""Outbound ticket messages (staff replies, the CSAT question) as customer-service messages.

A refusal is written on the message and on the ticket with what staff can do about it; nothing
is dropped silently. Temporary failures are raised so the queue tries again.
"""
from __future__ import annotations

import logging

from integrations.wechat_api import WeChatError

from ..jobs import every_minute, job
from ..models import Ticket, TicketMessage, utcnow
from .service import audit, escalate_overdue

log = logging.getLogger(__name__)
WHAT_TO_DO = {
    45015: "顾客超过 48 小时没有发消息，微信不允许再主动发客服消息。请等顾客下次发消息后再回复，或电话联系顾客。",
    45047: "发给这位顾客的客服消息已达微信的条数上限。请等顾客回复后再发，重要内容请电话联系。",
    43004: "顾客已取消关注公众号，消息无法送达。请通过订单上的电话联系顾客。",
    None: "公众号未配置 WECHAT_APP_SECRET 或无法连接微信，消息没有发出。请管理员检查配置后点「重新发送」。",
}


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
    try:
        services.wechat.send_text(openid, text)
    except WeChatError as exc:
        _record_failure(services, message_id, exc)
        if exc.retryable:
            raise
        return
    with services.db.session() as s:
        message = s.get(TicketMessage, message_id)
        message.delivery, message.delivery_error, message.sent_at = "sent", None, utcnow()
        ticket = s.get(Ticket, message.ticket_id)
        if ticket.delivery_problem and message.author != "bot":
            ticket.delivery_problem = None
        audit(s, ticket, "system", "delivered", message_id=message_id)


def _record_failure(services, message_id: int, exc: WeChatError) -> None:
    advice = WHAT_TO_DO.get(exc.code) or (
        "微信暂时不可用，系统会自动重试。" if exc.retryable else "微信拒绝了这条消息，请换种方式联系顾客。")
    with services.db.session() as s:
        message = s.get(TicketMessage, message_id)
        message.delivery = "retrying" if exc.retryable else "failed"
        message.delivery_error = f"{exc.code}: {exc.message}"
        ticket = s.get(Ticket, message.ticket_id)
        ticket.delivery_problem = f"回复未送达（错误 {exc.code}）：{advice}"
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
