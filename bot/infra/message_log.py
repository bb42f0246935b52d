"""The persisted trail of every inbound message: written before handling, completed after.

When the database does not answer, the record goes to the spool (bot/spool.py) and is written
later, so a PostgreSQL restart loses nothing. A message already on file is a duplicate even if
the dedup store forgot it (Redis restarted): the log's unique key is the last line of dedup.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from ..dialogue.incoming import Incoming
from .redact import redact
from ..models import MessageLog, utcnow

log = logging.getLogger(__name__)
# Both writes sit on every message's path: they go through Core on a connection, not the ORM
# session (issue 17: the ORM's unit of work and its update synchronisation cost ~1 ms of the
# ~1.3 ms the two writes took on SQLite; the SQL, its column types and the commits are the same).
_TABLE = MessageLog.__table__
_INSERT = _TABLE.insert()


@dataclass
class Received:
    ref: int | str | None  # row id; the dedup key while spooled; None for a duplicate
    duplicate: bool = False
    answer: str | None = None  # a duplicate's recorded answer
    spooled: bool = False


class MessageRecorder:
    def __init__(self, db, spool=None) -> None:
        self.db = db
        self.spool = spool

    def received(self, msg: Incoming) -> Received:
        values = dict(
            dedup_key=msg.dedup_key, openid=msg.openid, msg_type=msg.kind, event=msg.event,
            text=msg.text or None, media_id=msg.media_id, media_url=msg.media_url,
            payload=({**msg.extra, "event_key": msg.event_key} if (msg.extra or msg.event_key) else None),
        )
        if msg.simulated_by:
            values["simulated_by"] = msg.simulated_by
        try:
            with self.db.engine.begin() as conn:
                row_id = conn.execute(_INSERT, values).inserted_primary_key[0]
        except IntegrityError:
            log.info("message %s already recorded: a retry the dedup store forgot", msg.dedup_key)
            return Received(None, duplicate=True, answer=self._answer_of(msg.dedup_key))
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

    def _answer_of(self, dedup_key: str) -> str | None:
        try:
            with self.db.session() as s:
                return s.execute(select(MessageLog.answer).where(MessageLog.dedup_key == dedup_key)).scalar()
        except SQLAlchemyError:
            return None

    def answered(self, ref: int | str | None, *, intent, confidence, entities, answer, status, error,
                 delivery, latency_ms) -> None:
        self._update(ref, intent=intent, confidence=confidence, entities=entities, answer=answer,
                     status=status, error=error, delivery=delivery, latency_ms=latency_ms,
                     answered_at=utcnow())

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


def _update_statement(columns: tuple[str, ...]):
    """One prepared UPDATE per set of columns (answered, delivery), so SQLAlchemy compiles it once."""
    statement = _UPDATES.get(columns)
    if statement is None:
        statement = _UPDATES[columns] = (_TABLE.update().where(_TABLE.c.id == bindparam("_ref"))
                                         .values({c: bindparam(c) for c in columns}))
    return statement
