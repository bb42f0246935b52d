"""收货反馈 end to end: an order pushed 已签收 → the question (within WeChat's 48 hours) → the answer
becomes feedback on the order, a ticket for a poor score, and points once, however often the push
comes. Outside the 48 hours: a template message when configured, else nothing, with the reason."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from bot import clock
from bot.models import FeedbackRecord, MessageLog, PointsEntry, ReceiptCheck, Ticket
from tests.helpers import chat, run_jobs
from tests.shop.test_order_webhook import push

ORDER = "DD20261101001"  # alice's 丹东草莓 3 斤 at 25 元: 75 points when signed for


def signed(event_id: str) -> dict:
    return {"event_id": event_id, "order_id": ORDER, "status": "已签收",
            "step": {"name": "已签收", "location": "杭州西湖区",
                     "time": clock.local_now().isoformat(timespec="seconds")}}


def _points(svc) -> list[tuple[int, str]]:
    with svc.db.session() as s:
        return sorted((e.delta, e.source) for e in s.execute(select(PointsEntry)).scalars())


def _check(svc) -> ReceiptCheck:
    with svc.db.session() as s:
        return s.execute(select(ReceiptCheck).where(ReceiptCheck.order_no == ORDER)).scalar_one()


@pytest.mark.parametrize("kind", ["sql", "http"])
def test_signed_order_asks_once_and_a_poor_answer_opens_a_ticket_and_earns_points_once(build, wechat, kind):
    app = build(kind)
    svc, say = app.extensions["xiaoer"], chat(app)
    say("o-demo-alice", "你好")  # she wrote today: customer-service messages may reach her
    payload = signed("evt-sign-1")
    if kind == "http":
        payload["amount"] = 75  # an order system's push carries the order's amount
    assert push(app, payload)[0] == 200
    assert push(app, payload)[1]["status"] == "duplicate"  # a replay
    assert push(app, {**payload, "event_id": "evt-sign-2"})[1]["status"] == "stored"  # signed for again
    run_jobs(svc)
    questions = [t for t in wechat.texts_to("o-demo-alice") if t.startswith("收到啦")]
    assert questions == ["收到啦～这次的丹东草莓怎么样？回复 1-5 分，也可以直接说说感受"]
    assert _check(svc).status == "asked" and _check(svc).channel == "customer_service"

    answer = say("o-demo-alice", "2分，草莓压坏了好几个")
    assert "2 分" in answer and "工单" in answer and "10 积分" in answer
    with svc.db.session() as s:
        records = s.execute(select(FeedbackRecord).where(FeedbackRecord.order_no == ORDER)).scalars().all()
        assert [(r.product, r.aspect, r.sentiment, r.source) for r in records] == \
            [("丹东草莓", "packaging", "negative", "receipt")]
        ticket = s.execute(select(Ticket)).scalar_one()
        assert (ticket.order_no, ticket.category, ticket.openid) == (ORDER, "damaged", "o-demo-alice")
        assert ticket.number in answer
    check = _check(svc)
    assert (check.status, check.rating, check.answer_ticket) == ("answered", 2, ticket.number)

    # Replays and a second answer change nothing: one order award, one feedback award.
    assert push(app, payload)[1]["status"] == "duplicate"
    assert push(app, {**payload, "event_id": "evt-sign-3"})[1]["status"] == "stored"
    run_jobs(svc)
    say("o-demo-alice", "3分")
    assert _points(svc) == [(10, f"feedback:{ORDER}"), (35, "order:DD20261115002"), (75, f"order:{ORDER}")]
    assert len([t for t in wechat.texts_to("o-demo-alice") if t.startswith("收到啦")]) == 1
    with svc.db.session() as s:
        assert s.execute(select(func.count(ReceiptCheck.id))).scalar() == 1
        assert s.execute(select(func.count(Ticket.id))).scalar() == 1
    assert "您当前有 120 积分" in say("o-demo-alice", "我的积分")


def _age_messages(svc, hours: int) -> None:
    with svc.db.session() as s:
        for row in s.execute(select(MessageLog)).scalars():
            row.created_at = row.created_at - dt.timedelta(hours=hours)


def test_outside_48_hours_without_a_template_nothing_is_sent_and_the_reason_is_kept(build, wechat):
    app = build("sql")
    svc = app.extensions["xiaoer"]
    chat(app)("o-demo-alice", "你好")
    _age_messages(svc, 49)
    push(app, signed("evt-old"))
    run_jobs(svc)
    assert not [t for t in wechat.texts_to("o-demo-alice") if t.startswith("收到啦")]
    check = _check(svc)
    assert check.status == "skipped" and "48 小时" in check.skip_reason and "WECHAT_TEMPLATE_ID" in check.skip_reason
    assert (75, f"order:{ORDER}") in _points(svc)  # the order's points do not depend on the question


def test_outside_48_hours_a_template_message_asks(build, wechat):
    app = build("sql", WECHAT_TEMPLATE_ID="tmpl-receipt")
    svc = app.extensions["xiaoer"]
    push(app, signed("evt-tmpl"))  # alice never wrote: only a template can reach her
    run_jobs(svc)
    asked = [m for m in wechat.received["message/template/send"] if m["data"]["first"]["value"].startswith("收到啦")]
    assert len(asked) == 1 and asked[0]["touser"] == "o-demo-alice"
    assert _check(svc).channel == "template" and _check(svc).status == "asked"
    assert "5 分" in chat(app)("o-demo-alice", "5分 很新鲜")


def test_a_good_score_opens_no_ticket_and_other_questions_pass_by(build, wechat):
    app = build("sql")
    svc, say = app.extensions["xiaoer"], chat(app)
    say("o-demo-alice", "在吗")
    push(app, signed("evt-good"))
    run_jobs(svc)
    assert "丹东草莓" in say("o-demo-alice", "草莓还有货吗")  # a stock question is answered as usual
    assert _check(svc).status == "asked"
    answer = say("o-demo-alice", "5分")
    assert "5 分" in answer and "工单" not in answer
    with svc.db.session() as s:
        assert s.execute(select(func.count(Ticket.id))).scalar() == 0
        record = s.execute(select(FeedbackRecord).where(FeedbackRecord.order_no == ORDER)).scalar_one()
        assert (record.sentiment, record.product) == ("positive", "丹东草莓")


def test_never_ask_again_is_remembered(build, wechat):
    app = build("sql")
    svc, say = app.extensions["xiaoer"], chat(app)
    say("o-demo-alice", "你好")
    push(app, signed("evt-a"))
    run_jobs(svc)
    assert "不再问" in say("o-demo-alice", "以后不用问了")
    assert _check(svc).status == "declined"
    with svc.db.session() as s:  # her next signed-for order is not asked about
        s.add(ReceiptCheck(order_no="DD20261115002", customer_id=_check(svc).customer_id, status="pending"))
    with svc.db.session() as s:
        check_id = s.execute(select(ReceiptCheck.id).where(ReceiptCheck.order_no == "DD20261115002")).scalar()
    from bot.members.receipt import ask
    assert ask(svc, check_id) == "skipped"
    assert len([t for t in wechat.texts_to("o-demo-alice") if t.startswith("收到啦")]) == 1


def test_a_ticket_rating_asked_after_the_receipt_question_takes_the_score(build, wechat):
    from bot.tickets import service

    app = build("sql")
    svc, say = app.extensions["xiaoer"], chat(app)
    say("o-demo-alice", "你好")
    push(app, signed("evt-csat"))
    run_jobs(svc)
    with svc.db.session() as s:  # a ticket of hers is resolved after the receipt question went out
        ticket = service.create(s, svc.config, "o-demo-alice", "牛奶漏了", "complaint")
        s.flush()
        service.resolve(s, svc.config, ticket, "agent")
        number = ticket.number
    assert "感谢您的评分（4 分）" in say("o-demo-alice", "4")
    with svc.db.session() as s:
        assert s.execute(select(Ticket.csat_score).where(Ticket.number == number)).scalar() == 4
    assert _check(svc).status == "asked"  # the receipt check still waits for its own answer


def test_a_complaint_about_another_order_is_not_taken_as_the_answer(build, wechat):
    app = build("sql")
    svc, say = app.extensions["xiaoer"], chat(app)
    say("o-demo-alice", "你好")
    push(app, signed("evt-other"))
    run_jobs(svc)
    answer = say("o-demo-alice", "DD20261115002 收到的杯子碎了")
    assert "工单号" in answer  # the usual complaint, on the order she named
    with svc.db.session() as s:
        assert s.execute(select(Ticket.order_no)).scalar_one() == "DD20261115002"
    assert _check(svc).status == "asked"
