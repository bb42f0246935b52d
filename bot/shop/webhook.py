"""`POST /webhooks/orders`: the merchant's order system reports a status change.

401 bad or missing signature, 400 malformed body or signature header, 404 unknown order, 200 stored or duplicate,
503 when we cannot take it right now (the sender should retry). Never a 500.
"""
from __future__ import annotations

import logging

from flask import Blueprint, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from integrations.commerce import CommerceUnavailable

from ..current import current_services
from . import pushes

log = logging.getLogger(__name__)
bp = Blueprint("order_webhooks", __name__)


def _reply(code: int, **body):
    return jsonify(body), code


@bp.post("/webhooks/orders")
def order_pushed():
    svc = current_services()
    try:
        body = request.get_data(cache=False)
    except RequestEntityTooLarge:
        return _reply(413, error="body too large")
    given = request.headers.get(pushes.SIGNATURE_HEADER)
    if given is not None and not given.isascii():  # a signature is hex: this one is malformed
        return _reply(400, error=f"malformed {pushes.SIGNATURE_HEADER} header (expected sha256=<hex>)")
    if not pushes.verify(svc.config.ORDER_WEBHOOK_SECRET, body, given):
        log.warning("refused order push from %s: bad or missing signature", request.remote_addr)
        return _reply(401, error="bad signature")
    try:
        push = pushes.parse(body, svc.config.ORDER_ID_PATTERN)
    except ValueError as exc:
        return _reply(400, error=str(exc))
    try:
        outcome = pushes.record(svc, push)
        if outcome == "unknown":
            return _reply(404, error=f"unknown order {push.order_no}")
    except CommerceUnavailable as exc:
        return _reply(503, error=f"order system unavailable: {exc}")
    except Exception:  # a push we could not take is retried by the sender; a 500 tells it nothing
        log.exception("order push %s failed", push.event_id)
        return _reply(503, error="temporarily unavailable, retry later")
    return _reply(200, status=outcome, event_id=push.event_id)
