"""bot/nlu/rules.py: an order word turns a round cancellation into an order change; round words keep it."""
import pytest

from bot.nlu.result import Entity, NluResult
from bot.nlu.rules import refine

pytestmark = pytest.mark.timeless  # pure text analysis: no date or time of day enters it


def _cancel(text):
    return NluResult(text, "preorder_cancel", 0.7, [("preorder_cancel", 0.7), ("order_change", 0.2)],
                     [Entity("order_id", "DD20261101001")])


@pytest.mark.parametrize("text", ["下错单了 帮我取消", "订单取消了没有", "拍错了 能取消吗", "点错了 申请了退款 能撤回吗"])
def test_order_words_make_it_an_order_change(text):
    out = refine(_cancel(text))
    assert out.intent == "order_change"
    assert out.ranking[0] == ("order_change", 0.7)
    assert [n for n, _ in out.ranking].count("order_change") == 1
    assert out.entities and out.entities[0].value == "DD20261101001"


@pytest.mark.parametrize("text", ["接龙不要了", "拼单的订单取消", "预售订单我要撤回", "我不要了"])
def test_round_cancellations_stay(text):
    assert refine(_cancel(text)).intent == "preorder_cancel"


def test_other_intents_untouched():
    r = NluResult("订单取消了没有", "order_status", 0.6, [("order_status", 0.6)])
    assert refine(r) is r


@pytest.mark.parametrize("text", ["显示签收了 东西没收到", "订单都完成了 我没拿到货", "物流说送达 我根本没见到"])
def test_signed_but_not_received_is_a_complaint(text):
    r = NluResult(text, "order_status", 0.8, [("order_status", 0.8), ("complaint", 0.1)])
    out = refine(r)
    assert out.intent == "complaint" and out.ranking[0] == ("complaint", 0.8)


@pytest.mark.parametrize("text", ["还没收到 到哪了", "签收了吗", "什么时候送达"])
def test_status_questions_stay(text):
    r = NluResult(text, "order_status", 0.8, [("order_status", 0.8)])
    assert refine(r).intent == "order_status"
