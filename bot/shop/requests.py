"""A customer's request on one of their orders (change the address, time, quantity, contact or
pick-up; hurry it; an invoice): recorded with a staff ticket in one transaction, then put to the
order system, whose answer the customer hears at once. A system that cannot be reached leaves the
request recorded for staff, never lost."""
from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass

from integrations.commerce import CommerceUnavailable, OrderInfo, RequestAnswer, shipped

from .. import clock
from ..models import OrderRequest, Ticket
from ..tickets import service

# the first kind whose pattern the message matches
KIND_PATTERNS = [
    ("pickup", r"自提|自取|自己(去|来|过去)?(拿|取)"),
    ("contact", r"电话|手机号|号码|收件人|收货人|名字"),
    ("address", r"地址|搬家|送到|送去|寄到|改到.{0,6}(家|公司|单位)"),
    ("quantity", r"\d+\s*(斤|箱|个|盒|份|件)|[一二两三四五六七八九十]\s*(斤|箱|个|盒|份|件)|数量|多买|少要|加一|减"),
    ("delivery_time", r"时间|周[一二三四五六日天末]|明天|后天|晚点|早点|几点|上午|下午|晚上|改天|改期"),
]
# what a message must carry to be the change itself, not only the wish to make one
VALUE_PATTERNS = {
    "address": r"(改到|改成|送到|寄到|换到|换成)\S{2,}|[路街巷号栋幢室]|小区|大厦|公寓",
    "delivery_time": r"周[一二三四五六日天末]|明天|后天|\d+\s*[点号]|[一二三四五六七八九十]+点|上午|下午|晚上|早上|中午",
    "quantity": KIND_PATTERNS[3][1],
    "contact": r"\d{7,}|(改成|改为|换成)\S{1,}",
    "pickup": r".",
}
ASK_VALUE = {"address": "新的收货地址是？请发完整地址（区、街道、门牌号）。", "delivery_time": "想改到什么时候送？比如「周六上午」。",
             "quantity": "要改成多少？比如「草莓改成 5 斤」。", "contact": "改成什么？请发新的收货人或电话。"}
LABELS = {"address": "改收货地址", "delivery_time": "改送货时间", "quantity": "改数量", "contact": "改联系人信息",
          "pickup": "改为自提", "hurry": "催单", "invoice": "开发票", "other": "改订单"}
TICKET_CATEGORY = {"invoice": "invoice"}


def kind_of(text: str) -> str | None:
    for kind, pattern in KIND_PATTERNS:
        if re.search(pattern, text):
            return kind
    return None


def carries_value(kind: str, text: str) -> bool:
    pattern = VALUE_PATTERNS.get(kind)
    return pattern is None or re.search(pattern, text) is not None


@dataclass
class Outcome:
    answer: RequestAnswer
    ticket_number: str


def submit(svc, openid: str, order: OrderInfo, kind: str, details: dict) -> Outcome:
    """Record (request + ticket, one transaction), then ask the order system; its answer is kept
    on the request and noted on the ticket. Sending twice is harmless: the request id travels."""
    request_id = uuid.uuid4().hex
    summary = f"{LABELS[kind]}（订单 {order.order_no}）：{details.get('text', '')}"
    with svc.db.session() as s:
        ticket = service.create(s, svc.config, openid, summary, kind="request", order_no=order.order_no,
                                category=TICKET_CATEGORY.get(kind, "order_change"))
        request = OrderRequest(order_no=order.order_no, openid=openid, kind=kind,
                               details=json.dumps(details, ensure_ascii=False), state="recorded", ticket_id=ticket.id,
                               created_at=clock.utcnow())
        s.add(request)
        s.flush()
        request_pk, number = request.id, ticket.number
    try:
        answer = svc.commerce.submit_request(order.order_no, request_id, kind, details)
        state = answer.status if answer.status in ("accepted", "refused") else "sent"
    except CommerceUnavailable:
        answer, state = RequestAnswer("recorded"), "failed"
    with svc.db.session() as s:
        request = s.get(OrderRequest, request_pk)
        request.state, request.answer, request.sent_at = state, answer.reason, clock.utcnow()
        ticket = s.get(Ticket, request.ticket_id)
        note = {"accepted": "订单系统已接受", "refused": f"订单系统拒绝：{answer.reason or ''}",
                "failed": "订单系统连不上，需要人工处理"}.get(state, "已提交订单系统")
        service.add_note(s, ticket, "bot", note)
    return Outcome(answer, number)


def too_late(order: OrderInfo, kind: str) -> str | None:
    """What is still possible once the goods have left, said before anything is recorded."""
    if kind in ("address", "delivery_time", "quantity", "contact", "pickup") and shipped(order):
        carrier = f"{order.carrier} {order.tracking_no}" if order.carrier and order.tracking_no else "快递"
        return (f"订单 {order.order_no} 已经{order.status}，没法在我们这边改了。"
                f"地址或时间可以直接联系 {carrier} 改派或预约派送；数量不对的话签收后发「售后」，我们给您处理。")
    return None


HURRY = re.compile(r"催|快点|加急|急用|尽快|快些|赶紧|急着")


def hurry(svc, openid: str, text: str, order: OrderInfo) -> str:
    """「怎么还没到，快点」 on a status question: recorded as a request, and the answer says so."""
    if not HURRY.search(text) or "签收" in order.status:
        return ""
    outcome = submit(svc, openid, order, "hurry", {"text": text})
    return f"\n已帮您催促仓库和快递，记在订单上了，客服也会跟进（工单号 {outcome.ticket_number}）。"
