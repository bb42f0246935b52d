"""The dialogue spine through the real webhook and model: intents, clarification, pending questions."""
import pytest
from sqlalchemy import select

from bot.dialogue.registry import registry
from bot.models import MessageLog, Ticket


@pytest.mark.parametrize("text,expect", [
    ("你好", "欢迎"),
    ("再见啦", "再见"),
    ("谢谢你", "不客气"),
    ("你都能干啥", "查订单"),
    ("今天天气怎么样", "回答不了"),
])
def test_smalltalk_intents(sim, text, expect):
    assert expect in sim.say("o-talk", text)


def test_human_handoff_opens_one_ticket_for_staff(sim, services):
    first = sim.say("o-hand", "转人工客服")
    second = sim.say("o-hand", "我要找真人客服")
    with services.db.session() as s:
        rows = s.execute(select(Ticket).where(Ticket.openid == "o-hand")).scalars().all()
    assert len(rows) == 1 and rows[0].kind == "handoff" and rows[0].state == "new"
    assert rows[0].number in first and rows[0].number in second


def test_message_and_answer_are_persisted_with_nlu_details(sim, services):
    answer = sim.say("o-log", "你好呀")
    with services.db.session() as s:
        row = s.execute(select(MessageLog).where(MessageLog.openid == "o-log")).scalar_one()
    assert row.text == "你好呀" and row.answer == answer and row.intent == "greet"
    assert 0 < row.confidence <= 1 and row.delivery == "passive" and row.latency_ms > 0
    assert row.status == "answered" and row.answered_at is not None


def test_personal_text_is_encrypted_at_rest(sim, services):
    sim.say("o-enc", "我的手机13912345678")
    with services.db.engine.connect() as conn:
        raw = conn.exec_driver_sql("SELECT text, answer FROM message_log").fetchall()
    assert raw and all("13912345678" not in (t or "") for t, _ in raw)


def test_low_confidence_asks_with_choices_and_a_number_picks(make_app):
    from bot.wechat.simulator import Simulator

    from tests.helpers import APP_ID, TOKEN, flask_transport
    app = make_app(NLU_THRESHOLD=1.01)  # nothing is confident enough: always ask
    sim = Simulator(TOKEN, APP_ID, None, post=flask_transport(app))
    question = sim.say("o-clar", "你好")
    assert "回复数字" in question and "1." in question
    first_choice = question.splitlines()[1][3:]
    from bot.dialogue.intents import LABELS
    intent = next(k for k, v in LABELS.items() if v == first_choice)
    answer = sim.say("o-clar", "1")
    assert "没太确定" not in answer  # an answer, not the question again
    with app.extensions["xiaoer"].db.session() as s:
        last = s.execute(select(MessageLog).order_by(MessageLog.id.desc())).scalars().first()
    assert last.intent == intent


@pytest.fixture
def asking_handler(monkeypatch):
    """A handler that needs an order number, like the order capability: asks, then uses the answer."""
    def order_status(turn):
        order_id = turn.entity("order_id")
        if not order_id:
            return turn.ask("order_id", "请问订单号是多少？")
        return f"查询订单 {order_id}"
    monkeypatch.setitem(registry.intents, "order_status", order_status)


def test_pending_question_takes_the_next_message_as_its_answer(sim, asking_handler):
    assert sim.say("o-slot", "我的快递到哪了") == "请问订单号是多少？"
    assert sim.say("o-slot", "DD20261101001") == "查询订单 DD20261101001"
    # answered: the next message is a new conversation turn again
    assert "欢迎" in sim.say("o-slot", "你好")


def test_cancel_word_clears_a_pending_question(sim, asking_handler):
    assert sim.say("o-cancel", "帮我查下物流") == "请问订单号是多少？"
    assert "已取消" in sim.say("o-cancel", "算了")
    assert "欢迎" in sim.say("o-cancel", "你好")


def test_a_clearly_different_question_leaves_the_pending_one(sim, asking_handler):
    assert sim.say("o-switch", "我的订单到哪了") == "请问订单号是多少？"
    assert "人工" in sim.say("o-switch", "转人工客服")


def test_a_message_without_the_number_asked_for_leaves_the_question_at_the_ordinary_bar(
        make_app, asking_handler, monkeypatch):
    """An order-number question is left by any confident new intent; a free-text one only by a sure one."""
    from bot.wechat.simulator import Simulator

    from tests.helpers import APP_ID, TOKEN, flask_transport

    def complaint(turn):
        if turn.state.slots.get("asked"):
            return f"记下了：{turn.text}"
        return turn.ask("detail", "请说说遇到了什么问题？", asked=True)
    monkeypatch.setitem(registry.intents, "complaint", complaint)
    app = make_app(NLU_SWITCH_THRESHOLD=0.999)
    sim = Simulator(TOKEN, APP_ID, None, post=flask_transport(app))
    assert sim.say("o-bar", "我的订单到哪了") == "请问订单号是多少？"
    assert "积分" in sim.say("o-bar", "我有多少积分")
    assert sim.say("o-bar2", "东西坏了我要投诉") == "请说说遇到了什么问题？"
    assert sim.say("o-bar2", "我有多少积分") == "记下了：我有多少积分"


def test_conversation_state_expires(make_app, asking_handler):
    from bot.wechat.simulator import Simulator

    from tests.helpers import APP_ID, TOKEN, flask_transport
    app = make_app(CONVERSATION_TTL=1)
    sim = Simulator(TOKEN, APP_ID, None, post=flask_transport(app))
    assert sim.say("o-ttl", "我的订单到哪了") == "请问订单号是多少？"
    import time
    time.sleep(1.3)
    assert app.extensions["xiaoer"].states.load("o-ttl").pending is None


def test_praise_the_model_reads_as_a_complaint_opens_no_ticket(sim):
    """「东西收到了 很新鲜 谢谢」 (the committed model: complaint 0.46): every clause positive and no
    trouble word, so it is feedback; sarcasm with a trouble word stays a complaint."""
    praise = sim.say("o-praise", "東西收到了 很新鮮 謝謝")
    assert "谢谢您的反馈" in praise and "工单" not in praise
    assert "工单" in sim.say("o-sarcasm", "真新鲜啊 新鲜到发霉了")
    # thanks to the staff is not a review of the goods
    thanks = sim.say("o-thanks", "谢谢老板 祝您生意兴隆")
    assert "谢谢您的反馈" not in thanks and "工单" not in thanks


def test_are_you_a_bot_and_hurry_up_get_straight_answers(sim):
    assert "智能客服" in sim.say("o-bot", "你是机器人吗") and "「人工」" in sim.say("o-bot", "你是不是真人")
    assert sim.say("o-bot", "快点回复").startswith("在的在的")
    assert "工单" in sim.say("o-bot2", "草莓压坏了好几个")
    assert "工单" in sim.say("o-bot2", "怎么不回")  # on an open ticket it is for staff


def test_how_to_order_is_told_not_taken_for_goodbye(make_app):
    """「好 那就下单吧」 was read as goodbye. The bot takes no orders: it says where they are placed
    (SHOP_URL) or, without one, to ask staff."""
    from bot.wechat.simulator import Simulator
    from tests.helpers import APP_ID, TOKEN, flask_transport

    with_shop = Simulator(TOKEN, APP_ID, None, post=flask_transport(make_app(SHOP_URL="https://shop.example/x")))
    assert "https://shop.example/x" in with_shop.say("o-buy", "好 那就下单吧")
    without = Simulator(TOKEN, APP_ID, None, post=flask_transport(make_app()))
    answer = without.say("o-buy", "怎么下单")
    assert "「人工」" in answer and "再见" not in answer
