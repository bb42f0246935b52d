"""End to end in a real browser (Playwright driving Debian's chromium, headless): a complaint sent
through the real webhook over HTTP (as `make chat` does) appears in the console; staff claim it,
add a note, reply (the reply arrives in the chat simulator), resolve it, and see the customer's
CSAT score. Screenshots of every step are kept under artifacts/screenshots/."""
import re
import time

import pytest
from playwright.sync_api import expect

from bot.wechat.simulator import Simulator
from tests.helpers import APP_ID, SHOTS, TOKEN, Shots, browser_login, serving




@pytest.fixture
def live_url(console_app):
    with serving(console_app) as base:
        yield base




def test_complaint_to_csat_in_the_browser(console_app, live_url, browser, fake_wechat, worker):
    shots = Shots("complaint_to_csat")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    staff = context.new_page()
    started = time.monotonic()
    browser_login(staff, live_url, "agent1")
    shots.take(staff, "home-after-login")

    customer = Simulator(TOKEN, APP_ID, None, url=live_url + "/wechat")  # the `make chat` path, over HTTP
    answer = customer.say("o-sim-alice", "收到的鸡蛋碎了好几个 DD20261101001")
    number = re.search(r"T\d{10}", answer).group(0)
    assert "前联系您" in answer

    staff.goto(live_url + "/console/tickets")
    row = staff.locator(f"[data-testid=ticket-row][data-number='{number}']")
    expect(row).to_contain_text("破损")
    expect(row).to_contain_text("高")
    shots.take(staff, "queue-shows-complaint")
    row.get_by_role("link", name=number).click()
    expect(staff.get_by_test_id("order-no")).to_contain_text("DD20261101001")
    expect(staff.get_by_test_id("conversation")).to_contain_text("鸡蛋碎了好几个")
    shots.take(staff, "ticket-page")

    staff.get_by_test_id("claim").click()
    expect(staff.get_by_test_id("assignee")).to_have_text("agent one")
    shots.take(staff, "claimed")

    staff.get_by_label("备注内容").fill("仓库确认：打包时未加防震层")
    staff.get_by_test_id("add-note").click()
    expect(staff.get_by_test_id("note")).to_contain_text("未加防震层")
    shots.take(staff, "note-added")

    chat = context.new_page()  # the chat simulator, as the customer sees WeChat
    chat.goto(live_url + "/console/simulator?openid=o-sim-alice")
    expect(chat.locator("#phone")).to_be_visible()
    time.sleep(0.5)  # let the page learn the existing messages before the reply goes out

    staff.bring_to_front()
    staff.get_by_label("回复内容").fill("非常抱歉！已为您补发 1 盒鸡蛋，今天发出。")
    staff.get_by_test_id("send-reply").click()
    expect(chat.get_by_test_id("bubble-bot").last).to_contain_text("已为您补发", timeout=15000)
    shots.take(chat, "reply-arrives-in-chat")
    assert fake_wechat.texts_to("o-sim-alice") == ["非常抱歉！已为您补发 1 盒鸡蛋，今天发出。"]
    staff.reload()
    expect(staff.get_by_test_id("message-out").last).to_contain_text("已送达")
    shots.take(staff, "reply-delivered")

    staff.get_by_test_id("resolve").click()
    expect(staff.get_by_test_id("ticket-state")).to_have_text("已解决")
    shots.take(staff, "resolved")
    # queued like the reply and sent by the worker: a loaded CI machine once took over 15 s
    expect(chat.get_by_test_id("bubble-bot").last).to_contain_text("1-5", timeout=40000)

    chat.get_by_label("消息").fill("5")
    chat.get_by_role("button", name="发送").click()
    expect(chat.get_by_test_id("bubble-bot").last).to_contain_text("感谢您的评分（5 分）", timeout=15000)
    shots.take(chat, "customer-rates-5")

    staff.reload()
    expect(staff.get_by_test_id("csat")).to_contain_text("5")
    expect(staff.get_by_test_id("audit")).to_contain_text("csat")
    shots.take(staff, "csat-on-ticket")
    staff.goto(live_url + "/console/")
    expect(staff.get_by_test_id("csat-avg")).to_have_text("5.0")
    shots.take(staff, "home-with-csat")
    elapsed = time.monotonic() - started
    (SHOTS / "complaint_to_csat" / "timing.txt").write_text(f"end-to-end flow: {elapsed:.1f} s\n")
    assert all(p.stat().st_size > 5000 for p in shots.paths)


def test_phone_viewport_and_viewer_masking(console_app, live_url, browser):
    from bot.tickets import service

    svc = console_app.extensions["xiaoer"]
    with svc.db.session() as s:
        number = service.create(s, svc.config, "o-demo-alice", "牛奶变质了", order_no="DD20261101001").number
    shots = Shots("viewer_on_phone")
    page = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    browser_login(page, live_url, "viewer1")
    page.goto(f"{live_url}/console/tickets/{number}")
    expect(page.get_by_test_id("customer-phone")).to_have_text("138****0001")
    expect(page.get_by_test_id("claim")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # no sideways scrolling
    shots.take(page, "viewer-ticket-masked")
    page.goto(f"{live_url}/console/simulator")
    expect(page.locator("h1")).to_have_text("没有权限")
    shots.take(page, "viewer-refused-simulator")
