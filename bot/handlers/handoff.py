"""A customer who asks for a person gets one: the request is recorded for staff to pick up."""
from __future__ import annotations

from sqlalchemy import select

from ..dialogue.registry import Turn, registry
from ..models import HandoffRequest


@registry.intent("human_handoff")
def human_handoff(turn: Turn) -> str:
    with turn.services.db.session() as s:
        open_request = s.execute(
            select(HandoffRequest).where(HandoffRequest.openid == turn.openid, HandoffRequest.state == "open")
        ).scalars().first()
        if open_request is None:
            s.add(HandoffRequest(openid=turn.openid, text=turn.incoming.text))
    if open_request is not None:
        return "您的人工服务请求已在排队中，客服会尽快回复您，请稍候。"
    return "已为您转接人工客服，工作时间内一般30分钟内回复。您可以先把问题和订单号发给我，客服上线后会直接看到。"
