"""Console fixtures: demo data, one account per role, a logged-in client per role, the WeChat stand-in."""
import re

import pytest

from bot.staff_cli import create_user
from tests.fakes.wechat_server import FakeWeChat

PASSWORD = "correct-horse-9"
ROLES = ("admin", "agent", "merchant", "viewer")


@pytest.fixture
def fake_wechat():
    fake = FakeWeChat().start()
    yield fake
    fake.stop()


@pytest.fixture
def console_app(make_app, fake_wechat):
    from bot.demo import seed

    app = make_app(WECHAT_API_BASE=fake_wechat.url, WECHAT_APP_SECRET="test-secret-x", CONSOLE_SECURE_COOKIES=False)
    svc = app.extensions["xiaoer"]
    seed(svc)
    for role in ROLES:
        create_user(svc.db, role + "1", PASSWORD, role, display_name=f"{role} one")
    return app


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def login(app, username: str, password: str = PASSWORD):
    client = app.test_client()
    token = csrf_of(client.get("/console/login").get_data(as_text=True))
    response = client.post("/console/login", data={"username": username, "password": password, "csrf_token": token})
    return client, response


@pytest.fixture
def clients(console_app):
    """{role: (client, csrf token)} for each role, logged in."""
    out = {}
    for role in ROLES:
        client, response = login(console_app, role + "1")
        assert response.status_code == 302, response.get_data(as_text=True)
        out[role] = (client, csrf_of(client.get("/console/").get_data(as_text=True)))
    return out
