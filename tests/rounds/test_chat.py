"""Customers and merchants running a round by chat, through the real webhook and NLU."""
import datetime as dt

import pytest
from sqlalchemy import func, select

from bot import clock
from bot.models import Round, RoundEntry
from bot.wechat.simulator import Simulator, message_xml
from tests.helpers import APP_ID, TOKEN, flask_transport, round_id, run_jobs


STRAWBERRY = "丹东草莓 第3期"


def _sim(app) -> Simulator:
    return Simulator(TOKEN, APP_ID, None, post=flask_transport(app))


def _entries(services, rid):
    with services.db.session() as s:
        return [(e.openid, e.seq, e.quantity, e.pickup_point, e.status) for e in
                s.execute(select(RoundEntry).where(RoundEntry.round_id == rid).order_by(RoundEntry.seq)).scalars()]


def test_join_asks_for_what_is_missing_and_confirms_with_progress(rounds_app):
    sim, svc = _sim(rounds_app), rounds_app.extensions["xiaoer"]
    rid = round_id(svc, STRAWBERRY)
    assert "自提" in sim.say("o-demo-alice", "接龙 3斤草莓")
    answer = sim.say("o-demo-alice", "西湖")
    assert "跟团号 1" in answer and "3斤" in answer and "西湖自提点" in answer and "应付 66.00 元" in answer
    assert "已凑 3/20 斤，还差 17 斤成团" in answer and "截止" in answer

    assert "哪一个" in sim.say("o-demo-bob", "+1")  # two open rounds
    assert "几斤" in sim.say("o-demo-bob", "1")
    assert "自提" in sim.say("o-demo-bob", "2斤")
    answer = sim.say("o-demo-bob", "2")
    assert "跟团号 2" in answer and "滨江自提点" in answer and "已凑 5/20 斤" in answer
    assert _entries(svc, rid) == [("o-demo-alice", 1, 3, "西湖自提点", "joined"),
                                  ("o-demo-bob", 2, 2, "滨江自提点", "joined")]


def test_joining_again_changes_the_quantity_and_retries_change_nothing(rounds_app):
    sim, svc = _sim(rounds_app), rounds_app.extensions["xiaoer"]
    rid = round_id(svc, STRAWBERRY)
    sim.say("o-demo-alice", "接龙 3斤草莓 西湖")
    answer = sim.say("o-demo-alice", "草莓接龙 4斤")
    assert "从 3斤 改为 4斤" in answer and "跟团号 1" in answer
    retry = message_xml("o-demo-alice", "text", Content="我再追加2斤草莓", msg_id=987654321)
    first = sim.deliver(retry)[2]
    assert "改为 6斤" in first or "每人限5斤" in first  # 4 + 2 is over the limit of 5
    assert sim.deliver(retry)[2] == first  # WeChat's retry gets the same answer, nothing runs twice
    assert _entries(svc, rid) == [("o-demo-alice", 1, 4, "西湖自提点", "joined")]
    answer = sim.say("o-demo-alice", "接龙 1斤草莓")
    assert "从 4斤 改为 1斤" in answer


def test_per_person_maximum_and_bad_quantity_write_nothing(rounds_app):
    sim, svc = _sim(rounds_app), rounds_app.extensions["xiaoer"]
    rid = round_id(svc, STRAWBERRY)
    assert "每人限5斤" in sim.say("o-demo-alice", "接龙 6斤草莓 西湖")
    assert _entries(svc, rid) == []


def test_cancel_promotes_the_waitlist_and_tells_them(rounds_app, fake_wechat):
    from bot.rounds.joining import join

    svc = rounds_app.extensions["xiaoer"]
    sim = _sim(rounds_app)
    rid = round_id(svc, STRAWBERRY)
    with svc.db.session() as s:
        s.get(Round, rid).allow_cancel_after_confirm = True
    for i in range(10):  # 10 x 5 = the cap of 50
        assert join(svc.db, rid, f"o-fill-{i}", 5, "西湖自提点").outcome == "joined"
    answer = sim.say("o-demo-alice", "接龙 3斤草莓 滨江")
    assert "候补" in answer and "跟团号 11" in answer
    answer = sim.say("o-fill-0", "取消接龙")
    assert "已取消" in answer and "跟团号 1" in answer
    run_jobs(svc)
    assert any("候补成功" in t and "跟团号 11" in t for t in fake_wechat.texts_to("o-demo-alice"))
    # confirmed when the 4th joiner reached 20: those four were told once; later joiners saw it in their reply
    told = [sum("成团通知" in t for t in fake_wechat.texts_to(f"o-fill-{i}")) for i in range(10)]
    assert told == [1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
    assert ("o-demo-alice", 11, 3, "滨江自提点", "joined") in _entries(svc, rid)


def test_no_cancel_after_confirmation_unless_allowed(rounds_app):
    from bot.rounds.joining import join

    svc = rounds_app.extensions["xiaoer"]
    rid = round_id(svc, STRAWBERRY)
    for i in range(4):
        join(svc.db, rid, f"o-c-{i}", 5, "西湖自提点")
    answer = _sim(rounds_app).say("o-c-0", "取消接龙")
    assert "已经成团" in answer and "人工" in answer
    assert _entries(svc, rid)[0][4] == "joined"


def test_status_shows_progress_and_my_entry(rounds_app):
    sim = _sim(rounds_app)
    sim.say("o-demo-alice", "接龙 3斤草莓 西湖")
    answer = sim.say("o-demo-alice", "草莓团凑够了吗")
    assert "已凑 3/20 斤" in answer and "1 人已跟团" in answer and "跟团号 1" in answer
    assert "还没有参加" in sim.say("o-demo-bob", "草莓团凑够了吗")


def test_merchant_opens_a_round_after_confirming_and_gets_lists(rounds_app):
    sim, svc = _sim(rounds_app), rounds_app.extensions["xiaoer"]
    text = "开团 苹果 7元/斤 20斤起 上限50斤 每人限5斤 周五20点截止 自提:西湖,滨江"
    shown = sim.say("o-demo-merchant", text)
    assert "红富士苹果" in shown and "满 20斤" in shown and "确认" in shown
    with svc.db.session() as s:
        assert s.execute(select(func.count(Round.id)).where(Round.product == "红富士苹果")).scalar() == 0
    assert "已开团" in sim.say("o-demo-merchant", "确认")
    with svc.db.session() as s:
        r = s.execute(select(Round).where(Round.product == "红富士苹果")).scalar_one()
        assert (r.min_total, r.cap, r.per_person_max, r.pickup_points) == (20, 50, 5, ["西湖自提点", "滨江自提点"])
    sim.say("o-demo-alice", "接龙 3斤草莓 西湖")
    sim.say("o-demo-bob", "接龙 2斤草莓 滨江")
    listing = sim.say("o-demo-merchant", "接龙名单 草莓")
    assert "1. 王* 3斤 西湖自提点" in listing and "2. 李* 2斤 滨江自提点" in listing and "王丽" not in listing
    pickup = sim.say("o-demo-merchant", "自提单 草莓")
    assert "【西湖自提点】" in pickup and "王丽 3斤" in pickup
    csv_text = sim.say("o-demo-merchant", "导出 草莓")
    assert "1,王丽,o-demo-alice,3,斤,西湖自提点,66.00,已跟团" in csv_text


def test_customers_cannot_use_merchant_commands(rounds_app):
    sim, svc = _sim(rounds_app), rounds_app.extensions["xiaoer"]
    sim.say("o-demo-alice", "开团 苹果 7元/斤 20斤起 周五20点截止 自提:西湖")
    sim.say("o-demo-alice", "确认")
    with svc.db.session() as s:
        assert s.execute(select(func.count(Round.id))).scalar() == 2  # the two demo rounds only


def test_merchant_closes_early_with_confirmation(rounds_app, fake_wechat):
    sim, svc = _sim(rounds_app), rounds_app.extensions["xiaoer"]
    rid = round_id(svc, STRAWBERRY)
    sim.say("o-demo-alice", "接龙 3斤草莓 西湖")
    assert "取消整团" in sim.say("o-demo-merchant", "截团 草莓")
    assert "未成团，已取消" in sim.say("o-demo-merchant", "确认")
    run_jobs(svc)
    with svc.db.session() as s:
        assert s.get(Round, rid).status == "cancelled"
    assert [t for t in fake_wechat.texts_to("o-demo-alice") if "未成团" in t]


@pytest.fixture
def on_a_monday_morning():
    """The README round's order (草莓 in 3 days, 苹果 on Friday 20:00, 鸡蛋 in 5 days) holds only
    early in the week: the clock runs from a Monday for the seeding and the chat."""
    with clock.shifted(dt.datetime(2030, 6, 3, 10, 0)):
        yield


def test_the_readme_round(on_a_monday_morning, rounds_app, fake_wechat):
    """The full round shown in the README: open, three customers join, confirmation, list, export."""
    sim, svc = _sim(rounds_app), rounds_app.extensions["xiaoer"]
    sim.say("o-demo-merchant", "开团 苹果 7元/斤 20斤起 上限50斤 每人限5斤 周五20点截止 自提:西湖,滨江")
    assert "已开团：「红富士苹果 第1期」" in sim.say("o-demo-merchant", "确认")
    assert "自提" in sim.say("o-demo-alice", "接龙 5斤苹果")
    assert "跟团号 1，红富士苹果 5斤，西湖自提点，应付 35.00 元" in sim.say("o-demo-alice", "西湖")
    assert "已凑 10/20 斤，还差 10 斤成团" in sim.say("o-demo-bob", "苹果接龙 5斤 滨江")
    assert "哪一个" in sim.say("o-carol", "+1")
    assert "几斤" in sim.say("o-carol", "2")  # listed by deadline: 草莓, 苹果, 鸡蛋
    sim.say("o-carol", "5斤")
    assert "已凑 15/20 斤" in sim.say("o-carol", "1")
    answer = sim.say("o-dave", "接龙 5斤苹果 西湖")
    assert "已凑 20/20 斤，已成团" in answer and "刚刚成团" in answer
    run_jobs(svc)
    for who in ("o-demo-alice", "o-demo-bob", "o-carol", "o-dave"):
        assert sum("成团通知" in t for t in fake_wechat.texts_to(who)) == 1
    listing = sim.say("o-demo-merchant", "接龙名单 苹果")
    assert "1. 王* 5斤 西湖自提点\n2. 李* 5斤 滨江自提点\n3. 微信用户 5斤 西湖自提点" in listing
    assert "4,,o-dave,5,斤,西湖自提点,35.00,已跟团" in sim.say("o-demo-merchant", "导出 苹果")


def test_an_amount_said_before_the_round_is_chosen_is_kept(rounds_app):
    """「我要接龙」 lists two rounds; 「3斤」 answers with an amount, not a number from the list: it
    is kept (and said back) and used once the round is chosen, instead of the same list again."""
    sim, svc = _sim(rounds_app), rounds_app.extensions["xiaoer"]
    rid = round_id(svc, STRAWBERRY)
    assert "哪一个" in sim.say("o-demo-carol", "我要接龙")
    again = sim.say("o-demo-carol", "3斤")
    assert again.startswith("好的，3斤。") and "哪一个" in again
    assert "自提" in sim.say("o-demo-carol", "1")
    answer = sim.say("o-demo-carol", "西湖")
    assert "3斤" in answer and "应付 66.00 元" in answer
    assert _entries(svc, rid) == [("o-demo-carol", 1, 3, "西湖自提点", "joined")]


def test_a_vague_never_mind_does_not_cancel_a_place_without_asking(rounds_app):
    """「算了 不用了」 classified as preorder_cancel may be about anything: with no round named it
    asks before giving up a place; with nothing joined it just says fine."""
    sim, svc = _sim(rounds_app), rounds_app.extensions["xiaoer"]
    rid = round_id(svc, STRAWBERRY)
    assert "还有什么可以帮您" in sim.say("o-demo-dan", "算了 不用了")
    assert "自提" in sim.say("o-demo-dan", "接龙 2斤草莓")
    assert "跟团号 1" in sim.say("o-demo-dan", "西湖")
    asked = sim.say("o-demo-dan", "算了 不用了")
    assert "要取消您在「丹东草莓 第3期」的接龙（2斤）吗" in asked
    assert "保留" in sim.say("o-demo-dan", "没事")
    assert _entries(svc, rid) == [("o-demo-dan", 1, 2, "西湖自提点", "joined")]
    sim.say("o-demo-dan", "算了 不用了")
    assert "已取消您在「丹东草莓 第3期」的接龙" in sim.say("o-demo-dan", "取消")
    assert _entries(svc, rid) == [("o-demo-dan", 1, 2, "西湖自提点", "cancelled")]


def test_the_round_just_talked_about_is_the_one_meant(rounds_app):
    """「草莓团还差多少」 then 「我报3斤」 needs no 「哪一个团？」, and 「改成5斤」 from someone in a round
    changes the join (the model reads 改成 as a change to an order)."""
    sim, svc = _sim(rounds_app), rounds_app.extensions["xiaoer"]
    rid = round_id(svc, STRAWBERRY)
    assert "还差 20 斤成团" in sim.say("o-demo-erin", "草莓团还差多少斤成团")
    asked = sim.say("o-demo-erin", "我报3斤")
    assert "自提" in asked and "哪一个" not in asked
    assert "跟团号 1" in sim.say("o-demo-erin", "西湖")
    assert "从 3斤 改为 5斤" in sim.say("o-demo-erin", "改成5斤")
    assert _entries(svc, rid) == [("o-demo-erin", 1, 5, "西湖自提点", "joined")]
    mine = sim.say("o-demo-erin", "我报了几斤来着")  # their own place, not every open round
    assert "跟团号 1，5斤" in mine and "散养土鸡蛋" not in mine


def test_an_amount_changed_while_choosing_the_round_stays_with_the_choice(rounds_app):
    sim = _sim(rounds_app)
    assert "哪一个" in sim.say("o-demo-finn", "我要接龙 3斤")
    again = sim.say("o-demo-finn", "改成5斤")
    assert again.startswith("好的，5斤。") and "哪一个" in again
