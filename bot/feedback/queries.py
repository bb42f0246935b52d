"""Filters shared by the API, exports, reports and console, checked once with plain error messages."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.sql import Select

from ..models import FeedbackRecord
from .lexicon import ASPECTS, SENTIMENTS
from .privacy import mask

FIELDS = ("product", "aspect", "sentiment", "suggestion", "delivery_preference", "text", "customer_key",
          "created_at")


class BadFilter(ValueError):
    """A filter value the caller can fix; the message says how."""


def _day(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadFilter(f"{name} must be a date like 2026-11-23, got {value!r}")


@dataclass
class Filters:
    product: str | None = None
    aspect: str | None = None
    sentiment: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None  # inclusive

    @classmethod
    def from_args(cls, args) -> "Filters":
        aspect, sentiment = args.get("aspect") or None, args.get("sentiment") or None
        if aspect and aspect not in ASPECTS:
            raise BadFilter(f"aspect must be one of {', '.join(ASPECTS)}")
        if sentiment and sentiment not in SENTIMENTS:
            raise BadFilter(f"sentiment must be one of {', '.join(SENTIMENTS)}")
        day = _day(args.get("date"), "date")
        since = _day(args.get("since"), "since") or day
        until = _day(args.get("until"), "until") or day
        return cls(args.get("product") or None, aspect, sentiment, since, until)

    def apply(self, stmt: Select) -> Select:
        r = FeedbackRecord
        if self.product:
            stmt = stmt.where(r.product == self.product)
        if self.aspect:
            stmt = stmt.where(r.aspect == self.aspect)
        if self.sentiment:
            stmt = stmt.where(r.sentiment == self.sentiment)
        if self.since:
            stmt = stmt.where(r.created_at >= dt.datetime.combine(self.since, dt.time()))
        if self.until:
            stmt = stmt.where(r.created_at < dt.datetime.combine(self.until + dt.timedelta(days=1), dt.time()))
        return stmt


def record_query(filters: Filters) -> Select:
    return filters.apply(select(FeedbackRecord)).order_by(FeedbackRecord.created_at, FeedbackRecord.id)


def public(record: FeedbackRecord) -> dict:
    """The contract of the API and exports: only masked, pseudonymous fields."""
    out = {name: getattr(record, name) for name in FIELDS}
    # Masked again on the way out: rows stored before the masking learnt a form (「1380 013 8000」,
    # 「一三八零…」, 「收货人张伟」, wxid_…) leave with it masked too. Masking masked text changes nothing.
    for name in ("text", "suggestion"):
        if out.get(name):
            out[name] = mask(out[name])
    out["created_at"] = record.created_at.replace(microsecond=0).isoformat() + "Z"
    return out
