"""The HTTP order-system client against the reference server (a real local HTTP server over the
SQL store): the contract round-trips, and slow, failing and dead systems are handled in bounded time."""
import threading
import time

import pytest
import requests

from integrations.breaker import CircuitBreaker
from integrations.commerce import CommerceUnavailable
from integrations.http_commerce import HttpCommerce
from integrations.reference_order_server import ReferenceOrderServer
from bot.shop.sql_commerce import SqlCommerce


@pytest.fixture
def seeded(build):
    return build("sql").extensions["xiaoer"]


@pytest.fixture
def client(order_server):
    return HttpCommerce(order_server.url, token="order-token", retry_pause=0.01)


def test_contract_round_trips_to_what_the_sql_store_says(seeded, client):
    sql = SqlCommerce(seeded.db)
    assert client.order("DD20261101001") == sql.order("DD20261101001")
    assert client.recent_orders("M0001") == sql.recent_orders("M0001")
    assert [o.order_no for o in client.recent_orders("M0001", 1)] == ["DD20261101001"]
    assert client.stock("原味薯片") == sql.stock("原味薯片")
    assert client.stock("玫瑰手工皂").warehouses[0].restock_date is not None


def test_missing_things_are_none_not_errors(seeded, client):
    assert client.order("DD20269999999") is None
    assert client.stock("榴莲") is None
    assert client.recent_orders("M9999") == []
    assert client.breaker.state == "closed"


def test_wrong_token_is_unavailable(seeded, order_server):
    with pytest.raises(CommerceUnavailable, match="401"):
        HttpCommerce(order_server.url, token="nope").order("DD20261101001")


def test_slow_system_times_out_after_two_seconds_without_retrying(seeded, order_server, client):
    order_server.delay = 2.5
    before = order_server.requests
    started = time.monotonic()
    with pytest.raises(CommerceUnavailable, match="timed out"):
        client.order("DD20261101001")
    assert 1.9 < time.monotonic() - started < 2.4
    assert order_server.requests - before == 1


def test_server_errors_are_retried_once_then_reported(seeded, order_server, client):
    order_server.fail_with = 503
    with pytest.raises(CommerceUnavailable, match="HTTP 503"):
        client.order("DD20261101001")
    assert order_server.requests == 2
    order_server.fail_with = 500  # not a transient status: no retry
    with pytest.raises(CommerceUnavailable, match="HTTP 500"):
        client.stock("丹东草莓")
    assert order_server.requests == 3


def test_breaker_makes_a_dead_system_cost_milliseconds_and_recovers(seeded, order_server):
    clock = [0.0]
    client = HttpCommerce(order_server.url, token="order-token", retry_pause=0.01,
                          breaker=CircuitBreaker(threshold=3, cooldown=30, clock=lambda: clock[0]))
    order_server.fail_with = 503
    for _ in range(3):
        with pytest.raises(CommerceUnavailable):
            client.order("DD20261101001")
    hits = order_server.requests
    started = time.monotonic()
    for _ in range(20):
        with pytest.raises(CommerceUnavailable, match="breaker open"):
            client.order("DD20261101001")
    assert time.monotonic() - started < 0.5 and order_server.requests == hits
    order_server.fail_with = None
    clock[0] = 31.0  # cooldown over: one trial call goes through and closes the breaker
    assert client.order("DD20261101001").status == "运输中"
    assert client.breaker.state == "closed"


def test_connection_refused_is_unavailable_quickly(seeded):
    client = HttpCommerce("http://127.0.0.1:9/api/v1/", retry_pause=0.01)
    started = time.monotonic()
    with pytest.raises(CommerceUnavailable, match="network"):
        client.order("DD20261101001")
    assert time.monotonic() - started < 1


def test_contract_breaking_answer_is_unavailable(seeded, order_server, monkeypatch):
    from werkzeug.wrappers import Response
    monkeypatch.setattr(order_server, "answer", lambda request: Response('{"order": {"status": 1}}',
                                                                         mimetype="application/json"))
    with pytest.raises(CommerceUnavailable, match="contract"):
        HttpCommerce(order_server.url).order("DD20261101001")


def test_stopping_waits_for_an_answer_still_being_worked_out(seeded):
    """A slow answer reads the store after its delay: stop() lets it finish, so nothing reads a
    database that its owner has already cleaned or closed."""
    server = ReferenceOrderServer(SqlCommerce(seeded.db), token=None).start()
    server.delay = 0.6
    answers = []
    asking = threading.Thread(target=lambda: answers.append(requests.get(f"{server.url}orders/DD20261101001",
                                                                         timeout=5).status_code))
    asking.start()
    deadline = time.monotonic() + 5
    while server.requests == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started >= 0.3 and server._active == 0
    asking.join(5)
    assert answers == [200]
