"""Housekeeping beside the RQ worker: re-books the periodic jobs, replays the message spool, puts
back the jobs of a killed worker, deletes message-log rows older than MESSAGE_RETENTION_DAYS and runs
the `@on_housekeeping` tasks (lost-message recovery).

Periodic jobs are chained (each run books the next) and live in Redis; a Redis restart without
persistence forgets them, and nothing would book them again until a worker restarted. Housekeeping
re-runs the (idempotent) booking hooks every interval, so the chain heals by itself.

A worker killed mid-job (SIGKILL, OOM) leaves its job in RQ's started registry; RQ retries such a
job only from a worker's maintenance, and then through its scheduler. Housekeeping looks every
interval and queues the job again once its heartbeat has expired (about 90 s); the jobs' idempotency
keys keep a part already sent from going out twice.
"""
from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)


def keep(services, hooks, interval: float | None = None, stop: threading.Event | None = None) -> threading.Thread:
    stop = stop or threading.Event()
    interval = interval or services.config.RECOVERY_INTERVAL or 30

    def loop() -> None:
        while not stop.wait(interval):
            tick(services, hooks)

    thread = threading.Thread(target=loop, name="housekeeping", daemon=True)
    thread.start()
    return thread


def tick(services, hooks, tasks: bool = True) -> None:
    """One round; every failure is logged and retried next round, never fatal to the worker.
    `tasks=False` (the worker's start) leaves the `@on_housekeeping` tasks to the housekeeping thread,
    so a recovery that waits for the NLU model never delays the first jobs."""
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
    try:
        requeue_abandoned(services)
    except Exception as exc:
        log.warning("abandoned jobs not put back (retried): %s", exc)
    from .registry import HOUSEKEEPING

    for task in HOUSEKEEPING if tasks else ():
        try:
            task(services)
        except Exception:
            log.exception("housekeeping task %s failed (retried)", getattr(task, "__name__", task))


def requeue_abandoned(services, now: float | None = None) -> int:
    """Jobs whose worker died (their heartbeat in RQ's started registry expired) go back to the front
    of the queue at once, using one of their retries. RQ's own clean-up would schedule the retry, and
    scheduled jobs wait for a scheduler, which a killed worker took with it until another worker's
    maintenance takes over its lock. A job without retries left is left to RQ (failed registry)."""
    queue = services.queue
    if getattr(queue, "kind", "") != "rq":
        return 0
    from rq.exceptions import NoSuchJobError
    from rq.job import Job
    from rq.utils import current_timestamp  # the clock of RQ's registry scores

    registry, redis, done = queue.queue.started_job_registry, queue.connection, 0
    for entry in redis.zrangebyscore(registry.key, 0, current_timestamp() if now is None else now):
        try:
            job = Job.fetch(registry.parse_job_id(entry), connection=redis)
        except NoSuchJobError:
            redis.zrem(registry.key, entry)
            continue
        if not job.retries_left or not redis.zrem(registry.key, entry):
            continue  # RQ's clean-up fails it; or another worker's housekeeping took it first
        job.retries_left -= 1
        queue.queue.enqueue_job(job, at_front=True)
        log.warning("job %s (%s) of a worker that died queued again", job.id, job.args[:1])
        done += 1
    return done
