"""Private, throw-away service instances for fault tests: killing these disturbs nobody else."""
from __future__ import annotations

import contextlib
from typing import Iterator

from bench.common import free_port  # noqa: F401  (re-exported for the fault tests)
from bench.stack import PrivateRedis


@contextlib.contextmanager
def private_redis() -> Iterator[PrivateRedis]:
    server = PrivateRedis().start()
    try:
        yield server
    finally:
        server.stop()
