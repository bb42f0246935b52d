"""A slow order system must not break WeChat's 5-second rule: the webhook says `success` in
time and the answer follows as a customer-service message; a dead one answers at once."""
import time
from tests.helpers import chat, run_jobs


def test_slow_order_system_answer_arrives_later_as_customer_service_message(build, order_server, wechat):
    app = build("http", ANSWER_BUDGET=0.8)
    say = chat(app)
    say("o-demo-alice", "你好")  # warm up the model and connections
    order_server.delay = 1.5
    started = time.monotonic()
    assert say("o-demo-alice", "DD20261101001到哪了") is None  # `success`: the answer comes later
    assert time.monotonic() - started < 1.3
    deadline = time.monotonic() + 10
    while not wechat.texts_to("o-demo-alice") and time.monotonic() < deadline:
        run_jobs(app.extensions["xiaoer"])
        time.sleep(0.1)
    texts = wechat.texts_to("o-demo-alice")
    assert len(texts) == 1 and "状态：运输中" in texts[0] and "顺丰 SF1234567890" in texts[0]


def test_dead_order_system_gets_a_clear_answer_fast(build, order_server):
    app = build("http")
    say = chat(app)
    order_server.stop()
    answers = [say("o-demo-alice", "DD20261101001到哪了") for _ in range(4)]
    assert all("订单系统暂时连不上" in a for a in answers)
    started = time.monotonic()
    assert "订单系统暂时连不上" in say("o-demo-alice", "我的订单到哪了")  # breaker open now
    assert "库存系统暂时连不上" in say("o-demo-alice", "草莓还有吗")
    assert time.monotonic() - started < 1.5
