"""The process-local store: the same interface as Redis for `make run` with nothing installed."""
from __future__ import annotations

import contextlib
import threading
import time
import uuid
from typing import Iterator

from .base import LockTimeout, Store


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


class MemoryStore(Store):
    """One process only: fine for `make run`, wrong for several workers (use REDIS_URL)."""

    def __init__(self) -> None:
        self._data: dict[str, tuple[object, float | None]] = {}
        self._mutex = threading.RLock()

    def _live(self, key: str):
        item = self._data.get(key)
        if item is None:
            return None
        value, expires = item
        if expires is not None and expires <= time.monotonic():
            del self._data[key]
            return None
        return value

    @staticmethod
    def _expiry(ttl: float | None) -> float | None:
        return None if ttl is None else time.monotonic() + ttl

    def get(self, key: str) -> str | None:
        with self._mutex:
            value = self._live(key)
            return value if isinstance(value, str) or value is None else str(value)

    def set(self, key: str, value: str, ttl: float | None = None) -> None:
        with self._mutex:
            self._data[key] = (value, self._expiry(ttl))

    def set_nx(self, key: str, value: str, ttl: float) -> bool:
        with self._mutex:
            if self._live(key) is not None:
                return False
            self._data[key] = (value, self._expiry(ttl))
            return True

    def delete(self, key: str) -> None:
        with self._mutex:
            self._data.pop(key, None)

    def incr(self, key: str, amount: int = 1, ttl: float | None = None) -> int:
        with self._mutex:
            current = self._live(key)
            value = int(current or 0) + amount
            expires = self._data[key][1] if current is not None else self._expiry(ttl)
            self._data[key] = (str(value), expires)
            return value

    def hincr_many(self, name: str, amounts: dict[str, float]) -> None:
        with self._mutex:
            table = self._live(name)
            if not isinstance(table, dict):
                table = {}
                self._data[name] = (table, None)
            for field, amount in amounts.items():
                table[field] = table.get(field, 0) + amount

    def hgetall(self, name: str) -> dict[str, str]:
        with self._mutex:
            table = self._live(name)
            return {k: _num(v) for k, v in table.items()} if isinstance(table, dict) else {}

    def push(self, key: str, value: str, ttl: float | None = None) -> None:
        with self._mutex:
            items = self._live(key)
            if not isinstance(items, list):
                items = []
            items.append(value)
            self._data[key] = (items, self._expiry(ttl))

    def take_all(self, key: str) -> list[str]:
        with self._mutex:
            items = self._live(key)
            self._data.pop(key, None)
            return list(items) if isinstance(items, list) else []

    def ping(self) -> bool:
        return True

    def rpush(self, key: str, value: str) -> None:
        with self._mutex:
            items = self._live(key)
            if not isinstance(items, list):
                items = []
                self._data[key] = (items, None)
            items.append(value)

    def lpush(self, key: str, value: str) -> None:
        with self._mutex:
            self.rpush(key, value)
            items = self._data[key][0]
            items.insert(0, items.pop())

    def lpop(self, key: str) -> str | None:
        with self._mutex:
            items = self._live(key)
            return items.pop(0) if isinstance(items, list) and items else None

    def keys_containing(self, text: str) -> list[str]:
        with self._mutex:
            return sorted(k for k in list(self._data) if text in k and self._live(k) is not None)

    def read(self, key: str) -> str | list | dict | None:
        with self._mutex:
            value = self._live(key)
            return value.copy() if isinstance(value, (list, dict)) else value

    @contextlib.contextmanager
    def lock(self, name: str, timeout: float = 10, wait: float = 10) -> Iterator[None]:
        token = uuid.uuid4().hex
        deadline = time.monotonic() + wait
        while not self.set_nx(f"lock:{name}", token, timeout):
            if time.monotonic() >= deadline:
                raise LockTimeout(name)
            time.sleep(0.01)
        try:
            yield
        finally:
            with self._mutex:
                if self._live(f"lock:{name}") == token:
                    del self._data[f"lock:{name}"]
