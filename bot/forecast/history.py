"""Daily demand per product in the shop's time zone: orders, round entries (joins are demand known
in advance, waitlisted ones too: wanted but not sold), and `demand_days` (sales recorded elsewhere,
stock-out marks). A stock-out day's sales understate demand, so the series the forecast learns
from carries NaN there, never the low number.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..models import DemandDay, Order, OrderItem, Product, Round, RoundEntry, Stock

MAX_DAYS = 365  # the longest history a forecast looks at


@dataclass
class History:
    product: str
    unit: str
    days: list[dt.date]
    demand: list[float]
    stockout: list[bool]

    def series(self) -> np.ndarray:
        """What the forecast fits: NaN on stock-out days."""
        return np.array([np.nan if out else q for q, out in zip(self.demand, self.stockout)], dtype=float)

    def json(self) -> list[dict]:
        return [{"date": d.isoformat(), "demand": round(q, 2), "stockout": out}
                for d, q, out in zip(self.days, self.demand, self.stockout)]


def _local_day(moment: dt.datetime) -> dt.date:
    return clock.to_local(moment).date()


def _collect(session, since: dt.date, until: dt.date):
    """{product: {day: quantity}} and {product: {stock-out days}} in [since, until]."""
    start, end = clock.local_midnight(since), clock.local_midnight(until + dt.timedelta(days=1))
    demand: dict = defaultdict(lambda: defaultdict(float))
    outs: dict = defaultdict(set)
    orders = (select(Product.name, OrderItem.quantity, Order.created_at)
              .join(OrderItem, OrderItem.order_id == Order.id).join(Product, Product.id == OrderItem.product_id)
              .where(Order.created_at >= start, Order.created_at < end))
    for name, quantity, at in session.execute(orders):
        demand[name][_local_day(at)] += float(quantity)
    joins = (select(Round.product, RoundEntry.quantity, RoundEntry.created_at)
             .join(Round, Round.id == RoundEntry.round_id)
             .where(RoundEntry.status.in_(("joined", "waitlisted")),
                    RoundEntry.created_at >= start, RoundEntry.created_at < end))
    for name, quantity, at in session.execute(joins):
        demand[name][_local_day(at)] += float(quantity)
    recorded = (select(Product.name, DemandDay.day, DemandDay.quantity, DemandDay.stockout)
                .join(Product, Product.id == DemandDay.product_id)
                .where(DemandDay.day >= since, DemandDay.day <= until))
    for name, day, quantity, stockout in session.execute(recorded):
        demand[name][day] += float(quantity or 0)
        if stockout:
            outs[name].add(day)
    return demand, outs


def histories(session, until: dt.date | None = None, product: str | None = None) -> list[History]:
    """One history per catalog product, from its first recorded day to `until` (yesterday by
    default: today is not over). A product with no record at all has an empty history."""
    until = until or clock.today() - dt.timedelta(days=1)
    since = until - dt.timedelta(days=MAX_DAYS - 1)
    demand, outs = _collect(session, since, until)
    query = select(Product).order_by(Product.id)
    if product is not None:
        query = query.where(Product.name == product)
    out = []
    for p in session.execute(query).scalars():
        known = set(demand.get(p.name, {})) | outs.get(p.name, set())
        first = min(known) if known else None
        days = [first + dt.timedelta(days=i) for i in range((until - first).days + 1)] if first else []
        out.append(History(p.name, p.unit, days, [demand[p.name].get(d, 0.0) for d in days],
                           [d in outs.get(p.name, set()) for d in days]))
    return out


def mark_stockouts(session, day: dt.date | None = None) -> list[str]:
    """Mark today (the shop's) as a stock-out day for every product with nothing on hand in any
    warehouse; the worker calls it every minute, so a product that ran out at noon is marked.
    Safe to run twice or in two workers at once (the unique key settles a race)."""
    day = day or clock.today()
    on_hand = (select(Product.id, Product.name, func.coalesce(func.sum(Stock.quantity), 0))
               .join(Stock, Stock.product_id == Product.id).group_by(Product.id, Product.name))
    marked = []
    for product_id, name, total in session.execute(on_hand).all():
        if total > 0:
            continue
        row = session.execute(select(DemandDay).where(DemandDay.product_id == product_id,
                                                      DemandDay.day == day)).scalar_one_or_none()
        if row is not None:
            if not row.stockout:
                row.stockout = True
                marked.append(name)
            continue
        try:
            with session.begin_nested():
                session.add(DemandDay(product_id=product_id, day=day, quantity=0, stockout=True))
            marked.append(name)
        except IntegrityError:  # another worker marked it a moment ago
            pass
    return marked
