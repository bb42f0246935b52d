"""Counters in the shared store that stop guessing: order lookups per openid, and binding tries.

In the store (Redis in production) so every web process counts the same. Lookups use the same
rate limiter as the webhook; the binding lockout starts at the first wrong try and is cleared by
a right one.
"""
from __future__ import annotations


def lookup_allowed(services, openid: str) -> bool:
    """Counts this lookup; False once the openid used up its lookups for the window."""
    return services.limiter.hit(f"orders:lookups:{openid}", services.config.order_lookup_limit)


def bind_locked(services, openid: str) -> bool:
    failures = int(services.store.get(f"bind:failures:{openid}") or 0)
    return failures >= services.config.BIND_MAX_FAILURES


def bind_failed(services, openid: str) -> int:
    """Counts a wrong try; returns how many tries are left before the lockout."""
    cfg = services.config
    failures = services.store.incr(f"bind:failures:{openid}", 1, ttl=cfg.BIND_LOCKOUT_SECONDS)
    return max(cfg.BIND_MAX_FAILURES - failures, 0)


def bind_succeeded(services, openid: str) -> None:
    services.store.delete(f"bind:failures:{openid}")
