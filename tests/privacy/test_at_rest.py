"""Personal data the review found in the clear: the message log's payload (coordinates, address
labels) and entities (a typed phone number), subscribers' last location. (The binding flow's state:
tests/shop/test_bind_account.py; free text shown to viewers: tests/tickets/test_console.py.)"""
import json

from sqlalchemy import select, text

from bot.demo import seed
from bot.models import MessageLog, Subscriber
from bot.wechat.simulator import message_xml

PHONE = "13800000002"


def _raw(services, sql: str) -> str:
    with services.db.engine.connect() as conn:
        return json.dumps([list(r) for r in conn.execute(text(sql))], ensure_ascii=False, default=str)


def test_payload_entities_and_last_location_are_encrypted_at_rest(services, sim):
    seed(services)
    sim.deliver(message_xml("o-loc", "location", Location_X="30.2741", Location_Y="120.1551", Scale="15",
                            Label="西湖区文三路100号"))
    sim.deliver(message_xml("o-loc", "event", Event="LOCATION", Latitude="30.2741", Longitude="120.1551",
                            Precision="65"))
    sim.say("o-loc", f"绑定账号 手机号{PHONE}")
    raw = _raw(services, "SELECT payload, entities FROM message_log") + _raw(services, "SELECT last_location FROM subscribers")
    for secret in ("30.2741", "120.1551", "文三路", PHONE):
        assert secret not in raw
    with services.db.session() as s:  # the app still reads them
        rows = list(s.execute(select(MessageLog).where(MessageLog.openid == "o-loc").order_by(MessageLog.id)).scalars())
        assert "西湖区文三路100号" in json.dumps(rows[0].payload, ensure_ascii=False)
        assert PHONE in json.dumps(rows[-1].entities, ensure_ascii=False)
        assert "30.2741" in json.dumps(s.get(Subscriber, "o-loc").last_location)


def test_rows_written_in_the_clear_are_encrypted_by_the_migration(tmp_path, monkeypatch):
    from sqlalchemy import create_engine

    from bot.infra.migrate import upgrade
    from bot.models import configure_data_key
    from bot.models.base import _Keys

    url = f"sqlite:///{tmp_path / 'legacy.sqlite3'}"
    upgrade(url, "0009")
    engine = create_engine(url, future=True)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO message_log (dedup_key, openid, msg_type, payload, entities, status, created_at) "
                          "VALUES ('k1', 'o-old', 'location', :p, :e, 'answered', '2026-11-01 10:00:00')"),
                     {"p": '{"Label": "文三路100号"}', "e": '[{"type": "phone", "value": "13800000001"}]'})
        conn.execute(text("INSERT INTO subscribers (openid, subscribed, last_location) VALUES ('o-old', 1, :l)"),
                     {"l": '{"Latitude": "30.2741"}'})
    monkeypatch.setattr(_Keys, "fernet", None)
    monkeypatch.setenv("DATA_KEY", "migration-test-key")
    upgrade(url)
    raw = _raw_engine(engine, "SELECT payload, entities FROM message_log") + \
        _raw_engine(engine, "SELECT last_location FROM subscribers")
    assert "文三路" not in raw and "13800000001" not in raw and "30.2741" not in raw
    configure_data_key("migration-test-key")
    from sqlalchemy.orm import Session
    with Session(engine) as s:
        row = s.execute(select(MessageLog)).scalar_one()
        assert row.payload == {"Label": "文三路100号"} and row.entities[0]["value"] == "13800000001"
        assert s.get(Subscriber, "o-old").last_location == {"Latitude": "30.2741"}
    engine.dispose()


def _raw_engine(engine, sql: str) -> str:
    with engine.connect() as conn:
        return json.dumps([list(r) for r in conn.execute(text(sql))], ensure_ascii=False, default=str)
