"""SQLAlchemy engine and sessions in the 2.0 style, so moving off the 1.4 pin is a version bump."""
from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import weakref
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool


class Database:
    def __init__(self, url: str, **engine_options) -> None:
        """engine_options override the pool defaults (e.g. a smaller pool per process under load)."""
        self.url = url
        kwargs: dict = {"future": True, "pool_pre_ping": True}
        if url.startswith("sqlite"):
            path = url.split("///", 1)[-1]
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 15, "factory": _WriterConnection}
            # SQLAlchemy 1.4 opens a new SQLite connection per session by default (NullPool):
            # re-running the pragmas and reopening the file cost ~10 ms a message.
            kwargs["poolclass"] = QueuePool
            # A file has no server to drop the connection: pre-ping's SELECT 1 on every checkout
            # (three per message) bought nothing here (issue 17).
            kwargs["pool_pre_ping"] = False
        else:
            kwargs.update(pool_size=10, max_overflow=20, pool_timeout=5)
        kwargs.update(engine_options)
        self.engine: Engine = create_engine(url, **kwargs)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, future=True, expire_on_commit=False)
        os.register_at_fork(after_in_child=lambda ref=weakref.ref(self): _fresh_pool(ref))

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back whole when it raises."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def ping(self) -> bool:
        with self.engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        return True

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"


_INHERITED: list = []  # pools inherited over fork: kept, unused and unclosed, for the parent's sake


def _fresh_pool(ref) -> None:
    """In a forked child (RQ's work horse): new connections of its own. The parent's (its housekeeping
    thread queries while jobs run) are left alone: two processes on one socket corrupt both sessions,
    and closing them here would end the parent's. The horse exits with os._exit, closing nothing."""
    db = ref()
    if db is not None:
        _INHERITED.append(db.engine.pool)
        db.engine.dispose(close=False)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # WAL lets the webhook write while the console reads; foreign keys are off by default.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


# -- SQLite: one writer at a time, queued in Python -----------------------------------------------
# SQLite lets one connection write at a time. When web threads collide, the loser sleeps in SQLite's
# busy handler (1, 2, 5, 10 ... 100 ms steps) and retries. Issue 17's profile under 8 concurrent
# messages found most of the request threads' time there (the message-log insert and update), and
# the sleeps made the p99. So a thread that is about to write first takes this process's write
# turn, a lock it waits on without polling, and gives it back when its transaction ends (commit,
# rollback or close). Only this process's threads queue here; other processes (make run with Redis
# and several workers) still meet SQLite's own busy handler. Reads never wait (WAL).
_WRITE_TURN = threading.RLock()  # re-entrant: a thread with two connections open must not block itself
_TURN_WAIT = 15  # seconds, as the busy timeout: after that the write goes ahead and SQLite decides


_READS = ("SELECT", "PRAGMA", "WITH")  # WITH: read-only CTEs are all this code base writes


class _WriterCursor(sqlite3.Cursor):
    """Takes the write turn before the first statement that writes. In the driver's cursor rather
    than a SQLAlchemy `before_cursor_execute` listener: any engine listener sends every statement
    through SQLAlchemy's event dispatch, which cost more than the check itself (issue 17)."""

    def execute(self, sql, parameters=(), /):
        self.connection._take_turn(sql)
        return super().execute(sql, parameters)

    def executemany(self, sql, seq_of_parameters, /):
        self.connection._take_turn(sql)
        return super().executemany(sql, seq_of_parameters)


class _WriterConnection(sqlite3.Connection):
    """sqlite3 connection whose cursors take the write turn, given back when its transaction ends."""

    turns = 0  # write turns this connection holds (0 or 1; more only if an acquire timed out)

    def cursor(self, factory=_WriterCursor):
        return super().cursor(factory)

    def _take_turn(self, statement: str) -> None:
        if self.turns or statement.lstrip()[:6].upper().startswith(_READS):
            return
        if _WRITE_TURN.acquire(timeout=_TURN_WAIT):
            self.turns += 1

    def _give_back(self) -> None:
        while self.turns:
            self.turns -= 1
            try:
                _WRITE_TURN.release()
            except RuntimeError:  # taken by a thread that is not this one: nothing of ours to release
                self.turns = 0

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._give_back()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._give_back()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._give_back()


