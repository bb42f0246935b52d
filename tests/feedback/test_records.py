"""Chat feedback and complaints become masked, pseudonymous records; the API and exports hand
them out only with a bearer token; imports and reports run from the command line."""
import datetime as dt
import json

from sqlalchemy import select

from bot.demo import seed
from bot.feedback.demand import COOLING, HOT, DemandRow, heat
from bot.models import FeedbackRecord
from bot.wechat.simulator import message_xml

AUTH = {"Authorization": "Bearer test-api-token"}
PERSONAL = ("o-demo-alice", "13800000001", "王丽", "文三路", "DD20261101001", "M0001")


def _records(services):
    with services.db.session() as s:
        return s.execute(select(FeedbackRecord).order_by(FeedbackRecord.id)).scalars().all()


def test_feedback_message_is_acknowledged_and_recorded_privately(services, sim):
    seed(services)
    _status, _body, answer = sim.deliver(message_xml("o-demo-alice", "text", Content="杯子好看但太沉，希望晚上七点后送"))
    assert "谢谢" in answer and "太沉" in answer and "19:00 以后" in answer
    # A complaint: the complaint observer records it too, masked.
    sim.deliver(message_xml("o-demo-alice", "text",
                            Content="收到的杯子把手是断的，太沉了还摔坏了，要退货。我是王丽 13800000001，住文三路100号"))
    records = _records(services)
    assert {(r.product, r.aspect, r.sentiment) for r in records} >= {
        ("陶瓷杯", "appearance", "positive"), ("陶瓷杯", "weight", "negative")}
    assert any(r.delivery_preference == "after 19:00" for r in records)
    assert {r.source for r in records} == {"chat", "complaint"}
    assert len({r.customer_key for r in records}) == 1 and records[0].customer_key
    dumped = json.dumps([{c.name: str(getattr(r, c.name)) for c in FeedbackRecord.__table__.columns} for r in records],
                        ensure_ascii=False)
    for secret in PERSONAL:
        assert secret not in dumped


def test_unnamed_product_falls_back_to_latest_order_and_incident_offers_ticket(services, sim):
    seed(services)  # alice's latest order is the 丹东草莓 (DD20261101001)
    from bot.feedback.records import record_message
    analysis = record_message(services, "就是有点酸", "o-demo-alice")
    assert analysis.product == "丹东草莓" and _records(services)[0].product == "丹东草莓"
    assert (_records(services)[0].aspect, _records(services)[0].sentiment) == ("taste", "negative")
    from bot.feedback.analysis import analyze
    from bot.handlers.feedback import acknowledge
    assert "投诉" in acknowledge(analyze("草莓收到就烂了好几个，很失望"))


def test_complaint_also_produces_records(services, sim):
    seed(services)
    sim.deliver(message_xml("o-demo-bob", "text", Content="收到的鸡蛋碎了好几个，我要退款"))
    records = _records(services)
    assert records and all(r.source == "complaint" for r in records)
    assert any(r.product == "散养土鸡蛋" and r.sentiment == "negative" for r in records)


def test_api_needs_token_filters_and_exports_without_personal_data(app, services, sim):
    seed(services)
    from bot.feedback.records import record_message
    sim.deliver(message_xml("o-demo-alice", "text", Content="草莓很甜，包装也好"))
    record_message(services, "草莓很新鲜，我是王丽，电话13800000001，住文三路100号", "o-demo-alice")
    sim.deliver(message_xml("o-demo-bob", "text", Content="牛奶口感一般，有点淡"))
    client = app.test_client()
    assert client.get("/api/feedback").status_code == 401
    assert client.get("/api/feedback", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/api/demand").status_code == 401
    body = client.get("/api/feedback", headers=AUTH).get_json()
    assert body["total"] >= 3
    assert set(body["records"][0]) == {"product", "aspect", "sentiment", "suggestion", "delivery_preference", "text",
                                       "customer_key", "created_at"}
    taste = client.get("/api/feedback?aspect=taste&sentiment=negative", headers=AUTH).get_json()["records"]
    assert taste and {r["product"] for r in taste} == {"纯牛奶"}
    assert client.get("/api/feedback?product=丹东草莓", headers=AUTH).get_json()["total"] >= 2
    today = dt.date.today().isoformat()
    assert client.get(f"/api/feedback?date={today}", headers=AUTH).get_json()["total"] == body["total"]
    assert client.get("/api/feedback?date=2001-01-01", headers=AUTH).get_json()["total"] == 0
    assert client.get("/api/feedback?aspect=colour", headers=AUTH).status_code == 400
    assert client.get("/api/feedback?date=yesterday", headers=AUTH).status_code == 400
    jsonl = client.get("/api/feedback?format=jsonl", headers=AUTH)
    lines = jsonl.get_data(as_text=True).strip().split("\n")
    assert jsonl.mimetype == "application/x-ndjson" and len(lines) == body["total"]
    assert all(json.loads(line)["customer_key"] for line in lines)
    csv_text = client.get("/api/feedback?format=csv", headers=AUTH).get_data(as_text=True)
    assert csv_text.startswith("product,aspect,sentiment") and len(csv_text.strip().split("\n")) == body["total"] + 1
    for secret in PERSONAL:
        assert secret not in jsonl.get_data(as_text=True) and secret not in csv_text
    demand = client.get("/api/demand", headers=AUTH).get_json()["products"]
    assert {d["product"] for d in demand} >= {"丹东草莓", "陶瓷杯", "纯牛奶"}
    assert set(demand[0]) >= {"growth_7d", "repurchase_rate", "flag"}


def test_demand_flags_hot_and_cooling_from_exact_numbers():
    today = dt.date(2026, 11, 23)
    day = lambda n: today - dt.timedelta(days=n)  # noqa: E731
    rows = [DemandRow("草莓", "a", 2, day(10)), DemandRow("草莓", "a", 4, day(1)), DemandRow("草莓", "b", 1, day(2)),
            DemandRow("草莓", "b", 1, day(9))]  # 3 -> 5: +67%, both buyers came back
    rows += [DemandRow("雨伞", c, 1, day(9)) for c in "cdef"] + [DemandRow("雨伞", "g", 1, day(3))]  # 4 -> 1, nobody back
    rows += [DemandRow("牙膏", "h", 1, day(8)), DemandRow("牙膏", "i", 1, day(1))]  # flat
    by = {d["product"]: d for d in heat(rows, today)}
    assert (by["草莓"]["growth_7d"], by["草莓"]["repurchase_rate"], by["草莓"]["flag"]) == (0.667, 1.0, HOT)
    assert (by["雨伞"]["growth_7d"], by["雨伞"]["repurchase_rate"], by["雨伞"]["flag"]) == (-0.75, 0.0, COOLING)
    assert by["牙膏"]["flag"] is None


def test_demand_accepts_an_extra_source(services):
    from bot.feedback import demand as demand_mod

    seed(services)
    extra = demand_mod.register_source(lambda s, since: [DemandRow("团购西瓜", "x", 3, dt.date.today())])
    try:
        products = {d["product"] for d in demand_mod.demand(services)}
    finally:
        demand_mod.SOURCES.remove(extra)
    assert "团购西瓜" in products and "丹东草莓" in products


def test_import_and_report_from_the_command_line(app, services, tmp_path):
    seed(services)
    good = tmp_path / "reviews.csv"
    good.write_text("category,label,review\n水果,1,草莓很甜，个头也大\n水果,0,苹果全是烂的，电话13900001111\n"
                    "蒙牛,1,牛奶好喝，希望出小瓶装\n水果,1,很新鲜，好评\n", encoding="utf-8")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["feedback", "import", str(good)])
    assert result.exit_code == 0, result.output
    assert "imported 4 reviews" in result.output
    records = _records(services)
    assert {r.product for r in records} == {"丹东草莓", "红富士苹果", "纯牛奶", "水果"} and all(r.source == "import" for r in records)
    assert not any("13900001111" in r.text for r in records) and all(r.customer_key is None for r in records)
    again = runner.invoke(args=["feedback", "import", str(good)])
    assert again.exit_code != 0 and "imported before" in again.output
    report = runner.invoke(args=["feedback", "report"])
    assert report.exit_code == 0 and "丹东草莓" in report.output and "taste" in report.output
    assert "希望出小瓶装" in report.output


def test_bad_import_rows_leave_nothing_written(app, services, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("category,label,review\n水果,1,很好\n水果,2,标签不对\n水果,1,\n水果,1\n", encoding="utf-8")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["feedback", "import", str(bad)])
    assert result.exit_code != 0 and "line 3" in result.output and "line 4" in result.output and "line 5" in result.output
    assert _records(services) == []
    skipped = runner.invoke(args=["feedback", "import", "--skip-bad", str(bad)])
    assert skipped.exit_code == 0 and "imported 1 reviews" in skipped.output
    header = tmp_path / "header.csv"
    header.write_text("text\n很好\n", encoding="utf-8")
    assert "header" in runner.invoke(args=["feedback", "import", str(header)]).output


def test_every_aspect_code_has_a_name_customers_and_staff_read():
    from bot.feedback.lexicon import ASPECT_NAMES, ASPECTS

    assert set(ASPECT_NAMES) == set(ASPECTS)


def test_feedback_on_a_retail_aspect_is_acknowledged(services, sim):
    _status, _body, answer = sim.deliver(message_xml("o-retail", "text", Content="这个吹风机风力很足，加热也快，好评"))
    assert "谢谢" in answer and "失败" not in answer and "稍后" not in answer, answer
