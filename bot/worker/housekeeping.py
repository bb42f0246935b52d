"""Housekeeping beside the RQ worker: re-books the periodic jobs, replays the message spool and
deletes message-log rows older than MESSAGE_RETENTION_DAYS.

Periodic jobs are chained (each run books the next) and live in Redis; a Redis restart without
persistence forgets them, and nothing would book them again until a worker restarted. Housekeeping
re-runs the (idempotent) booking hooks every interval, so the chain heals by itself.
"""
from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)


def keep(services, hooks, interval: float = 30, stop: threading.Event | None = None) -> threading.Thread:
    stop = stop or threading.Event()

    def loop() -> None:
        while not stop.wait(interval):
            tick(services, hooks)

    thread = threading.Thread(target=loop, name="housekeeping", daemon=True)
    thread.start()
    return thread


def tick(services, hooks) -> None:
    """One round; every failure is logged and retried next round, never fatal to the worker."""
    for hook in hooks:
        try:
            hook(services)
        except Exception as exc:
            log.warning("periodic booking %s failed (retried): %s", getattr(hook, "__name__", hook), exc)
    try:
        replayed = services.spool.replay()
        if replayed:
            log.info("replayed %s spooled message records", replayed)
    except Exception as exc:
        log.warning("spool replay failed (retried): %s", exc)
    try:
        expired = services.recorder.expire(services.config.MESSAGE_RETENTION_DAYS)
        if expired:
            log.info("deleted %s message-log rows older than %s days", expired, services.config.MESSAGE_RETENTION_DAYS)
    except Exception as exc:
        log.warning("message-log retention failed (retried): %s", exc)
