"""/console/demand in a real browser (Playwright + Debian chromium): every demo product's chart
draws its history, the stock-out days, the forecast and its 80% interval as a visible band, and
the restock table lists suggestions. A screenshot is kept under artifacts/screenshots/."""
from playwright.sync_api import expect, sync_playwright

from bot.config import ROOT
from bot.console.cli import create_user
from bot.forecast.service import refresh
from tests.helpers import PASSWORD, browser_login, launch_chromium, login, serving


def test_demand_page_draws_forecast_intervals(demo_app):
    svc = demo_app.extensions["xiaoer"]
    create_user(svc.db, "merchant1", PASSWORD, "merchant")
    create_user(svc.db, "agent1", PASSWORD, "agent")
    assert refresh(svc) == 13  # what the worker does nightly; the page only reads it
    assert login(demo_app, "agent1")[0].get("/console/demand").status_code == 403
    with serving(demo_app) as base, sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        browser_login(page, base, "merchant1")  # waits for the logged-in page before moving on
        page.goto(base + "/console/demand")
        charts = page.locator("svg[data-testid=forecast-chart]")
        expect(charts).to_have_count(13)
        strawberry = page.locator('figure[data-testid=forecast][data-product="丹东草莓"]')
        expect(strawberry).to_contain_text("指数平滑")
        expect(strawberry).to_contain_text("MASE")
        band = strawberry.locator("polygon[data-testid=interval]").bounding_box()
        assert band and band["width"] > 50 and band["height"] > 5  # drawn, not an empty element
        mean = strawberry.locator("polyline[data-testid=forecast-mean]").bounding_box()
        assert mean and abs(mean["x"] - band["x"]) < 6 and abs(mean["width"] - band["width"]) < 12  # over the same days
        assert strawberry.locator("circle[data-testid=stockout]").count() >= 1
        soap = page.locator('[data-testid=restock-table] tr[data-product="玫瑰手工皂"]').first
        expect(soap.locator("[data-testid=suggest]")).to_contain_text("建议补货")
        expect(soap.locator("[data-testid=suggest]")).to_contain_text("预计今天缺货")
        expect(page.locator("[data-testid=rounds-outlook] [data-testid=outlook]").first).to_contain_text("概率约")
        shots = ROOT / "artifacts" / "screenshots" / "demand_forecast"
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / "01-demand.png"), full_page=True)
        browser.close()
