"""Fitting forecasts and keeping them: the worker fits (nightly and when asked), requests read
the `forecasts` table. A product without a fresh cached forecast is answered at once with seasonal
naive (no fit, a few array operations) marked `pending`, and a refresh is queued."""
from __future__ import annotations

import copy
import datetime as dt
import logging
import threading
from collections import OrderedDict
from typing import Callable

import numpy as np

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..models import ForecastRow, Product
from ..worker.registry import every_minute, job
from .backtest import rolling_origin
from .history import History, histories, mark_stockouts
from .methods import ETS, ets, forecast

log = logging.getLogger(__name__)
HORIZON = 28  # days cached; the API shows up to this many (14 by default)
SCORE_ORIGINS, SCORE_H = 4, 7  # the per-product MASE: 4 weekly origins over the last 4 weeks, with
# the parameters fitted on all of it (cheap; bench/forecast.py refits at every origin)
REFRESH_JOB = "refresh_forecasts"


_FITTED: OrderedDict[tuple, dict] = OrderedDict()  # (first forecast day, horizon, series bytes) -> fit()
_FITTED_SIZE = 256
_fitted_lock = threading.Lock()


def fit(h: History, horizon: int = HORIZON) -> dict:
    """Forecast one history and score the method that was used on it. An ETS fit costs about a
    second of CPU and depends only on the series: the same history asked again the same day (a
    product's refresh after the shop's, a second worker, the console and the nightly run) reuses it."""
    y = h.series()
    start = (h.days[-1] + dt.timedelta(days=1)) if h.days else clock.today()
    key = (start, horizon, np.asarray(y, dtype=float).tobytes())
    with _fitted_lock:
        if key in _FITTED:
            _FITTED.move_to_end(key)
            return copy.deepcopy(_FITTED[key])
    result = _fit(y, start, horizon, h.product)
    with _fitted_lock:
        _FITTED[key] = copy.deepcopy(result)
        while len(_FITTED) > _FITTED_SIZE:
            _FITTED.popitem(last=False)
    return result


def _fit(y, start: dt.date, horizon: int, product: str) -> dict:
    f = forecast(y, horizon)
    score = None
    if f.method == ETS:  # the fitted parameters, run from each origin: one fit per product, not five
        try:
            score = rolling_origin(y, lambda train, k: ets(train, k, params=f.params), SCORE_H, SCORE_ORIGINS)
        except Exception as exc:
            log.warning("backtest of %s failed: %s", product, exc)
    points = [{"date": (start + dt.timedelta(days=i)).isoformat(), "mean": round(float(f.mean[i]), 2),
               "lo": round(float(f.lo[i]), 2), "hi": round(float(f.hi[i]), 2)} for i in range(horizon)]
    return {"method": f.method, "note": f.note, "points": points,
            "mase": round(score.mase, 3) if score else None}


def refresh(services, product: str | None = None, progress: Callable[[str], None] | None = None) -> int:
    """Fit and store every product's forecast (or one); returns how many were stored."""
    with services.db.session() as s:
        items = [(h, s.execute(select(Product.id).where(Product.name == h.product)).scalar_one())
                 for h in histories(s, product=product)]
    until = clock.today() - dt.timedelta(days=1)
    done = 0
    for h, product_id in items:
        if getattr(services.queue, "closed", False):  # the app is shutting down: the next run redoes it
            break
        result = fit(h)
        try:
            _store(services, product_id, result, until)
        except IntegrityError:  # another worker stored this product's first forecast a moment ago
            _store(services, product_id, result, until)
        done += 1
        if progress:
            progress(h.product)
    return done


def _store(services, product_id: int, result: dict, until: dt.date) -> None:
    with services.db.session() as s:
        row = s.execute(select(ForecastRow).where(ForecastRow.product_id == product_id)).scalar_one_or_none()
        if row is None:
            row = ForecastRow(product_id=product_id)
            s.add(row)
        row.method, row.note, row.mase, row.points = result["method"], result["note"], result["mase"], result["points"]
        row.history_end, row.computed_at = until, clock.utcnow()


@job(name=REFRESH_JOB)
def refresh_job(services, product: str | None = None) -> int:
    return refresh(services, product)


def request_refresh(services, product: str | None = None) -> bool:
    """Queue a refresh unless one for the same product and day is queued already (10 minutes)."""
    day = clock.today().isoformat()
    if product and services.store.get(f"forecast:refresh:*:{day}") is not None:
        return False  # the refit of every product queued in the last 10 minutes covers this one
    if not services.store.set_nx(f"forecast:refresh:{product or '*'}:{day}", "1", 600):
        return False
    services.queue.enqueue(REFRESH_JOB, product)
    return True


@every_minute
def nightly(services) -> bool:
    """Mark today's stock-outs; once a day (the first sweep after the shop's midnight, or whenever
    a product lacks a fresh forecast) queue the refit of everything."""
    with services.db.session() as s:
        mark_stockouts(s)
        until = clock.today() - dt.timedelta(days=1)
        products = s.execute(select(Product.id)).scalars().all()
        fresh = s.execute(select(ForecastRow.product_id).where(ForecastRow.history_end >= until)).scalars().all()
    if set(products) <= set(fresh):
        return False
    return request_refresh(services)


def forecast_json(services, name: str, days: int = HORIZON) -> dict | None:
    """The API's answer: history and the cached forecast, or seasonal naive marked pending."""
    with services.db.session() as s:
        found = histories(s, product=name)
        if not found:
            return None
        h = found[0]
        row = s.execute(select(ForecastRow).join(Product, Product.id == ForecastRow.product_id)
                        .where(Product.name == name)).scalar_one_or_none()
        until = clock.today() - dt.timedelta(days=1)
        cached = row is not None and row.history_end >= until and days <= len(row.points)
        if cached:
            method, note, mase, points = row.method, row.note, row.mase, row.points[:days]
    if not cached:
        quick = _quick(h, days)
        method, note, mase, points = quick["method"], quick["note"], None, quick["points"]
        request_refresh(services, name)
    return {"product": h.product, "unit": h.unit, "history": h.json(), "forecast": points,
            "method": method, "mase": mase, "note": note, "pending": not cached}


def _quick(h: History, days: int) -> dict:
    from .methods import seasonal_naive

    y = h.series()
    start = (h.days[-1] + dt.timedelta(days=1)) if h.days else clock.today()
    f = seasonal_naive(y, days, note="模型正在计算，先用上周同日预测").clipped()
    return {"method": f.method, "note": f.note,
            "points": [{"date": (start + dt.timedelta(days=i)).isoformat(), "mean": round(float(f.mean[i]), 2),
                        "lo": round(float(f.lo[i]), 2), "hi": round(float(f.hi[i]), 2)} for i in range(days)]}


def current_points(services, days: int = HORIZON) -> dict[str, list[dict]]:
    """Every product's forecast from today on: the cached one when fresh, else seasonal naive now
    (and a refresh queued). For restock suggestions and the console."""
    out = {}
    until = clock.today() - dt.timedelta(days=1)
    stale = False
    with services.db.session() as s:
        cached = {name: row for name, row in s.execute(
            select(Product.name, ForecastRow).join(ForecastRow, ForecastRow.product_id == Product.id))}
        for h in histories(s):
            row = cached.get(h.product)
            if row is not None and row.history_end >= until:
                out[h.product] = row.points[:days]
            else:
                out[h.product] = _quick(h, days)["points"]
                stale = True
    if stale:
        request_refresh(services)
    return out
