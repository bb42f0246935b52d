"""`/wechat`: WeChat's server callback. Thin on purpose: verify, decode, hand over, encode.

The POST that carries every customer message is answered by `WebhookPost` below, beneath Flask;
the URL check (GET) and the development outbox are ordinary Flask views."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl

from flask import Blueprint, Response, abort, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.wsgi import get_input_stream

from ..current import current_services
from .codec import BadRequest, Forbidden, signature_ok
from .replay import same_body_as_first

SIMULATED_BY = "xiaoer.simulated_by"  # set only by the console simulator's in-process requests

log = logging.getLogger(__name__)
bp = Blueprint("wechat", __name__)


def _note_refusal(svc, method: str, remote_addr: str | None, status: int, reason: str) -> None:
    svc.metrics.count("xiaoer_rejected_total", reason=str(status))
    log.warning("refused %s /wechat from %s: %s", method, remote_addr, reason)


def _refuse(status: int, reason: str) -> Response:
    """For the GET routes, inside Flask's request context."""
    _note_refusal(current_services(), request.method, request.remote_addr, status, reason)
    return Response(reason, status=status, mimetype="text/plain")


@bp.get("/wechat")
def check_url():
    try:
        return Response(current_services().codec.check_url(request.args), mimetype="text/plain")
    except Forbidden as exc:
        return _refuse(403, str(exc))


@dataclass
class Reply:
    status: int
    mimetype: str
    body: bytes


class Refused(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


def receive(svc, args, read_body, remote_addr: str | None, simulated_by=None) -> Reply:
    """One message from WeChat's server: verify, decode, hand over, encode. `read_body()` gives the
    body (raising RequestEntityTooLarge past the limit); `args` the query string's first values."""
    started = time.monotonic()
    try:
        return _receive(svc, args, read_body, started, simulated_by)
    except Refused as refused:
        _note_refusal(svc, "POST", remote_addr, refused.status, refused.reason)
        return Reply(refused.status, "text/plain", refused.reason.encode())


def _receive(svc, args, read_body, started: float, simulated_by) -> Reply:
    try:
        body = read_body()
    except RequestEntityTooLarge:
        raise Refused(413, "body too large") from None
    if len(body) > svc.config.MAX_BODY_BYTES:  # chunked bodies carry no Content-Length
        raise Refused(413, "body too large")
    try:
        decoded = svc.codec.decode(args, body)
    except Forbidden as exc:
        raise Refused(403, str(exc)) from None
    except BadRequest as exc:
        raise Refused(400, str(exc)) from None
    except Exception:  # a parser surprise is the sender's problem: refuse it, never a 500
        log.exception("undecodable request")
        raise Refused(400, "undecodable request") from None
    if not same_body_as_first(svc.store, args.get("timestamp", ""), args.get("nonce", ""), body,
                              svc.config.WECHAT_MAX_CLOCK_SKEW):
        raise Refused(403, "timestamp and nonce already used with another body")
    if simulated_by and svc.config.CONSOLE_SIMULATOR:
        decoded.incoming.simulated_by = str(simulated_by)[:64]
    try:
        delivered = svc.reply_window.handle(decoded.incoming, started)
        return Reply(200, "application/xml", svc.codec.encode(decoded, delivered.answer, args.get("nonce", "")).encode())
    except Exception:
        # A 500 makes WeChat show 「该公众号暂时无法提供服务」; `success` shows nothing and the record
        # (or the spool) still has the message for staff.
        log.exception("webhook failed after decoding %s", decoded.incoming.dedup_key)
        svc.metrics.count("xiaoer_handler_errors_total")
        return Reply(200, "text/plain", b"success")


class WebhookPost:
    """WSGI middleware that answers `POST /wechat` itself and passes every other request to Flask.

    Every customer message is one such request, and nothing of Flask's is used on it: no session,
    template, blueprint hook or error page (the console's hooks look only at /console paths). Flask's
    request context, cookie session and response object cost about as much CPU as the codec's AES and
    XML together (issue 17's profile); here the query string is parsed once and the answer written
    straight out. Installed inside ProxyFix, so REMOTE_ADDR is the client's as Flask would see it."""

    def __init__(self, wsgi_app, services) -> None:
        self.wsgi_app, self.services = wsgi_app, services

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") != "/wechat" or environ.get("REQUEST_METHOD") != "POST":
            return self.wsgi_app(environ, start_response)
        svc = self.services
        args = _first_values(environ.get("QUERY_STRING", ""))
        reply = receive(svc, args, lambda: _read_body(environ, svc.config.MAX_BODY_BYTES),
                        environ.get("REMOTE_ADDR"), environ.get(SIMULATED_BY))
        start_response(f"{reply.status} {HTTP_STATUS_CODES[reply.status].upper()}",  # as werkzeug writes it
                       [("Content-Type", f"{reply.mimetype}; charset=utf-8"), ("Content-Length", str(len(reply.body)))])
        return [reply.body]


def _first_values(query: str) -> dict[str, str]:
    """The query string as Flask's `request.args.get` reads it: the first value of each name."""
    args: dict[str, str] = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        args.setdefault(name, value)
    return args


def _read_body(environ, limit: int) -> bytes:
    """The body, read through werkzeug as Flask reads it, but one byte past `limit`: a declared
    length over it raises RequestEntityTooLarge before anything is read, and a chunked body (no
    length) that goes on past it comes back too long for the caller's check, not cut to size."""
    return get_input_stream(environ, max_content_length=limit + 1).read()


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
