"""「地址填错了帮我改一下」「我要开发票」: requests on an order, collected in chat and passed to the
order system and to staff (bot/shop/requests.py). Only the customer's own orders."""
from __future__ import annotations

import re

from integrations.commerce import CommerceUnavailable, OrderInfo, shipped

from ..dialogue.registry import Turn, registry
from ..dialogue.words import CHOICE_NUMBERS, bare
from ..rounds import ledger
from ..shop import requests, wording
from ..shop.customers import member_id_for
from ..shop.guards import lookup_allowed
from .orders import ASK_ID, ASK_ID_STRANGER

ASK_CHANGE = "要改成什么呢？直接告诉我新的收货地址、送货时间或者数量就行。"
ASK_TITLE = "发票抬头写什么？个人发票请回复「个人」。"
ASK_TAX = "请发一下单位的税号（纳税人识别号，15-20 位数字或大写字母）。"
TAX_NO = re.compile(r"[0-9A-Z]{15,20}")
# answers that never count as changing the subject (a clear new request still leaves the form)
TITLE_ANSWER = r".*(个人|公司|集团|中心|商行|店|厂|学校|大学|医院|协会|工作室|事务所).*"
TAX_ANSWER = r"[0-9A-Za-z]{6,25}"
# 「需要公司抬头的票」 names a title without giving one (the same reading as faq.policy.TITLE_GIVEN)
TITLE = re.compile(r"抬头(?:是|为|写|开)?[:：\s]*(?![的吗么呢啊怎咋要])([^\s，,。；;]{2,40})")


def _order(turn: Turn) -> OrderInfo | str:
    """The order the request is about, or the question/answer to send instead."""
    svc, slots = turn.services, turn.state.slots
    listed = slots.pop("listed", None)  # the orders offered by number last time
    picked = CHOICE_NUMBERS.get(bare(turn.text)) if listed else None
    order_no = listed[picked] if picked is not None and picked < len(listed) else turn.entity("order_id")
    order_no = order_no or (None if listed else turn.state.topic.get("order_id"))  # the order just shown
    if listed and not order_no:  # neither a number nor an order id: leave the form, do not loop
        turn.state.clear()
        return "没认出是哪一单，这件事先放一放。需要时把订单号和要办的事一起发给我就行。"
    member_id = member_id_for(svc.db, turn.openid)
    try:
        if order_no:
            if not lookup_allowed(svc, turn.openid):
                return wording.RATE_LIMITED
            order = svc.commerce.order(order_no)
            if order is None or member_id is None or order.member_id != member_id:
                slots.pop("order_id", None)
                return wording.NOT_FOUND.format(no=order_no)
            return order
        if member_id is None:
            return turn.ask("order_id", ASK_ID_STRANGER)
        orders = svc.commerce.recent_orders(member_id, 3)
    except CommerceUnavailable:
        return wording.UNAVAILABLE
    open_orders = [o for o in orders if not shipped(o)]
    if len(open_orders) == 1 or len(orders) == 1:
        return (open_orders or orders)[0]
    if not orders:
        return turn.ask("order_id", ASK_ID)
    lines = [f"{i}. {o.order_no} {o.status}" for i, o in enumerate(orders, 1)]
    return turn.ask("order_id", "是哪一单呢？回复序号或订单号：\n" + "\n".join(lines),
                    accept="[1-3一二三]", listed=[o.order_no for o in orders])


def _told(turn: Turn, outcome: requests.Outcome, what: str) -> str:
    turn.state.clear()
    answer = outcome.answer
    if answer.status == "refused":
        return f"抱歉，{what}没有办成：{answer.reason or '订单系统不同意'}。需要的话发「人工」找客服。"
    if answer.status == "accepted" and turn.services.commerce.kind != "sql":
        return f"好的，{what}已经提交，订单系统已确认（工单号 {outcome.ticket_number}）。"
    return f"好的，已记下{what}，客服会尽快处理，有结果第一时间告诉您（工单号 {outcome.ticket_number}）。"


def _changes_a_join(turn: Turn) -> bool:
    """「改成5斤」 from someone in a round, or just talking about one, changes the join, not an order:
    the words are the same, only the customer's situation tells them apart."""
    entities = turn.nlu.entities if turn.nlu else []
    if turn.entity("order_id") or not any(e.type == "quantity" for e in entities) \
            or requests.kind_of(turn.text) not in (None, "quantity"):
        return False
    with turn.services.db.session() as s:
        rounds = {r.id: r for r in ledger.active_rounds(s)}
        units = {r.unit for _, r in ledger.my_entries(s, turn.openid) if r.id in rounds}
    topic = turn.state.topic.get("round_ids") or [turn.state.topic.get("round_id")]
    units |= {rounds[i].unit for i in topic if i in rounds}
    said = {e.value for e in entities if e.type == "unit"}
    return bool(units) and (not said or bool(said & units))


@registry.intent("order_change")
def order_change(turn: Turn) -> str:
    if _changes_a_join(turn):
        turn.intent = "preorder_join"
        return registry.for_intent("preorder_join")(turn)
    order = _order(turn)
    if isinstance(order, str):
        return order
    first = turn.state.slots.get("said")
    said = " ".join(filter(None, [first, turn.text]))
    kind = requests.kind_of(said)
    late = requests.too_late(order, kind) if kind else None
    if late:
        turn.state.clear()
        return late
    if not first and (kind is None or not requests.carries_value(kind, turn.text)):
        question = requests.ASK_VALUE.get(kind, ASK_CHANGE)
        return turn.ask("change", question, order_id=order.order_no, said=turn.text)  # a clear new request leaves it
    kind = kind or "other"
    outcome = requests.submit(turn.services, turn.openid, order, kind, {"text": said})
    return _told(turn, outcome, f"订单 {order.order_no} 的{requests.LABELS[kind]}「{said}」")


@registry.intent("invoice")
def invoice(turn: Turn) -> str:
    order = _order(turn)
    if isinstance(order, str):
        return order
    slots, text = turn.state.slots, turn.text.strip()
    pending = slots.get("asking")  # the question this message answers (the engine has cleared it)
    title = slots.get("title")
    if title is None:
        found = TITLE.search(text)
        if pending == "title":
            title = "个人" if "个人" in text else text[:40]
        elif found or "个人" in text:
            title = found.group(1) if found else "个人"
        else:
            return turn.ask("title", ASK_TITLE, accept=TITLE_ANSWER, order_id=order.order_no, asking="title")
    tax_no = slots.get("tax_no") or (TAX_NO.search(text.upper()) or [None])[0]
    if title != "个人" and tax_no is None:
        prefix = "这个税号格式不对。" if pending == "tax_no" else ""
        return turn.ask("tax_no", prefix + ASK_TAX, accept=TAX_ANSWER, order_id=order.order_no, title=title,
                        asking="tax_no")
    details = {"text": f"抬头 {title}" + (f"，税号 {tax_no}" if tax_no else ""), "title": title}
    if tax_no:
        details["tax_no"] = tax_no
    outcome = requests.submit(turn.services, turn.openid, order, "invoice", details)
    return _told(turn, outcome, f"订单 {order.order_no} 的开票（抬头「{title}」）")
