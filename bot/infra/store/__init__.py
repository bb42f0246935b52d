"""The shared key-value store: Redis in production, a process-local stand-in for newcomers.

Everything that must agree across web workers (dedup, conversation state, tokens, locks,
rate limits, counters) goes through this one small interface (`base.Store`), so the in-process
default (`memory`) and Redis (`redis_store`) behave the same and are tested with the same tests.
"""
from __future__ import annotations

from .base import LockTimeout, Store, StoreUnavailable
from .memory import MemoryStore
from .redis_store import RedisStore

__all__ = ["LockTimeout", "MemoryStore", "RedisStore", "Store", "StoreUnavailable", "make_store"]


def make_store(redis_url: str | None) -> Store:
    return RedisStore(redis_url) if redis_url else MemoryStore()
