"""/api/forecast and /api/restock on the demo history: contracts, the cache a request reads (no
request waits for a fit), the fallback that says so, and restock rows that are never negative."""
import datetime as dt

from sqlalchemy import func, select

from bot import clock
from bot.forecast.service import nightly, refresh, request_refresh
from bot.models import DemandDay, ForecastRow, Product, Stock
from tests.helpers import run_jobs, wait_for

AUTH = {"Authorization": "Bearer test-api-token"}


def get(app, url):
    return app.test_client().get(url, headers=AUTH)


def test_forecast_contract_from_the_cache_after_the_worker_fits(demo_app):
    svc = demo_app.extensions["xiaoer"]
    first = get(demo_app, "/api/forecast?product=丹东草莓&days=14")
    assert first.status_code == 200
    quick = first.get_json()
    assert quick["pending"] is True and quick["method"] == "seasonal_naive"  # answered at once, fit queued
    run_jobs(svc)
    wait_for(lambda: not get(demo_app, "/api/forecast?product=丹东草莓&days=14").get_json()["pending"], timeout=120)
    data = get(demo_app, "/api/forecast?product=丹东草莓&days=14").get_json()
    assert {"product", "unit", "history", "forecast", "method", "mase"} <= set(data)
    assert (data["product"], data["unit"], data["method"], data["pending"]) == ("丹东草莓", "斤", "ets", False)
    assert isinstance(data["mase"], float) and 0 < data["mase"] < 3
    history, forecast = data["history"], data["forecast"]
    assert len(history) == 120 and set(history[0]) == {"date", "demand", "stockout"}
    yesterday = clock.today() - dt.timedelta(days=1)
    assert history[-1]["date"] == yesterday.isoformat()
    assert sum(h["stockout"] for h in history) == 3
    assert len(forecast) == 14 and set(forecast[0]) == {"date", "mean", "lo", "hi"}
    assert forecast[0]["date"] == clock.today().isoformat()
    assert all(0 <= p["lo"] <= p["mean"] <= p["hi"] for p in forecast)
    assert 5 < sum(p["mean"] for p in forecast[:7]) / 7 < 40  # the demo's strawberries: about 16 斤 a day
    assert len(get(demo_app, "/api/forecast?product=丹东草莓&days=7").get_json()["forecast"]) == 7


def test_bad_requests_are_refused_in_plain_words(demo_app):
    client = demo_app.test_client()
    assert client.get("/api/forecast?product=丹东草莓").status_code == 401
    assert client.get("/api/restock").status_code == 401
    for url, status, words in [("/api/forecast", 400, "product is required"),
                               ("/api/forecast?product=丹东草莓&days=x", 400, "whole number"),
                               ("/api/forecast?product=丹东草莓&days=0", 400, "between 1 and"),
                               ("/api/forecast?product=榴莲&days=14", 404, "not in the catalog")]:
        r = get(demo_app, url)
        assert r.status_code == status and words in r.get_json()["error"], url


def test_a_product_with_a_week_of_history_gets_the_fallback_and_says_so(demo_app):
    svc = demo_app.extensions["xiaoer"]
    today = clock.today()
    with svc.db.session() as s:
        p = Product(name="荔枝", aliases=[], unit="斤", price_cents=3000)
        s.add(p)
        s.flush()
        for ago in range(1, 8):
            s.add(DemandDay(product_id=p.id, day=today - dt.timedelta(days=ago), quantity=5 + ago % 3))
    assert refresh(svc, "荔枝") == 1
    data = get(demo_app, "/api/forecast?product=荔枝&days=14").get_json()
    assert data["method"] == "seasonal_naive" and data["pending"] is False and data["mase"] is None
    assert "历史不足四周" in data["note"] and "7 天" in data["note"]
    assert len(data["history"]) == 7 and len(data["forecast"]) == 14


def test_restock_rows_are_never_negative_and_follow_the_stock(demo_app):
    svc = demo_app.extensions["xiaoer"]
    refresh(svc)
    items = get(demo_app, "/api/restock").get_json()["items"]
    assert items and all({"product", "warehouse", "on_hand", "suggest", "runs_out"} <= set(i) for i in items)
    assert all(i["suggest"] >= 0 for i in items)
    soap = [i for i in items if i["product"] == "玫瑰手工皂"]
    assert soap[0]["suggest"] > 0 and soap[0]["runs_out"] == clock.today().isoformat()
    assert "建议补货" in soap[0]["text"]
    milk = {i["warehouse"]: i for i in items if i["product"] == "纯牛奶"}
    assert milk["西湖前置仓"]["on_hand"] == 10 and milk["杭州中心仓"]["suggest"] == 0


def test_stockouts_are_marked_by_the_minute_sweep_and_the_nightly_fit_is_queued_once(demo_app):
    svc = demo_app.extensions["xiaoer"]
    with svc.db.session() as s:
        soap = s.execute(select(Product).where(Product.name == "玫瑰手工皂")).scalar_one()
        for row in s.execute(select(Stock).where(Stock.product_id == soap.id)).scalars():
            assert row.quantity == 0
    assert nightly(svc) is True
    assert nightly(svc) is False  # queued already today
    assert request_refresh(svc, "玫瑰手工皂") is False  # the refit of every product covers it
    run_jobs(svc)

    def fitted() -> int:
        with svc.db.session() as s:
            return s.execute(select(func.count(ForecastRow.id))).scalar_one() == 13

    wait_for(fitted, timeout=300)  # the in-process queue fits on its own thread: wait for the rows
    with svc.db.session() as s:
        marked = s.execute(select(DemandDay).where(DemandDay.product_id == soap.id,
                                                   DemandDay.day == clock.today())).scalar_one()
        assert marked.stockout is True
        assert s.execute(select(ForecastRow).where(ForecastRow.product_id == soap.id)).scalar_one().method == "ets"
    assert nightly(svc) is False  # every forecast is fresh
