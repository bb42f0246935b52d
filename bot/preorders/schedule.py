"""The periodic sweep on the RQ worker: each run books the next one under a job id derived from
its time slot, so however many workers book it, one job per slot exists (RQ keys jobs by id).
Overlapping sweeps are harmless anyway: every transition is re-checked under the round lock."""
from __future__ import annotations

import datetime as dt
import logging

from .. import clock
from ..jobs import EVERY_MINUTE, job, on_worker_start
from .lifecycle import sweep
from . import notices  # module, not name: bot.jobs imports this package while notices loads

log = logging.getLogger(__name__)
SWEEP_EVERY = 60  # seconds


def run_sweep(services) -> list:
    transitions = [t for t in sweep(services.db) if t is not None]
    for t in transitions:
        log.info("round %s: %s -> %s, %s notices", t.round_id, t.before, t.after, t.notices)
        if t.notices:
            notices.queue_notices(services, t.round_id)
    return transitions


@job
def sweep_rounds(services) -> int:
    """The worker's minute sweep: rounds past their deadline, then other upkeep (EVERY_MINUTE)."""
    try:
        for task in EVERY_MINUTE:
            try:
                task(services)
            except Exception:  # one failing task must not stop the rounds or the next booking
                log.exception("periodic task %s failed", task.__name__)
        return len(run_sweep(services))
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
    queue.queue.enqueue_at(when, "bot.jobs.run", "sweep_rounds", job_id=job_id, result_ttl=SWEEP_EVERY * 10)
    return job_id
