"""「我的货到哪了」: one order in detail, or the customer's recent orders; only their own.

Someone else's order id gets word for word the answer a non-existent id gets, after the same
lookup, and lookups are counted per openid: order ids cannot be enumerated through the bot.
"""
from __future__ import annotations

import re

from integrations.commerce import CommerceUnavailable

from ..dialogue.registry import Turn, registry
from ..dialogue.words import CHOICE_NUMBERS, bare
from ..shop import requests, wording
from ..shop.customers import member_id_for
from ..shop.guards import lookup_allowed

ASK_ID = "请把订单号发给我（在订单详情里可以复制）。"
ASK_ID_STRANGER = ASK_ID + "\n也可以先发「绑定账号」，绑定后不报订单号也能查。"
NO_ORDERS = "您的账号下还没有查到订单。如果手上有订单号，直接发给我就行。"


# A number answering the list of recent orders (never an order id: those are 10 digits or more).
CHOICE = r"第?[1-9１-９一二三四五六七八九][个单]?"


def _pick(text: str, listed: list[str]) -> str | None:
    """「1」「第二个」「2单」: the order of that number in the list just shown."""
    index = CHOICE_NUMBERS.get(re.sub(r"^第|[个单]$", "", bare(text)))
    return listed[index] if index is not None and index < len(listed) else None


def _naming(turn: Turn, orders: list) -> str | None:
    """The one recent order holding the product the message names, if exactly one does."""
    product = turn.nlu.first("product") if turn.nlu else None
    if not product:
        return None
    holding = [o.order_no for o in orders if any(product == line.product for line in o.items)]
    return holding[0] if len(holding) == 1 else None


@registry.intent("order_status")
def order_status(turn: Turn) -> str:
    svc = turn.services
    order_no = turn.entity("order_id")
    member_id = member_id_for(svc.db, turn.openid)
    asked = turn.state.slots.get("asked", "")  # the question that brought the list (「快点发货行吗」)
    if not order_no:
        if member_id is None:
            return turn.ask("order_id", ASK_ID_STRANGER)
        listed = turn.state.slots.get("listed")
        picked = _pick(turn.text, listed) if listed else None
        if listed and picked is None:
            turn.state.clear()
            if turn.nlu is None or turn.nlu.intent != "order_status":  # 「好的」: no need to list again
                return "好的。要看哪一单的详细物流，发订单号给我就行。"
        if picked is not None:
            order_no = picked
        else:
            try:
                orders = svc.commerce.recent_orders(member_id, 3)
            except CommerceUnavailable:
                return wording.UNAVAILABLE
            if not orders:
                return turn.ask("order_id", NO_ORDERS)
            moving = [o for o in orders if "签收" not in o.status]
            named = _naming(turn, orders)
            if named is not None:  # 「我的草莓到哪了」 with one order of strawberries: that one
                order_no = named
            elif requests.HURRY.search(turn.text) and len(moving) == 1:
                order_no = moving[0].order_no  # 「催一下」 with one order on its way: that one
            else:
                return turn.ask("order_id", wording.order_list(orders), accept=CHOICE,
                                listed=[o.order_no for o in orders], asked=turn.text)

    turn.state.clear()
    if not lookup_allowed(svc, turn.openid):
        return wording.RATE_LIMITED
    try:
        order = svc.commerce.order(order_no)
    except CommerceUnavailable:
        return wording.UNAVAILABLE
    if order is None or member_id is None or order.member_id != member_id:
        return wording.NOT_FOUND.format(no=order_no)
    turn.state.topic = {"order_id": order.order_no}  # 「地址能改吗」 next is about this order
    return wording.order_detail(order) + requests.hurry(svc, turn.openid, f"{asked} {turn.text}", order)
