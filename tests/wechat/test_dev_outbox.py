"""Development mode: what WeChat would deliver later shows up in `make chat`."""
import time

import pytest

from bot.wechat.simulator import Simulator, chat
from tests.helpers import APP_ID, TOKEN, serving


@pytest.fixture
def live_dev_app(make_app):
    app = make_app(WECHAT_DEV_OUTBOX=True)
    with serving(app) as base:
        yield app, base + "/wechat"


def test_outbox_keeps_messages_per_openid_until_read(live_dev_app):
    app, url = live_dev_app
    outbox = app.extensions["xiaoer"].wechat
    outbox.send_text("o-a", "您的投诉已处理")
    outbox.send_text("o-b", "别人的消息")
    sim = Simulator(TOKEN, APP_ID, url=url)
    assert sim.outbox("o-a") == ["您的投诉已处理"]
    assert sim.outbox("o-a") == []
    assert sim.outbox("o-b") == ["别人的消息"]


def test_outbox_needs_a_valid_signature_and_development_mode(live_dev_app, app):
    _, url = live_dev_app
    import requests
    assert requests.get(url + "/dev-outbox", params={"openid": "o-a", "signature": "x", "timestamp": "1",
                                                    "nonce": "1"}).status_code == 403
    assert app.test_client().get("/wechat/dev-outbox?openid=o-a").status_code == 404


def test_a_signed_outbox_url_expires_like_wechats_own(live_dev_app):
    """A signed query string from a log must not read a customer's outbox forever."""
    import requests

    from bot.wechat.codec import signature
    app, url = live_dev_app
    app.extensions["xiaoer"].wechat.send_text("o-old", "私人消息")
    old = str(int(time.time()) - 301)
    params = {"openid": "o-old", "timestamp": old, "nonce": "1", "signature": signature(TOKEN, old, "1")}
    r = requests.get(url + "/dev-outbox", params=params, timeout=5)
    assert r.status_code == 403 and "timestamp" in r.text
    assert Simulator(TOKEN, APP_ID, url=url).outbox("o-old") == ["私人消息"]  # a fresh signature still reads it


def test_chat_prints_staff_replies_as_they_arrive(live_dev_app):
    app, url = live_dev_app
    lines, shown = iter(["你好"]), []

    def read(prompt):
        try:
            return next(lines)
        except StopIteration:
            app.extensions["xiaoer"].wechat.send_text("o-chat", "客服：已为您补发")
            deadline = time.monotonic() + 5
            while not any("客服消息" in s for s in shown) and time.monotonic() < deadline:
                time.sleep(0.05)
            return "/quit"
    chat(Simulator(TOKEN, APP_ID, url=url), "o-chat", read=read, write=shown.append, outbox_every=0.1)
    assert any(s.startswith("小二> 您好") for s in shown)
    assert "\n小二(客服消息)> 客服：已为您补发" in shown
