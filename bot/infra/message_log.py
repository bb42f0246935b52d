"""The persisted trail of every inbound message: written before handling, completed after.

When the database does not answer, the record goes to the spool (bot/spool.py) and is written
later, so a PostgreSQL restart loses nothing. A message already on file is a duplicate even if
the dedup store forgot it (Redis restarted): the log's unique key is the last line of dedup.
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from ..dialogue.incoming import Incoming
from ..models import MessageLog, utcnow
from .prepared import Prepared
from .redact import redact

log = logging.getLogger(__name__)
# Both writes sit on every message's path: they are Core statements compiled once and run on the
# driver's connection, not the ORM session (issue 17: the ORM's unit of work and its update
# synchronisation cost ~1 ms of the ~1.3 ms the two writes took on SQLite, Core's execution context
# half of the rest; the SQL, its column types and the commits are the same).
_TABLE = MessageLog.__table__
_INSERT = _TABLE.insert()


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
        now = utcnow()
        values = dict(
            dedup_key=msg.dedup_key, openid=msg.openid, msg_type=msg.kind, event=msg.event,
            text=msg.text or None, media_id=msg.media_id, media_url=msg.media_url,
            payload=({**msg.extra, "event_key": msg.event_key} if (msg.extra or msg.event_key) else None),
            lease_until=now + dt.timedelta(seconds=self.lease), status="received", created_at=now, attempts=0,
        )
        if msg.simulated_by:
            values["simulated_by"] = msg.simulated_by
        try:
            row_id = _insert(tuple(values)).run(self.db.engine, values)[1]
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
                      error=redact(error) if error else error, delivery=delivery, latency_ms=latency_ms,
                      answered_at=utcnow())
        if isinstance(ref, int):
            try:
                done = _ANSWERED.run(self.db.engine, {**values, "_ref": ref, "_attempt": attempt})[0]
                if not done:
                    log.warning("message %s was taken over by another process: this answer is dropped", ref)
                return bool(done)
            except SQLAlchemyError:
                if self.spool is None:
                    log.exception("could not update message %s", ref)
                    return True
        self._update(ref, **values)
        return True

    def hold(self, ref: int | str | None, attempt: int = 0, *, watch: bool = True) -> "Held":
        """Keeps this process's lease on the row while it handles the message (see Held).
        `watch=False`: the caller renews with `renew_due()` while it waits and calls `watch()` if
        it stops waiting before the handler is done."""
        held = Held(self, ref, attempt)
        if watch:
            held.watch()
        return held

    def renew(self, ref: int, attempt: int, seconds: float) -> None:
        """Keeps the lease of a message this process is still handling."""
        with self.db.engine.begin() as conn:
            conn.execute(_RENEW, {"_ref": ref, "_attempt": attempt,
                                  "lease_until": utcnow() + dt.timedelta(seconds=seconds)})

    def delivery(self, ref: int | str | None, delivery: str, error: str | None = None) -> None:
        self._update(ref, delivery=delivery, delivery_error=error)

    def _update(self, ref: int | str | None, **values) -> None:
        if ref is None:
            return
        for name in ("error", "delivery_error"):  # exception texts may carry URLs with secrets
            if values.get(name):
                values[name] = redact(values[name])
        if isinstance(ref, int):
            try:
                with self.db.engine.begin() as conn:
                    conn.execute(_update_statement(tuple(sorted(values))), {**values, "_ref": ref})
                return
            except SQLAlchemyError:
                if self.spool is None:
                    log.exception("could not update message %s", ref)
                    return
        self.spool.update(ref, values)  # after the spooled insert, or until the database is back

    def expire(self, days: int, now: dt.datetime | None = None, batch: int = 2000) -> int:
        """Delete rows older than `days` (MESSAGE_RETENTION_DAYS; 0 keeps everything), in batches so
        that no long transaction holds the table; returns how many went."""
        if days <= 0:
            return 0
        cutoff, total = (now or utcnow()) - dt.timedelta(days=days), 0
        while True:
            with self.db.session() as s:
                ids = list(s.execute(select(MessageLog.id).where(MessageLog.created_at < cutoff)
                                     .order_by(MessageLog.id).limit(batch)).scalars())
                if ids:
                    s.execute(delete(MessageLog).where(MessageLog.id.in_(ids)))
            total += len(ids)
            if len(ids) < batch:
                return total


_UPDATES: dict[tuple[str, ...], object] = {}
_ANSWERED_COLUMNS = ("intent", "confidence", "entities", "answer", "status", "error", "delivery", "latency_ms",
                     "answered_at")
_STILL_OURS = (_TABLE.c.id == bindparam("_ref"), _TABLE.c.status == "received",
               _TABLE.c.attempts == bindparam("_attempt"))
# Built once: a statement rebuilt per message costs SQLAlchemy its cache key every time (issue 17).
# The two writes every message makes run as Prepared statements (bot/infra/prepared.py).
_ANSWERED = Prepared(_TABLE.update().where(*_STILL_OURS).values({c: bindparam(c) for c in _ANSWERED_COLUMNS}))
_INSERTS: dict[tuple[str, ...], Prepared] = {}


def _insert(columns: tuple[str, ...]) -> Prepared:
    """One prepared INSERT per set of columns given (a simulated message has one more)."""
    prepared = _INSERTS.get(columns)
    if prepared is None:
        prepared = _INSERTS[columns] = Prepared(_INSERT, columns, returning=_TABLE.c.id)
    return prepared


_RENEW = _TABLE.update().where(*_STILL_OURS).values(lease_until=bindparam("lease_until"))


def _update_statement(columns: tuple[str, ...]):
    """One prepared UPDATE per set of columns (answered, delivery), so SQLAlchemy compiles it once."""
    statement = _UPDATES.get(columns)
    if statement is None:
        statement = _UPDATES[columns] = (_TABLE.update().where(_TABLE.c.id == bindparam("_ref"))
                                         .values({c: bindparam(c) for c in columns}))
    return statement


class Held:
    """The lease of a message being handled, renewed every quarter lease until `release()`: a slow
    handler (a model still loading, a slow order system) is never taken for a dead one, and a
    process that dies stops renewing, so another takes the message over once the lease runs out.

    The webhook's request thread waits for the handler anyway, so it renews while it waits
    (`renew_due`) and a thread of the message's own starts only when the request gives up waiting
    (`watch`): with the 20 s lease and the 4.5 s answer budget, almost no message needs one.
    Starting a thread per message cost about a millisecond of CPU under load (issue 17); a single
    watcher thread for the whole process was tried too, and CI then saw a message handled twice."""

    def __init__(self, recorder: MessageRecorder, ref: int | str | None, attempt: int) -> None:
        self.recorder, self.ref, self.attempt = recorder, ref, attempt
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._watched = False
        self._renewed = time.monotonic()

    def watch(self) -> None:
        """Renew from a thread of this message's own from now until `release()`."""
        with self._lock:
            if self._watched or self._stop.is_set() or not isinstance(self.ref, int):
                return  # a spooled message has no row to lease yet
            self._watched = True
        threading.Thread(target=self._keep, daemon=True, name=f"lease-{self.ref}").start()

    def renew_due(self) -> None:
        """Renew if a quarter lease has passed since the last renewal (the waiting request's turn)."""
        if time.monotonic() - self._renewed >= self.recorder.lease / 4 and not self._stop.is_set():
            self._renew()

    def _renew(self) -> None:
        if not isinstance(self.ref, int):
            return
        self._renewed = time.monotonic()
        try:
            self.recorder.renew(self.ref, self.attempt, self.recorder.lease)
        except SQLAlchemyError as exc:
            log.warning("lease of message %s not renewed: %s", self.ref, exc.__class__.__name__)

    def _keep(self) -> None:
        while not self._stop.wait(max(self.recorder.lease / 4 - (time.monotonic() - self._renewed), 0)):
            self._renew()

    def release(self) -> None:
        self._stop.set()
