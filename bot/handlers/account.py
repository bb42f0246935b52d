"""「绑定账号」: an openid is bound to a customer record by phone number plus one of their order
ids. Both must match; wrong tries are counted, and 5 within an hour lock binding for that hour.

While the bot waits for the second half, the conversation state (kept 30 minutes in the store)
holds only the phone number's keyed hash and its masked form (138****0001), never the number.
The answer names nothing about the member beyond what the customer typed: not their name, not
the WeChat accounts already bound to them (those are not told either)."""
from __future__ import annotations

from integrations.commerce import CommerceUnavailable

from ..dialogue.registry import Turn, registry
from ..shop import wording
from ..models import lookup_hash
from ..shop.customers import bind, customer_by_phone_hash
from ..shop.guards import bind_failed, bind_locked, bind_succeeded

START = "好的，绑定需要两样：下单时留的手机号，和您的任意一个订单号（在订单详情里可以复制）。请先发手机号。"
ASK_PHONE = "请再发一下下单时留的 11 位手机号。"
ASK_ORDER = "请再发一个您的订单号（在订单详情里可以复制），用来确认是您本人。"
LOCKED = "绑定尝试次数太多，为保护账户安全已暂停 1 小时。如需帮助请发「人工」。"


def _masked(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:]


@registry.intent("bind_account")
def bind_account(turn: Turn) -> str:
    svc = turn.services
    if bind_locked(svc, turn.openid):
        turn.state.clear()
        return LOCKED
    typed = turn.nlu.first("phone") if turn.nlu else None
    phone_hash = lookup_hash(typed) if typed else turn.state.slots.get("phone_hash")
    hint = _masked(typed) if typed else turn.state.slots.get("phone_hint")
    order_no = turn.entity("order_id")
    if not phone_hash and not order_no:
        return turn.ask("phone", START)
    if not phone_hash:
        return turn.ask("phone", ASK_PHONE, order_id=order_no)
    if not order_no:
        return turn.ask("order_id", ASK_ORDER, phone_hash=phone_hash, phone_hint=hint)
    turn.state.clear()  # one attempt per pair

    customer = customer_by_phone_hash(svc.db, phone_hash)
    try:
        order = svc.commerce.order(order_no)
    except CommerceUnavailable:
        return wording.UNAVAILABLE
    if customer is None or order is None or order.member_id != customer[0]:
        left = bind_failed(svc, turn.openid)
        if left == 0:
            return LOCKED
        return f"手机号和订单号对不上，没能绑定。请核对后再发一次（还能试 {left} 次）。"
    bind(svc.db, turn.openid, customer[0])
    bind_succeeded(svc, turn.openid)
    return (f"绑定成功！已把这个微信和手机号 {hint} 的会员账号关联。"
            "以后发「我的订单到哪了」就能直接查看您的订单。")
