"""Injection strings (SQL, HTML/JS) in a customer's complaint, a staff note and feedback are stored
verbatim and shown as text in the console, checked in a real browser: no script runs, no markup
is interpreted, and the console sends its Content-Security-Policy and security headers."""
import re

import pytest
from playwright.sync_api import expect, sync_playwright
from sqlalchemy import select

from bot.feedback.records import record_message
from bot.models import MessageLog
from bot.models.tickets import TicketMessage, TicketNote
from bot.wechat.simulator import Simulator
from tests.helpers import APP_ID, PASSWORD, TOKEN, launch_chromium, serving


XSS = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">"
SQL = "'; DROP TABLE message_log; --"
COMPLAINT = f"收到的鸡蛋碎了好几个 DD20261101001 {XSS} {SQL}"
NOTE = f"备注 <b>粗体</b> {XSS} {SQL} {{{{ 7*7 }}}}"


@pytest.fixture
def live_url(console_app):
    with serving(console_app) as base:
        yield base


def test_injection_strings_are_stored_verbatim_and_rendered_as_text(console_app, live_url):
    svc = console_app.extensions["xiaoer"]
    answer = Simulator(TOKEN, APP_ID, None, url=live_url + "/wechat").say("o-demo-alice", COMPLAINT)
    number = re.search(r"T\d{10}", answer).group(0)
    record_message(svc, f"草莓很甜 {XSS} {SQL}", "o-demo-bob")

    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page()
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(live_url + "/console/login")
        page.get_by_label("用户名").fill("agent1")
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        response = page.goto(f"{live_url}/console/tickets/{number}")
        headers = response.headers
        assert "default-src 'self'" in headers["content-security-policy"]
        assert "script-src" not in headers["content-security-policy"] or "unsafe-inline" not in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"
        expect(page.get_by_test_id("conversation")).to_contain_text(XSS)  # shown as the literal text
        page.get_by_label("备注内容").fill(NOTE)
        page.get_by_test_id("add-note").click()
        expect(page.get_by_test_id("note")).to_contain_text(NOTE)  # {{ 7*7 }} not evaluated either
        assert page.locator("[data-testid=note] b, [data-testid=conversation] img[src=x]").count() == 0
        page.goto(live_url + "/console/tickets")
        expect(page.locator(f"[data-number='{number}']")).to_be_visible()
        assert page.evaluate("window.__pwned") is None and dialogs == []
        browser.close()

    with svc.db.session() as s:
        assert COMPLAINT in s.execute(select(MessageLog.text).where(MessageLog.openid == "o-demo-alice")).scalars().all()
        assert COMPLAINT in s.execute(select(TicketMessage.text)).scalars().all()
        assert s.execute(select(TicketNote.text)).scalars().all() == [NOTE]
        assert s.execute(select(MessageLog.id)).first() is not None  # the table is still there
