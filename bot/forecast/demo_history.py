"""120 days of plausible demand for the demo catalog, ending yesterday by the shop's clock (so the
charts work on any date): a weekly pattern (fruit sells at weekends), a trend, a few stock-out days
whose sales fall short of demand, and a promotion week for 丹东草莓. Seeded from the product's name,
so every run draws the same history relative to today."""
from __future__ import annotations

import datetime as dt
import zlib

import numpy as np
from sqlalchemy import insert, select

from .. import clock
from ..models import DemandDay, Product

DAYS = 120
FRUIT_WEEK = [0.85, 0.8, 0.85, 0.95, 1.1, 1.3, 1.25]  # Monday first: weekends sell more fruit
FLAT_WEEK = [1.0, 0.95, 0.95, 1.0, 1.05, 1.05, 1.0]
# name: (daily demand 120 days ago, daily demand yesterday, weekly pattern)
LEVELS = {
    "丹东草莓": (9, 16, FRUIT_WEEK), "散养土鸡蛋": (10, 12, FLAT_WEEK), "赣南脐橙": (24, 18, FRUIT_WEEK),
    "红富士苹果": (15, 17, FRUIT_WEEK), "纯牛奶": (4, 5, FLAT_WEEK), "原味薯片": (10, 13, FRUIT_WEEK),
    "番茄味薯片": (7, 7, FRUIT_WEEK), "玫瑰手工皂": (1.5, 1.2, FLAT_WEEK), "牙膏": (3, 3, FLAT_WEEK),
    "抽纸": (5, 6, FLAT_WEEK), "折叠雨伞": (1, 1.5, FLAT_WEEK), "防晒衣": (0.6, 1.2, FLAT_WEEK),
    "陶瓷杯": (0.8, 0.8, FLAT_WEEK),
}
PROMOTION = ("丹东草莓", 45, 39, 1.8)  # product, from and to (days ago), demand multiplier
OUT_OF_STOCK_LAST_DAYS = {"玫瑰手工皂": 6}  # out of stock now (the demo stock is 0), for these last days


def draw(name: str, today: dt.date, days: int = DAYS) -> list[tuple[dt.date, float, bool]]:
    """(day, sold, stock-out) for the `days` days before `today`."""
    start_level, end_level, week = LEVELS[name]
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    outs = {int(d) for d in rng.choice(np.arange(8, days), size=3, replace=False)}
    outs |= set(range(1, OUT_OF_STOCK_LAST_DAYS.get(name, 0) + 1))
    rows = []
    for ago in range(days, 0, -1):
        day = today - dt.timedelta(days=ago)
        level = start_level + (end_level - start_level) * (days - ago) / (days - 1)
        level *= week[day.weekday()]
        if name == PROMOTION[0] and PROMOTION[2] <= ago <= PROMOTION[1]:
            level *= PROMOTION[3]
        demand = float(rng.poisson(level * 2)) / 2  # half units, like the shop sells
        stockout = ago in outs
        sold = round(demand * rng.uniform(0.0, 0.4) * 2) / 2 if stockout else demand
        rows.append((day, sold, stockout))
    return rows


def seed_history(session, today: dt.date | None = None) -> int:
    """Add the history for every demo product that has none yet (days before today); returns rows added."""
    today = today or clock.today()
    added = 0
    for product in session.execute(select(Product).where(Product.name.in_(list(LEVELS)))).scalars():
        has = session.execute(select(DemandDay.id).where(DemandDay.product_id == product.id,
                                                         DemandDay.day < today).limit(1)).first()
        if has:
            continue
        rows = [{"product_id": product.id, "day": day, "quantity": sold, "stockout": stockout}
                for day, sold, stockout in draw(product.name, today)]
        session.execute(insert(DemandDay), rows)  # one statement: the demo is seeded by many tests
        added += len(rows)
    return added
