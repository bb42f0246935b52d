"""/api/rounds: bearer token, list, create, show, close, export; bad input gets 400 and writes nothing."""
import pytest
from sqlalchemy import func, select

from bot.models import Round
from bot.rounds.joining import join
from tests.helpers import round_id


AUTH = {"Authorization": "Bearer test-api-token"}
NEW = {"product": "苹果", "price": 7, "min_total": 20, "cap": 50, "per_person_max": 5,
       "deadline": "2099-11-27T20:00:00+08:00", "pickup_points": ["西湖自提点"]}


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "test-api-token"}])
def test_refused_without_the_right_token(rounds_app, headers):
    client = rounds_app.test_client()
    assert client.get("/api/rounds", headers=headers).status_code == 401
    assert client.post("/api/rounds", json=NEW, headers=headers).status_code == 401


def test_refused_when_no_token_is_configured(make_app):
    app = make_app(API_TOKEN=None)
    assert app.test_client().get("/api/rounds", headers={"Authorization": "Bearer None"}).status_code == 401


def test_create_show_list_close_export(rounds_app):
    client = rounds_app.test_client()
    r = client.post("/api/rounds", json=NEW, headers=AUTH)
    assert r.status_code == 201, r.get_json()
    created = r.get_json()
    assert (created["product"], created["unit"], created["min_total"], created["cap"], created["status"]) == \
        ("红富士苹果", "斤", 20, 50, "open")
    svc = rounds_app.extensions["xiaoer"]
    rid = round_id(svc, "丹东草莓 第3期")
    join(svc.db, rid, "o-demo-alice", 3, "西湖自提点")
    join(svc.db, rid, "o-demo-bob", 2, "滨江自提点")
    shown = client.get(f"/api/rounds/{rid}", headers=AUTH).get_json()
    for key in ("id", "product", "unit", "min_total", "cap", "deadline", "status", "total_quantity",
                "participants", "waitlisted", "entries"):
        assert key in shown
    assert (shown["total_quantity"], shown["participants"], shown["waitlisted"]) == (5, 2, 0)
    assert [(e["seq"], e["name"], e["quantity"]) for e in shown["entries"]] == [(1, "王丽", 3), (2, "李强", 2)]
    assert [h["action"] for h in shown["history"]] == ["joined", "joined"]
    listed = client.get("/api/rounds", headers=AUTH).get_json()["rounds"]
    assert sorted(x["id"] for x in listed) == sorted([rid, created["id"], round_id(svc, "散养土鸡蛋 拼单")])
    csv_body = client.get(f"/api/rounds/{rid}/export", headers=AUTH)
    assert csv_body.mimetype == "text/csv"
    assert "2,李强,o-demo-bob,2,斤,滨江自提点,44.00,已跟团" in csv_body.get_data(as_text=True)
    closed = client.post(f"/api/rounds/{rid}/close", headers=AUTH).get_json()
    assert closed["status"] == "cancelled"  # 5 of 20: below the minimum
    assert client.post(f"/api/rounds/{rid}/close", headers=AUTH).status_code == 409
    assert client.get("/api/rounds/999", headers=AUTH).status_code == 404


@pytest.mark.parametrize("change,message", [
    ({"product": "火星土豆"}, "not in the catalog"),
    ({"deadline": "next friday"}, "ISO 8601"),
    ({"min_total": "lots"}, "must be a number"),
    ({"cap": 10}, "invalid round"),
    ({"deadline": "2001-01-01T00:00:00"}, "invalid round"),
    ({"pickup_points": [], "delivery": False}, "invalid round"),
])
def test_bad_input_is_400_and_nothing_is_written(rounds_app, change, message):
    client = rounds_app.test_client()
    r = client.post("/api/rounds", json={**NEW, **change}, headers=AUTH)
    assert r.status_code == 400 and message in r.get_json()["error"]
    with rounds_app.extensions["xiaoer"].db.session() as s:
        assert s.execute(select(func.count(Round.id))).scalar() == 2


def test_fulfil_tells_every_participant_once_and_only_after_close(rounds_app, fake_wechat):
    from tests.helpers import run_jobs

    client, svc = rounds_app.test_client(), rounds_app.extensions["xiaoer"]
    rid = round_id(svc, "丹东草莓 第3期")
    assert client.post(f"/api/rounds/{rid}/fulfil", headers=AUTH).status_code == 409  # still open
    for openid, amount in (("o-demo-alice", 5), ("o-demo-bob", 5), ("o-c", 5), ("o-d", 5)):
        join(svc.db, rid, openid, amount, "西湖自提点")
    assert client.post(f"/api/rounds/{rid}/close", headers=AUTH).get_json()["status"] == "closed"
    done = client.post(f"/api/rounds/{rid}/fulfil", headers=AUTH)
    assert done.status_code == 200 and done.get_json()["status"] == "fulfilled"
    assert [h["action"] for h in done.get_json()["history"]][-1] == "fulfilled"
    assert client.post(f"/api/rounds/{rid}/fulfil", headers=AUTH).status_code == 409  # once only
    run_jobs(svc)
    arrived = [t for t in fake_wechat.texts_to("o-demo-alice") if t.startswith("【到货通知】")]
    assert len(arrived) == 1 and "跟团号 1" in arrived[0] and "西湖自提点" in arrived[0]
    assert client.post("/api/rounds/999/fulfil", headers=AUTH).status_code == 404


def test_close_and_fulfil_from_the_command_line(rounds_app):
    svc = rounds_app.extensions["xiaoer"]
    rid = round_id(svc, "丹东草莓 第3期")
    runner = rounds_app.test_cli_runner()
    refused = runner.invoke(args=["rounds", "fulfil", str(rid)])
    assert refused.exit_code != 0 and "not closed yet" in refused.output
    for openid in ("o-demo-alice", "o-demo-bob", "o-c", "o-d"):
        join(svc.db, rid, openid, 5, "西湖自提点")
    closed = runner.invoke(args=["rounds", "close", str(rid)])
    assert closed.exit_code == 0 and "confirmed -> closed" in closed.output
    done = runner.invoke(args=["rounds", "fulfil", str(rid)])
    assert done.exit_code == 0 and "closed -> fulfilled, 4 notifications" in done.output


def test_cancel_calls_a_round_off_and_tells_everyone(rounds_app):
    from bot.models import RoundNotification

    svc = rounds_app.extensions["xiaoer"]
    rid = round_id(svc, "丹东草莓 第3期")
    client = rounds_app.test_client()
    for openid in ("o-1", "o-2", "o-3", "o-4"):
        join(svc.db, rid, openid, 5, "西湖自提点")  # 20 斤: confirmed, and still called off
    done = client.post(f"/api/rounds/{rid}/cancel", headers=AUTH)
    assert done.status_code == 200 and done.get_json()["status"] == "cancelled"
    assert done.get_json()["history"][-1]["action"] == "cancelled"
    assert client.post(f"/api/rounds/{rid}/cancel", headers=AUTH).status_code == 409
    assert client.post("/api/rounds/99999/cancel", headers=AUTH).status_code == 404
    with svc.db.session() as s:
        told = s.execute(select(RoundNotification.openid).where(RoundNotification.round_id == rid,
                                                                RoundNotification.event == "cancelled")).scalars()
        assert sorted(told) == ["o-1", "o-2", "o-3", "o-4"]
