"""Messages a dead process left behind, taken over by whichever process finds them, exactly once.

A message is written to message_log (`received`) before it is handled, and the process handling
it holds a lease on the row (`lease_until`, renewed while it works: bot/infra/message_log.Held).
When that process dies (OOM kill, `kill -9`, a deploy that does not drain) the lease runs out and
the row would stay `received` forever: WeChat's retries find the message "seen" and nobody answers.
Every RECOVERY_INTERVAL seconds the web processes (from their start: the in-process queue dies with
its process) and the worker's housekeeping look for such rows. A conditional UPDATE (a new lease,
`attempts` + 1) gives each row to one process, which handles the message again and queues the answer
as customer-service messages (`deliver_text`: one idempotency key per part, so a WeChat retry that
took the first part passively, or a second delivery job, never sends a part twice).

A late answer that was recorded but whose delivery job died with its process (the in-process queue,
or a Redis that restarted empty) is queued again the same way after RECOVERY_DELIVERY_GRACE.
"""
from __future__ import annotations

import datetime as dt
import logging
import threading

from sqlalchemy import or_, select, update

from ..dialogue.incoming import Incoming
from ..dialogue.pipeline import Outcome
from ..dialogue.replies import split_text
from ..models import MessageLog, utcnow
from ..worker.registry import on_housekeeping
from .reply_window import APOLOGY, converse

log = logging.getLogger(__name__)
BATCH = 50  # rows per pass: a backlog is worked off over several passes
WAITING = ("queued", "passive+queued")  # delivery states whose job may have died


@on_housekeeping
def recover(services) -> int:
    """One pass; returns how many messages were handled again or deliveries queued again."""
    done = 0
    for row_id in _stale(services, _unanswered(services)):
        attempt = _claim(services, row_id, MessageLog.status == "received", services.config.RECOVERY_GRACE)
        if attempt is not None:
            done += _handle(services, row_id, attempt)
    for row_id in _stale(services, _undelivered(services)):
        if _claim(services, row_id, MessageLog.delivery.in_(WAITING), services.config.RECOVERY_DELIVERY_GRACE,
                  count=False) is not None:
            done += _requeue(services, row_id)
    return done


def _free(now: dt.datetime):
    return or_(MessageLog.lease_until.is_(None), MessageLog.lease_until < now)


def _unanswered(services):
    now = utcnow()
    old = now - dt.timedelta(seconds=services.config.RECOVERY_GRACE)
    return select(MessageLog.id).where(MessageLog.status == "received", MessageLog.created_at < old, _free(now))


def _undelivered(services):
    now = utcnow()
    old = now - dt.timedelta(seconds=services.config.RECOVERY_DELIVERY_GRACE)
    return select(MessageLog.id).where(MessageLog.status != "received", MessageLog.delivery.in_(WAITING),
                                       MessageLog.answered_at < old, _free(now))


def _stale(services, query) -> list[int]:
    with services.db.session() as s:
        return list(s.execute(query.order_by(MessageLog.id).limit(BATCH)).scalars())


def _claim(services, row_id: int, condition, lease: float, count: bool = True) -> int | None:
    """The row for this process (a new lease; `attempts` + 1 when taking over a message), or None
    when another process claimed it first or its owner completed it meanwhile."""
    now = utcnow()
    values = {"lease_until": now + dt.timedelta(seconds=lease)}
    if count:
        values["attempts"] = MessageLog.attempts + 1
    with services.db.session() as s:
        claimed = s.execute(update(MessageLog).where(MessageLog.id == row_id, condition, _free(now))
                            .values(**values)).rowcount
        if not claimed:
            return None
        return s.execute(select(MessageLog.attempts).where(MessageLog.id == row_id)).scalar_one()


def _incoming(row: MessageLog) -> Incoming:
    """The message as the webhook decoded it, rebuilt from its record."""
    payload = dict(row.payload or {})
    event_key = payload.pop("event_key", None)
    rest = row.dedup_key[len(row.openid):]
    msg_id = rest[3:] if rest.startswith(":m:") else None
    create_time = rest[3:].split(":")[0] if rest.startswith(":e:") else "0"
    return Incoming(openid=row.openid, kind=row.msg_type, text=row.text or "", msg_id=msg_id,
                    create_time=int(create_time) if create_time.isdigit() else 0, event=row.event,
                    event_key=event_key, media_id=row.media_id, media_url=row.media_url, extra=payload)


def _handle(services, row_id: int, attempt: int) -> int:
    with services.db.session() as s:
        row = s.get(MessageLog, row_id)
        msg, dedup_key, created = _incoming(row), row.dedup_key, row.created_at
    cfg = services.config
    held = services.recorder.hold(row_id, attempt)
    try:
        if attempt > cfg.RECOVERY_MAX_ATTEMPTS:  # handling it has killed every process that tried
            outcome, error = Outcome(APOLOGY), f"RecoveryGaveUp: {attempt - 1} processes died handling it"
        else:
            outcome, error = converse(services.reply_window.respond, msg, services.metrics)
        parts = split_text(outcome.answer) if outcome.answer else []
        ours = services.recorder.answered(
            row_id, intent=outcome.intent, confidence=outcome.confidence, entities=outcome.entities or None,
            answer=outcome.answer or None, status="failed" if error else "answered", error=error,
            delivery="queued" if parts else None,
            latency_ms=round((utcnow() - created).total_seconds() * 1000, 2), attempt=attempt)
    finally:
        held.release()
    if not ours:
        return 0
    log.warning("message %s recovered (attempt %s): its first handler's process stopped", dedup_key, attempt)
    services.metrics.count("xiaoer_recovered_total")
    if parts:
        services.queue.enqueue("deliver_text", row_id, msg.openid, parts, "customer_service", dedup_key)
    return 1


def _requeue(services, row_id: int) -> int:
    with services.db.session() as s:
        row = s.get(MessageLog, row_id)
        openid, dedup_key, delivery, answer = row.openid, row.dedup_key, row.delivery, row.answer
    parts = split_text(answer) if answer else []
    log.warning("delivery of message %s queued again: its job did not finish", dedup_key)
    services.metrics.count("xiaoer_redelivered_total")
    if delivery == "passive+queued":
        services.queue.enqueue("deliver_text", row_id, openid, parts[1:], "passive+customer_service", dedup_key, 1)
    else:
        services.queue.enqueue("deliver_text", row_id, openid, parts, "customer_service", dedup_key)
    return 1


def recover_quietly(services) -> None:
    try:
        recover(services)
    except Exception:  # the next pass tries again
        log.exception("message recovery pass failed")


def start(services, stop: threading.Event | None = None) -> threading.Thread | None:
    """The recovery loop of a web process: a first pass now, then every RECOVERY_INTERVAL seconds."""
    interval = services.config.RECOVERY_INTERVAL
    if not interval:
        return None
    stop = stop or threading.Event()

    def loop() -> None:
        while True:
            recover_quietly(services)
            if stop.wait(interval):
                return

    thread = threading.Thread(target=loop, name="message-recovery", daemon=True)
    thread.start()
    return thread
