"""The console's chat simulator signs with the real Token, so the review could speak as any customer
(a merchant exported a round's participants as the merchant). Now it exists only with
CONSOLE_SIMULATOR=1, speaks only as o-sim-* openids, and its rows are marked in the message log."""
import pytest
from sqlalchemy import select

from bot.console.cli import create_user
from bot.models import MessageLog
from tests.helpers import PASSWORD, csrf_of, login


def _staff(app, role="merchant"):
    create_user(app.extensions["xiaoer"].db, role + "1", PASSWORD, role)
    client, response = login(app, role + "1")
    assert response.status_code == 302
    return client, csrf_of(client.get("/console/").get_data(as_text=True))


def _say(client, token, openid, text="你好"):
    return client.post("/console/simulator/say", json={"openid": openid, "text": text},
                       headers={"X-CSRF-Token": token})


def _rows(app):
    with app.extensions["xiaoer"].db.session() as s:
        return [(r.openid, r.simulated_by) for r in s.execute(select(MessageLog).order_by(MessageLog.id)).scalars()]


def test_off_unless_switched_on(make_app):
    app = make_app(CONSOLE_SECURE_COOKIES=False)
    client, token = _staff(app, "admin")
    assert client.get("/console/simulator").status_code == 404
    assert client.get("/console/simulator/inbox?openid=o-sim-a").status_code == 404
    assert _say(client, token, "o-sim-a").status_code == 404
    assert "聊天模拟器" not in client.get("/console/").get_data(as_text=True)
    assert _rows(app) == []


@pytest.mark.parametrize("openid", ["o-demo-merchant", "oRealCustomer0000000000000", "o-sim-", "x-o-sim-a"])
def test_speaks_only_as_simulated_openids(make_app, openid):
    app = make_app(CONSOLE_SECURE_COOKIES=False, CONSOLE_SIMULATOR=True)
    client, token = _staff(app)
    response = _say(client, token, openid, "导出 #1")
    assert response.status_code == 400
    assert "o-sim-" in response.get_json()["error"]
    assert _rows(app) == []  # nothing reached the webhook


def test_simulated_rows_are_marked_with_the_staff_member(make_app):
    app = make_app(CONSOLE_SECURE_COOKIES=False, CONSOLE_SIMULATOR=True)
    client, token = _staff(app, "agent")
    assert "聊天模拟器" in client.get("/console/").get_data(as_text=True)
    response = _say(client, token, "o-sim-alice", "你好")
    assert response.status_code == 200 and response.get_json()["answer"]
    assert _rows(app) == [("o-sim-alice", "agent1")]


def test_outside_requests_cannot_mark_themselves_simulated(make_app):
    """The mark travels in the WSGI environ, which an HTTP client cannot set (headers become HTTP_*)."""
    from bot.wechat.simulator import Simulator
    from tests.helpers import APP_ID, TOKEN

    app = make_app(CONSOLE_SIMULATOR=True)
    client = app.test_client()

    def post(query, body):
        r = client.post("/wechat", query_string=query, data=body, content_type="text/xml",
                        headers={"xiaoer.simulated_by": "agent1", "Xiaoer-Simulated-By": "agent1"})
        return r.status_code, r.get_data(as_text=True)

    assert Simulator(TOKEN, APP_ID, None, post=post).say("o-sim-bob", "你好")
    assert _rows(app) == [("o-sim-bob", None)]


def test_the_page_never_offers_a_real_openid(make_app):
    app = make_app(CONSOLE_SECURE_COOKIES=False, CONSOLE_SIMULATOR=True)
    client, _ = _staff(app)
    html = client.get("/console/simulator?openid=o-demo-alice").get_data(as_text=True)
    assert 'value="o-sim-alice"' in html and "o-demo-alice" not in html
    assert client.get("/console/simulator/inbox?openid=o-demo-alice").get_json() == {"messages": []}
