"""A customer who does something the merchant has an entry about gets both, as from a shop's agent:
the act carried out (a complaint's ticket, an order change recorded) and then the merchant's own
explanation of it. Only the entry on that act, only while it is enabled, and only when the message
starts the matter (bot/faq/policy.py)."""
import json

import pytest
from sqlalchemy import select

from bot.config import Config
from bot.demo import FAQ, seed
from bot.faq import policy
from bot.faq.matching import Entry, FaqIndex
from bot.models import FaqEntry, OrderRequest, Ticket, TicketMessage

AUTH = {"Authorization": "Bearer test-api-token"}
ANSWERS = {question: answer for question, _, answer in FAQ}
BAD_FRUIT, CHANGE, INVOICE = ANSWERS["收到坏果怎么办"], ANSWERS["收货地址填错了能改吗"], ANSWERS["能开发票吗"]


def _tickets(services):
    with services.db.session() as s:
        return [(t.category, t.summary, [m.text for m in s.execute(select(TicketMessage)
                                                                   .where(TicketMessage.ticket_id == t.id)).scalars()])
                for t in s.execute(select(Ticket).order_by(Ticket.id)).scalars()]


def test_a_fault_in_the_goods_gets_its_ticket_then_the_shops_policy(sim, services):
    seed(services)
    text = "昨天到的猕猴桃烂了三个"
    reply = sim.say("o-pol-fault", text)
    assert "工单号" in reply and BAD_FRUIT in reply, reply
    assert reply.index("工单号") < reply.index(BAD_FRUIT)
    assert f"\n\n关于售后：{BAD_FRUIT}" in reply  # a paragraph of its own: WeChat's splitting cuts there first
    [(category, summary, bodies)] = _tickets(services)
    assert category in policy.GOODS_FAULTS and summary == text
    assert not [b for b in bodies if b and BAD_FRUIT in b]  # the ticket records the customer, not our policy


@pytest.mark.parametrize("text", ["快递太慢了 等了三天才到", "配送员态度很差 东西扔门口就走了", "发错货了 我买的是苹果 送来的是梨"])
def test_a_complaint_about_anything_but_the_goods_gets_no_bad_fruit_policy(sim, services, text):
    seed(services)
    reply = sim.say("o-pol-other", text)
    assert "工单号" in reply and BAD_FRUIT not in reply, reply
    [(category, _, _)] = _tickets(services)
    assert category not in policy.GOODS_FAULTS


def test_an_address_change_gets_the_change_policy_once_and_is_recorded(sim, services):
    seed(services)
    asked = sim.say("o-demo-bob", "收货地址写错了 想改一下")
    assert "新的收货地址" in asked and CHANGE in asked, asked
    assert asked.index("新的收货地址") < asked.index(CHANGE)
    done = sim.say("o-demo-bob", "改到滨江区江南大道100号")  # the answer to the form's question: no repeat
    assert "工单号" in done and CHANGE not in done, done
    with services.db.session() as s:
        [request] = s.execute(select(OrderRequest)).scalars()
        assert (request.order_no, request.kind) == ("DD20261118003", "address")
        assert CHANGE not in json.loads(request.details)["text"]


def test_an_invoice_request_gets_the_invoice_policy(sim, services):
    seed(services)
    reply = sim.say("o-demo-bob", "公司要报销 麻烦开张发票")
    assert "抬头" in reply and INVOICE in reply, reply


def test_fetching_instead_of_delivery_gets_where_to_fetch_and_black_fruit_gets_its_ticket(sim, services):
    """「不用送了 我自己过去拿」 changes the order (bot/nlu/rules.PICKUP_INSTEAD) and says where to fetch it;
    「刚签收的香蕉全黑了」 is a fault, not praise (acts.TROUBLE), with the bad-fruit policy after its ticket."""
    seed(services)
    reply = sim.say("o-pol-pick", "不用送了 我自己过去拿")
    assert f"\n\n关于自提：{ANSWERS['自提点在哪']}" in reply, reply
    reply = sim.say("o-pol-black", "刚签收的香蕉全黑了")
    assert "工单号" in reply and f"关于售后：{BAD_FRUIT}" in reply, reply


def test_a_disabled_entry_is_not_appended(app, sim, services):
    seed(services)
    with services.db.session() as s:
        entry_id = s.execute(select(FaqEntry.id).where(FaqEntry.question == "收到坏果怎么办")).scalar_one()
    r = app.test_client().put(f"/api/faq/{entry_id}", json={"enabled": False}, headers=AUTH)
    assert r.status_code == 200, r.get_json()
    reply = sim.say("o-pol-off", "昨天到的猕猴桃烂了三个")
    assert "工单号" in reply and "关于售后" not in reply and BAD_FRUIT not in reply, reply
    assert len(_tickets(services)) == 1


@pytest.fixture(scope="module")
def demo_index():
    return FaqIndex([Entry(i, q, tuple(v), a) for i, (q, v, a) in enumerate(FAQ)])


FLOOR = Config().FAQ_POLICY_SCORE


@pytest.mark.parametrize("intent,text,question", [
    ("complaint", "收到的橙子有几个发霉了", "收到坏果怎么办"),
    ("complaint", "葡萄压坏了好多", "收到坏果怎么办"),
    ("order_change", "地址填错了 要改", "收货地址填错了能改吗"),
    ("invoice", "公司采购 需要开发票", "能开发票吗"),
    # fetched instead of sent: where to fetch it (not for an order already to be fetched)
    ("order_change", "不要送了 我自己去取", "自提点在哪"),
    ("order_change", "自提的东西我晚点去拿", None),
    ("complaint", "刚签收的香蕉全黑了", "收到坏果怎么办"),
    ("invoice", "要开单位抬头的发票", "能开发票吗"),  # a title named, none given
    ("order_change", "还没发走的话 收货地址要换一下", "收货地址填错了能改吗"),  # a condition, not 「还没发」 asked
    # a matter under way or already done, or the act given in full: the customer knows the policy
    ("complaint", "上次的坏果还没赔", None),
    ("complaint", "坏果的钱退了没", None),
    ("complaint", "草莓烂了两个 照片发你了", None),
    ("order_change", "地址改成文二路18号", None),
    ("order_change", "地址我已经改好了", None),
    ("invoice", "发票抬头写错了", None),
    ("invoice", "我要开发票 抬头个人", None),
    # the act the entry does not explain
    ("complaint", "送货太慢了", None),
    ("order_change", "把数量改成三盒", None),
    ("human_handoff", "草莓烂了 转人工", None),
])
def test_which_act_gets_which_entry(demo_index, intent, text, question):
    found = policy.beside(intent, text, demo_index.match(text), FLOOR)
    assert (found.question if found else None) == question


def test_a_receipt_called_a_slip_is_no_order(demo_index):
    """「单子」 for expenses is a receipt: the invoice entry's question, not one order's (forms.RECEIPT_SLIP)."""
    from bot.faq.forms import reports
    assert not reports("报销用的单子能给一张吗") and reports("我那个单子到哪了")
    [best, *_] = demo_index.match("报销用的单子能给一张吗")
    assert best.entry.question == "能开发票吗" and best.score >= Config().FAQ_ANSWER_SCORE
