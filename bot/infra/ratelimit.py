"""Fixed-window rate limits in the shared store, so every web worker counts against one budget.

Used per openid on the webhook (a flood from one sender must not starve everyone else) and per
account and per address on console login (password guessing). With the store down the limit is
not enforced: refusing every customer because Redis restarts would be worse than a burst.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.infra.store import StoreUnavailable

from .. import clock

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    count: int  # allowed hits per window; 0 disables
    window: int  # seconds


def parse_limit(text: str) -> Limit:
    """"20/60" → 20 hits per 60 seconds; "0" or "" → no limit."""
    if not text or text.strip() == "0":
        return Limit(0, 1)
    count, _, window = text.partition("/")
    try:
        return Limit(int(count), int(window or 60))
    except ValueError:
        raise SystemExit(f"rate limit must look like 20/60 (hits/seconds), got {text!r}")


class RateLimiter:
    def __init__(self, store) -> None:
        self.store = store

    def hit(self, name: str, limit: Limit, now: float | None = None) -> bool:
        """Count one hit; True while within the limit."""
        if limit.count <= 0:
            return True
        slot = int((now or clock.timestamp()) // limit.window)
        try:
            return self.store.incr(f"rl:{name}:{slot}", 1, ttl=limit.window * 2) <= limit.count
        except StoreUnavailable as exc:
            log.warning("rate limit %s not checked: %s", name, exc)
            return True

    def exceeded(self, name: str, limit: Limit, now: float | None = None) -> bool:
        """Whether the window is already used up, without counting a hit."""
        if limit.count <= 0:
            return False
        slot = int((now or clock.timestamp()) // limit.window)
        try:
            return int(self.store.get(f"rl:{name}:{slot}") or 0) >= limit.count
        except StoreUnavailable:
            return False
