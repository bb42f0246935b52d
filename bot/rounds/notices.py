"""Delivering round notifications from the worker, each row at most once.

A row is claimed with a conditional UPDATE (pending -> sending) before the message goes out, so
two workers, or a sweep run twice, can never both send it. A retryable failure puts the row back
to pending and raises, so the queue tries again later; a refusal is recorded as failed.
"""
from __future__ import annotations

from sqlalchemy import select, update

from ..worker.registry import job
from ..models import Round, RoundNotification, utcnow


def _claim(db, row_id: int) -> bool:
    with db.session() as s:
        result = s.execute(update(RoundNotification)
                           .where(RoundNotification.id == row_id, RoundNotification.status == "pending")
                           .values(status="sending"))
        return result.rowcount == 1


def _finish(db, row_id: int, status: str, error: str | None = None) -> None:
    with db.session() as s:
        s.execute(update(RoundNotification).where(RoundNotification.id == row_id)
                  .values(status=status, error=error, sent_at=utcnow() if status == "sent" else None))


@job
def send_round_notices(services, round_id: int) -> int:
    """Send every pending notification of a round; returns how many went out."""
    with services.db.session() as s:
        title = s.execute(select(Round.title).where(Round.id == round_id)).scalar_one_or_none() or ""
        rows = list(s.execute(select(RoundNotification).where(RoundNotification.round_id == round_id,
                                                              RoundNotification.status == "pending")
                              .order_by(RoundNotification.id)).scalars())
    sent, retry = 0, None
    for row in rows:
        if not _claim(services.db, row.id):
            continue  # another worker has it
        outcome = services.outbound.send(row.openid, row.text, template={
            "first": title, "keyword1": row.event.split(":")[0], "remark": row.text})
        if not outcome.ok:
            _finish(services.db, row.id, "pending" if outcome.retryable else "failed", outcome.detail)
            retry = outcome if outcome.retryable else retry
            continue
        _finish(services.db, row.id, "sent")
        sent += 1
    if retry is not None:
        retry.retry_later()  # the queue retries; rows already sent are skipped
    return sent


def queue_notices(services, round_id: int | None) -> None:
    if round_id is not None:
        services.queue.enqueue("send_round_notices", round_id)
