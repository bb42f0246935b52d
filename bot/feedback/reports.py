"""By product and aspect: counts, negative share, top suggestions and a weekly trend.

Rows are read once in chunks and counted in Python, so the same code runs on SQLite and
PostgreSQL (week arithmetic differs between them) and can drive a progress bar.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Callable

from sqlalchemy import func, select

from ..models import FeedbackRecord
from .lexicon import ASPECTS
from .privacy import mask
from .queries import Filters

UNNAMED = "（未指明商品）"
_COLUMNS = (FeedbackRecord.product, FeedbackRecord.aspect, FeedbackRecord.sentiment,
            FeedbackRecord.suggestion, FeedbackRecord.created_at)


def week_of(moment: dt.datetime) -> str:
    """Monday of the moment's week, as the trend's x axis."""
    return (moment.date() - dt.timedelta(days=moment.weekday())).isoformat()


def _share(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


def count_rows(services, filters: Filters) -> int:
    with services.db.session() as s:
        return s.execute(filters.apply(select(func.count(FeedbackRecord.id)))).scalar_one()


def build_report(services, filters: Filters | None = None, progress: Callable[[int], None] | None = None,
                 top: int = 3) -> dict:
    filters = filters or Filters()
    counts: dict = defaultdict(lambda: defaultdict(Counter))
    wishes: dict = defaultdict(lambda: defaultdict(Counter))
    trend: dict = defaultdict(lambda: defaultdict(Counter))
    stmt = filters.apply(select(*_COLUMNS)).order_by(FeedbackRecord.id)
    with services.db.session() as s:
        for n, (product, aspect, sentiment, suggestion, created_at) in enumerate(
                s.execute(stmt.execution_options(yield_per=1000)), 1):
            product = product or UNNAMED
            counts[product][aspect][sentiment] += 1
            if suggestion:
                wishes[product][aspect][mask(suggestion)] += 1  # stored before masking improved: mask again
            trend[product][week_of(created_at)][sentiment] += 1
            if progress and n % 1000 == 0:
                progress(1000)
    products = []
    for product, by_aspect in counts.items():
        aspects = []
        for aspect in sorted(by_aspect, key=ASPECTS.index):
            c = by_aspect[aspect]
            total = sum(c.values())
            aspects.append({"aspect": aspect, "count": total, "positive": c["positive"], "negative": c["negative"],
                            "neutral": c["neutral"], "negative_share": _share(c["negative"], total),
                            "top_suggestions": [{"text": t, "count": k} for t, k in wishes[product][aspect].most_common(top)]})
        total = sum(a["count"] for a in aspects)
        negative = sum(a["negative"] for a in aspects)
        weeks = [{"week": w, "positive": c["positive"], "negative": c["negative"], "neutral": c["neutral"]}
                 for w, c in sorted(trend[product].items())]
        products.append({"product": product, "count": total, "negative_share": _share(negative, total),
                         "aspects": aspects, "weeks": weeks})
    products.sort(key=lambda p: -p["count"])
    return {"products": products, "total": sum(p["count"] for p in products)}
