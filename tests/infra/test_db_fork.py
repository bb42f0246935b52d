"""A forked child (RQ's work horse) gets connections of its own: the parent's housekeeping thread keeps
querying while jobs run, and two processes on one database socket corrupt both sessions."""
import os

from sqlalchemy import text


def test_forked_child_uses_its_own_connections_and_leaves_the_parents_working(services):
    db = services.db
    with db.session() as s:
        s.execute(text("SELECT 1"))
    parent_pool = db.engine.pool
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: a fresh pool, and it works
        try:
            with db.session() as s:
                ok = s.execute(text("SELECT 1")).scalar() == 1 and db.engine.pool is not parent_pool
            os.write(write, b"1" if ok else b"0")
        finally:
            os._exit(0)
    os.close(write)
    assert os.read(read, 1) == b"1"
    os.waitpid(pid, 0)
    assert db.engine.pool is parent_pool
    with db.session() as s:
        assert s.execute(text("SELECT 1")).scalar() == 1
