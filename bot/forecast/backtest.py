"""Rolling-origin backtests: fit on everything before an origin, forecast the next `h` points,
move the origin on by `step`, and score every origin against what happened. MASE scales the error
by the in-sample error of seasonal naive (so below 1 beats a last-season guess made in-sample);
WAPE is total absolute error over total demand. Stock-out days (NaN) are left out of the scores.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .methods import SEASON, Forecast, mase_scale

Method = Callable[[np.ndarray, int], Forecast]


@dataclass
class Score:
    mase: float
    wape: float
    origins: int
    coverage: float  # share of actual values inside the 80% interval


def rolling_origin(y, method: Method, h: int, origins: int, step: int | None = None,
                   season: int = SEASON) -> Score | None:
    """None when the series is too short for `origins` origins with some training data."""
    y = np.asarray(y, dtype=float)
    step = step or h
    first = len(y) - h - (origins - 1) * step
    if first < 2 * season:
        return None
    abs_err = actual = inside = count = 0.0
    mases = []
    for k in range(origins):
        cut = first + k * step
        train, test = y[:cut], y[cut:cut + h]
        f = method(train, h)
        seen = ~np.isnan(test)
        if not seen.any():
            continue
        err = np.abs(test[seen] - f.mean[:h][seen])
        scale = mase_scale(train, season)
        if scale and np.isfinite(scale):
            mases.append(err.mean() / scale)
        abs_err += err.sum()
        actual += np.abs(test[seen]).sum()
        inside += ((test[seen] >= f.lo[:h][seen]) & (test[seen] <= f.hi[:h][seen])).sum()
        count += seen.sum()
    if not mases or not count:
        return None
    return Score(float(np.mean(mases)), float(abs_err / actual) if actual else float("nan"), origins,
                 float(inside / count))
