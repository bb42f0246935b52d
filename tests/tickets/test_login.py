"""Console login behind load balancers: the client address comes through ProxyFix for exactly
TRUSTED_PROXIES hops; failures grow a delay per (username, address) instead of locking the account,
and the delay reads the same for accounts that exist and names that do not."""
import datetime as dt
import re

import pytest

from bot import clock
from tests.helpers import PASSWORD, csrf_of

MOMENT = dt.datetime(2026, 6, 1, 10, 0)


def _login(app, username, password=PASSWORD, via=None):
    """(status, page text) of one login attempt, from the client address `via` (X-Forwarded-For)."""
    client = app.test_client()
    headers = {"X-Forwarded-For": via} if via else {}
    token = csrf_of(client.get("/console/login", headers=headers).get_data(as_text=True))
    r = client.post("/console/login", data={"username": username, "password": password, "csrf_token": token},
                    headers=headers)
    return r.status_code, r.get_data(as_text=True)


def test_failures_grow_a_delay_instead_of_a_lockout(console_app):
    with clock.frozen(MOMENT) as now:
        assert [_login(console_app, "agent1", "wrong")[0] for _ in range(3)] == [401, 401, 401]
        status, page = _login(console_app, "agent1")  # the right password, but too soon
        assert status == 429 and "请 1 秒后再试" in page and "锁定" not in page
        now.tick(1.5)
        assert _login(console_app, "agent1", "wrong")[0] == 401
        assert "请 2 秒后再试" in _login(console_app, "agent1")[1]
        now.tick(2.5)
        assert _login(console_app, "agent1", "wrong")[0] == 401
        assert "请 4 秒后再试" in _login(console_app, "agent1")[1]
        now.tick(4.5)
        assert _login(console_app, "agent1")[0] == 302  # never locked out for a quarter of an hour
        assert _login(console_app, "agent1", "wrong")[0] == 401  # and a success starts the count again


def test_the_delay_does_not_reveal_whether_the_account_exists(console_app):
    with clock.frozen(MOMENT):
        real = [_login(console_app, "agent1", "wrong") for _ in range(4)]
        unknown = [_login(console_app, "nobody-here", "wrong") for _ in range(4)]
    assert [s for s, _ in real] == [s for s, _ in unknown] == [401, 401, 401, 429]
    def page(text, name):
        return re.sub(r'value="[^"]*"', "", text.replace(name, "X"))
    assert page(real[-1][1], "agent1") == page(unknown[-1][1], "nobody-here")
    assert "请 1 秒后再试" in real[-1][1]


def test_an_attacker_elsewhere_does_not_delay_staff(make_app):
    from bot.console.cli import create_user

    app = make_app(CONSOLE_SECURE_COOKIES=False, TRUSTED_PROXIES=1)
    create_user(app.extensions["xiaoer"].db, "agent1", PASSWORD, "agent")
    with clock.frozen(MOMENT):
        for _ in range(6):
            _login(app, "agent1", "wrong", via="203.0.113.9")
        assert _login(app, "agent1", via="203.0.113.9")[0] == 429
        assert _login(app, "agent1", via="198.51.100.7")[0] == 302


@pytest.mark.parametrize("proxies", [0, 1])
def test_per_address_limit_keys_on_the_client_behind_trusted_proxies(make_app, proxies):
    """With TRUSTED_PROXIES=1 the balancer's X-Forwarded-For names the client: one attacker no longer
    exhausts the limit for all staff. With 0 the header is ignored, so rotating it gains nothing."""
    from bot.console.cli import create_user

    app = make_app(CONSOLE_SECURE_COOKIES=False, TRUSTED_PROXIES=proxies, RATE_LIMIT_LOGIN_IP="3/300")
    create_user(app.extensions["xiaoer"].db, "agent1", PASSWORD, "agent")
    with clock.frozen(MOMENT):  # one fixed 300 s slot for every attempt
        statuses = [_login(app, f"guess{i}", "wrong", via=f"203.0.113.{i}" if not proxies else "203.0.113.9")[0]
                    for i in range(4)]
        assert statuses == [401, 401, 401, 429]
        staff = _login(app, "agent1", via="198.51.100.7")[0]
        assert staff == (302 if proxies else 429)
