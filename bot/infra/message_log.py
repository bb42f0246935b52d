"""The persisted trail of every inbound message: written before handling, completed after.

When the database does not answer, the record goes to the spool (bot/spool.py) and is written
later, so a PostgreSQL restart loses nothing. A message already on file is a duplicate even if
the dedup store forgot it (Redis restarted): the log's unique key is the last line of dedup.
"""
from __future__ import annotations

import logging
import datetime as dt
import threading
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from ..dialogue.incoming import Incoming
from ..models import MessageLog, utcnow

log = logging.getLogger(__name__)


@dataclass
class Received:
    ref: int | str | None  # row id; the dedup key while spooled; None for a duplicate
    duplicate: bool = False
    answer: str | None = None  # a duplicate's recorded answer
    spooled: bool = False


@dataclass
class OnFile:
    """What the log holds about a message, for a retry the dedup store cannot answer."""

    status: str
    answer: str | None
    delivery: str | None


class MessageRecorder:
    """`lease` (seconds): how long a fresh row belongs to the process that wrote it before another
    may take it over (bot/wechat/recovery.py); the handler renews it while it works."""

    def __init__(self, db, spool=None, lease: float = 20) -> None:
        self.db = db
        self.spool = spool
        self.lease = lease

    def received(self, msg: Incoming) -> Received:
        values = dict(
            dedup_key=msg.dedup_key, openid=msg.openid, msg_type=msg.kind, event=msg.event,
            text=msg.text or None, media_id=msg.media_id, media_url=msg.media_url,
            payload=({**msg.extra, "event_key": msg.event_key} if (msg.extra or msg.event_key) else None),
            lease_until=utcnow() + dt.timedelta(seconds=self.lease),
        )
        try:
            with self.db.session() as s:
                row = MessageLog(**values)
                s.add(row)
                s.flush()
                row_id = row.id
        except IntegrityError:
            log.info("message %s already recorded: a retry the dedup store forgot", msg.dedup_key)
            found = self.on_file(msg.dedup_key)
            return Received(None, duplicate=True, answer=found.answer if found else None)
        except SQLAlchemyError as exc:
            if self.spool is None:
                log.exception("could not record message %s", msg.dedup_key)
                return Received(None)
            log.warning("database unavailable, spooling message %s: %s", msg.dedup_key, exc.__class__.__name__)
            self.spool.insert({**values, "created_at": utcnow()})
            return Received(msg.dedup_key, spooled=True)
        if self.spool is not None:
            self.spool.replay_soon()
        return Received(row_id)

    def on_file(self, dedup_key: str) -> OnFile | None:
        try:
            with self.db.session() as s:
                row = s.execute(select(MessageLog.status, MessageLog.answer, MessageLog.delivery)
                                .where(MessageLog.dedup_key == dedup_key)).first()
        except SQLAlchemyError:
            return None
        return OnFile(*row) if row else None

    def answered(self, ref: int | str | None, *, intent, confidence, entities, answer, status, error,
                 delivery, latency_ms, attempt: int = 0) -> bool:
        """Completes the row if it is still this handler's (`attempt`: 0 for the process that
        received it, n for the n-th takeover). False: another process took the message over after
        this one's lease ran out, and its answer, not this one's, goes to the customer."""
        values = dict(intent=intent, confidence=confidence, entities=entities, answer=answer, status=status,
                      error=error, delivery=delivery, latency_ms=latency_ms, answered_at=utcnow())
        if isinstance(ref, int):
            try:
                with self.db.session() as s:
                    done = s.execute(update(MessageLog).where(
                        MessageLog.id == ref, MessageLog.status == "received",
                        MessageLog.attempts == attempt).values(**values)).rowcount
                if not done:
                    log.warning("message %s was taken over by another process: this answer is dropped", ref)
                return bool(done)
            except SQLAlchemyError:
                if self.spool is None:
                    log.exception("could not update message %s", ref)
                    return True
        self._update(ref, **values)
        return True

    def hold(self, ref: int | str | None, attempt: int = 0) -> "Held":
        """Keeps this process's lease on the row while it handles the message (see Held)."""
        return Held(self, ref, attempt)

    def renew(self, ref: int, attempt: int, seconds: float) -> None:
        """Keeps the lease of a message this process is still handling."""
        with self.db.session() as s:
            s.execute(update(MessageLog).where(MessageLog.id == ref, MessageLog.status == "received",
                                               MessageLog.attempts == attempt)
                      .values(lease_until=utcnow() + dt.timedelta(seconds=seconds)))

    def delivery(self, ref: int | str | None, delivery: str, error: str | None = None) -> None:
        self._update(ref, delivery=delivery, delivery_error=error)

    def _update(self, ref: int | str | None, **values) -> None:
        if ref is None:
            return
        if isinstance(ref, int):
            try:
                with self.db.session() as s:
                    s.execute(update(MessageLog).where(MessageLog.id == ref).values(**values))
                return
            except SQLAlchemyError:
                if self.spool is None:
                    log.exception("could not update message %s", ref)
                    return
        self.spool.update(ref, values)  # after the spooled insert, or until the database is back


class Held:
    """The lease of a message being handled, renewed every quarter lease until `release()`: a slow
    handler (a model still loading, a slow order system) is never taken for a dead one, and a
    process that dies stops renewing, so another takes the message over once the lease runs out."""

    def __init__(self, recorder: MessageRecorder, ref: int | str | None, attempt: int) -> None:
        self.recorder, self.ref, self.attempt = recorder, ref, attempt
        self._stop = threading.Event()
        if isinstance(ref, int):  # a spooled message has no row to lease yet
            threading.Thread(target=self._keep, daemon=True, name=f"lease-{ref}").start()

    def _keep(self) -> None:
        while not self._stop.wait(self.recorder.lease / 4):
            try:
                self.recorder.renew(self.ref, self.attempt, self.recorder.lease)
            except SQLAlchemyError as exc:
                log.warning("lease of message %s not renewed: %s", self.ref, exc.__class__.__name__)

    def release(self) -> None:
        self._stop.set()
