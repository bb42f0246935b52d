"""/console/faq and /console/unanswered: roles, and in a real browser a merchant teaches an answer
that the chat simulator gets within 5 s, and turns an unanswered question into an entry."""
import time

import pytest
from playwright.sync_api import expect, sync_playwright

from bot.console.cli import create_user
from tests.helpers import csrf_of, launch_chromium, login, serving

PASSWORD = "correct-horse-9"


@pytest.fixture
def console_app(make_app):
    app = make_app(CONSOLE_SECURE_COOKIES=False, CONSOLE_SIMULATOR=True)
    svc = app.extensions["xiaoer"]
    for role in ("merchant", "agent"):
        create_user(svc.db, role + "1", PASSWORD, role)
    return app


def _login(app, username):
    """A logged-in client and the session's CSRF token (it changes at login)."""
    client, _ = login(app, username, PASSWORD)
    return client, csrf_of(client.get("/console/faq").get_data(as_text=True))


def test_agents_read_merchants_edit_and_bad_input_is_explained(console_app):
    agent, token = _login(console_app, "agent1")
    assert agent.get("/console/faq").status_code == 200
    assert agent.post("/console/faq", data={"question": "q", "answer": "a", "csrf_token": token}).status_code == 403
    merchant, token = _login(console_app, "merchant1")
    r = merchant.post("/console/faq", data={"question": "能开发票吗", "answer": "", "csrf_token": token},
                      follow_redirects=True)
    assert "答案不能为空" in r.get_data(as_text=True)
    r = merchant.post("/console/faq", data={"question": "能开发票吗", "variants": "要发票\n开票怎么弄",
                                            "answer": "可以开电子发票。", "csrf_token": token}, follow_redirects=True)
    html = r.get_data(as_text=True)
    assert 'data-question="能开发票吗"' in html and "要发票 | 开票怎么弄" in html
    tried = merchant.get("/console/faq?try=可以开票不").get_data(as_text=True)
    assert "能开发票吗" in tried and "直接回答" in tried


def test_merchant_teaches_in_the_browser_and_the_chat_gets_it(console_app):
    with serving(console_app) as base, sync_playwright() as p:
        browser = launch_chromium(p)
        context = browser.new_context()
        page = context.new_page()
        page.goto(base + "/console/login")
        page.fill("input[name=username]", "merchant1")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")

        chat = context.new_page()
        chat.goto(base + "/console/simulator?openid=o-sim-faq-browser")
        chat.get_by_label("消息").fill("你们收旧手机吗")
        chat.get_by_label("消息").press("Enter")
        expect(chat.get_by_test_id("bubble-bot").last).to_contain_text("回答不了", timeout=15000)

        page.goto(base + "/console/unanswered")
        group = page.get_by_test_id("unanswered-group").first
        expect(group).to_contain_text("你们收旧手机吗")
        group.locator("summary").click()
        group.get_by_test_id("teach-answer").fill("不收旧手机哦，我们只卖水果。")
        group.get_by_test_id("teach-save").click()
        expect(page.locator("[data-testid=faq-row][data-question=你们收旧手机吗]")).to_be_visible()
        page.goto(base + "/console/unanswered")
        expect(page.get_by_test_id("unanswered-group")).to_have_count(0)

        page.goto(base + "/console/faq")
        page.get_by_test_id("faq-question").fill("自提点在哪")
        page.get_by_test_id("faq-variants").fill("可以自提吗\n自提地址")
        page.get_by_test_id("faq-answer").fill("自提点在文三路 88 号，9:00-21:00 可取。")
        page.get_by_test_id("faq-save").click()
        expect(page.locator("[data-testid=faq-row][data-question=自提点在哪]")).to_be_visible()
        saved = time.monotonic()

        chat.bring_to_front()
        chat.get_by_label("消息").fill("自提地址在哪里")
        chat.get_by_label("消息").press("Enter")
        expect(chat.get_by_test_id("bubble-bot").last).to_contain_text("文三路 88 号", timeout=5000)
        print(f"\nanswered {time.monotonic() - saved:.1f} s after saving")
        browser.close()


def test_product_facts_page_saves_and_the_bot_answers(console_app):
    from bot.demo import seed
    from bot.wechat.simulator import Simulator
    from tests.helpers import APP_ID, TOKEN, flask_transport

    seed(console_app.extensions["xiaoer"])
    merchant, token = _login(console_app, "merchant1")
    html = merchant.get("/console/products").get_data(as_text=True)
    assert 'data-product="丹东草莓"' in html and "辽宁丹东" in html
    r = merchant.post("/console/products/红富士苹果", data={"taste": "脆甜", "origin": "山东烟台", "csrf_token": token},
                      follow_redirects=True)
    assert "已保存" in r.get_data(as_text=True)
    agent, token = _login(console_app, "agent1")
    assert agent.post("/console/products/红富士苹果", data={"taste": "x", "csrf_token": token}).status_code == 403
    sim = Simulator(TOKEN, APP_ID, None, post=flask_transport(console_app))
    assert sim.say("o-facts-page", "苹果脆不脆") == "红富士苹果的口感：脆甜"
