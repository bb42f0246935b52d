"""`flask --app bot worker`: the RQ worker with its scheduler and housekeeping."""
from __future__ import annotations

import click

from ..current import current_services

MAINTENANCE_EVERY = 60  # seconds


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst: bool) -> None:
    """Run the RQ worker (needs REDIS_URL) with its scheduler."""
    svc = current_services()
    if not svc.config.REDIS_URL:
        raise click.ClickException("REDIS_URL is not set: without Redis, jobs run inside the web process")
    from rq import Worker

    from .housekeeping import keep, tick
    from .registry import WORKER_STARTUP

    tick(svc, WORKER_STARTUP, tasks=False)
    keep(svc, WORKER_STARTUP)
    # Maintenance every minute, not RQ's 10: it is when a worker takes over the scheduler of a worker
    # that was killed (its lock expires after 61 s) and puts back that worker's job; until then no
    # scheduled job (retries, the minute sweep) runs.
    Worker([svc.queue.queue], connection=svc.queue.connection, maintenance_interval=MAINTENANCE_EVERY).work(
        burst=burst, with_scheduler=True)
