"""/healthz and /metrics."""
from bot.wechat.simulator import message_xml


def test_healthz_is_503_until_a_model_is_loaded(make_app, tmp_path):
    app = make_app(MODEL_PATH=str(tmp_path / "no-models-here"))
    r = app.test_client().get("/healthz")
    assert r.status_code == 503
    body = r.get_json()
    assert body["status"] == "unavailable" and body["nlu"]["ok"] is False and "make train" in body["nlu"]["error"]
    assert body["database"]["ok"] and body["store"]["ok"]


def test_healthz_is_200_with_database_store_and_model(app):
    r = app.test_client().get("/healthz")
    assert r.status_code == 200
    body = r.get_json()
    assert body["status"] == "ok" and body["nlu"]["ready"] and body["nlu"]["model"].startswith("nlu-")


def test_healthz_reports_a_dead_database(make_app, tmp_path):
    app = make_app(DATABASE_URL="postgresql://nobody@127.0.0.1:9/none")
    body = app.test_client().get("/healthz").get_json()
    assert body["database"]["ok"] is False and body["status"] == "unavailable"


def test_without_a_model_the_customer_is_told_and_the_message_kept(make_app, tmp_path):
    from sqlalchemy import select

    from bot.models import MessageLog
    from bot.wechat.simulator import Simulator

    from tests.helpers import APP_ID, TOKEN, flask_transport
    app = make_app(MODEL_PATH=str(tmp_path / "no-models-here"))
    sim = Simulator(TOKEN, APP_ID, None, post=flask_transport(app))
    assert "消息已记录" in sim.say("o-early", "我的草莓坏了")
    with app.extensions["xiaoer"].db.session() as s:
        row = s.execute(select(MessageLog)).scalar_one()
    assert row.text == "我的草莓坏了" and row.status == "failed" and "NluUnavailable" in row.error


def test_a_model_still_loading_is_waited_for_and_the_answer_sent_later(make_app, fake_wechat, nlu_engine, tmp_path):
    """Right after start the model loads for seconds: the answer goes out when it is ready."""
    import shutil
    import threading

    from bot.wechat.simulator import Simulator

    from tests.helpers import APP_ID, TOKEN, flask_transport, run_jobs, wait_for
    models = tmp_path / "models"
    models.mkdir()
    app = make_app(MODEL_PATH=str(models), ANSWER_BUDGET=0.3, WECHAT_API_BASE=fake_wechat.url,
                   WECHAT_APP_SECRET="s")
    svc = app.extensions["xiaoer"]
    svc.engine.error = None  # as while loading: nothing failed yet, nothing ready yet
    svc.engine._ready.clear()
    sim = Simulator(TOKEN, APP_ID, None, post=flask_transport(app))
    assert sim.deliver(message_xml("o-boot", "text", Content="你好"))[1] == "success"
    shutil.copy(nlu_engine.model, models / nlu_engine.model.name)
    threading.Thread(target=svc.engine.reload).start()
    texts = wait_for(lambda: run_jobs(svc) or fake_wechat.texts_to("o-boot"), timeout=30)
    assert "欢迎" in texts[0]


def test_metrics_count_requests_intents_dedup_and_latency(sim, app):
    xml = message_xml("o-metrics", "text", Content="你好", msg_id=31337)
    sim.deliver(xml)
    sim.deliver(xml)
    sim.post({"signature": "bad", "timestamp": "1", "nonce": "1"}, b"<xml/>")
    text = app.test_client().get("/metrics").get_data(as_text=True)
    assert 'xiaoer_requests_total{kind="text"} 1' in text
    assert 'xiaoer_intents_total{intent="greet"} 1' in text
    assert "xiaoer_dedup_hits_total 1" in text
    assert 'xiaoer_rejected_total{reason="403"} 1' in text
    assert "xiaoer_answer_latency_seconds_count 1" in text and 'le="+Inf"} 1' in text
    assert "# TYPE xiaoer_answer_latency_seconds histogram" in text
