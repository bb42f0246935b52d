"""Exactly-once handling of WeChat's retries, the 5-second rule, and long answers."""
import threading
import time

import pytest
from sqlalchemy import select

from bot.dialogue.registry import registry
from bot.models import MessageLog
from bot.wechat.simulator import Simulator, message_xml
from tests.helpers import APP_ID, TOKEN, flask_transport, run_jobs, wait_for


@pytest.fixture
def slow_greet(monkeypatch):
    """Greeting that takes a while and counts its calls, standing in for a slow backend."""
    calls = []

    def greet(turn):
        calls.append(turn.openid)
        time.sleep(greet.delay)
        return f"慢慢的问候 #{len(calls)}"
    greet.delay = 0.5
    monkeypatch.setitem(registry.intents, "greet", greet)
    return greet, calls


def _rows(services, openid):
    with services.db.session() as s:
        return s.execute(select(MessageLog).where(MessageLog.openid == openid)).scalars().all()


def test_retry_after_the_answer_gets_the_same_answer_without_handling_again(sim, services, slow_greet):
    _, calls = slow_greet
    xml = message_xml("o-dup", "text", Content="你好", msg_id=424242)
    first = sim.deliver(xml)[2]
    second = sim.deliver(xml)[2]  # new nonce and timestamp, same message: WeChat's retry
    assert first == second == "慢慢的问候 #1"
    assert calls == ["o-dup"] and len(_rows(services, "o-dup")) == 1
    assert 'xiaoer_dedup_hits_total 1' in services.metrics.render()


def test_same_msgid_from_another_user_is_not_a_duplicate(sim, services, slow_greet):
    _, calls = slow_greet
    sim.deliver(message_xml("o-a", "text", Content="你好", msg_id=777))
    sim.deliver(message_xml("o-b", "text", Content="你好", msg_id=777))
    assert sorted(calls) == ["o-a", "o-b"]


def test_retry_during_handling_waits_for_and_returns_the_first_answer(app, services, slow_greet):
    _, calls = slow_greet
    sims = [Simulator(TOKEN, APP_ID, None, post=flask_transport(app)) for _ in range(3)]
    xml = message_xml("o-race", "text", Content="你好", msg_id=99001)
    answers = []
    threads = [threading.Thread(target=lambda s=s: answers.append(s.deliver(xml)[2])) for s in sims]
    for t in threads:
        t.start()
        time.sleep(0.05)
    for t in threads:
        t.join()
    assert answers == ["慢慢的问候 #1"] * 3 and len(calls) == 1


def test_event_retries_are_deduplicated_by_create_time(sim, services):
    xml = message_xml("o-ev", "event", Event="subscribe", create_time=1700000000)
    assert "感谢关注" in sim.deliver(xml)[2]
    assert "感谢关注" in sim.deliver(xml)[2]
    assert len(_rows(services, "o-ev")) == 1


def test_late_answer_says_success_then_arrives_as_customer_service_message(make_app, fake_wechat, slow_greet):
    greet, calls = slow_greet
    greet.delay = 1.0
    app = make_app(ANSWER_BUDGET=0.3, WECHAT_API_BASE=fake_wechat.url, WECHAT_APP_SECRET="s", INLINE_DIALOGUE="off")
    services = app.extensions["xiaoer"]
    sim = Simulator(TOKEN, APP_ID, None, post=flask_transport(app))
    xml = message_xml("o-late", "text", Content="你好", msg_id=5150)
    started = time.monotonic()
    status, body, _ = sim.deliver(xml)
    assert (status, body) == (200, "success") and time.monotonic() - started < 0.9
    # WeChat's retry while we are still working: same outcome, no second handling
    assert sim.deliver(xml)[1] == "success"
    # the late answer is queued when the handler finishes: run the queue until it has gone out
    wait_for(lambda: run_jobs(services) or _rows(services, "o-late")[0].delivery == "customer_service")
    assert fake_wechat.texts_to("o-late") == ["慢慢的问候 #1"]
    assert _rows(services, "o-late")[0].delivery == "customer_service" and len(calls) == 1
    assert "xiaoer_deadline_fallbacks_total 1" in services.metrics.render()


def test_long_answer_is_split_on_character_boundaries(wechat_app, fake_wechat, monkeypatch):
    long_text = "\n".join(f"第{i}行：草莓、脐橙、牛奶都有货，欢迎选购。" for i in range(150))
    monkeypatch.setitem(registry.intents, "help", lambda turn: long_text)
    services = wechat_app.extensions["xiaoer"]
    sim = Simulator(TOKEN, APP_ID, None, post=flask_transport(wechat_app))
    first = sim.say("o-long", "你能做什么")
    assert len(first.encode()) <= 2048
    # the rest is queued just after the passive reply is released: run the queue until it is sent
    rest = wait_for(lambda: run_jobs(services) or fake_wechat.texts_to("o-long"))
    assert rest and all(len(p.encode()) <= 2048 for p in rest)
    assert "\n".join([first, *rest]) == long_text
    wait_for(lambda: _rows(services, "o-long")[0].delivery == "passive+customer_service")


def test_customer_service_refusal_is_recorded_not_retried(make_app, fake_wechat, slow_greet):
    greet, _ = slow_greet
    greet.delay = 0.6
    app = make_app(ANSWER_BUDGET=0.2, WECHAT_API_BASE=fake_wechat.url, WECHAT_APP_SECRET="s", INLINE_DIALOGUE="off")
    services = app.extensions["xiaoer"]
    fake_wechat.fail("message/custom/send", 45015)
    Simulator(TOKEN, APP_ID, None, post=flask_transport(app)).say("o-window", "你好")
    wait_for(lambda: run_jobs(services) or _rows(services, "o-window")[0].delivery == "failed")
    row = _rows(services, "o-window")[0]
    assert row.delivery == "failed" and row.delivery_error.startswith("45015")
    assert fake_wechat.texts_to("o-window") == []


def test_deliveries_without_a_log_row_do_not_share_progress(wechat_app, fake_wechat):
    """When the database could not log a message (row None), each delivery still goes out whole."""
    from bot.wechat.jobs import deliver_text

    services = wechat_app.extensions["xiaoer"]
    deliver_text(services, None, "o-norow", ["第一条"], "customer_service", "o-norow:m:1")
    deliver_text(services, None, "o-norow", ["第二条"], "customer_service", "o-norow:m:2")
    deliver_text(services, None, "o-norow", ["第一条"], "customer_service", "o-norow:m:1")  # a retry
    assert fake_wechat.texts_to("o-norow") == ["第一条", "第二条"]
