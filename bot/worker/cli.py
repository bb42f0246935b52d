"""`flask --app bot worker`: the RQ worker with its scheduler and housekeeping."""
from __future__ import annotations

import click

from ..current import current_services


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
    Worker([svc.queue.queue], connection=svc.queue.connection).work(burst=burst, with_scheduler=True)
