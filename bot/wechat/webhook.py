"""`/wechat`: WeChat's server callback. Thin on purpose: verify, decode, hand over, encode."""
from __future__ import annotations

import logging
import time

from flask import Blueprint, Response, abort, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from ..current import current_services
from .codec import BadRequest, Forbidden, signature_ok
from .replay import same_body_as_first

SIMULATED_BY = "xiaoer.simulated_by"  # set only by the console simulator's in-process requests

log = logging.getLogger(__name__)
bp = Blueprint("wechat", __name__)


def _refuse(status: int, reason: str) -> Response:
    current_services().metrics.count("xiaoer_rejected_total", reason=str(status))
    log.warning("refused %s /wechat from %s: %s", request.method, request.remote_addr, reason)
    return Response(reason, status=status, mimetype="text/plain")


@bp.get("/wechat")
def check_url():
    try:
        return Response(current_services().codec.check_url(request.args), mimetype="text/plain")
    except Forbidden as exc:
        return _refuse(403, str(exc))


@bp.post("/wechat")
def receive():
    started = time.monotonic()
    svc = current_services()
    try:
        body = request.get_data(cache=False)
    except RequestEntityTooLarge:
        return _refuse(413, "body too large")
    if len(body) > svc.config.MAX_BODY_BYTES:  # chunked bodies carry no Content-Length
        return _refuse(413, "body too large")
    try:
        decoded = svc.codec.decode(request.args, body)
    except Forbidden as exc:
        return _refuse(403, str(exc))
    except BadRequest as exc:
        return _refuse(400, str(exc))
    except Exception:  # a parser surprise is the sender's problem: refuse it, never a 500
        log.exception("undecodable request")
        return _refuse(400, "undecodable request")
    if not same_body_as_first(svc.store, request.args.get("timestamp", ""), request.args.get("nonce", ""), body,
                              svc.config.WECHAT_MAX_CLOCK_SKEW):
        return _refuse(403, "timestamp and nonce already used with another body")
    simulated_by = request.environ.get(SIMULATED_BY)
    if simulated_by and svc.config.CONSOLE_SIMULATOR:
        decoded.incoming.simulated_by = str(simulated_by)[:64]
    try:
        delivered = svc.reply_window.handle(decoded.incoming, started)
        nonce = request.args.get("nonce", "")
        return Response(svc.codec.encode(decoded, delivered.answer, nonce), mimetype="application/xml")
    except Exception:
        # A 500 makes WeChat show 「该公众号暂时无法提供服务」; `success` shows nothing and the record
        # (or the spool) still has the message for staff.
        log.exception("webhook failed after decoding %s", decoded.incoming.dedup_key)
        svc.metrics.count("xiaoer_handler_errors_total")
        return Response("success", mimetype="text/plain")


@bp.get("/wechat/dev-outbox")
def dev_outbox():
    """Development only (WECHAT_DEV_OUTBOX=1): what WeChat would have delivered to an openid,
    for `make chat`. Signed like WeChat's own requests and expiring like them (WECHAT_MAX_CLOCK_SKEW),
    so it is no more open than /wechat: a signed URL from a log cannot read the outbox later."""
    svc = current_services()
    if not svc.config.WECHAT_DEV_OUTBOX:
        abort(404)
    args = request.args
    if not signature_ok((svc.config.WECHAT_TOKEN, args.get("timestamp", ""), args.get("nonce", "")),
                        args.get("signature")):
        return _refuse(403, "bad signature")
    try:
        svc.codec.check_time(args.get("timestamp", ""))
    except Forbidden as exc:
        return _refuse(403, str(exc))
    return jsonify(messages=svc.wechat.take(args.get("openid", "")))
