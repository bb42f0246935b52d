"""The rounds' part of the worker's minute sweep (and of `flask --app bot rounds sweep`): rounds past
their deadline change state, and their notices are queued. Every transition is re-checked under
the round lock, so a sweep run twice changes nothing the second time."""
from __future__ import annotations

import logging

from ..worker.registry import every_minute
from .lifecycle import sweep
from .notices import queue_notices

log = logging.getLogger(__name__)


@every_minute
def run_sweep(services) -> list:
    transitions = [t for t in sweep(services.db) if t is not None]
    for t in transitions:
        log.info("round %s: %s -> %s, %s notices", t.round_id, t.before, t.after, t.notices)
        if t.notices:
            queue_notices(services, t.round_id)
    return transitions
