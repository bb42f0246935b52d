"""What the webhook does when Redis or the database is down: every message is answered (never a
500 to WeChat), handled once, recorded (later, from the spool, if need be), and service comes
back by itself when the dependency does."""
import pytest
from sqlalchemy import select

import bot.handlers  # noqa: F401  (registered before the tests replace one)
from bot.wechat.reply_window import APOLOGY
from bot.infra.db import Database
from bot.dialogue.registry import registry
from bot.worker.registry import WORKER_STARTUP
from bot.worker.housekeeping import tick
from bot.models import MessageLog
from bot.wechat.simulator import message_xml
from tests.helpers import free_port, private_redis


@pytest.fixture
def counted_greet(monkeypatch):
    calls = []

    def greet(turn):
        calls.append(turn.text)
        return f"问候 #{len(calls)}"
    monkeypatch.setitem(registry.intents, "greet", greet)
    return calls


def _rows(services, openid=None):
    with services.db.session() as s:
        q = select(MessageLog).order_by(MessageLog.id)
        if openid:
            q = q.where(MessageLog.openid == openid)
        return s.execute(q).scalars().all()


@pytest.fixture
def down_db():
    """A database that refuses connections, like PostgreSQL while it restarts."""
    db = Database(f"postgresql://postgres@127.0.0.1:{free_port()}/gone", pool_timeout=1)
    yield db
    db.engine.dispose()


def _database_down(services, down_db):
    real = services.db
    services.db = services.recorder.db = services.spool.db = down_db
    return real


def _database_back(services, real):
    services.db = services.recorder.db = services.spool.db = real


def test_redis_restart_mid_conversation_answers_everything_and_handles_each_once(make_app, counted_greet):
    with private_redis() as redis_server:
        app = make_app(REDIS_URL=redis_server.url)
        services = app.extensions["xiaoer"]
        from bot.wechat.simulator import Simulator

        from tests.helpers import APP_ID, TOKEN, flask_transport
        sim = Simulator(TOKEN, APP_ID, None, post=flask_transport(app))
        before = message_xml("o-r", "text", Content="你好", msg_id=1)
        assert sim.deliver(before)[2] == "问候 #1"
        redis_server.stop()
        during = message_xml("o-r", "text", Content="您好", msg_id=2)
        status, _, answer = sim.deliver(during)
        assert status == 200 and answer == "问候 #2"
        # WeChat's retry while Redis is down: the message log's unique key dedups it
        status, _, again = sim.deliver(during)
        assert status == 200 and again == "问候 #2" and len(counted_greet) == 2
        assert sim.deliver(before)[2] == "问候 #1"
        redis_server.start()  # empty: everything in it was lost
        after = message_xml("o-r", "text", Content="你好呀", msg_id=3)
        assert sim.deliver(after)[2] == "问候 #3"
        assert sim.deliver(during)[2] == "问候 #2"  # forgotten by Redis, remembered by the log
        assert len(counted_greet) == 3
        assert [r.status for r in _rows(services, "o-r")] == ["answered"] * 3
        assert "xiaoer_requests_total" in services.metrics.render()


def test_database_down_messages_are_spooled_then_recorded(app, services, sim, counted_greet, down_db):
    real = _database_down(services, down_db)
    xmls = [message_xml("o-db", "text", Content=t, msg_id=40 + i) for i, t in enumerate(["你好", "谢谢"])]
    answers = [sim.deliver(x) for x in xmls]
    assert [a[0] for a in answers] == [200, 200]
    # answered, or apologised for when a lookup on the way needed the database (PostgreSQL backend)
    assert answers[0][2] in ("问候 #1", APOLOGY) and answers[1][2]
    assert sim.deliver(xmls[0])[2] == answers[0][2] and len(counted_greet) <= 1  # retry: dedup store
    _database_back(services, real)
    assert _rows(services, "o-db") == [] and services.spool.pending() >= 4
    assert services.spool.replay() >= 4
    rows = _rows(services, "o-db")
    assert [r.text for r in rows] == ["你好", "谢谢"] and all(r.status in ("answered", "failed") for r in rows)
    assert rows[0].answer == answers[0][2] and rows[0].delivery == "passive" and services.spool.pending() == 0


def test_database_going_down_after_receipt_keeps_the_answer(app, services, sim, monkeypatch, down_db):
    holder = {}

    def greet(turn):  # the database dies while this message is being handled
        holder["real"] = _database_down(services, down_db)
        return "问候"
    monkeypatch.setitem(registry.intents, "greet", greet)
    assert sim.say("o-mid", "你好") == "问候"
    _database_back(services, holder["real"])
    assert _rows(services, "o-mid")[0].status == "received"
    services.spool.replay()
    row = _rows(services, "o-mid")[0]
    assert (row.status, row.answer) == ("answered", "问候")


def test_store_and_database_both_down_spool_to_a_local_file(make_app, counted_greet, down_db, tmp_path):
    with private_redis() as redis_server:
        app = make_app(REDIS_URL=redis_server.url)
        services = app.extensions["xiaoer"]
        from bot.wechat.simulator import Simulator

        from tests.helpers import APP_ID, TOKEN, flask_transport
        sim = Simulator(TOKEN, APP_ID, None, post=flask_transport(app))
        redis_server.stop()
        real = _database_down(services, down_db)
        status, _, answer = sim.deliver(message_xml("o-both", "text", Content="你好", msg_id=7))
        assert status == 200 and answer in ("问候 #1", APOLOGY)
        assert list(services.spool.directory.glob("*.jsonl"))
        _database_back(services, real)
        # the next message, with the database back, replays the file in the background
        assert sim.deliver(message_xml("o-both", "text", Content="你好", msg_id=8))[2].startswith("问候")
        from tests.helpers import wait_for
        # the replay applies every line, then removes the file: wait for both, not only the rows
        wait_for(lambda: len(_rows(services, "o-both")) == 2 and _rows(services, "o-both")[0].answer
                 and not list(services.spool.directory.glob("*")))
        assert services.spool.pending() == 0


def test_housekeeping_rebooks_the_sweep_after_redis_forgot_it(real_redis_url, make_app):
    import redis as redis_lib

    app = make_app(REDIS_URL=real_redis_url)
    services = app.extensions["xiaoer"]
    tick(services, WORKER_STARTUP)
    scheduled = lambda: services.queue.queue.scheduled_job_registry.get_job_ids()  # noqa: E731
    assert any(j.startswith("xiaoer-rounds-sweep-") for j in scheduled())
    redis_lib.Redis.from_url(real_redis_url).flushdb()  # what a restart without persistence does
    assert scheduled() == []
    tick(services, WORKER_STARTUP)
    assert any(j.startswith("xiaoer-rounds-sweep-") for j in scheduled())
