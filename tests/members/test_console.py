"""/console/customers: search by phone, name, order number and openid; one member's whole record,
newest first; points adjusted by staff with a reason; viewers see personal data masked; the page
checked in a real browser (Playwright + Debian chromium)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from bot.models import PointsEntry
from tests.helpers import browser_login, chat, serving


@pytest.fixture
def alice_history(console_app):
    say = chat(console_app)
    say("o-demo-alice", "草莓什么时候到 有事打我电话13912345678")
    assert re.search(r"T\d{10}", say("o-demo-alice", "收到的杯子碎了 DD20261115002"))
    say("o-demo-alice", "接龙 2斤草莓")
    say("o-demo-alice", "1")
    return console_app


@pytest.mark.parametrize("query", ["13800000001", "王丽", "DD20261101001", "dd20261101001", "o-demo-alice", "M0001"])
def test_search_finds_alice_by_phone_name_order_and_openid(clients, query):
    client, _ = clients["agent"]
    r = client.get("/console/customers", query_string={"q": query})
    assert r.status_code == 302 and r.headers["Location"].endswith("/console/customers/M0001")


def test_search_for_nobody_says_so(clients):
    html = clients["merchant"][0].get("/console/customers?q=13999999999").get_data(as_text=True)
    assert 'data-testid="no-customer"' in html


def test_the_page_holds_the_whole_record_newest_first(clients, alice_history):
    html = clients["merchant"][0].get("/console/customers/M0001").get_data(as_text=True)
    assert "王丽" in html and "13800000001" in html and "o-demo-alice" in html
    for section in ("conversation", "orders", "tickets", "feedback", "rounds", "points"):
        assert f'data-testid="{section}"' in html
    orders = html[html.index('data-testid="orders"'):html.index('data-testid="tickets"')]
    assert orders.index("DD20261101001") < orders.index("DD20261115002")  # the newer order first
    assert html.index("接龙 2斤草莓") < html.index("草莓什么时候到")  # the newer message first
    assert "丹东草莓 第3期 · 跟团号 1 · 2斤" in html and "+35" in html and "破损" in html
    assert 'data-testid="points-adjust"' not in html  # merchants read, they do not change points


def test_viewers_see_personal_data_masked(clients, alice_history):
    html = clients["viewer"][0].get("/console/customers/M0001").get_data(as_text=True)
    assert "王丽" not in html and "13800000001" not in html and "o-demo-alice" not in html
    assert "13912345678" not in html and "王*" in html and "138****0001" in html
    assert 'data-testid="points-adjust"' not in html
    html = clients["viewer"][0].get("/console/customers?q=王").get_data(as_text=True)
    assert "王丽" not in html


def test_points_adjustment_needs_a_write_role_and_a_reason(clients, console_app):
    for role in ("viewer", "merchant"):
        client, token = clients[role]
        r = client.post("/console/customers/M0001/points", data={"delta": "50", "reason": "x", "csrf_token": token})
        assert r.status_code == 403
    client, token = clients["agent"]
    client.post("/console/customers/M0001/points", data={"delta": "50", "reason": "", "csrf_token": token})
    client.post("/console/customers/M0001/points", data={"delta": "abc", "reason": "x", "csrf_token": token})
    client.post("/console/customers/M0001/points", data={"delta": "-100", "reason": "扣太多", "csrf_token": token})
    r = client.post("/console/customers/M0001/points", data={"delta": "50", "reason": "坏果补偿", "csrf_token": token},
                    follow_redirects=True)
    assert "当前 85 分" in r.get_data(as_text=True)
    with console_app.extensions["xiaoer"].db.session() as s:
        rows = [(e.delta, e.reason, e.actor) for e in s.execute(select(PointsEntry).order_by(PointsEntry.id)).scalars()]
    assert rows == [(35, "订单 DD20261115002 签收", "system"), (50, "坏果补偿", "agent1")]


def test_admin_merges_two_members_and_everything_follows(clients, console_app):
    say = chat(console_app)
    say("o-new-phone", "查一下积分")  # a second WeChat identity of bob's, not bound yet
    client, token = clients["admin"]
    from bot.members.identity import ensure_member
    from bot.members import points
    svc = console_app.extensions["xiaoer"]
    with svc.db.session() as s:
        other = ensure_member(s, "o-new-phone")
        points.award(s, svc.config, other.id, 7, "接龙成团", "round:test:1")
        other_id = other.member_id
    r = client.post("/console/customers/M0002/merge", data={"other": other_id, "reason": "同一个人", "csrf_token": token},
                    follow_redirects=True)
    html = r.get_data(as_text=True)
    assert f"已把会员 {other_id} 合并进 M0002" in html and "o-new-phone" in html
    assert re.search(r'data-testid="points-balance">7<', html)
    assert clients["agent"][0].post("/console/customers/M0002/merge",
                                    data={"other": other_id, "csrf_token": clients["agent"][1]}).status_code == 403




def test_customer_page_in_the_browser(alice_history, browser):
    with serving(alice_history) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page = context.new_page()
        browser_login(page, url, "agent1")
        page.get_by_role("link", name="顾客").click()
        page.get_by_test_id("customer-search").fill("13800000001")
        page.get_by_role("button", name="查找").click()
        expect(page.get_by_test_id("member-id")).to_have_text("M0001")
        expect(page.get_by_test_id("customer-name")).to_have_text("王丽")
        expect(page.get_by_test_id("tickets")).to_contain_text("破损")
        expect(page.get_by_test_id("rounds")).to_contain_text("丹东草莓 第3期")
        expect(page.get_by_test_id("conversation")).to_contain_text("草莓什么时候到")
        expect(page.get_by_test_id("points-balance")).to_have_text("35")
        page.get_by_test_id("points-delta").fill("20")
        page.get_by_test_id("points-reason").fill("生日礼")
        page.get_by_test_id("points-adjust").click()
        expect(page.get_by_test_id("points-balance")).to_have_text("55")
        expect(page.get_by_test_id("points-entry").first).to_contain_text("生日礼")

        viewer = browser.new_context(locale="zh-CN").new_page()
        browser_login(viewer, url, "viewer1")
        viewer.goto(url + "/console/customers?q=DD20261101001")
        expect(viewer.get_by_test_id("customer-name")).to_have_text("王*")
        expect(viewer.get_by_test_id("customer-phone")).to_have_text("138****0001")
        expect(viewer.get_by_test_id("conversation")).not_to_contain_text("13912345678")


def test_merchants_edit_the_rewards_list_and_customers_see_it(clients, console_app):
    client, token = clients["merchant"]
    r = client.post("/console/rewards", data={"name": "纯牛奶 1 箱", "points": "900", "stock": "2", "enabled": "1",
                                              "csrf_token": token}, follow_redirects=True)
    assert "已保存" in r.get_data(as_text=True)
    client.post("/console/rewards", data={"name": "5 元无门槛券", "points": "200", "stock": "", "csrf_token": token})
    for bad in ({"name": "", "points": "10"}, {"name": "x", "points": "abc"}, {"name": "x", "points": "-5"}):
        r = client.post("/console/rewards", data={**bad, "csrf_token": token}, follow_redirects=True)
        assert 'class="flash error"' in r.get_data(as_text=True), bad
    html = clients["viewer"][0].get("/console/rewards").get_data(as_text=True)
    assert 'data-name="纯牛奶 1 箱"' in html and 'data-testid="reward-save"' not in html
    for role in ("agent", "viewer"):
        assert clients[role][0].post("/console/rewards", data={"name": "y", "points": "1",
                                                               "csrf_token": clients[role][1]}).status_code == 403
    console_app.test_client().post("/api/members/M0001/points", json={"delta": 1000, "reason": "x"},
                                   headers={"Authorization": "Bearer test-api-token"})
    listing = chat(console_app)("o-demo-alice", "积分兑换")
    assert "5 元无门槛券" not in listing  # taken off the list (the box was not ticked)
    assert "纯牛奶 1 箱（900 积分，剩 2 份）" in listing
