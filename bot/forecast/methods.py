"""Forecasting methods on a daily series where NaN marks a day whose sales do not show demand
(out of stock): exponential smoothing (statsmodels' state-space ETS, whose Kalman filter skips
missing days, so a stock-out is left out of the fit instead of teaching it "zero demand"), and
seasonal naive, the fallback for short histories and the yardstick of the backtests.

Pure numpy in, numpy out: the same functions run on the shop's data and in bench/forecast.py.
"""
from __future__ import annotations

import logging
import math
import warnings
from dataclasses import dataclass

import numpy as np

log = logging.getLogger(__name__)
SEASON = 7  # a week of days
MIN_FIT_DAYS = 28  # under four weeks of history: seasonal naive, and the forecast says so
MIN_OBSERVED = 21  # days with real demand (not stock-outs) needed for a fit
Z80 = 1.2815515655446004  # the normal quantile for an 80% interval (10%-90%)
ETS, SNAIVE = "ets", "seasonal_naive"


@dataclass
class Forecast:
    mean: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    method: str
    note: str | None = None
    params: np.ndarray | None = None  # the fitted smoothing parameters (ETS), to re-run without refitting

    def clipped(self) -> "Forecast":
        """Demand is never negative: the interval and the mean stop at zero."""
        return Forecast(np.maximum(self.mean, 0), np.maximum(self.lo, 0), np.maximum(self.hi, 0),
                        self.method, self.note, self.params)


def _last_per_phase(y: np.ndarray, season: int) -> np.ndarray:
    """The latest observed value of each position in the season, ending at the series' end."""
    observed = y[~np.isnan(y)]
    default = float(observed.mean()) if observed.size else 0.0
    out = np.full(season, default)
    n = len(y)
    for phase in range(season):  # phase 0 is the day one season before the first forecast day
        idx = n - season + phase
        while idx >= 0 and np.isnan(y[idx]):
            idx -= season
        if idx >= 0:
            out[phase] = y[idx]
    return out


def seasonal_naive(y, h: int, season: int = SEASON, note: str | None = None) -> Forecast:
    """Each day as the same weekday last week (the last one in stock); the interval from the
    spread of week-on-week changes, widening each further week ahead."""
    y = np.asarray(y, dtype=float)
    last = _last_per_phase(y, season)
    mean = np.array([last[i % season] for i in range(h)])
    diffs = y[season:] - y[:-season] if len(y) > season else np.array([])
    diffs = diffs[~np.isnan(diffs)]
    if diffs.size >= 2:
        sigma = float(np.sqrt(np.mean(diffs ** 2)))
    else:  # a week or less: only the spread of the days themselves is known
        observed = y[~np.isnan(y)]
        sigma = float(observed.std()) if observed.size >= 2 else float(abs(mean).mean() * 0.5)
    widen = np.sqrt(np.arange(h) // season + 1)
    half = Z80 * sigma * widen
    return Forecast(mean, mean - half, mean + half, SNAIVE, note)


def ets(y, h: int, season: int = SEASON, params: np.ndarray | None = None, init: str = "concentrated") -> Forecast:
    """Additive damped-trend Holt-Winters as a state-space model; missing days are skipped by the
    filter, and the 80% interval comes from the model's forecast variance. The initial states are
    concentrated out of the likelihood: statsmodels' default (estimating them with the smoothing
    parameters) gave no finite forecast on 3 of the 13 demo products. With `params` the model is
    only run through the data with those parameters (no fit): backtests of a fitted model are cheap."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels 0.13 warns about pandas names on import
        from statsmodels.tsa.statespace.exponential_smoothing import ExponentialSmoothing

        y = np.asarray(y, dtype=float)
        model = ExponentialSmoothing(y, trend=True, damped_trend=True, seasonal=season,
                                     initialization_method=init)
        result = model.fit(disp=False) if params is None else model.smooth(params)
        frame = result.get_forecast(h).summary_frame(alpha=0.2)
    mean = frame["mean"].to_numpy()
    lo, hi = frame["mean_ci_lower"].to_numpy(), frame["mean_ci_upper"].to_numpy()
    if not (np.all(np.isfinite(mean)) and np.all(np.isfinite(lo)) and np.all(np.isfinite(hi))):
        raise ValueError("the fit gave no finite forecast")
    return Forecast(mean, lo, hi, ETS, params=np.asarray(result.params))


def forecast(y, h: int, season: int = SEASON) -> Forecast:
    """ETS when there is enough history, otherwise (or when the fit fails) seasonal naive with the
    reason in `note`."""
    y = np.asarray(y, dtype=float)
    observed = int((~np.isnan(y)).sum())
    if len(y) < MIN_FIT_DAYS or observed < MIN_OBSERVED:
        note = f"历史不足四周（{len(y)} 天，有货 {observed} 天），用上周同日预测"
        return seasonal_naive(y, h, season, note).clipped()
    try:
        return ets(y, h, season).clipped()
    except Exception as exc:  # a failed fit must still give the merchant a number
        log.warning("ETS fit failed (%s): seasonal naive instead", exc)
        return seasonal_naive(y, h, season, "模型拟合失败，用上周同日预测").clipped()


def mase_scale(y, season: int = SEASON) -> float:
    """Mean absolute week-on-week change in the training data: the error of seasonal naive in-sample."""
    y = np.asarray(y, dtype=float)
    diffs = np.abs(y[season:] - y[:-season]) if len(y) > season else np.array([])
    diffs = diffs[~np.isnan(diffs)]
    return float(diffs.mean()) if diffs.size else math.nan
