"""Console fixtures: demo data, one account per role, a logged-in client per role, the WeChat stand-in."""
import pytest

from bot.console.cli import create_user
from tests.helpers import PASSWORD, STAFF_ROLES as ROLES, csrf_of, login


@pytest.fixture
def console_app(make_app, fake_wechat):
    from bot.demo import seed

    app = make_app(WECHAT_API_BASE=fake_wechat.url, WECHAT_APP_SECRET="test-secret-x", CONSOLE_SECURE_COOKIES=False,
                   CONSOLE_SIMULATOR=True)
    svc = app.extensions["xiaoer"]
    seed(svc)
    for role in ROLES:
        create_user(svc.db, role + "1", PASSWORD, role, display_name=f"{role} one")
    return app


@pytest.fixture
def clients(console_app):
    """{role: (client, csrf token)} for each role, logged in."""
    out = {}
    for role in ROLES:
        client, response = login(console_app, role + "1")
        assert response.status_code == 302, response.get_data(as_text=True)
        out[role] = (client, csrf_of(client.get("/console/").get_data(as_text=True)))
    return out


@pytest.fixture
def worker(console_app, fake_wechat, tmp_path):
    """With Redis, a real `flask --app bot worker` process sends what the console queues."""
    import os
    import subprocess
    import sys

    cfg = console_app.config
    if not cfg.get("REDIS_URL"):
        yield None
        return
    env = {**os.environ, "DATABASE_URL": cfg["DATABASE_URL"], "REDIS_URL": cfg["REDIS_URL"],
           "WECHAT_API_BASE": fake_wechat.url, "WECHAT_APP_SECRET": "test-secret-x", "SECRET_KEY": cfg["SECRET_KEY"],
           "MODEL_PATH": cfg["MODEL_PATH"], "INSTANCE_PATH": str(tmp_path), "WECHAT_TOKEN": cfg["WECHAT_TOKEN"]}
    process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "bot", "worker"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    yield process
    process.terminate()
    process.wait(10)
