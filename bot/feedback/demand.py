"""Demand heat per product: growth of the last 7 days against the 7 before, and repurchase rate.

Sources are functions returning (product, customer, quantity, day) rows; orders are one, and the
group preorder entries (issue 5) become another with a single `register_source` call.
A product growing more than 50% that people buy again is 「火得正旺」 (add capacity); one that is
falling and rarely bought again is 「降温」 (cut back).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable

from sqlalchemy import select

from .. import clock
from ..models import Order, OrderItem, Product

HOT, COOLING = "火得正旺", "降温"
HOT_GROWTH = 0.5  # more than +50% week on week
HIGH_REPURCHASE = 0.3  # at least 30% of buyers bought it on more than one day
LOW_REPURCHASE = 0.15
HISTORY_DAYS = 90  # window for the repurchase rate


@dataclass(frozen=True)
class DemandRow:
    product: str
    customer: str
    quantity: float
    day: dt.date


Source = Callable[[object, dt.date], Iterable[DemandRow]]
SOURCES: list[Source] = []


def register_source(fn: Source) -> Source:
    """Add a demand source: fn(session, since_day) -> rows on or after since_day."""
    SOURCES.append(fn)
    return fn


@register_source
def order_rows(session, since: dt.date) -> Iterable[DemandRow]:
    stmt = (select(Product.name, Order.customer_id, OrderItem.quantity, Order.created_at)
            .join(OrderItem, OrderItem.order_id == Order.id).join(Product, Product.id == OrderItem.product_id)
            .where(Order.created_at >= dt.datetime.combine(since, dt.time())))
    for name, customer_id, quantity, created_at in session.execute(stmt):
        yield DemandRow(name, f"customer:{customer_id}", float(quantity), created_at.date())


def flag_for(growth: float | None, repurchase: float) -> str | None:
    if growth is not None and growth > HOT_GROWTH and repurchase >= HIGH_REPURCHASE:
        return HOT
    if growth is not None and growth < 0 and repurchase < LOW_REPURCHASE:
        return COOLING
    return None


def heat(rows: Iterable[DemandRow], today: dt.date) -> list[dict]:
    """Pure computation, so the flags are tested on exact numbers."""
    last_start, prev_start = today - dt.timedelta(days=6), today - dt.timedelta(days=13)
    last, prev = defaultdict(float), defaultdict(float)
    buyer_days: dict = defaultdict(lambda: defaultdict(set))
    for row in rows:
        if row.day > today:
            continue
        if row.day >= last_start:
            last[row.product] += row.quantity
        elif row.day >= prev_start:
            prev[row.product] += row.quantity
        buyer_days[row.product][row.customer].add(row.day)
    out = []
    for product in sorted(buyer_days):
        buyers = buyer_days[product]
        repeat = sum(1 for days in buyers.values() if len(days) > 1)
        repurchase = round(repeat / len(buyers), 3) if buyers else 0.0
        growth = round((last[product] - prev[product]) / prev[product], 3) if prev[product] else None
        out.append({"product": product, "last_7d": last[product], "previous_7d": prev[product],
                    "growth_7d": growth, "repurchase_rate": repurchase, "buyers": len(buyers),
                    "flag": flag_for(growth, repurchase)})
    return out


def demand(services, today: dt.date | None = None) -> list[dict]:
    today = today or clock.today()
    since = today - dt.timedelta(days=HISTORY_DAYS)
    with services.db.session() as s:
        rows = [row for source in SOURCES for row in source(s, since)]
    return heat(rows, today)
