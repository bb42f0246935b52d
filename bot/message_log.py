"""The persisted trail of every inbound message: written before handling, completed after."""
from __future__ import annotations

import logging

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from .dialogue.incoming import Incoming
from .models import MessageLog, utcnow

log = logging.getLogger(__name__)


class MessageRecorder:
    def __init__(self, db) -> None:
        self.db = db

    def received(self, msg: Incoming) -> int | None:
        """Row id, or None when the database is unreachable: the customer is still answered."""
        try:
            with self.db.session() as s:
                row = MessageLog(
                    dedup_key=msg.dedup_key, openid=msg.openid, msg_type=msg.kind, event=msg.event,
                    text=msg.text or None, media_id=msg.media_id, media_url=msg.media_url,
                    payload=({**msg.extra, "event_key": msg.event_key} if (msg.extra or msg.event_key) else None),
                )
                s.add(row)
                s.flush()
                return row.id
        except IntegrityError:
            log.info("message %s already recorded (retry after the dedup window)", msg.dedup_key)
            return None
        except SQLAlchemyError:
            log.exception("could not record message %s", msg.dedup_key)
            return None

    def answered(self, row_id: int | None, *, intent, confidence, entities, answer, status, error,
                 delivery, latency_ms) -> None:
        self._update(row_id, intent=intent, confidence=confidence, entities=entities, answer=answer,
                     status=status, error=error, delivery=delivery, latency_ms=latency_ms,
                     answered_at=utcnow())

    def delivery(self, row_id: int | None, delivery: str, error: str | None = None) -> None:
        self._update(row_id, delivery=delivery, delivery_error=error)

    def _update(self, row_id: int | None, **values) -> None:
        if row_id is None:
            return
        try:
            with self.db.session() as s:
                s.execute(update(MessageLog).where(MessageLog.id == row_id).values(**values))
        except SQLAlchemyError:
            log.exception("could not update message %s", row_id)
