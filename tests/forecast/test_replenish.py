"""Restock arithmetic: lead-time demand plus safety stock less stock on hand, never negative;
run-out days follow the warehouses' serving order."""
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.forecast.replenish import lead_demand, plan, wording

pytestmark = pytest.mark.timeless
DAY = dt.date(2026, 3, 2)


def points(means, spread=0.0):
    return [{"date": (DAY + dt.timedelta(days=i)).isoformat(), "mean": m, "lo": max(0, m - spread), "hi": m + spread}
            for i, m in enumerate(means)]


def test_suggestion_covers_lead_demand_and_safety_stock():
    rows = plan("丹东草莓", "斤", points([10] * 14, spread=1.28155), [("西湖前置仓", 5), ("杭州中心仓", 3)], 2, 0.95)
    # lead demand 20, σ per day 1 → σ over 2 days √2, z(0.95) 1.645: 20 + 2.33 - 8 = 14.33 → 15
    assert [r["suggest"] for r in rows] == [15, 0]
    assert rows[0]["runs_out"] == DAY.isoformat()  # 5 斤 against 10 a day: today
    assert rows[1]["runs_out"] == DAY.isoformat()  # 8 斤 in all: gone today as well
    assert rows[0]["text"] == "建议补货 15 斤（预计今天缺货）"


def test_enough_stock_suggests_nothing_and_says_when_it_runs_out():
    rows = plan("纯牛奶", "箱", points([4] * 14), [("西湖前置仓", 10), ("杭州中心仓", 40)], 2, 0.95)
    assert [r["suggest"] for r in rows] == [0, 0]
    assert rows[0]["runs_out"] == (DAY + dt.timedelta(days=2)).isoformat()  # 12 > 10 on the third day
    assert rows[1]["runs_out"] == (DAY + dt.timedelta(days=12)).isoformat()  # 52 > 50
    assert wording(0, "箱", rows[0]["runs_out"], DAY) == "暂不需补货（预计 2 天后缺货）"


def test_a_fraction_of_a_lead_day_counts_in_part():
    mean, sigma = lead_demand(points([10, 10, 10]), 1.5)
    assert mean == pytest.approx(15) and sigma == 0


@settings(max_examples=150, deadline=None)
@given(means=st.lists(st.floats(0, 500), min_size=0, max_size=28),
       spread=st.floats(0, 100), stock=st.lists(st.floats(-50, 1000), min_size=1, max_size=3),
       lead=st.floats(0, 30), level=st.floats(0.5, 0.999))
def test_suggestions_are_never_negative(means, spread, stock, lead, level):
    rows = plan("p", "斤", points(means, spread), [(f"w{i}", q) for i, q in enumerate(stock)], lead, level)
    assert len(rows) == len(stock)
    for r in rows:
        assert r["suggest"] >= 0 and r["suggest"] == int(r["suggest"])
