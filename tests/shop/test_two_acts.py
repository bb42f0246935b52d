"""Two acts in one message (bot/dialogue/acts.py), end to end through the webhook and the real model,
and the rules on their own with a scripted NLU."""
import pytest
from sqlalchemy import select

from bot.dialogue import acts
from bot.models import Ticket
from bot.nlu.result import Entity, NluResult

from tests.helpers import chat


def _tickets(app, openid):
    with app.extensions["xiaoer"].db.session() as s:
        return s.execute(select(Ticket).where(Ticket.openid == openid)).scalars().all()


@pytest.fixture
def shop(build):
    return build("sql")


def test_a_greeting_in_front_does_not_swallow_the_request(shop):
    say = chat(shop)
    answer = say("o-new", "哈喽 东西到了是坏的")
    assert "工单号" in answer and "欢迎" not in answer
    assert "再见" in say("o-bye", "谢谢啦 辛苦 拜拜")  # the goodbye after the thanks is the act


def test_a_call_for_a_person_in_a_short_message_is_a_handoff(shop):
    say = chat(shop)
    answer = say("o-call", "在吗在吗 人工")
    [ticket] = _tickets(shop, "o-call")
    assert ticket.kind == "handoff" and ticket.number in answer and "转接人工客服" in answer
    assert "转接" not in say("o-nocall", "不用转人工了 谢谢")
    assert _tickets(shop, "o-nocall") == []


def test_a_complaint_that_asks_where_the_order_is_gets_the_ticket_and_the_status(shop):
    answer = chat(shop)("o-demo-alice", "东西坏了 另外DD20261101001到哪了")
    [ticket] = _tickets(shop, "o-demo-alice")
    assert ticket.kind == "complaint" and ticket.order_no == "DD20261101001"
    assert ticket.number in answer and "订单 DD20261101001" in answer and "状态：" in answer


def test_delivery_anger_is_recorded_and_answered_with_the_orders(shop):
    answer = chat(shop)("o-demo-alice", "快递也太慢了吧")
    [ticket] = _tickets(shop, "o-demo-alice")
    assert ticket.kind == "complaint" and ticket.number in answer
    assert "您最近的订单" in answer  # a bound member: the status without an order number


def test_a_stranger_is_asked_once_and_gets_the_status_with_the_number(shop):
    say = chat(shop)
    first = say("o-stranger", "什么破快递 这么慢 我的东西到哪了")
    assert "工单号" in first and acts.STATUS_PROMISE in first and first.count("订单号") == 2
    second = say("o-stranger", "DD20261101001")
    assert "已把订单 DD20261101001 记到工单" in second
    assert "没有查到订单 DD20261101001" in second  # not this customer's order: the same answer as none
    [ticket] = _tickets(shop, "o-stranger")
    assert ticket.order_no == "DD20261101001"
    assert "工单" not in say("o-stranger", "你好")  # nothing left pending


class Scripted:
    """The NLU as a table: text -> (intent, confidence, entities)."""

    def __init__(self, table):
        self.table, self.calls = table, []

    def parse(self, text, timeout=None):
        self.calls.append(text)
        intent, confidence, entities = self.table[text]
        return NluResult(text, intent, confidence, [(intent, confidence), ("out_of_scope", 0.0)], list(entities))


def test_the_rest_after_an_opening_is_parsed_again_and_entities_keep_their_place():
    text = "你好 草莓还有吗"
    nlu = Scripted({"草莓还有吗": ("stock_query", 0.9, [Entity("product", "丹东草莓", "草莓", 0, 2)])})
    result = acts.resolve(NluResult(text, "greet", 0.6), text, nlu, None, 0.3)
    assert result.intent == "stock_query" and result.text == text
    [e] = result.entities
    assert text[e.start:e.end] == "草莓"


@pytest.mark.parametrize("text, first, second, expect", [
    ("你好 草莓还有吗", "greet", ("stock_query", 0.2), "greet"),   # the rest is not confident: keep
    ("你好 嗯", "greet", None, "greet"),                           # nothing left to parse again
    ("你好 天气不错", "greet", ("out_of_scope", 0.9), "greet"),
    ("在吗 转人工", "greet", None, "human_handoff"),
    ("客服态度太差了", "complaint", None, "complaint"),            # the model heard a complaint
    ("客服你好", "greet", None, "greet"),                          # a greeting to the desk
    ("你是真人吗", "out_of_scope", None, "out_of_scope"),
    ("不用转人工了", "human_handoff", None, "out_of_scope"),       # declined: the next intent
    ("我想问问能不能转人工处理一下我的退款问题", "out_of_scope", None, "out_of_scope"),  # not short
])
def test_rules(text, first, second, expect):
    rest = acts.LEADING_POLITE.sub("", text)
    nlu = Scripted({rest: (*second, [])} if second else {})
    ranking = [(first, 0.7), ("out_of_scope", 0.2)]
    assert acts.resolve(NluResult(text, first, 0.7, ranking), text, nlu, None, 0.3).intent == expect


def test_a_status_question_that_reports_damage_gets_the_ticket_too(shop):
    answer = chat(shop)("o-demo-bob", "牛奶到了是漏的 顺便问下我那单到哪了")
    tickets = _tickets(shop, "o-demo-bob")
    assert len(tickets) == 1 and tickets[0].number in answer, answer
    assert "DD20261118003" in answer  # and the status of the order
    assert len(_tickets(shop, "o-demo-alice")) == 0 and "工单" not in chat(shop)("o-demo-alice", "我的订单到哪了")
