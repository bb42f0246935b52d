"""Requests on an order in chat (改地址/改时间/改数量, 催单, 开发票): collected, recorded against the
order with a staff ticket, judged by the order system (embedded store or the HTTP contract), and a
shipped order's address change answered with what is still possible."""
import json

import pytest
from sqlalchemy import select

from bot.models import OrderRequest, Ticket
from tests.helpers import chat


def _requests(svc):
    with svc.db.session() as s:
        return [(r.order_no, r.kind, json.loads(r.details), r.state, s.get(Ticket, r.ticket_id).category)
                for r in s.execute(select(OrderRequest).order_by(OrderRequest.id)).scalars()]


def test_address_change_before_shipping_is_recorded_and_accepted(shop_app):
    svc, say = shop_app.extensions["xiaoer"], chat(shop_app)
    asked = say("o-demo-bob", "我想把收货地址换一下")
    assert "新的收货地址" in asked, asked
    done = say("o-demo-bob", "改到滨江区江南大道100号")
    assert "DD20261118003" in done and "工单号" in done, done
    [(order_no, kind, details, state, category)] = _requests(svc)
    assert (order_no, kind, state, category) == ("DD20261118003", "address", "accepted", "order_change")
    assert "江南大道100号" in details["text"]
    with svc.db.engine.connect() as conn:  # a new address is personal data: encrypted at rest
        raw = conn.exec_driver_sql("SELECT details FROM order_requests").scalar()
    assert "江南大道" not in raw


def test_shipped_order_gets_what_is_still_possible_and_nothing_recorded(shop_app):
    svc, say = shop_app.extensions["xiaoer"], chat(shop_app)
    answer = say("o-demo-alice", "订单DD20261101001的地址要改")
    assert "运输中" in answer and "顺丰 SF1234567890" in answer and "改派" in answer, answer
    assert _requests(svc) == []


def test_invoice_collects_title_and_tax_number(shop_app):
    svc, say = shop_app.extensions["xiaoer"], chat(shop_app)
    assert "抬头" in say("o-demo-bob", "我要开发票")
    assert "税号" in say("o-demo-bob", "杭州小二科技有限公司")
    assert "格式不对" in say("o-demo-bob", "123")
    done = say("o-demo-bob", "91330106MA2H3B4C5D")
    assert "杭州小二科技有限公司" in done and "工单号" in done, done
    [(order_no, kind, details, _, category)] = _requests(svc)
    assert (order_no, kind, category) == ("DD20261118003", "invoice", "invoice")
    assert details["title"] == "杭州小二科技有限公司" and details["tax_no"] == "91330106MA2H3B4C5D"


def test_a_title_named_but_not_given_is_asked_for(shop_app):
    svc, say = shop_app.extensions["xiaoer"], chat(shop_app)
    asked = say("o-demo-bob", "我要开发票 需要公司抬头的票")
    assert "发票抬头写什么" in asked, asked
    assert _requests(svc) == []
    assert "税号" in say("o-demo-bob", "杭州小二科技有限公司")


def test_hurrying_says_what_it_did(shop_app):
    svc, say = shop_app.extensions["xiaoer"], chat(shop_app)
    answer = say("o-demo-alice", "DD20261101001怎么还没到 快点啊")
    assert "运输中" in answer and "已帮您催促" in answer, answer
    assert [(o, k) for o, k, *_ in _requests(svc)] == [("DD20261101001", "hurry")]


def test_http_order_system_receives_the_request_once(build, order_server):
    app = build("http")
    svc, say = app.extensions["xiaoer"], chat(app)
    assert "什么时候" in say("o-demo-bob", "送货时间能改一下吗")
    say("o-demo-bob", "改到明天晚上七点以后")
    [(order_no, body)] = order_server.received
    assert order_no == "DD20261118003" and body["kind"] == "delivery_time" and "七点" in body["details"]["text"]
    assert _requests(svc)[0][3] == "accepted"
    again = svc.commerce.submit_request("DD20261118003", body["request_id"], "delivery_time", body["details"])
    assert again.status == "accepted" and len(order_server.received) == 1  # a retry is answered, not redone


@pytest.mark.parametrize("start,asked,new_question,expect,not_expected", [
    ("我想把收货地址换一下", "新的收货地址", "我的订单到哪了", "DD20261118003", "改收货地址"),
    ("我要开发票", "抬头", "草莓还有货吗", "草莓", "税号"),
], ids=["address-form", "invoice-form"])
def test_a_new_question_leaves_the_pending_form(shop_app, start, asked, new_question, expect, not_expected):
    svc, say = shop_app.extensions["xiaoer"], chat(shop_app)
    assert asked in say("o-demo-bob", start)
    answer = say("o-demo-bob", new_question)
    assert expect in answer and not_expected not in answer, answer
    assert _requests(svc) == []


def test_several_orders_are_offered_by_number_and_an_unclear_answer_leaves_the_form(shop_app):
    svc, say = shop_app.extensions["xiaoer"], chat(shop_app)
    offered = say("o-demo-alice", "我要开发票")  # two orders, both shipped: which one?
    assert "1. DD20261101001" in offered and "2. DD20261115002" in offered, offered
    assert "抬头" in say("o-demo-alice", "2")
    assert "税号" not in say("o-demo-alice", "个人")
    assert [(o, k) for o, k, *_ in _requests(svc)] == [("DD20261115002", "invoice")]
    say("o-demo-alice", "我要开发票")
    assert "先放一放" in say("o-demo-alice", "随便哪个吧")
    assert len(_requests(svc)) == 1


def test_the_order_named_by_its_goods_and_then_just_shown_is_the_one_meant(shop_app):
    """「我的草莓到哪了」 with one strawberry order shows it, not the list; 「发票能开吗 开个人的」
    next is about that order, not 「是哪一单呢」."""
    svc, say = shop_app.extensions["xiaoer"], chat(shop_app)
    shown = say("o-demo-alice", "我的草莓到哪了")
    assert "订单 DD20261101001" in shown and "DD20261115002" not in shown, shown
    asked = say("o-demo-alice", "我要开发票")
    assert "是哪一单" not in asked and "抬头" in asked, asked
    say("o-demo-alice", "个人")
    assert [(o, k) for o, k, *_ in _requests(svc)] == [("DD20261101001", "invoice")]
    listed = say("o-demo-alice", "我买的东西到哪了")  # no goods named: the list, as before
    assert "1. DD20261101001" in listed and "2. DD20261115002" in listed, listed
