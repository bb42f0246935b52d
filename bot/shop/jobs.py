"""Queue jobs for orders and stock: proactive messages and the restock check."""
from __future__ import annotations

import logging

from integrations.wechat_api import WeChatError

from ..jobs import job
from . import restock

log = logging.getLogger(__name__)


@job
def notify_customer(services, key: str, openid: str, text: str, template: dict | None = None) -> None:
    """A proactive message: a template message when WECHAT_TEMPLATE_ID is set and the caller gave
    template fields, else a customer-service message. `key` makes a retried job send only once."""
    sent = f"notified:{key}"
    if services.store.get(sent):
        return
    template_id = services.config.WECHAT_TEMPLATE_ID
    try:
        if template_id and template:
            services.wechat.send_template(openid, template_id, {k: {"value": v} for k, v in template.items()})
        else:
            services.wechat.send_text(openid, text)
    except WeChatError as exc:
        if exc.retryable:
            raise  # the queue tries again later
        log.warning("proactive message %s to %s refused: %s", key, openid, exc)
        return
    services.store.set(sent, "1", 7 * 86400)


@job
def check_restock(services, product: str | None = None) -> int:
    return restock.check_restock(services, product)
