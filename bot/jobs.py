"""Work done by the queue worker. Jobs are named, so RQ stores a name and arguments, not code."""
from __future__ import annotations

import logging
from typing import Callable

log = logging.getLogger(__name__)
JOBS: dict[str, Callable] = {}
WORKER_STARTUP: list[Callable] = []  # run with the services when `flask --app bot worker` starts
EVERY_MINUTE: list[Callable] = []  # run by the worker's minute sweep (bot/preorders/schedule.py)


def job(fn: Callable) -> Callable:
    JOBS[fn.__name__] = fn
    return fn


def on_worker_start(fn: Callable) -> Callable:
    """E.g. book periodic jobs on RQ's scheduler; must be safe when several workers start."""
    WORKER_STARTUP.append(fn)
    return fn


def every_minute(fn: Callable) -> Callable:
    """Periodic upkeep on the worker's one-per-minute sweep; must be safe to run twice."""
    EVERY_MINUTE.append(fn)
    return fn


def run(name: str, *args):
    """Entry point for RQ: the job names the app that queued it (see `process_services`)."""
    from rq import get_current_job

    from . import process_services

    current = get_current_job()
    return JOBS[name](process_services(current.meta.get("services") if current else None), *args)


def run_with(services, name: str, *args):
    """The in-process queue's runner: a job runs with the services of the app that queued it."""
    return JOBS[name](services, *args)


@job
def deliver_text(services, row_id: int | None, openid: str, parts: list[str],
                 path: str = "customer_service", message_key: str | None = None) -> None:
    """Customer-service messages for a late or long answer; refusals are recorded, not retried.

    `message_key` (the inbound message's dedup key) names this delivery even when the message
    could not be logged (row_id None), so a retry resumes where it stopped and no other
    delivery shares its parts' idempotency keys."""
    for i, part in enumerate(parts):
        sent = services.outbound.send(openid, part, key=f"delivered:{message_key or row_id}:{openid}:{i}")
        if not sent.ok:
            services.recorder.delivery(row_id, "failed", sent.detail)
            sent.retry_later()  # the queue tries again; the parts already sent are skipped
            return
    services.recorder.delivery(row_id, path)

from .preorders import notices, schedule  # noqa: E402,F401  (registers the round jobs)
from .tickets import jobs as _ticket_jobs  # noqa: E402,F401  (registers ticket jobs)
from .shop import jobs as _shop_jobs  # noqa: E402,F401  (orders and stock: registers its jobs)
