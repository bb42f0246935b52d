"""Status changes pushed by the order system: verify, parse strictly, store once, tell the customer.

The event row, and with the embedded store the order's new status and timeline step, are written
in one transaction; the unique event id makes a replayed push a no-op, even two at once.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from integrations.commerce import _time
from bot.shop.sql_commerce import SqlCommerce

from ..members import receipt
from ..models import Order, OrderUpdate, utcnow
from ..nlu.entities import order_id_regex
from . import wording
from .customers import openids_of

log = logging.getLogger(__name__)
SIGNATURE_HEADER = "X-Xiaoer-Signature"


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str | None, body: bytes, header: str | None) -> bool:
    """Constant-time; with no secret configured nothing verifies (the endpoint is closed)."""
    # Compared as bytes: compare_digest raises on non-ASCII str (a 500), and a header may hold anything.
    return bool(secret and header) and hmac.compare_digest(sign(secret, body).encode(),
                                                           header.strip().encode("utf-8", "surrogateescape"))


@dataclass
class Push:
    event_id: str
    order_no: str
    status: str
    step: str
    location: str | None
    happened_at: dt.datetime
    extra: dict
    raw: dict


def _text(data: dict, key: str, limit: int, required: bool = True) -> str | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise ValueError(f"{key} must be a non-empty string of at most {limit} characters")
    return value.strip()


def parse(body: bytes, order_id_pattern: str | None = None) -> Push:
    """The contract of integrations/README.md; anything else is a ValueError (HTTP 400). Order ids
    must follow ORDER_ID_PATTERN (`order_id_pattern`), the format the bot recognises in chats."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ValueError("body must be UTF-8 JSON")
    if not isinstance(data, dict):
        raise ValueError("body must be a JSON object")
    order_no = _text(data, "order_id", 32).upper()
    if not order_id_regex(order_id_pattern).fullmatch(order_no):
        raise ValueError("order_id does not follow ORDER_ID_PATTERN (by default DD20261101001 or 10-20 digits)")
    step = data.get("step")
    if isinstance(step, str):
        step = {"name": step}
    if not isinstance(step, dict):
        raise ValueError("step must be an object with name, location and time")
    try:
        happened = _time(step.get("time")) if step.get("time") else utcnow()
        eta = _time(data["eta"]) if data.get("eta") else None
    except (TypeError, ValueError):
        raise ValueError("times must be ISO 8601, e.g. 2026-11-24T10:00:00+08:00")
    extra = {"carrier": _text(data, "carrier", 32, False), "tracking_no": _text(data, "tracking_no", 64, False),
             "eta": eta}
    return Push(_text(data, "event_id", 128), order_no, _text(data, "status", 32), _text(step, "name", 64),
                _text(step, "location", 64, False), happened, extra, data)


def record(services, push: Push) -> str:
    """"stored" | "duplicate" | "unknown". The customer's message is queued inside the transaction:
    if queueing fails nothing is stored, so the sender's retry gets a second chance rather than a
    "duplicate" for an event nobody was told about. Raises CommerceUnavailable when the merchant's
    system cannot confirm the order (the sender should retry)."""
    commerce = services.commerce
    check_id = None
    try:
        with services.db.session() as s:
            if s.execute(select(OrderUpdate.id).where(OrderUpdate.event_id == push.event_id)).first():
                return "duplicate"
            if isinstance(commerce, SqlCommerce):
                member_id = commerce.apply_update(s, push.order_no, push.status, push.step, push.location,
                                                  push.happened_at, **push.extra)
                total, product = _embedded_total(s, push.order_no)
            else:
                order = commerce.order(push.order_no)
                member_id = order.member_id if order else None
                total, product = _pushed_total(push), (order.items[0].product if order and order.items else None)
            if member_id is None:
                return "unknown"
            s.add(OrderUpdate(event_id=push.event_id, order_no=push.order_no, status=push.status, step=push.step,
                              location=push.location, happened_at=push.happened_at, payload=push.raw))
            s.flush()
            if receipt.signed_for(push.status):  # points and the receipt check, with the push or not at all
                check_id = receipt.on_signed(s, services.config, push.order_no, member_id, total, product)
            notify(services, push, member_id)
    except IntegrityError:  # the same event arrived twice at once; the other one won
        return "duplicate"
    receipt.queue_ask(services, check_id)  # after the commit; the minute sweep asks it if this is lost
    return "stored"


def _embedded_total(s, order_no: str) -> tuple[int, str | None]:
    """(order total in cents, first product) from the embedded store."""
    order = s.execute(select(Order).where(Order.order_no == order_no)).scalar()
    if order is None:
        return 0, None
    total = sum(round(i.quantity * i.price_cents) for i in order.items)
    return total, (order.items[0].product.name if order.items else None)


def _pushed_total(push: Push) -> int:
    """An order system's push may carry the order's `amount` in yuan (integrations/README.md)."""
    amount = push.raw.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, (int, float)) or not 0 <= amount < 10_000_000:
        return 0
    return round(amount * 100)


def notify(services, push: Push, member_id: str) -> int:
    """Queue the proactive message for every openid bound to the order's customer."""
    text = wording.order_update(push.order_no, push.status, push.step, push.location)
    template = {"first": f"您的订单 {push.order_no} 有新进度", "keyword1": push.order_no,
                "keyword2": push.status, "keyword3": push.step, "remark": "发订单号给我可查看完整物流。"}
    openids = openids_of(services.db, member_id)
    for openid in openids:
        services.queue.enqueue("notify_customer", f"order:{push.event_id}:{openid}", openid, text, template)
    return len(openids)
