"""The message record's writes run as prepared statements on the driver's connection
(bot/infra/prepared.py, issue 17): they must store exactly what Core would, encrypted where the
column says so, and fail the way Core fails, leaving no transaction or write turn behind."""
import datetime as dt

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import bindparam, select, text

from bot.dialogue.incoming import Incoming
from bot.infra.db import Database
from bot.infra.message_log import MessageRecorder
from bot.infra.prepared import Prepared, transaction
from bot.models import MessageLog, configure_data_key, utcnow
from tests.infra.test_sqlite_writes import _turn_is_free

_TABLE = MessageLog.__table__


@pytest.fixture
def database(database_url):
    configure_data_key("test-data-key-0123456789abcdef")
    db = Database(database_url)
    yield db
    with db.engine.begin() as conn:
        conn.execute(_TABLE.delete().where(_TABLE.c.openid.like("o-prep%")))
    db.engine.dispose()


def _message(key: str, words: str) -> Incoming:
    msg = Incoming(openid="o-prep", account="gh", kind="text", msg_id=key, create_time=0)
    msg.text = words
    return msg


def test_the_record_reads_back_as_core_and_the_orm_wrote_it(database):
    recorder = MessageRecorder(database)
    ref = recorder.received(_message("p1", "我的手机号13812345678，草莓到哪了")).ref
    assert isinstance(ref, int)
    assert recorder.answered(ref, intent="order_status", confidence=0.93,
                             entities=[{"entity": "product", "value": "草莓"}], answer="已发货，明天到",
                             status="answered", error=None, delivery="passive", latency_ms=12.5)
    # The same message through Core's own execution, for comparison.
    with database.engine.begin() as conn:
        core_ref = conn.execute(_TABLE.insert(), dict(
            dedup_key="o-prep:p2", openid="o-prep", msg_type="text", text="我的手机号13812345678，草莓到哪了",
            lease_until=None)).inserted_primary_key[0]
        conn.execute(_TABLE.update().where(_TABLE.c.id == core_ref).values(
            intent="order_status", confidence=0.93, entities=[{"entity": "product", "value": "草莓"}],
            answer="已发货，明天到", status="answered", delivery="passive", latency_ms=12.5, answered_at=utcnow()))
    with database.session() as s:
        ours, core = (s.get(MessageLog, ref), s.get(MessageLog, core_ref))
        for column in ("openid", "msg_type", "text", "intent", "confidence", "entities", "answer", "status",
                       "delivery", "latency_ms", "attempts"):
            assert getattr(ours, column) == getattr(core, column), column
        assert ours.created_at.tzinfo == core.created_at.tzinfo and ours.lease_until is not None
    with database.engine.connect() as conn:
        stored = conn.execute(text("SELECT text, answer, entities FROM message_log WHERE id = :i"),
                              {"i": ref}).one()
    assert "13812345678" not in str(stored) and "草莓" not in str(stored)  # encrypted at rest


def test_a_duplicate_is_an_integrity_error_and_leaves_nothing_open(database):
    recorder = MessageRecorder(database)
    first = recorder.received(_message("p3", "你好"))
    again = recorder.received(_message("p3", "你好"))  # MessageRecorder maps the IntegrityError
    assert first.ref and again.duplicate and again.ref is None
    values = dict(dedup_key=_message("p3", "").dedup_key, openid="o-prep", msg_type="text",
                  status="received", created_at=utcnow(), attempts=0)
    with pytest.raises(sa_exc.IntegrityError):
        Prepared(_TABLE.insert(), tuple(values), returning=_TABLE.c.id).run(database.engine, values)
    assert database.engine.pool.checkedout() == 0
    if database.is_sqlite:
        assert _turn_is_free()
    with database.session() as s:  # the next write goes through at once
        assert s.scalar(select(MessageLog.id).where(MessageLog.dedup_key == values["dedup_key"])) == first.ref


def test_an_update_that_matches_no_row_says_so(database):
    recorder = MessageRecorder(database)
    ref = recorder.received(_message("p4", "在吗")).ref
    kwargs = dict(intent="greet", confidence=1.0, entities=None, answer="在的", status="answered", error=None,
                  delivery="passive", latency_ms=1.0)
    assert not recorder.answered(ref, attempt=3, **kwargs)  # taken over: attempt 3 is not ours
    assert recorder.answered(ref, **kwargs)
    assert not recorder.answered(ref, **kwargs)  # answered already: no longer "received"


def test_a_default_the_statement_needs_must_be_given():
    with pytest.raises(ValueError, match="status"):
        db = Database("sqlite://")
        Prepared(_TABLE.insert(), ("dedup_key", "openid", "msg_type")).run(
            db.engine, {"dedup_key": "k", "openid": "o", "msg_type": "text"})


def test_exists_finds_a_row_by_its_bound_values_and_returns_the_connection(database):
    recorder = MessageRecorder(database)
    recorder.received(_message("p5", "还有草莓吗"))
    since = select(MessageLog.id).where(MessageLog.openid == bindparam("openid"),
                                        MessageLog.created_at >= bindparam("since")).limit(1)
    prepared = Prepared(since)
    now = utcnow()
    assert prepared.exists(database.engine, {"openid": "o-prep", "since": now - dt.timedelta(minutes=5)})
    assert not prepared.exists(database.engine, {"openid": "o-prep", "since": now + dt.timedelta(minutes=5)})
    assert not prepared.exists(database.engine, {"openid": "o-nobody", "since": now - dt.timedelta(days=1)})
    assert database.engine.pool.checkedout() == 0


def test_an_in_list_is_refused_when_compiled_not_mangled(database):
    with pytest.raises(ValueError, match="or_"):
        Prepared(select(MessageLog.id).where(MessageLog.status.in_(("received", "failed")))).exists(
            database.engine, {})


def test_the_connection_goes_back_committed_and_as_the_pool_lent_it(database_url):
    """One connection in the pool, so the next borrower gets the very one the write used: its write is
    committed (on PostgreSQL in autocommit, one round trip) and it is back in the mode Core expects."""
    configure_data_key("test-data-key-0123456789abcdef")
    single = Database(database_url, pool_size=1, max_overflow=0)
    try:
        ref = MessageRecorder(single).received(_message("p7", "好的")).ref
        raw = single.engine.raw_connection()
        try:
            if single.engine.dialect.name == "postgresql":
                assert raw.dbapi_connection.autocommit is False
            else:
                assert not raw.dbapi_connection.in_transaction
        finally:
            raw.close()
        other = Database(database_url)
        with other.session() as s:
            assert s.get(MessageLog, ref).text == "好的"
        other.engine.dispose()
    finally:
        single.engine.dispose()


def test_first_reads_a_row_as_core_does_types_and_decryption_included(database):
    recorder = MessageRecorder(database)
    ref = recorder.received(_message("p8", "我的电话13900001111")).ref
    columns = select(MessageLog.id, MessageLog.text, MessageLog.created_at, MessageLog.status, MessageLog.entities)
    prepared = Prepared(columns.where(MessageLog.id == bindparam("ref")))
    with transaction(database.engine) as tx:
        ours = tx.first(prepared, {"ref": ref})
        assert tx.first(prepared, {"ref": -1}) is None
    with database.engine.connect() as conn:
        core = conn.execute(columns.where(MessageLog.id == ref)).one()
    assert tuple(ours) == tuple(core) and ours.text == "我的电话13900001111"
    assert isinstance(ours.created_at, dt.datetime) and ours.created_at == core.created_at
    assert database.engine.pool.checkedout() == 0


def test_a_transaction_is_all_or_nothing(database):
    """A failing statement undoes the ones before it in the block, and nothing is left held."""
    recorder = MessageRecorder(database)
    first = recorder.received(_message("p9", "你好")).ref
    insert = Prepared(_TABLE.insert(), ("dedup_key", "openid", "msg_type", "status", "created_at", "attempts"))
    values = dict(openid="o-prep", msg_type="text", status="received", created_at=utcnow(), attempts=0)
    with pytest.raises(sa_exc.IntegrityError):
        with transaction(database.engine) as tx:
            tx.run(insert, {**values, "dedup_key": "o-prep:p10"})
            tx.run(insert, {**values, "dedup_key": _message("p9", "").dedup_key})  # taken already
    with pytest.raises(RuntimeError):
        with transaction(database.engine) as tx:
            tx.run(insert, {**values, "dedup_key": "o-prep:p11"})
            raise RuntimeError("the caller changed its mind")
    assert database.engine.pool.checkedout() == 0
    if database.is_sqlite:
        assert _turn_is_free()
    with database.session() as s:
        keys = set(s.scalars(select(MessageLog.dedup_key).where(MessageLog.openid == "o-prep")))
    assert "o-prep:p10" not in keys and "o-prep:p11" not in keys and first
    with transaction(database.engine) as tx:
        assert tx.run(insert, {**values, "dedup_key": "o-prep:p12"})[0] == 1
    with database.session() as s:
        assert s.scalar(select(MessageLog.id).where(MessageLog.dedup_key == "o-prep:p12"))
