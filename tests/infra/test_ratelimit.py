"""Rate limits in the shared store: per openid on the webhook, per account and address on login."""
import re

from sqlalchemy import select

from bot import clock
from bot.wechat.reply_window import TOO_FAST
from bot.models import MessageLog
from bot.infra.ratelimit import Limit, RateLimiter, parse_limit
from bot.wechat.simulator import Simulator, message_xml
from bot.console.cli import create_user
from bot.infra.store import MemoryStore, RedisStore
from tests.helpers import APP_ID, TOKEN, flask_transport, free_port


def test_parse_limit():
    assert parse_limit("20/60") == Limit(20, 60) and parse_limit("0").count == 0


def test_fixed_window_counts_and_resets():
    limiter = RateLimiter(MemoryStore())
    assert [limiter.hit("x", Limit(2, 60), now=120) for _ in range(3)] == [True, True, False]
    assert limiter.exceeded("x", Limit(2, 60), now=130)
    assert limiter.hit("x", Limit(2, 60), now=180)  # next window


def test_store_down_means_not_limited():
    limiter = RateLimiter(RedisStore(f"redis://127.0.0.1:{free_port()}/0"))
    assert limiter.hit("x", Limit(1, 60)) and limiter.hit("x", Limit(1, 60))


def test_flood_from_one_openid_gets_a_polite_answer_and_is_recorded(make_app):
    app = make_app(RATE_LIMIT_MESSAGES="3/60")
    services = app.extensions["xiaoer"]
    sim = Simulator(TOKEN, APP_ID, None, post=flask_transport(app))
    with clock.frozen(clock.now()):  # one fixed 60 s slot for the whole flood
        xmls = [message_xml("o-flood", "text", Content="谢谢", msg_id=600 + i) for i in range(5)]
        answers = [sim.deliver(x) for x in xmls]
        assert [a[0] for a in answers] == [200] * 5
        assert [a[2] == TOO_FAST for a in answers] == [False, False, False, True, True]
        assert sim.deliver(xmls[0])[2] != TOO_FAST  # a retry is not a new message: not counted
        assert sim.say("o-calm", "谢谢") != TOO_FAST  # others are unaffected
    with services.db.session() as s:
        rows = s.execute(select(MessageLog).where(MessageLog.openid == "o-flood")).scalars().all()
    assert [r.status for r in rows] == ["answered"] * 3 + ["limited"] * 2
    assert rows[-1].text == "谢谢" and rows[-1].answer == TOO_FAST
    assert 'xiaoer_rate_limited_total 2' in services.metrics.render()


def _attempt(client, username, password):
    html = client.get("/console/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    return client.post("/console/login", data={"username": username, "password": password, "csrf_token": token})


def test_login_attempts_are_limited_per_account_before_the_password_is_checked(make_app):
    with clock.frozen(clock.now()):  # the windows are fixed slots: attempts straddling a slot's end would reset
        _limited_per_account(make_app)


def _limited_per_account(make_app):
    app = make_app(CONSOLE_SECURE_COOKIES=False, RATE_LIMIT_LOGIN="3/300", RATE_LIMIT_LOGIN_IP="100/300")
    services = app.extensions["xiaoer"]
    create_user(services.db, "agent1", "right-password-1", "agent")
    create_user(services.db, "agent2", "right-password-2", "agent")
    client = app.test_client()
    assert [_attempt(client, "agent1", "wrong").status_code for _ in range(2)] == [401, 401]
    assert _attempt(client, "nobody", "x").status_code == 401
    assert _attempt(client, "agent1", "right-password-1").status_code == 302  # 3rd try, allowed
    limited = _attempt(client, "AGENT1", "right-password-1")  # 4th: refused even when right
    assert limited.status_code == 429 and "过于频繁" in limited.get_data(as_text=True)
    assert _attempt(app.test_client(), "agent2", "right-password-2").status_code == 302


def test_login_attempts_are_limited_per_address(make_app):
    with clock.frozen(clock.now()):  # as above: one fixed slot for every attempt
        _limited_per_address(make_app)


def _limited_per_address(make_app):
    app = make_app(CONSOLE_SECURE_COOKIES=False, RATE_LIMIT_LOGIN="100/300", RATE_LIMIT_LOGIN_IP="4/300")
    create_user(app.extensions["xiaoer"].db, "agent1", "right-password-1", "agent")
    client = app.test_client()
    assert [_attempt(client, f"guess{i}", "x").status_code for i in range(4)] == [401] * 4
    assert _attempt(client, "agent1", "right-password-1").status_code == 429
