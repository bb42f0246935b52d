"""The Redis store: shared by every process pointing at the same Redis."""
from __future__ import annotations

import contextlib
import functools
from typing import Iterator

import redis

from .base import LockTimeout, Store, StoreUnavailable


def _unavailable(fn):
    """Redis errors leave RedisStore as one neutral exception the callers know how to degrade on."""
    @functools.wraps(fn)
    def wrapped(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except redis.exceptions.RedisError as exc:
            raise StoreUnavailable(f"{exc.__class__.__name__}: {exc}") from exc
    return wrapped


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

    @_unavailable
    def keys_containing(self, text: str) -> list[str]:
        pattern = "*" + "".join(f"\\{c}" if c in "*?[]\\" else c for c in text) + "*"
        return sorted(self.redis.scan_iter(match=pattern, count=1000))

    @_unavailable
    def read(self, key: str) -> str | list | dict | None:
        kind = self.redis.type(key)
        if kind == "list":
            return self.redis.lrange(key, 0, -1)
        if kind == "hash":
            return self.redis.hgetall(key)
        if kind == "set":
            return sorted(self.redis.smembers(key))
        if kind == "zset":
            return self.redis.zrange(key, 0, -1)
        return self.redis.get(key) if kind == "string" else None

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
