"""/console/feedback and /console/demand: role-gated, charts drawn from the records, exports,
and the pages checked in a real browser (Playwright + Debian chromium)."""
import re

import pytest

from bot.demo import seed
from bot.feedback.records import record_message
from bot.console.cli import create_user
from tests.helpers import launch_chromium, serving

PASSWORD = "correct-horse-9"


@pytest.fixture
def console_app(make_app):
    app = make_app(CONSOLE_SECURE_COOKIES=False)
    svc = app.extensions["xiaoer"]
    seed(svc)
    for role in ("merchant", "agent"):
        create_user(svc.db, role + "1", PASSWORD, role)
    record_message(svc, "杯子好看但太沉，希望轻一点，我电话13800000001", "o-demo-alice")
    record_message(svc, "草莓很甜，包装也好", "o-demo-bob")
    record_message(svc, "草莓有点酸", "o-demo-bob")
    return app


def _login(app, username):
    client = app.test_client()
    html = client.get("/console/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    client.post("/console/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    return client


def test_feedback_page_draws_bars_and_trends_without_personal_data(console_app):
    client = _login(console_app, "merchant1")
    html = client.get("/console/feedback").get_data(as_text=True)
    assert 'data-product="陶瓷杯"' in html and 'data-product="丹东草莓"' in html
    assert html.count('data-testid="aspect-bars"') == 2 and html.count('class="line-negative"') == 2
    assert "seg-negative" in html and "seg-positive" in html
    assert "13800000001" not in html and "o-demo" not in html
    filtered = client.get("/console/feedback?product=陶瓷杯").get_data(as_text=True)
    assert 'data-product="丹东草莓"' not in filtered
    assert client.get("/console/feedback?since=not-a-date").status_code == 400
    export = client.get("/console/feedback/export.csv").get_data(as_text=True)
    assert export.startswith("product,aspect") and "13800000001" not in export


def test_demand_page_and_roles(console_app):
    merchant = _login(console_app, "merchant1")
    html = merchant.get("/console/demand").get_data(as_text=True)
    assert 'data-product="丹东草莓"' in html and "回购率" in html
    assert _login(console_app, "agent1").get("/console/feedback").status_code == 403
    assert console_app.test_client().get("/console/feedback").status_code in (302, 401)


def test_pages_in_a_real_browser(console_app):
    from playwright.sync_api import sync_playwright

    with serving(console_app) as base, sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page()
        page.goto(base + "/console/login")
        page.fill("input[name=username]", "merchant1")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.goto(base + "/console/feedback")
        card = page.locator('[data-product="陶瓷杯"]')
        assert card.locator("svg[data-testid=aspect-bars] rect").count() == 3  # 外观+, 重量-, 重量 wish
        box = card.locator("rect.seg-negative").bounding_box()
        assert box and box["width"] > 50  # drawn, not an empty element
        assert page.locator("svg[data-testid=trend] polyline").count() >= 4
        page.goto(base + "/console/demand")
        assert page.locator("[data-testid=demand-table] tr[data-product]").count() == 3
        browser.close()
