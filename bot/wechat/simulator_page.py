"""The chat simulator: a WeChat-style page whose messages go through the real /wechat webhook
(signed, and encrypted when a key is set, by bot.wechat.simulator), for trying the bot and for demos.
Customer-service messages sent to the simulated customer (staff replies, the CSAT question)
appear in the chat too."""
from __future__ import annotations

from flask import current_app, jsonify, render_template, request
from sqlalchemy import select

from ..console.auth import nav_item, role_required
from ..console.blueprint import bp
from ..current import current_services
from ..models import Subscriber, Ticket, TicketMessage
from .simulator import Simulator, message_xml

SIMULATOR_ROLES = ("admin", "agent", "merchant")
nav_item("console.simulator", "聊天模拟器", roles=SIMULATOR_ROLES, order=40)


def _webhook_transport():
    client = current_app.test_client()

    def post(query: dict, body: bytes):
        response = client.post("/wechat", query_string=query, data=body, content_type="text/xml")
        return response.status_code, response.get_data(as_text=True)

    return post


@bp.get("/simulator")
@role_required(*SIMULATOR_ROLES)
def simulator():
    return render_template("console/simulator.html", openid=request.args.get("openid", "o-demo-alice"),
                           scene=request.args.get("scene", "")[:64])


@bp.post("/simulator/say")
@role_required(*SIMULATOR_ROLES)
def simulator_say():
    data = request.get_json(silent=True) or {}
    openid, text = str(data.get("openid") or "").strip(), str(data.get("text") or "").strip()
    scene = str(data.get("scene") or "").strip() if data.get("event") == "scan" else ""
    if not openid or not (text or scene) or len(openid) > 64 or len(text) > 600 or len(scene) > 64:
        return jsonify(error="请填写 openid 和 600 字以内的消息。"), 400
    cfg = current_app.config
    sim = Simulator(cfg["WECHAT_TOKEN"], cfg["WECHAT_APP_ID"], cfg.get("WECHAT_AES_KEY"), post=_webhook_transport())
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
    after = request.args.get("after", "0")
    after = int(after) if after.isdigit() else 0
    with current_services().db.session() as s:
        rows = s.execute(select(TicketMessage).join(Ticket, TicketMessage.ticket_id == Ticket.id)
                         .where(Ticket.openid == openid, TicketMessage.direction == "out",
                                TicketMessage.delivery.in_(("sent", "failed")), TicketMessage.id > after)
                         .order_by(TicketMessage.id)).scalars()
        messages = [{"id": m.id, "text": m.text, "delivery": m.delivery, "error": m.delivery_error} for m in rows]
    return jsonify(messages=messages)
