"""The dialogue on the request's own thread when it can wait on nothing but our database and store
(bot/wechat/inline.py), and on the handler pool when it may wait longer: WeChat's 5-second rule holds."""
import threading
import time

import pytest

from bot.dialogue.registry import registry
from bot.wechat.inline import InlinePolicy
from bot.wechat.simulator import Simulator, message_xml
from tests.helpers import APP_ID, TOKEN, flask_transport


@pytest.fixture
def greet_threads(monkeypatch):
    """A greeting that notes the thread it ran on and can be made slow."""
    threads = []

    def greet(turn):
        threads.append(threading.current_thread())
        time.sleep(greet.delay)
        return f"你好 #{len(threads)}"
    greet.delay = 0.0
    monkeypatch.setitem(registry.intents, "greet", greet)
    return greet, threads


def _sim(app) -> Simulator:
    return Simulator(TOKEN, APP_ID, None, post=flask_transport(app))


def test_a_local_dialogue_runs_on_the_request_thread_and_is_recorded_as_on_the_pool(app, greet_threads):
    _, threads = greet_threads
    status, _, answer = _sim(app).deliver(message_xml("o-inline-1", "text", Content="你好", msg_id=801))
    assert (status, answer) == (200, "你好 #1")
    assert threads == [threading.current_thread()]  # the test client calls the app on this thread
    from sqlalchemy import select

    from bot.models import MessageLog
    with app.extensions["xiaoer"].db.session() as s:
        row = s.execute(select(MessageLog).where(MessageLog.openid == "o-inline-1")).scalar_one()
    assert (row.status, row.intent, row.answer, row.delivery) == ("answered", "greet", "你好 #1", "passive")


def test_off_sends_every_dialogue_to_the_pool(make_app, greet_threads):
    _, threads = greet_threads
    app = make_app(INLINE_DIALOGUE="off")
    assert _sim(app).deliver(message_xml("o-inline-2", "text", Content="你好"))[2] == "你好 #1"
    assert threads[0] is not threading.current_thread() and threads[0].name.startswith("handler")


def test_after_a_slow_inline_answer_the_pool_keeps_the_five_second_rule(make_app, greet_threads):
    """Something local got slow (a quarter of the budget): the next slow dialogue goes to the pool, so
    WeChat gets `success` in time and the answer comes as a customer-service message."""
    greet, threads = greet_threads
    app = make_app(ANSWER_BUDGET=0.8)
    sim = _sim(app)
    greet.delay = 0.3  # over 0.8 / 4: inline, answered, but slow
    assert sim.deliver(message_xml("o-inline-3", "text", Content="你好"))[2] == "你好 #1"
    assert threads[-1] is threading.current_thread()
    greet.delay = 1.5
    started = time.monotonic()
    status, body, _ = sim.deliver(message_xml("o-inline-3", "text", Content="你好"))
    assert (status, body) == (200, "success") and time.monotonic() - started < 1.3
    assert threads[-1] is not threading.current_thread()


def test_an_inline_failure_after_the_record_says_success_and_leaves_the_message_to_recovery(app, monkeypatch):
    services = app.extensions["xiaoer"]

    def broken(*args, **kwargs):
        raise RuntimeError("database went away mid-answer")
    monkeypatch.setattr(services.recorder, "answered", broken)
    status, body, _ = _sim(app).deliver(message_xml("o-inline-4", "text", Content="你好"))
    assert (status, body) == (200, "success")
    assert "xiaoer_handler_errors_total 1" in services.metrics.render()
    from bot.models import MessageLog
    from sqlalchemy import select
    with services.db.session() as s:
        assert s.execute(select(MessageLog.status).where(MessageLog.openid == "o-inline-4")).scalar_one() == "received"


def test_the_policy_waits_out_its_cool_off_and_asks_each_time():
    now = [100.0]
    safe = [True]
    policy = InlinePolicy("auto", lambda: safe[0], budget=4.0, cool_off=60, clock=lambda: now[0])
    assert policy.allowed()
    policy.ran(0.9)  # under 4.0 / 4
    assert policy.allowed()
    policy.ran(1.1)
    assert not policy.allowed()
    now[0] += 59
    assert not policy.allowed()
    now[0] += 2
    assert policy.allowed()
    safe[0] = False  # the model reloading, say
    assert not policy.allowed()
    assert not InlinePolicy("off", lambda: True, budget=4.0).allowed()
    with pytest.raises(ValueError):
        InlinePolicy("sometimes", lambda: True, budget=4.0)


def test_a_rasa_server_across_the_network_or_an_external_order_system_means_the_pool(make_app, monkeypatch):
    local = make_app().extensions["xiaoer"]
    assert local.reply_window.inline.allowed()
    remote = make_app(RASA_URL="http://127.0.0.1:9").extensions["xiaoer"]
    monkeypatch.setattr(type(remote.engine), "ready", property(lambda self: True))  # as if it answered
    assert not remote.reply_window.inline.allowed()
    orders = make_app(ORDER_SYSTEM_URL="http://127.0.0.1:9").extensions["xiaoer"]
    assert orders.commerce.kind != "sql" and not orders.reply_window.inline.allowed()
