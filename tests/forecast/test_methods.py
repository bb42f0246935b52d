"""The forecasting methods on exact series: stock-out days are left out of the fit, a short history
gets seasonal naive and says so, intervals hold the mean, nothing is negative."""
import numpy as np
import pytest

from bot.forecast.backtest import rolling_origin
from bot.forecast.methods import ETS, SNAIVE, forecast, seasonal_naive

pytestmark = pytest.mark.timeless

WEEK = np.array([10, 9, 9, 10, 12, 15, 14], dtype=float)


def steady(weeks: int, seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.tile(WEEK, weeks) + rng.normal(0, 0.8, 7 * weeks)


def test_stockout_days_are_left_out_of_the_fit():
    """Six stock-out days with near-zero sales: marked (NaN), the forecast stays at the real level;
    taken at face value, the same numbers drag it down."""
    y = steady(12)
    out = np.arange(len(y) - 6, len(y))  # the last six days, out of stock
    sold = y.copy()
    sold[out] = 0.5
    marked = sold.copy()
    marked[out] = np.nan
    honest, naive = forecast(marked, 7), forecast(sold, 7)
    assert honest.method == naive.method == ETS
    level = WEEK.mean()
    assert abs(honest.mean.mean() - level) < 1.0, honest.mean
    assert naive.mean.mean() < level - 2.0, naive.mean
    # seasonal naive, too, skips back to the last week that was in stock
    fallback = seasonal_naive(marked, 7)
    assert abs(fallback.mean.mean() - level) < 1.5


def test_a_week_of_history_gets_seasonal_naive_and_says_so():
    y = WEEK.copy()
    f = forecast(y, 14)
    assert f.method == SNAIVE
    assert "不足四周" in f.note and "7 天" in f.note
    assert list(f.mean[:7]) == list(WEEK) == list(f.mean[7:])
    assert np.all(f.lo <= f.mean) and np.all(f.mean <= f.hi) and np.all(f.lo >= 0)
    assert np.all(f.hi[7:] - f.lo[7:] > f.hi[:7] - f.lo[:7])  # the second week is less certain


def test_four_weeks_fit_and_intervals_hold_the_mean():
    f = forecast(steady(6), 14)
    assert f.method == ETS and f.note is None
    assert np.all(f.lo <= f.mean) and np.all(f.mean <= f.hi)
    assert f.mean[5] > f.mean[1]  # the weekly pattern is learned: the weekend sells more


@pytest.mark.parametrize("y", [[], [0.0], [np.nan] * 10, [0.0] * 40, [5.0, np.nan, 0.0]])
def test_odd_histories_give_finite_non_negative_forecasts(y):
    f = forecast(np.array(y, dtype=float), 14)
    for arr in (f.mean, f.lo, f.hi):
        assert len(arr) == 14 and np.all(np.isfinite(arr)) and np.all(arr >= 0)


def test_backtest_scores_seasonal_naive_against_itself_near_one():
    y = steady(16)
    score = rolling_origin(y, lambda t, h: seasonal_naive(t, h), 7, 8)
    assert score is not None and score.origins == 8
    assert 0.5 < score.mase < 2.0 and 0 < score.wape < 0.5
    assert rolling_origin(y[:20], lambda t, h: seasonal_naive(t, h), 7, 8) is None


def test_a_fit_is_reused_only_for_the_same_history():
    """The nightly run, a product's refresh and a second worker ask for the same fit the same day:
    reused. One day's demand changed, or a day later, is a new fit."""
    import datetime as dt

    from bot.forecast import service
    from bot.forecast.history import History

    days = [dt.date(2026, 1, 1) + dt.timedelta(days=i) for i in range(35)]
    y = steady(5)
    h = History("草莓", "斤", days, list(y), [False] * 35)
    first = service.fit(h)
    first["points"][0]["mean"] = -1.0  # a caller editing its copy does not edit the cache
    again = service.fit(h)
    assert again["method"] == ETS and again["points"][0]["mean"] >= 0
    changed = service.fit(History("草莓", "斤", days, [*y[:-1], y[-1] + 30], [False] * 35))
    assert changed["points"][0]["mean"] != again["points"][0]["mean"]
    later = service.fit(History("草莓", "斤", [d + dt.timedelta(days=1) for d in days], list(y), [False] * 35))
    assert later["points"][0]["date"] == "2026-02-06" and again["points"][0]["date"] == "2026-02-05"
