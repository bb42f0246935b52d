"""Whether a message's dialogue runs on the request's own thread or goes to the handler pool.

The pool keeps WeChat's 5-second rule for a dialogue that may wait on something outside this
process's own database and store: the NLU model still loading (a wait of up to NLU_WAIT), a Rasa
server across the network (RASA_URL), or an external order system (ORDER_SYSTEM_URL, a network call per order or stock question). Handing every
message to the pool costs two thread switches and the GIL changing hands between sixteen threads:
measured at 8 concurrent messages, about 0.9 ms of CPU a message, a fifth of the whole (issue 17,
bench/webhook.md). A dialogue that only reads and writes our own database and store is bounded as
the message record is, which the request thread writes itself before any dialogue starts, so it
runs inline. An inline answer slower than a quarter of the answer budget says something local is
slow (a locked database, a busy machine): then the pool takes every message for a while.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable

log = logging.getLogger(__name__)
MODES = ("auto", "off")


class InlinePolicy:
    def __init__(self, mode: str, safe: Callable[[], bool], budget: float, cool_off: float = 300.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if mode not in MODES:
            raise ValueError(f"INLINE_DIALOGUE must be one of {', '.join(MODES)}, got {mode!r}")
        self.mode, self.safe, self.clock = mode, safe, clock
        self.slow, self.cool_off = budget / 4, cool_off
        self._pool_until = float("-inf")
        self._lock = threading.Lock()

    def allowed(self) -> bool:
        return self.mode == "auto" and self.clock() >= self._pool_until and self.safe()

    def ran(self, seconds: float) -> None:
        """An inline dialogue took `seconds`: a slow one sends the next messages to the pool."""
        if seconds <= self.slow:
            return
        with self._lock:
            self._pool_until = self.clock() + self.cool_off
        log.warning("an inline answer took %.2f s (over %.2f s): the handler pool takes messages for %.0f s",
                    seconds, self.slow, self.cool_off)
