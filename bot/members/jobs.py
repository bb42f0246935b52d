"""Queue jobs for members: asking the receipt check, and the minute sweep that asks checks whose job
was lost and expires points that fell due."""
from __future__ import annotations

from sqlalchemy import select

from ..models import PointsEntry, utcnow
from ..worker.registry import every_minute, job
from . import points, receipt
from .rounds import award_round_points


@job
def ask_receipt(services, check_id: int) -> str:
    return receipt.ask(services, check_id)


@every_minute
def receipt_and_points_upkeep(services) -> int:
    """Ask receipt checks still pending, and expire points due (safe twice: both are claimed or keyed)."""
    with services.db.session() as s:
        waiting = receipt.pending_ids(s)
        due = list(s.execute(select(PointsEntry.customer_id).where(PointsEntry.remaining > 0,
                                                                   PointsEntry.expires_at <= utcnow())
                             .distinct().limit(200)).scalars())
    for check_id in waiting:
        receipt.ask(services, check_id)
    for customer_id in due:
        with services.db.session() as s:
            points.expire_due(s, points.lock_member(s, customer_id))
    return len(waiting) + len(due)


@every_minute
def round_points(services) -> int:
    """Points for everyone in a round that succeeded (closed or fulfilled), once per entry."""
    return award_round_points(services)
