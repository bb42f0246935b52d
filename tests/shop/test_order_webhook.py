"""POST /webhooks/orders: signed, idempotent by event id, stored, customer told through the worker."""
import datetime as dt
import json

import pytest
from sqlalchemy import select

from bot import clock
from bot.models import Order, OrderUpdate
from bot.shop.pushes import SIGNATURE_HEADER, sign
from tests.helpers import PUSH_SECRET, run_jobs

EVENT = {"event_id": "evt-1", "order_id": "DD20261101001", "status": "已签收",
         "step": {"name": "已签收", "location": "杭州西湖区",
                  "time": (clock.local_now() + dt.timedelta(minutes=1)).isoformat(timespec="seconds")}}


def push(app, payload, secret=PUSH_SECRET, raw=None):
    body = raw if raw is not None else json.dumps(payload, ensure_ascii=False).encode()
    headers = {SIGNATURE_HEADER: sign(secret, body)} if secret else {}
    r = app.test_client().post("/webhooks/orders", data=body, headers=headers, content_type="application/json")
    return r.status_code, r.get_json()


def _updates(app):
    with app.extensions["xiaoer"].db.session() as s:
        return s.execute(select(OrderUpdate)).scalars().all()


def test_push_is_stored_applied_and_the_customer_told_once(shop_app, wechat):
    svc = shop_app.extensions["xiaoer"]
    assert push(shop_app, EVENT) == (200, {"status": "stored", "event_id": "evt-1"})
    assert push(shop_app, EVENT) == (200, {"status": "duplicate", "event_id": "evt-1"})  # replay
    run_jobs(svc)
    texts = wechat.texts_to("o-demo-alice")
    assert len(texts) == 1 and "DD20261101001" in texts[0] and "已签收" in texts[0]
    assert [(u.event_id, u.status, u.step) for u in _updates(shop_app)] == [("evt-1", "已签收", "已签收")]
    if svc.commerce.kind == "sql":  # the embedded store is the order system: it changes too
        with svc.db.session() as s:
            order = s.execute(select(Order).where(Order.order_no == "DD20261101001")).scalar_one()
            assert order.status == "已签收" and [e.step for e in order.events][-1] == "已签收"


def test_template_message_when_configured(build, wechat):
    app = build("sql", WECHAT_TEMPLATE_ID="tmpl-order")
    assert push(app, {**EVENT, "event_id": "evt-t"})[0] == 200
    run_jobs(app.extensions["xiaoer"])
    # 已签收 also asks how it was (the receipt check, tests/members/test_receipt.py): not counted here
    sent = [m for m in wechat.received["message/template/send"] if "新进度" in m["data"]["first"]["value"]]
    assert len(sent) == 1 and sent[0]["touser"] == "o-demo-alice" and sent[0]["template_id"] == "tmpl-order"
    assert sent[0]["data"]["keyword1"]["value"] == "DD20261101001"


@pytest.mark.parametrize("secret", ["wrong-secret", None])
def test_bad_or_missing_signature_is_401_and_nothing_stored(shop_app, secret):
    assert push(shop_app, EVENT, secret=secret)[0] == 401
    assert _updates(shop_app) == []


def test_no_configured_secret_refuses_everything(build):
    app = build("sql", ORDER_WEBHOOK_SECRET=None)
    assert push(app, EVENT)[0] == 401


def test_unknown_order_is_404(shop_app):
    assert push(shop_app, {**EVENT, "order_id": "DD20269999999"})[0] == 404
    assert _updates(shop_app) == []


@pytest.mark.parametrize("raw", [
    b"not json", b"[1, 2]", b"\xff\xfe", b"{}",
    json.dumps({**EVENT, "event_id": ""}).encode(),
    json.dumps({**EVENT, "order_id": "12345"}).encode(),
    json.dumps({**EVENT, "status": 7}).encode(),
    json.dumps({**EVENT, "step": 3}).encode(),
    json.dumps({**EVENT, "step": {"name": "x", "time": "yesterday"}}).encode(),
    json.dumps({k: v for k, v in EVENT.items() if k != "step"}).encode(),
], ids=["text", "list", "bytes", "empty", "no-event-id", "unknown-order", "status-number", "step-number",
        "step-time-words", "no-step"])
def test_malformed_body_is_400_and_nothing_is_half_written(shop_app, raw):
    status, body = push(shop_app, None, raw=raw)
    assert status == 400 and body["error"]
    assert _updates(shop_app) == []


def test_failure_inside_is_503_not_500_and_the_retry_goes_through(build, wechat, monkeypatch):
    app = build("sql")
    svc = app.extensions["xiaoer"]
    real = svc.queue.enqueue

    def broken(*args, **kwargs):
        raise ConnectionError("queue down")
    monkeypatch.setattr(svc.queue, "enqueue", broken)
    assert push(app, {**EVENT, "event_id": "evt-x"})[0] == 503
    assert _updates(app) == []  # nothing half-written: the sender's retry is not a "duplicate"
    with svc.db.session() as s:
        assert s.execute(select(Order).where(Order.order_no == "DD20261101001")).scalar_one().status == "运输中"
    monkeypatch.setattr(svc.queue, "enqueue", real)
    assert push(app, {**EVENT, "event_id": "evt-x"}) == (200, {"status": "stored", "event_id": "evt-x"})
    run_jobs(svc)
    assert len(wechat.texts_to("o-demo-alice")) == 1
