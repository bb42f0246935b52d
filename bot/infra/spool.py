"""Where the message record waits while the database is unreachable, so nothing a customer sent
is lost when PostgreSQL restarts: the shared store first (any process can replay it), a local
append-only file when the store is down too. Replayed into message_log in order once the
database answers again. Message text is encrypted with the data key here as in the table.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import json
import logging
import os
import threading
import time
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from bot.infra.store import LockTimeout, StoreUnavailable

from ..models import MessageLog, utcnow
from ..models.base import _Keys

log = logging.getLogger(__name__)
KEY = "spool:message_log"
_SECRET_FIELDS = ("text", "answer")
_SECRET_JSON = ("payload", "entities")  # coordinates, address labels, typed phone numbers
_DATES = ("created_at", "answered_at", "lease_until")
REPLAY_LEASE = 60  # seconds a replayed row is not taken over: its spooled completion follows it


def _seal(values: dict) -> dict:
    out = dict(values)
    for name in _SECRET_FIELDS:
        if out.get(name) is not None:
            out[name] = _Keys.fernet.encrypt(out[name].encode()).decode()
    for name in _SECRET_JSON:
        if out.get(name) is not None:
            out[name] = _Keys.fernet.encrypt(json.dumps(out[name], ensure_ascii=False).encode()).decode()
    for name in _DATES:
        if isinstance(out.get(name), dt.datetime):
            out[name] = out[name].isoformat()
    return out


def _open(values: dict) -> dict:
    out = dict(values)
    for name in _SECRET_FIELDS:
        if out.get(name) is not None:
            out[name] = _Keys.fernet.decrypt(out[name].encode()).decode()
    for name in _SECRET_JSON:
        if isinstance(out.get(name), str):
            out[name] = json.loads(_Keys.fernet.decrypt(out[name].encode()).decode())
    for name in _DATES:
        if isinstance(out.get(name), str):
            out[name] = dt.datetime.fromisoformat(out[name])
    return out


class Spool:
    def __init__(self, db, store, directory: str | Path) -> None:
        self.db, self.store = db, store
        self.directory = Path(directory) / "spool"
        self._last_try = 0.0
        self._replaying = threading.Lock()

    # -- writing ----------------------------------------------------------------------------
    def insert(self, values: dict) -> None:
        self._push({"op": "insert", "values": _seal(values)})

    def update(self, ref: int | str, values: dict) -> None:
        """ref: a message_log id, or the dedup key of a message that is itself still spooled."""
        self._push({"op": "update", "ref": ref, "values": _seal(values)})

    def _push(self, entry: dict) -> None:
        line = json.dumps(entry, ensure_ascii=False)
        try:
            self.store.rpush(KEY, line)
            return
        except StoreUnavailable:
            pass
        self.directory.mkdir(parents=True, exist_ok=True)
        with open(self.directory / f"{os.getpid()}.jsonl", "a", encoding="utf-8") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            f.write(line + "\n")
            f.flush()
            os.fsync(f.fileno())
        log.warning("store and database both down: message record kept in %s", self.directory)

    # -- replaying --------------------------------------------------------------------------
    def replay_soon(self, every: float = 2.0) -> None:
        """Called after a successful write: replay in the background, at most every few seconds."""
        now = time.monotonic()
        if now - self._last_try < every or self._replaying.locked():
            return
        self._last_try = now
        threading.Thread(target=self._replay_quietly, daemon=True, name="spool-replay").start()

    def _replay_quietly(self) -> None:
        try:
            self.replay()
        except Exception:  # the next call tries again; nothing is removed before it is written
            log.exception("spool replay failed")

    def replay(self) -> int:
        """Write what was kept into message_log; returns how many entries were applied."""
        if not self._replaying.acquire(blocking=False):
            return 0
        try:
            return self._replay_files() + self._replay_store()
        finally:
            self._replaying.release()

    def _replay_store(self) -> int:
        done = 0
        try:
            with self.store.lock("spool-replay", timeout=60, wait=0.1):
                while (line := self.store.lpop(KEY)) is not None:
                    try:
                        self._apply(json.loads(line))
                    except SQLAlchemyError:
                        self.store.lpush(KEY, line)  # back at the front: order matters
                        raise
                    done += 1
        except (LockTimeout, StoreUnavailable):
            pass
        return done

    def _replay_files(self) -> int:
        done = 0
        if not self.directory.is_dir():
            return 0
        for path in sorted(self.directory.glob("*.jsonl")):
            claimed = path.with_suffix(f".replaying-{os.getpid()}")
            try:
                path.rename(claimed)
            except FileNotFoundError:
                continue  # another process claimed it
            with open(claimed, encoding="utf-8") as f:
                fcntl.flock(f, fcntl.LOCK_EX)  # a writer that opened it before the rename finishes first
                lines = [line for line in f.read().splitlines() if line.strip()]
            for i, line in enumerate(lines):
                try:
                    self._apply(json.loads(line))
                except SQLAlchemyError:
                    claimed.write_text("".join(x + "\n" for x in lines[i:]), encoding="utf-8")
                    claimed.rename(path.with_name(f"{os.getpid()}-rest-{int(time.time() * 1000)}.jsonl"))
                    raise
                done += 1
            claimed.unlink()
        return done

    def _apply(self, entry: dict) -> None:
        values = _open(entry["values"])
        if entry["op"] == "insert":
            values["lease_until"] = max(values.get("lease_until") or utcnow(), utcnow()) + dt.timedelta(
                seconds=REPLAY_LEASE)
            try:
                with self.db.session() as s:
                    s.add(MessageLog(**values))
            except IntegrityError:
                log.info("spooled message %s was recorded meanwhile", values.get("dedup_key"))
            return
        with self.db.session() as s:
            ref = entry["ref"]
            where = MessageLog.id == ref if isinstance(ref, int) else MessageLog.dedup_key == ref
            s.execute(update(MessageLog).where(where).values(**values))

    def pending(self) -> int:
        """Entries still waiting (store list plus local files), for health checks and tests."""
        count = 0
        try:
            count += int(self.store.redis.llen(KEY)) if hasattr(self.store, "redis") else len(
                self.store._live(KEY) or [])
        except Exception:
            pass
        if self.directory.is_dir():
            for path in self.directory.iterdir():
                count += sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
        return count

    def recorded(self, dedup_key: str) -> bool:
        with self.db.session() as s:
            return s.execute(select(MessageLog.id).where(MessageLog.dedup_key == dedup_key)).first() is not None
