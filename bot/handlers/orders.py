"""「我的货到哪了」: one order in detail, or the customer's recent orders; only their own.

Someone else's order id gets word for word the answer a non-existent id gets, after the same
lookup, and lookups are counted per openid: order ids cannot be enumerated through the bot.
"""
from __future__ import annotations

from integrations.commerce import CommerceUnavailable

from ..dialogue.registry import Turn, registry
from ..shop import requests, wording
from ..shop.customers import member_id_for
from ..shop.guards import lookup_allowed

ASK_ID = "请把订单号发给我（在订单详情里可以复制）。"
ASK_ID_STRANGER = ASK_ID + "\n也可以先发「绑定账号」，绑定后不报订单号也能查。"
NO_ORDERS = "您的账号下还没有查到订单。如果手上有订单号，直接发给我就行。"


@registry.intent("order_status")
def order_status(turn: Turn) -> str:
    svc = turn.services
    order_no = turn.entity("order_id")
    member_id = member_id_for(svc.db, turn.openid)
    if not order_no:
        if member_id is None:
            return turn.ask("order_id", ASK_ID_STRANGER)
        try:
            orders = svc.commerce.recent_orders(member_id, 3)
        except CommerceUnavailable:
            return wording.UNAVAILABLE
        return wording.order_list(orders) if orders else turn.ask("order_id", NO_ORDERS)

    turn.state.clear()
    if not lookup_allowed(svc, turn.openid):
        return wording.RATE_LIMITED
    try:
        order = svc.commerce.order(order_no)
    except CommerceUnavailable:
        return wording.UNAVAILABLE
    if order is None or member_id is None or order.member_id != member_id:
        return wording.NOT_FOUND.format(no=order_no)
    return wording.order_detail(order) + requests.hurry(svc, turn.openid, turn.text, order)
