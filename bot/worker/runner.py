"""RQ's entry point. Queued jobs name this function (`bot.worker.runner.run`) and a job name, and
carry the queuing app's key in `meta["services"]`, so a job runs with the app that queued it."""
from __future__ import annotations

from ..current import services_for
from .registry import run_with


def run(name: str, *args):
    from rq import get_current_job

    current = get_current_job()
    services = services_for(current.meta.get("services") if current else None)
    if services is None:  # a bare `rq worker`: build this process's app once
        from .. import create_app

        create_app()
        services = services_for()
    return run_with(services, name, *args)
