"""Corrections after the model where the shop's own words settle what the classifier blurs.

Real customers cancel an ORDER with the words our data uses for leaving a group-buy round
(「下错单了 帮我取消」「订单取消了没有」 came back as preorder_cancel in a measurement on public
JD/Taobao customer-service chats, issue 13). An order word with no round word decides it: the
order-change form takes the cancellation to staff; 「接龙不要了」 and 「预售订单我要撤回」 stay
with the round. Goods the order shows as signed for or finished but the customer never got
(「显示签收了 东西没收到」) are a complaint however much the words sound like a status question.
Kept in the NLU path so `nlu eval` and the webhook see the same intent.
"""
from __future__ import annotations

import re

from .result import NluResult

ORDER_WORD = re.compile(r"订单|单子|这单|那单|下单|下错|拍错|拍了|买错|退款")
ROUND_WORD = re.compile(r"接龙|团|拼|预售|预订|预定|报名")
NOT_RECEIVED = re.compile(r"没(有)?(收到|拿到|见到|看到|送来|送到|到手)|不见了|没给我送")
MARKED_DONE = re.compile(r"签收|完成|结单|送达|已送|送错|妥投")


def refine(result: NluResult) -> NluResult:
    """The result with its intent corrected where a rule above applies; otherwise unchanged."""
    text = result.text
    if result.intent == "preorder_cancel" and ORDER_WORD.search(text) and not ROUND_WORD.search(text):
        return result.read_as("order_change")
    if result.intent == "order_status" and NOT_RECEIVED.search(text) and MARKED_DONE.search(text):
        return result.read_as("complaint")
    return result
