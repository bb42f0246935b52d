"""Queue jobs for orders and stock: proactive messages and the restock check."""
from __future__ import annotations

from ..worker.registry import job
from . import restock


@job
def notify_customer(services, key: str, openid: str, text: str, template: dict | None = None) -> None:
    """A proactive message: a template message when WECHAT_TEMPLATE_ID is set and the caller gave
    template fields, else a customer-service message. `key` makes a retried job send only once."""
    sent = services.outbound.send(openid, text, template=template, key=f"notified:{key}")
    sent.retry_later()  # a refusal was logged by outbound.send; nothing else to record


@job
def check_restock(services, product: str | None = None) -> int:
    return restock.check_restock(services, product)
