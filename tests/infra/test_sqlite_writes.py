"""SQLite writers queue for this process's write turn (bot/infra/db.py, issue 17) instead of
sleeping in SQLite's busy handler: many threads write at once without errors, and every way a
transaction ends (commit, rollback after a failed write, a connection closed mid-write) gives
the turn back, so the next writer never stalls."""
import concurrent.futures as cf
import threading

from sqlalchemy import text

from bot.dialogue.incoming import Incoming
from bot.infra import db as db_module
from bot.infra.db import Database
from bot.infra.message_log import MessageRecorder
from bot.infra.migrate import upgrade
from bot.models import configure_data_key


def _turn_is_free() -> bool:
    """Asked from another thread: a turn this thread holds would still count as free here."""
    box = []

    def probe():
        got = db_module._WRITE_TURN.acquire(timeout=2)
        box.append(got)
        if got:
            db_module._WRITE_TURN.release()
    t = threading.Thread(target=probe)
    t.start()
    t.join()
    return box == [True]


def _message(i: int) -> Incoming:
    msg = Incoming(openid=f"o-w{i % 7}", account="gh", kind="text", msg_id=str(i), create_time=0)
    msg.text = "你好"
    return msg


def test_concurrent_writers_all_land_and_the_turn_is_given_back(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.sqlite3'}"
    upgrade(url)
    configure_data_key("test-data-key-0123456789abcdef")
    database = Database(url)
    recorder = MessageRecorder(database)

    def one(i: int) -> bool:
        ref = recorder.received(_message(i)).ref
        recorder.answered(ref, intent="greet", confidence=1.0, entities=None, answer="您好", status="answered",
                          error=None, delivery="passive", latency_ms=1.0)
        return recorder.received(_message(i)).duplicate  # a retry: a failed insert, rolled back

    with cf.ThreadPoolExecutor(8) as pool:
        duplicates = list(pool.map(one, range(400)))
    assert all(duplicates)
    with database.engine.connect() as conn:
        counts = conn.execute(text("SELECT count(*), sum(status = 'answered') FROM message_log")).one()
    assert tuple(counts) == (400, 400)
    assert _turn_is_free()


def test_a_connection_closed_mid_write_gives_the_turn_back(tmp_path):
    url = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    upgrade(url)
    database = Database(url)
    conn = database.engine.connect()
    conn.begin()
    conn.execute(text("DELETE FROM message_log"))
    assert not _turn_is_free()  # held while the transaction is open
    conn.close()  # returned to the pool without a commit: rolled back
    assert _turn_is_free()
    database.engine.dispose()
    assert _turn_is_free()
