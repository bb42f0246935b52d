"""Slow or outbound work runs off the request: RQ on Redis, or a thread pool with no Redis."""
from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

log = logging.getLogger(__name__)
QUEUE_NAME = "xiaoer"
RUN = "bot.worker.runner.run"  # what every queued job calls (by name: RQ stores the path)
RETRY_INTERVALS = [5, 30, 120]


Runner = Callable[..., object]  # runner(job name, *args): runs a job with the services that queued it


class InlineQueue:
    """For `make run` with nothing installed: same jobs, same retries, in this process. Jobs run
    with the services of the app that owns this queue (its `runner`), never another app's."""

    kind = "in-process"

    def __init__(self, runner: Runner, retry_intervals: list[float] | None = None) -> None:
        self.runner = runner
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="job")
        self._futures: set = set()
        self._closed = threading.Event()
        self.retry_intervals = RETRY_INTERVALS if retry_intervals is None else retry_intervals

    def enqueue(self, job: str, *args) -> None:
        future = self._pool.submit(self._run, job, args)
        self._futures.add(future)
        future.add_done_callback(self._futures.discard)

    def _run(self, job: str, args: tuple) -> None:
        for delay in [*self.retry_intervals, None]:
            try:
                self.runner(job, *args)
                return
            except Exception:
                if delay is None or self._closed.is_set():
                    log.exception("job %s failed for good", job)
                    return
                log.warning("job %s failed, retrying in %ss", job, delay, exc_info=True)
                if self._closed.wait(delay):
                    log.error("job %s not retried: the queue was closed", job)
                    return

    @property
    def closed(self) -> bool:
        """True once the app is shutting down: a long job (a refit of every forecast) stops early."""
        return self._closed.is_set()

    def drain(self, timeout: float = 10) -> None:
        """Wait until queued jobs have run (tests, shutdown)."""
        from concurrent.futures import wait

        wait(list(self._futures), timeout)

    def wind_down(self, timeout: float = 10) -> None:
        """Shutdown's first half: pending retries give up (logged) instead of running after their
        app is gone, a long job stops at its next step, and what is running is waited for."""
        self._closed.set()
        self.drain(timeout)

    def close(self) -> None:
        """Shutdown: as `wind_down`, then wait for every job to finish."""
        self._closed.set()
        self._pool.shutdown(wait=True)


class RQQueue:
    """RQ on Redis; while Redis does not answer, jobs run in this process instead of being dropped."""

    kind = "rq"

    def __init__(self, redis_url: str, runner: Runner, owner: str | None = None, name: str = QUEUE_NAME) -> None:
        import redis
        from rq import Queue

        self.connection = redis.Redis.from_url(redis_url, socket_timeout=5, socket_connect_timeout=2)
        self.queue = Queue(name, connection=self.connection)
        self._fallback: InlineQueue | None = None
        self._runner = runner
        self._owner = owner  # the queuing app's key, carried in each job's meta

    def enqueue(self, job: str, *args) -> None:
        import redis
        from rq import Retry

        try:
            self.queue.enqueue(RUN, job, *args,
                               retry=Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS),
                               meta={"services": self._owner})
        except redis.exceptions.RedisError as exc:
            log.warning("queue unavailable (%s): running job %s in this process", exc, job)
            if self._fallback is None:
                self._fallback = InlineQueue(self._runner)
            self._fallback.enqueue(job, *args)

    def close(self) -> None:
        if self._fallback is not None:
            self._fallback.close()


def make_queue(redis_url: str | None, runner: Runner, owner: str | None = None):
    return RQQueue(redis_url, runner, owner) if redis_url else InlineQueue(runner)
