"""Which order and inventory system the bot asks: the merchant's over HTTP when ORDER_SYSTEM_URL
is set, else the embedded SQL store (both speak `integrations.commerce.Commerce`)."""
from __future__ import annotations

from integrations.commerce import Commerce
from integrations.http_commerce import HttpCommerce

from .sql_commerce import SqlCommerce


def make_commerce(config, db) -> Commerce:
    if getattr(config, "ORDER_SYSTEM_URL", None):
        return HttpCommerce(config.ORDER_SYSTEM_URL, token=config.ORDER_SYSTEM_TOKEN,
                            timeout=config.ORDER_SYSTEM_TIMEOUT)
    return SqlCommerce(db)
