"""`customers export` and `customers erase` (个人信息保护法 arts. 45 and 47), and the message-log
retention. After an erasure no table holds the customer's openid, phone hash, name or phone: every
table in the metadata is read back, so a table added later is checked without being listed here."""
import datetime as dt
import json

from sqlalchemy import Column, Integer, String, Table, func, select

from bot import clock
from bot.demo import seed
from bot.models import Base, Customer, Erasure, MessageLog, lookup_hash
from bot.wechat.simulator import message_xml

ALICE, BOB = "o-demo-alice", "o-demo-bob"
ALICE_PHONE = "13800000001"


def _footprint(app, services, sim) -> None:
    """Alice leaves data in as many places as a customer can: chat, a complaint ticket, feedback,
    a location, a round, a stock watch, an order request, a second bound account, the store."""
    from bot.feedback.records import record_message
    from bot.models import CustomerOpenid, OrderRequest, RoundNotification
    from bot.rounds.joining import join
    from bot.shop.restock import watch
    from tests.helpers import round_id

    seed(services)
    with services.db.session() as s:
        alice = s.execute(select(Customer).where(Customer.member_id == "M0001")).scalar_one()
        s.add(CustomerOpenid(openid="o-alice-phone2", customer_id=alice.id))
    sim.deliver(message_xml(ALICE, "event", Event="subscribe", EventKey="qrscene_shop"))
    sim.deliver(message_xml(ALICE, "event", Event="LOCATION", Latitude="30.2", Longitude="120.1", Precision="65"))
    sim.say(ALICE, "收到的鸡蛋碎了好几个 DD20261101001，我电话13800000001")
    sim.say("o-alice-phone2", "草莓很甜，包装也好")
    sim.say(ALICE, "我的订单到哪了")
    record_message(services, "杯子太沉了，我是王丽", ALICE)
    rid = round_id(services, "丹东草莓 第3期")
    assert join(services.db, rid, ALICE, 2, "西湖自提点").status == "joined"
    assert join(services.db, rid, BOB, 1, "西湖自提点").status == "joined"
    watch(services.db, ALICE, "丹东草莓")
    with services.db.session() as s:
        s.add(OrderRequest(order_no="DD20261101001", openid=ALICE, kind="address", details='{"text": "改到文三路"}'))
        s.add(RoundNotification(round_id=rid, openid=ALICE, event="confirmed", text="王丽您好，已成团"))
    services.store.set(f"conv:{ALICE}", '{"pending": "bind"}', 600)
    sim.say(BOB, "牛奶口感一般，有点淡")


def _everything(services) -> list[tuple[str, str]]:
    """(table, value) for every value of every row of every table, decrypted and as text."""
    found = []
    with services.db.session() as s:
        for table in Base.metadata.sorted_tables:
            for row in s.execute(select(table)).mappings():
                found += [(table.name, json.dumps(v, ensure_ascii=False, default=str)) for v in row.values()
                          if v is not None]
    return found


def test_export_holds_everything_and_erase_leaves_nothing(app, services, sim):
    _footprint(app, services, sim)
    with services.db.session() as s:
        phone_hash = lookup_hash(ALICE_PHONE)
        assert s.execute(select(Customer.phone_hash).where(Customer.member_id == "M0001")).scalar() == phone_hash
    secrets = (ALICE, "o-alice-phone2", phone_hash, "王丽", ALICE_PHONE)
    runner = app.test_cli_runner()

    exported = runner.invoke(args=["customers", "export", ALICE])
    assert exported.exit_code == 0, exported.output
    copy = json.loads(exported.output)
    assert copy["openids"] == sorted([ALICE, "o-alice-phone2"])
    tables = copy["tables"]
    assert tables["customers"][0]["name"] == "王丽" and tables["customers"][0]["phone"] == ALICE_PHONE
    assert {"message_log", "tickets", "ticket_messages", "subscribers", "preorder_entries", "stock_watches",
            "order_requests", "preorder_notifications", "feedback_records", "customer_openids", "orders"} <= set(tables)
    assert any(r["text"] == "草莓很甜，包装也好" for r in tables["message_log"])  # the second account's too
    assert all(r["openid"] != BOB for r in tables["message_log"])
    assert f"conv:{ALICE}" in copy["store"]

    before = {name for name, _ in _everything(services)}
    erased = runner.invoke(args=["customers", "erase", ALICE, "--by", "dpo-zhang", "--yes"])
    assert erased.exit_code == 0, erased.output
    assert "erased" in erased.output and "audit #" in erased.output

    leftovers = [(name, value) for name, value in _everything(services) if any(x in value for x in secrets)]
    assert leftovers == []
    assert services.store.keys_containing(ALICE) == [] and services.store.keys_containing("o-alice-phone2") == []
    remaining = _everything(services)
    assert any("李强" in v for _, v in remaining) and any(BOB in v for name, v in remaining if name == "message_log")
    assert {"customers", "message_log", "preorder_entries"} <= before
    with services.db.session() as s:
        audit = s.execute(select(Erasure)).scalar_one()
        assert audit.erased_by == "dpo-zhang" and audit.rows["message_log"] >= 4 and audit.store_keys >= 1
        assert not any(x in json.dumps(audit.rows, ensure_ascii=False) for x in secrets)


def test_erase_covers_a_table_added_later(app, services, sim):
    """Issue 18 adds tables (members, points): a table with an openid column is erased without changes here."""
    seed(services)
    points = Table("test_points_ledger", Base.metadata, Column("id", Integer, primary_key=True),
                   Column("member_openid", String(64), nullable=False), Column("points", Integer))
    try:
        points.create(services.db.engine)
        with services.db.session() as s:
            s.execute(points.insert(), [{"member_openid": ALICE, "points": 10}, {"member_openid": BOB, "points": 5}])
        result = app.test_cli_runner().invoke(args=["customers", "erase", ALICE, "--yes"])
        assert result.exit_code == 0, result.output
        with services.db.session() as s:
            assert [r.member_openid for r in s.execute(select(points))] == [BOB]
    finally:
        points.drop(services.db.engine)
        Base.metadata.remove(points)


def test_erasing_an_unknown_openid_changes_nothing_but_is_recorded(app, services, sim):
    seed(services)
    sim.say(BOB, "你好")
    with services.db.session() as s:
        before = s.execute(select(func.count(MessageLog.id))).scalar()
    result = app.test_cli_runner().invoke(args=["customers", "erase", "o-nobody", "--by", "dpo", "--yes"])
    assert result.exit_code == 0 and "erased 0 rows" in result.output
    with services.db.session() as s:
        assert s.execute(select(func.count(MessageLog.id))).scalar() == before
        assert s.execute(select(Erasure.rows)).scalar() == {}


def test_housekeeping_deletes_message_log_rows_past_the_retention(make_app):
    from bot.worker.housekeeping import tick

    def rows(services):
        with services.db.session() as s:
            return sorted(s.execute(select(MessageLog.dedup_key)).scalars())

    now = clock.utcnow()
    for days, expected in ((None, ["kept-179d", "kept-new"]), (0, ["gone-181d", "kept-179d", "kept-new"])):
        app = make_app() if days is None else make_app(MESSAGE_RETENTION_DAYS=days)
        services = app.extensions["xiaoer"]
        assert services.config.MESSAGE_RETENTION_DAYS == (180 if days is None else 0)
        with services.db.session() as s:
            for key, age in (("gone-181d", 181), ("kept-179d", 179), ("kept-new", 0)):
                s.add(MessageLog(dedup_key=key, openid="o-old", msg_type="text", text="旧消息",
                                 created_at=now - dt.timedelta(days=age)))
        tick(services, [])
        assert rows(services) == expected
