"""Restock suggestions: stock on hand against forecast demand over the lead time plus safety stock.

Customers are served from warehouses in priority order (the front warehouse first, as the stock
answers read them), so forecast demand drains them in that order: that gives each warehouse's
run-out day. What to buy is a product-level sum (lead-time demand + z·σ over the lead time, less
everything on hand) and is suggested for the first warehouse, where customers are served from.
Nothing here is ever negative: a product with more than it needs gets 0.
"""
from __future__ import annotations

import datetime as dt
import math
from statistics import NormalDist

from sqlalchemy import select

from .. import clock
from ..models import Product, Stock, Warehouse
from .methods import Z80


def lead_demand(points: list[dict], lead_days: float) -> tuple[float, float]:
    """Mean and standard deviation of demand over the first `lead_days` days (a fraction of the
    last day counts in part); σ per day from the 80% interval, days taken as independent."""
    mean = var = 0.0
    left = lead_days
    for p in points:
        if left <= 0:
            break
        share = min(1.0, left)
        sigma = max(0.0, p["hi"] - p["lo"]) / (2 * Z80)
        mean += share * p["mean"]
        var += (share * sigma) ** 2
        left -= share
    return mean, math.sqrt(var)


def plan(product: str, unit: str, points: list[dict], warehouses: list[tuple[str, float]],
         lead_days: float, service_level: float) -> list[dict]:
    """One row per warehouse (in priority order). `points` start today or tomorrow."""
    mean, sigma = lead_demand(points, lead_days)
    z = NormalDist().inv_cdf(service_level)
    position = sum(max(0.0, q) for _, q in warehouses)
    need = max(0.0, mean + z * sigma - position)
    suggest = float(math.ceil(need - 1e-9)) if need > 0 else 0.0
    first_day = dt.date.fromisoformat(points[0]["date"]) if points else None  # the forecast starts today
    rows, before = [], 0.0
    for i, (name, on_hand) in enumerate(warehouses):
        before += max(0.0, on_hand)
        out = runs_out(points, before)
        mine = suggest if i == 0 else 0.0
        text = wording(mine, unit, out, first_day)
        if mine == 0 and out and i + 1 < len(warehouses) and warehouses[i + 1][1] > 0:
            text += f"，可从{warehouses[i + 1][0]}调货"
        rows.append({"product": product, "warehouse": name, "on_hand": on_hand, "unit": unit,
                     "suggest": mine, "runs_out": out, "text": text})
    return rows


def runs_out(points: list[dict], stock: float) -> str | None:
    """The first forecast day on which cumulative mean demand exceeds `stock`; None within the horizon."""
    total = 0.0
    for p in points:
        total += p["mean"]
        if total > stock + 1e-9:
            return p["date"]
    return None


def wording(suggest: float, unit: str, out: str | None, today: dt.date | None = None) -> str:
    """「建议补货 N 斤（预计 X 天后缺货）」."""
    when = ""
    if out:
        days = (dt.date.fromisoformat(out) - (today or clock.today())).days
        when = "（预计今天缺货）" if days <= 0 else f"（预计 {days} 天后缺货）"
    if suggest > 0:
        return f"建议补货 {suggest:g} {unit}{when}"
    return f"暂不需补货{when}"


def suggestions(services, forecasts: dict[str, list[dict]]) -> list[dict]:
    """Every product with stock rows; `forecasts` maps a product to its forecast points."""
    config = services.config
    with services.db.session() as s:
        rows = s.execute(select(Product.name, Product.unit, Warehouse.name, Stock.quantity)
                         .join(Stock, Stock.product_id == Product.id)
                         .join(Warehouse, Warehouse.id == Stock.warehouse_id)
                         .order_by(Product.id, Warehouse.priority, Warehouse.id)).all()
    by_product: dict[tuple[str, str], list] = {}
    for name, unit, house, qty in rows:
        by_product.setdefault((name, unit), []).append((house, float(qty)))
    items = []
    for (name, unit), houses in by_product.items():
        items += plan(name, unit, forecasts.get(name, []), houses, config.RESTOCK_LEAD_DAYS,
                      config.RESTOCK_SERVICE_LEVEL)
    return items
