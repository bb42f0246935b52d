"""SQLAlchemy engine and sessions in the 2.0 style, so moving off the 1.4 pin is a version bump."""
from __future__ import annotations

import contextlib
import os
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
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 15}
            # SQLAlchemy 1.4 opens a new SQLite connection per session by default (NullPool):
            # re-running the pragmas and reopening the file cost ~10 ms a message.
            kwargs["poolclass"] = QueuePool
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
