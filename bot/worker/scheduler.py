"""The minute sweep on the RQ worker: each run books the next one under a job id derived from
its time slot, so however many workers book it, one job per slot exists (RQ keys jobs by id).
Each run does the `@every_minute` work of every feature (round deadlines, ticket escalation);
overlapping sweeps are harmless, as every task is safe to run twice."""
from __future__ import annotations

import datetime as dt
import logging

from .. import clock
from .queue import RUN
from .registry import EVERY_MINUTE, job, on_worker_start

log = logging.getLogger(__name__)
SWEEP_EVERY = 60  # seconds
SWEEP_JOB = "sweep_rounds"  # the name and id prefix scheduled sweeps carry in Redis (rounds came first)


@job(name=SWEEP_JOB)
def minute_sweep(services) -> int:
    """Every `@every_minute` task once; returns how many ran without failing."""
    ok = 0
    try:
        for task in EVERY_MINUTE:
            try:
                task(services)
                ok += 1
            except Exception:  # one failing task must not stop the others or the next booking
                log.exception("periodic task %s failed", task.__name__)
        return ok
    finally:
        book_next_sweep(services)


@on_worker_start
def book_next_sweep(services, now: float | None = None) -> str | None:
    """Book the sweep for the next slot; returns the job id (None without Redis: sweep by hand)."""
    queue = services.queue
    if getattr(queue, "kind", "") != "rq":
        return None
    slot = int((now or clock.timestamp()) // SWEEP_EVERY) + 1
    job_id = f"xiaoer-rounds-sweep-{slot}"
    when = dt.datetime.fromtimestamp(slot * SWEEP_EVERY, tz=dt.timezone.utc)
    queue.queue.enqueue_at(when, RUN, SWEEP_JOB, job_id=job_id, result_ttl=SWEEP_EVERY * 10)
    return job_id
