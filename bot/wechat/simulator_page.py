"""The chat simulator: a WeChat-style page whose messages go through the real /wechat webhook
(signed, and encrypted when a key is set, by bot.wechat.simulator), for trying the bot and for demos.
Customer-service messages sent to the simulated customer (staff replies, the CSAT question)
appear in the chat too.

It signs with the real Token, so it could speak as anyone: it exists only while CONSOLE_SIMULATOR is
on (`make run`; `make prod` refuses it), speaks only as openids starting with `o-sim-` (never a real
customer's), and the message log marks its rows with the staff member who typed them."""
from __future__ import annotations

from flask import abort, current_app, jsonify, render_template, request
from sqlalchemy import select

from ..console.auth import current_staff, nav_item, role_required
from ..console.blueprint import bp
from ..current import current_services
from ..models import Subscriber, Ticket, TicketMessage
from .simulator import Simulator, message_xml
from .webhook import SIMULATED_BY  # an environ key: outside clients cannot set it (headers become HTTP_*)

SIMULATOR_ROLES = ("admin", "agent", "merchant")
SIM_PREFIX = "o-sim-"
nav_item("console.simulator", "聊天模拟器", roles=SIMULATOR_ROLES, order=40, setting="CONSOLE_SIMULATOR")


@bp.before_request
def _simulator_switched_on():
    if request.endpoint and request.endpoint.startswith("console.simulator") \
            and not current_app.config.get("CONSOLE_SIMULATOR"):
        abort(404)


def _webhook_transport(staff: str):
    client = current_app.test_client()

    def post(query: dict, body: bytes):
        response = client.post("/wechat", query_string=query, data=body, content_type="text/xml",
                               environ_overrides={SIMULATED_BY: staff})
        return response.status_code, response.get_data(as_text=True)

    return post


@bp.get("/simulator")
@role_required(*SIMULATOR_ROLES)
def simulator():
    openid = request.args.get("openid", "")
    return render_template("console/simulator.html", openid=openid if _is_sim(openid) else SIM_PREFIX + "alice",
                           prefix=SIM_PREFIX, scene=request.args.get("scene", "")[:64])


def _is_sim(openid: str) -> bool:
    return openid.startswith(SIM_PREFIX) and len(openid) > len(SIM_PREFIX)


@bp.post("/simulator/say")
@role_required(*SIMULATOR_ROLES)
def simulator_say():
    data = request.get_json(silent=True) or {}
    openid, text = str(data.get("openid") or "").strip(), str(data.get("text") or "").strip()
    scene = str(data.get("scene") or "").strip() if data.get("event") == "scan" else ""
    if not openid or not (text or scene) or len(openid) > 64 or len(text) > 600 or len(scene) > 64:
        return jsonify(error="请填写 openid 和 600 字以内的消息。"), 400
    if not _is_sim(openid):
        return jsonify(error=f"模拟器只能以 {SIM_PREFIX} 开头的 openid 说话（不能冒充真实顾客）。"), 400
    cfg = current_app.config
    sim = Simulator(cfg["WECHAT_TOKEN"], cfg["WECHAT_APP_ID"], cfg.get("WECHAT_AES_KEY"),
                    post=_webhook_transport(current_staff().username))
    status, _body, answer = sim.deliver(_scan_xml(openid, scene) if scene else _xml(openid, text))
    if status != 200:
        return jsonify(error=f"webhook 返回 {status}"), 502
    return jsonify(answer=answer, later=answer is None)


def _xml(openid: str, text: str) -> str:
    return message_xml(openid, "text", Content=text)


def _scan_xml(openid: str, scene: str) -> str:
    """Scanning a parametric QR code as WeChat reports it: SCAN for a follower, else subscribe with
    the scene prefixed 「qrscene_」 (scanning follows the account first)."""
    with current_services().db.session() as s:
        sub = s.get(Subscriber, openid)
        following = sub is not None and sub.subscribed
    if following:
        return message_xml(openid, "event", Event="SCAN", EventKey=scene, Ticket="simulator")
    return message_xml(openid, "event", Event="subscribe", EventKey=f"qrscene_{scene}", Ticket="simulator")


@bp.get("/simulator/inbox")
@role_required(*SIMULATOR_ROLES)
def simulator_inbox():
    """Customer-service messages to this openid after message id `after` (the page polls)."""
    openid = request.args.get("openid", "")
    if not _is_sim(openid):
        return jsonify(messages=[])
    after = request.args.get("after", "0")
    after = int(after) if after.isdigit() else 0
    with current_services().db.session() as s:
        rows = s.execute(select(TicketMessage).join(Ticket, TicketMessage.ticket_id == Ticket.id)
                         .where(Ticket.openid == openid, TicketMessage.direction == "out",
                                TicketMessage.delivery.in_(("sent", "failed")), TicketMessage.id > after)
                         .order_by(TicketMessage.id)).scalars()
        messages = [{"id": m.id, "text": m.text, "delivery": m.delivery, "error": m.delivery_error} for m in rows]
    return jsonify(messages=messages)
