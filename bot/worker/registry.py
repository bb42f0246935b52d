"""Named jobs: RQ stores a name and arguments, not code. Features register their jobs here with
`@job`, `@every_minute` and `@on_worker_start`; this module imports none of them (the app factory
does, see `bot.create_app`)."""
from __future__ import annotations

from typing import Callable

JOBS: dict[str, Callable] = {}
WORKER_STARTUP: list[Callable] = []  # run with the services when `flask --app bot worker` starts
EVERY_MINUTE: list[Callable] = []  # run by the worker's minute sweep (bot/worker/scheduler.py)
HOUSEKEEPING: list[Callable] = []  # run every RECOVERY_INTERVAL seconds beside the worker (housekeeping.py)


def job(fn: Callable | None = None, *, name: str | None = None):
    """Register `fn` under its own name, or under `name` (a name jobs already queued carry)."""
    def register(fn: Callable) -> Callable:
        key = name or fn.__name__
        if JOBS.get(key, fn) is not fn:
            raise ValueError(f"two jobs named {key!r}")
        JOBS[key] = fn
        return fn
    return register(fn) if fn is not None else register


def on_worker_start(fn: Callable) -> Callable:
    """E.g. book periodic jobs on RQ's scheduler; must be safe when several workers start."""
    WORKER_STARTUP.append(fn)
    return fn


def every_minute(fn: Callable) -> Callable:
    """Periodic upkeep on the worker's one-per-minute sweep; must be safe to run twice."""
    EVERY_MINUTE.append(fn)
    return fn


def on_housekeeping(fn: Callable) -> Callable:
    """Upkeep that cannot wait for the minute sweep (lost messages); must be safe to run anywhere,
    any number of times at once."""
    HOUSEKEEPING.append(fn)
    return fn


def run_with(services, name: str, *args):
    """The in-process queue's runner: a job runs with the services of the app that queued it."""
    return JOBS[name](services, *args)
