"""A message whose process died before answering it is answered anyway, once, by another process;
a delivery whose job died goes out once; a WeChat retry gets the answer passively when it can."""
import threading
import time

import pytest
from sqlalchemy import select, update

from bot.dialogue.registry import registry
from bot.models import MessageLog
from bot.wechat import recovery, reply_window
from bot.wechat.jobs import part_key
from bot.wechat.reply_window import APOLOGY
from bot.wechat.simulator import Simulator, message_xml
from bot.worker.housekeeping import requeue_abandoned, tick
from tests.helpers import APP_ID, TOKEN, flask_transport, run_jobs, wait_for

GRACE = 0.5  # seconds; production waits RECOVERY_GRACE (20 s)


@pytest.fixture
def counted_greet(monkeypatch):
    calls = []

    def greet(turn):
        calls.append(turn.openid)
        return f"问候 #{len(calls)}"
    monkeypatch.setitem(registry.intents, "greet", greet)
    return calls


@pytest.fixture
def dying_pool(monkeypatch):
    """The web process dies right after recording a message: its handler never runs, and its
    lease stops being renewed (the renewing thread dies with the process)."""
    class Dead:
        def submit(self, fn, *args):
            args[-1].release()
    monkeypatch.setattr(reply_window, "_pool", Dead())


def _app(make_app, fake_wechat, **overrides):
    """Every dialogue on the handler pool (INLINE_DIALOGUE=off): these are the pool's guarantees."""
    app = make_app(**{"INLINE_DIALOGUE": "off", "ANSWER_BUDGET": 0.3, "RECOVERY_GRACE": GRACE, "RECOVERY_DELIVERY_GRACE": GRACE,
                      "WECHAT_API_BASE": fake_wechat.url, "WECHAT_APP_SECRET": "s", **overrides})
    return app, app.extensions["xiaoer"], Simulator(TOKEN, APP_ID, None, post=flask_transport(app))


def _row(services, openid) -> MessageLog:
    with services.db.session() as s:
        return s.execute(select(MessageLog).where(MessageLog.openid == openid)).scalar_one()


def _recovered(services, passes=None) -> bool:
    """One recovery pass (the worker's or a web process's) and its queued delivery."""
    done = (passes or recovery.recover)(services)
    run_jobs(services)
    return bool(done)


@pytest.mark.parametrize("finder", ["worker housekeeping", "web process at start"])
def test_message_of_a_dead_process_is_answered_once_by_another(make_app, fake_wechat, counted_greet,
                                                              dying_pool, finder):
    app, services, sim = _app(make_app, fake_wechat)
    xml = message_xml("o-crash", "text", Content="你好", msg_id=1601)
    # The loss as reproduced: the first delivery and WeChat's three retries all get `success`...
    assert [sim.deliver(xml)[1] for _ in range(4)] == ["success"] * 4
    assert _row(services, "o-crash").status == "received" and counted_greet == []
    # ...then another process finds the message once its lease has run out.
    if finder == "worker housekeeping":
        wait_for(lambda: tick(services, []) or run_jobs(services) or fake_wechat.texts_to("o-crash"), timeout=30)
    else:
        stop = threading.Event()
        services.config.RECOVERY_INTERVAL = 0.1
        loop = recovery.start(services, stop)
        try:
            wait_for(lambda: run_jobs(services) or fake_wechat.texts_to("o-crash"), timeout=30)
        finally:
            stop.set()
            loop.join(10)
    assert fake_wechat.texts_to("o-crash") == ["问候 #1"] and counted_greet == ["o-crash"]
    wait_for(lambda: _row(services, "o-crash").delivery == "customer_service")
    row = _row(services, "o-crash")
    assert (row.status, row.answer, row.attempts) == ("answered", "问候 #1", 1)
    # A retry now: the answer went out as a message, so the retry gets `success`, not a second copy.
    assert sim.deliver(xml)[1] == "success"
    assert not recovery.recover(services)
    run_jobs(services)
    assert fake_wechat.texts_to("o-crash") == ["问候 #1"] and counted_greet == ["o-crash"]


def test_two_processes_finding_the_same_message_handle_it_once(make_app, fake_wechat, counted_greet, dying_pool):
    # Deliveries are re-queued after production's grace here: with the test's 0.5 s, a pass that took
    # the message over and then stalled that long under load also re-queued its own queued delivery
    # (sum(results) == 2, one handling, one text: seen on PostgreSQL under a moved clock and load).
    app, services, sim = _app(make_app, fake_wechat, RECOVERY_DELIVERY_GRACE=300)
    # a second app: another process on the same database and store
    second = make_app(RECOVERY_GRACE=GRACE, WECHAT_API_BASE=fake_wechat.url, WECHAT_APP_SECRET="s",
                      REDIS_URL=services.config.REDIS_URL).extensions["xiaoer"]
    if services.config.REDIS_URL is None:
        second.store = second.outbound.store = services.store  # stands in for the shared Redis
    assert sim.deliver(message_xml("o-twice", "text", Content="你好", msg_id=1602))[1] == "success"
    results = []
    barrier = threading.Barrier(2)

    def look(svc):  # both keep looking until the lease has run out and one has answered
        barrier.wait()
        deadline = time.monotonic() + 30
        while _row(svc, "o-twice").status == "received" and time.monotonic() < deadline:
            results.append(recovery.recover(svc))

    threads = [threading.Thread(target=look, args=(svc,)) for svc in (services, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for svc in (services, second):
        run_jobs(svc)
    wait_for(lambda: _row(services, "o-twice").delivery == "customer_service")
    assert counted_greet == ["o-twice"] and fake_wechat.texts_to("o-twice") == ["问候 #1"]
    assert _row(services, "o-twice").attempts == 1 and sum(results) == 1


def _slow_greet(monkeypatch, answer: str) -> tuple[threading.Event, list]:
    """A greeting handler that holds on until the test sets the event."""
    release, calls = threading.Event(), []

    def slow_greet(turn):
        calls.append(turn.openid)
        release.wait(30)
        return answer
    monkeypatch.setitem(registry.intents, "greet", slow_greet)
    return release, calls


def _never_taken_over(services) -> None:
    stop_at = time.monotonic() + 4.5  # more than twice the grace period, looking all the time
    while time.monotonic() < stop_at:
        assert recovery.recover(services) == 0
        time.sleep(0.05)


def test_a_slow_handler_keeps_its_message(make_app, fake_wechat, monkeypatch):
    """A live process renews its lease: a handler slower than the grace period is not taken for dead."""
    release, calls = _slow_greet(monkeypatch, "慢慢的问候")
    app, services, _ = _app(make_app, fake_wechat, ANSWER_BUDGET=30.0, RECOVERY_GRACE=2.0)
    sim = Simulator(TOKEN, APP_ID, None, post=flask_transport(app))
    answers = []
    waiting = threading.Thread(target=lambda: answers.append(sim.say("o-slow", "你好")))
    waiting.start()
    wait_for(lambda: calls)
    _never_taken_over(services)
    release.set()
    waiting.join(30)
    assert answers == ["慢慢的问候"] and calls == ["o-slow"]
    row = _row(services, "o-slow")
    assert (row.status, row.delivery, row.attempts) == ("answered", "passive", 0)
    assert fake_wechat.texts_to("o-slow") == []


def test_a_handler_slower_than_the_answer_budget_keeps_its_message(make_app, fake_wechat, monkeypatch):
    """Once the request has said `success`, nothing waits for the handler: its lease is renewed by a
    thread of its own, so it is still not taken for dead, and its answer goes out once."""
    release, calls = _slow_greet(monkeypatch, "迟到的问候")
    app, services, sim = _app(make_app, fake_wechat, ANSWER_BUDGET=0.3, RECOVERY_GRACE=2.0)
    assert sim.deliver(message_xml("o-late", "text", Content="你好"))[1] == "success"  # it gave up waiting
    _never_taken_over(services)
    release.set()
    wait_for(lambda: run_jobs(services) or fake_wechat.texts_to("o-late"), timeout=10)
    assert fake_wechat.texts_to("o-late") == ["迟到的问候"] and calls == ["o-late"]
    row = _row(services, "o-late")
    assert (row.status, row.delivery, row.attempts) == ("answered", "customer_service", 0)


def test_retry_while_the_answer_waits_for_delivery_gets_it_passively_and_it_is_not_sent_again(
        make_app, fake_wechat, counted_greet):
    """The process recorded a late answer and died before its delivery job ran (the in-process
    queue dies with it): WeChat's retry gets the answer passively, the re-queued delivery skips it."""
    app, services, sim = _app(make_app, fake_wechat)
    from bot.dialogue.incoming import Incoming

    msg = Incoming("o-wait", "text", text="你好", msg_id="1603")
    ref = services.recorder.received(msg).ref
    services.recorder.answered(ref, intent="greet", confidence=0.9, entities=None, answer="问候 #1",
                               status="answered", error=None, delivery="queued", latency_ms=5000)
    xml = message_xml("o-wait", "text", Content="你好", msg_id=1603)
    assert sim.deliver(xml)[2] == "问候 #1"
    assert sim.deliver(xml)[2] == "问候 #1"  # a later retry: the same passive answer, never a message
    wait_for(lambda: _recovered(services))
    wait_for(lambda: _row(services, "o-wait").delivery == "customer_service")
    assert fake_wechat.texts_to("o-wait") == []


def test_late_answer_whose_job_died_is_delivered_once(make_app, fake_wechat):
    app, services, _ = _app(make_app, fake_wechat)
    from bot.dialogue.incoming import Incoming

    msg = Incoming("o-lost-job", "text", text="你好", msg_id="1604")
    long_answer = "\n".join(f"第{i}行：草莓、脐橙、牛奶都有货，欢迎选购。" for i in range(150))
    ref = services.recorder.received(msg).ref
    services.recorder.answered(ref, intent="help", confidence=0.9, entities=None, answer=long_answer,
                               status="answered", error=None, delivery="passive+queued", latency_ms=20)
    # the job had sent the second part before its process died
    assert services.outbound.send("o-lost-job", "（第二部分）", key=part_key(msg.dedup_key, "o-lost-job", 1)).ok
    wait_for(lambda: _recovered(services))
    wait_for(lambda: _row(services, "o-lost-job").delivery == "passive+customer_service")
    sent = fake_wechat.texts_to("o-lost-job")
    from bot.dialogue.replies import split_text

    assert sent == ["（第二部分）", *split_text(long_answer)[2:]]
    assert not recovery.recover(services)  # delivered: nothing left to queue again


def test_message_that_kills_every_handler_gets_the_apology(make_app, fake_wechat, counted_greet, dying_pool):
    app, services, sim = _app(make_app, fake_wechat)
    sim.deliver(message_xml("o-poison", "text", Content="你好", msg_id=1605))
    with services.db.session() as s:  # three takeovers already died with their processes
        s.execute(update(MessageLog).where(MessageLog.openid == "o-poison").values(attempts=3))
    wait_for(lambda: _recovered(services))
    wait_for(lambda: fake_wechat.texts_to("o-poison"))
    assert fake_wechat.texts_to("o-poison") == [APOLOGY] and counted_greet == []
    row = _row(services, "o-poison")
    assert row.status == "failed" and row.error.startswith("RecoveryGaveUp")


def test_rq_job_of_a_killed_worker_runs_again_and_sends_each_part_once(make_app, fake_wechat, real_redis_url):
    from rq import SimpleWorker
    from rq.job import Job

    app, services, _ = _app(make_app, fake_wechat, REDIS_URL=real_redis_url)
    parts = ["第一部分", "第二部分", "第三部分"]
    services.queue.enqueue("deliver_text", None, "o-rq", parts, "customer_service", "o-rq:m:1606")
    # A worker takes the job, sends the first part and is killed (SIGKILL: no clean-up at all).
    dead = SimpleWorker([services.queue.queue], connection=services.queue.connection)
    dead.register_birth()
    job, queue = dead.dequeue_job_and_maintain_ttl(timeout=1)
    dead.prepare_execution(job)
    dead.prepare_job_execution(job)
    assert services.outbound.send("o-rq", parts[0], key=part_key("o-rq:m:1606", "o-rq", 0)).ok
    assert job.id in services.queue.queue.started_job_registry.get_job_ids(cleanup=False)
    # Housekeeping, once the dead worker's heartbeat has expired, puts the job back in the queue.
    assert requeue_abandoned(services, now=time.time() + 3600) == 1
    assert requeue_abandoned(services, now=time.time() + 3600) == 0
    assert Job.fetch(job.id, connection=services.queue.connection).retries_left == 2
    run_jobs(services)
    assert fake_wechat.texts_to("o-rq") == parts


def test_a_part_is_claimed_before_it_is_sent_and_released_when_wechat_refuses(wechat_app, fake_wechat):
    services = wechat_app.extensions["xiaoer"]
    barrier = threading.Barrier(4)
    results = []

    def send():
        barrier.wait()
        results.append(services.outbound.send("o-claim", "只发一次", key="claim-test:0"))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert fake_wechat.texts_to("o-claim") == ["只发一次"]
    assert sorted(r.already for r in results) == [False, True, True, True]
    fake_wechat.fail("message/custom/send", ("http", 503))
    assert services.outbound.send("o-claim", "重试", key="claim-test:1").retryable
    assert services.outbound.send("o-claim", "重试", key="claim-test:1").ok  # the refusal released the claim
    assert fake_wechat.texts_to("o-claim") == ["只发一次", "重试"]
