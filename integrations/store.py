"""The shared key-value store: Redis in production, a process-local stand-in for newcomers.

Everything that must agree across web workers (dedup, conversation state, tokens, locks,
rate limits, counters) goes through this one small interface, so the in-process default
and Redis behave the same and are tested with the same tests.
"""
from __future__ import annotations

import contextlib
import threading
import time
import uuid
from typing import Iterator

import redis


class LockTimeout(Exception):
    """Raised when a lock could not be taken within its waiting time."""


class StoreUnavailable(Exception):
    """The shared store does not answer (Redis restarting, network): callers degrade, not crash."""


def _unavailable(fn):
    """Redis errors leave RedisStore as one neutral exception the callers know how to degrade on."""
    import functools

    @functools.wraps(fn)
    def wrapped(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except redis.exceptions.RedisError as exc:
            raise StoreUnavailable(f"{exc.__class__.__name__}: {exc}") from exc
    return wrapped


class Store:
    def get(self, key: str) -> str | None: ...
    def set(self, key: str, value: str, ttl: float | None = None) -> None: ...
    def set_nx(self, key: str, value: str, ttl: float) -> bool: ...
    def delete(self, key: str) -> None: ...
    def incr(self, key: str, amount: int = 1, ttl: float | None = None) -> int: ...
    def hincr_many(self, name: str, amounts: dict[str, float]) -> None: ...
    def hgetall(self, name: str) -> dict[str, str]: ...
    def push(self, key: str, value: str, ttl: float | None = None) -> None: ...
    def take_all(self, key: str) -> list[str]: ...
    def ping(self) -> bool: ...
    def rpush(self, key: str, value: str) -> None: ...
    def lpush(self, key: str, value: str) -> None: ...
    def lpop(self, key: str) -> str | None: ...
    def lock(self, name: str, timeout: float = 10, wait: float = 10) -> contextlib.AbstractContextManager: ...


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


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


class RedisStore(Store):
    """Shared by every process that points at the same Redis. Errors surface as StoreUnavailable."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.redis = redis.Redis.from_url(
            url, decode_responses=True, socket_timeout=2, socket_connect_timeout=2,
            health_check_interval=30, retry_on_timeout=True,
        )

    @_unavailable
    def get(self, key: str) -> str | None:
        return self.redis.get(key)

    @_unavailable
    def set(self, key: str, value: str, ttl: float | None = None) -> None:
        self.redis.set(key, value, px=int(ttl * 1000) if ttl else None)

    @_unavailable
    def set_nx(self, key: str, value: str, ttl: float) -> bool:
        return bool(self.redis.set(key, value, nx=True, px=int(ttl * 1000)))

    @_unavailable
    def delete(self, key: str) -> None:
        self.redis.delete(key)

    @_unavailable
    def incr(self, key: str, amount: int = 1, ttl: float | None = None) -> int:
        pipe = self.redis.pipeline()
        pipe.incrby(key, amount)
        if ttl:
            pipe.expire(key, int(ttl), nx=True)
        return int(pipe.execute()[0])

    @_unavailable
    def hincr_many(self, name: str, amounts: dict[str, float]) -> None:
        pipe = self.redis.pipeline(transaction=False)
        for field, amount in amounts.items():
            if float(amount).is_integer():
                pipe.hincrby(name, field, int(amount))
            else:
                pipe.hincrbyfloat(name, field, amount)
        pipe.execute()

    @_unavailable
    def hgetall(self, name: str) -> dict[str, str]:
        return self.redis.hgetall(name)

    @_unavailable
    def push(self, key: str, value: str, ttl: float | None = None) -> None:
        pipe = self.redis.pipeline()
        pipe.rpush(key, value)
        if ttl:
            pipe.expire(key, int(ttl))
        pipe.execute()

    @_unavailable
    def take_all(self, key: str) -> list[str]:
        pipe = self.redis.pipeline()  # MULTI: nothing pushed in between is lost
        pipe.lrange(key, 0, -1)
        pipe.delete(key)
        return pipe.execute()[0]

    @_unavailable
    def ping(self) -> bool:
        return bool(self.redis.ping())

    @_unavailable
    def rpush(self, key: str, value: str) -> None:
        self.redis.rpush(key, value)

    @_unavailable
    def lpush(self, key: str, value: str) -> None:
        self.redis.lpush(key, value)

    @_unavailable
    def lpop(self, key: str) -> str | None:
        return self.redis.lpop(key)

    @contextlib.contextmanager
    def lock(self, name: str, timeout: float = 10, wait: float = 10) -> Iterator[None]:
        lock = self.redis.lock(f"lock:{name}", timeout=timeout, blocking_timeout=wait)
        if not _unavailable(lock.acquire)():
            raise LockTimeout(name)
        try:
            yield
        finally:
            try:
                lock.release()
            except redis.exceptions.RedisError:  # LockError or a connection lost meanwhile
                pass  # expired while held: the work finished anyway, nothing to undo


def make_store(redis_url: str | None) -> Store:
    return RedisStore(redis_url) if redis_url else MemoryStore()
