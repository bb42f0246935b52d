"""/healthz and /metrics."""
from bot.wechat.simulator import message_xml


def test_healthz_is_503_until_a_model_is_loaded(make_app, tmp_path):
    app = make_app(MODEL_PATH=str(tmp_path / "no-models-here"))
    r = app.test_client().get("/healthz")
    assert r.status_code == 503
    body = r.get_json()
    assert body == {"status": "unavailable", "database": {"ok": True}, "store": {"ok": True}, "nlu": {"ok": False}}


def test_healthz_is_200_with_database_store_and_model(app):
    r = app.test_client().get("/healthz")
    assert r.status_code == 200
    body = r.get_json()
    assert body == {"status": "ok", "database": {"ok": True}, "store": {"ok": True}, "nlu": {"ok": True}}


def test_healthz_reports_a_dead_database_without_its_details(make_app, tmp_path, caplog):
    """The review saw exception texts with database host names on this open endpoint."""
    app = make_app(DATABASE_URL="postgresql://db_owner_x@127.0.0.1:9/secret_db_name")
    r = app.test_client().get("/healthz")
    assert r.status_code == 503
    assert r.get_json() == {"status": "unavailable", "database": {"ok": False}, "store": {"ok": True},
                            "nlu": {"ok": True}}
    assert "127.0.0.1" not in r.get_data(as_text=True) and "db_owner_x" not in r.get_data(as_text=True)
    assert "health: database not ok" in caplog.text  # the details are for the log


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


def test_metrics_need_the_metrics_token_and_do_not_exist_without_one(make_app):
    closed = make_app()
    assert closed.test_client().get("/metrics").status_code == 404
    assert closed.test_client().get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404
    app = make_app(METRICS_TOKEN="m" * 32)
    client = app.test_client()
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer " + "x" * 32}).status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer 指标"}).status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer test-api-token"}).status_code == 401
    r = client.get("/metrics", headers={"Authorization": "Bearer " + "m" * 32})
    assert r.status_code == 200 and r.mimetype == "text/plain"


def test_metrics_count_requests_intents_dedup_and_latency(make_app):
    from bot.wechat.simulator import Simulator

    from tests.helpers import APP_ID, TOKEN, flask_transport, wait_for
    app = make_app(METRICS_TOKEN="m" * 32)
    sim = Simulator(TOKEN, APP_ID, None, post=flask_transport(app))
    xml = message_xml("o-metrics", "text", Content="你好", msg_id=31337)
    sim.deliver(xml)
    sim.deliver(xml)
    sim.post({"signature": "bad", "timestamp": "1", "nonce": "1"}, b"<xml/>")
    def scrape() -> str:
        return app.test_client().get("/metrics", headers={"Authorization": "Bearer " + "m" * 32}).get_data(as_text=True)
    # the handler thread counts an answer just after releasing it to the request: wait for the count
    wait_for(lambda: 'xiaoer_requests_total{kind="text"} 1' in scrape())
    text = scrape()
    assert 'xiaoer_requests_total{kind="text"} 1' in text
    assert 'xiaoer_intents_total{intent="greet"} 1' in text
    assert "xiaoer_dedup_hits_total 1" in text
    assert 'xiaoer_rejected_total{reason="403"} 1' in text
    assert "xiaoer_answer_latency_seconds_count 1" in text and 'le="+Inf"} 1' in text
    assert "# TYPE xiaoer_answer_latency_seconds histogram" in text


def test_the_rasa_token_stays_out_of_logs_and_the_message_log(make_app, caplog):
    """It travels as ?token= in the URL, so the connection error's message used to carry it."""
    from sqlalchemy import select

    from bot.models import MessageLog
    from bot.wechat.simulator import Simulator

    from tests.helpers import APP_ID, TOKEN, flask_transport, free_port
    secret = "rasa-secret-token-0123456789abcdef"
    app = make_app(RASA_URL=f"http://127.0.0.1:{free_port()}", RASA_TOKEN=secret)
    assert "消息已记录" in Simulator(TOKEN, APP_ID, None, post=flask_transport(app)).say("o-rasa-down", "你好")
    app.test_client().get("/healthz")
    with app.extensions["xiaoer"].db.session() as s:
        row = s.execute(select(MessageLog)).scalar_one()
    assert row.status == "failed" and "NluUnavailable" in row.error and "token=***" in row.error
    assert secret not in row.error
    assert "Rasa server" in caplog.text and secret not in caplog.text
