"""A circuit breaker: after a run of failures a dead system costs microseconds, not timeouts.

Closed: calls go through. After `threshold` consecutive failures it opens for `cooldown` seconds
and refuses at once; then one trial call is let through (half-open) and its result decides.
Per process on purpose: each process learns for itself within a few calls, with no shared state
that could itself be down.
"""
from __future__ import annotations

import threading
import time


class BreakerOpen(Exception):
    """Refused without trying: the system failed recently."""


class CircuitBreaker:
    def __init__(self, threshold: int = 3, cooldown: float = 30.0, clock=time.monotonic) -> None:
        self.threshold, self.cooldown, self.clock = threshold, cooldown, clock
        self.failures = 0
        self.opened_at: float | None = None
        self._trial = False
        self._lock = threading.Lock()

    @property
    def state(self) -> str:
        if self.opened_at is None:
            return "closed"
        return "half-open" if self.clock() - self.opened_at >= self.cooldown else "open"

    def before(self) -> None:
        """Raise BreakerOpen unless a call may go out now."""
        with self._lock:
            if self.opened_at is None:
                return
            if self.clock() - self.opened_at < self.cooldown or self._trial:
                raise BreakerOpen(f"open for {self.cooldown - (self.clock() - self.opened_at):.1f} s more")
            self._trial = True  # exactly one caller tests the water

    def success(self) -> None:
        with self._lock:
            self.failures, self.opened_at, self._trial = 0, None, False

    def failure(self) -> None:
        with self._lock:
            self.failures += 1
            if self._trial or self.failures >= self.threshold:
                self.opened_at, self._trial = self.clock(), False
