"""Test helpers in one module: WeChat's test account, running queued jobs, waiting, real servers
for browsers and fault tests, rounds set-up, console log-in. Fixtures live in the conftest.py files;
the benchmarks' process tools (free ports, a private Redis, the round load) are imported here only."""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import threading
import time
from typing import Iterator

from sqlalchemy import create_engine, select, text
from werkzeug.serving import make_server

from bench.common import free_port  # noqa: F401  (for the fault and process tests)
from bench.rounds_joins import drop_schema, make_round, mixed_requests, run_load, schema_url  # noqa: F401
from bench.stack import PrivateRedis, real_clock_env
from bot.config import ROOT
from bot.models import Base, Round, utcnow
from bot.wechat.simulator import Simulator

TOKEN = "test-token"
APP_ID = "wx-test-appid"
AES_KEY = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"
PUSH_SECRET = "push-secret"  # the order system's webhook secret in the shop tests
PASSWORD = "correct-horse-9"  # every console account the ticket tests create
STAFF_ROLES = ("admin", "agent", "merchant", "viewer")

# pytest-xdist runs the suite in worker processes gw0, gw1, ...: each gets its own Redis database
# and its own PostgreSQL database, so no worker flushes or truncates another's data.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
WORKER_INDEX = int(WORKER[2:]) if WORKER.startswith("gw") else 0


def real_redis_server() -> str:
    """The Redis under test: REDIS_URL's, else TEST_REDIS_URL (another server, e.g. one per
    checkout when several run at once), else the local default."""
    return os.environ.get("REDIS_URL") or os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_url_for_tests(url: str) -> str:
    """Tests flush their Redis database: never the one a developer's app uses (db 0)."""
    db = int(os.environ.get("TEST_REDIS_DB", "13")) + WORKER_INDEX
    return re.sub(r"/\d+$", "", url.rstrip("/")) + f"/{db}"


def clean_database(url: str) -> None:
    """Every table emptied (PostgreSQL: identities restarted too)."""
    engine = create_engine(url, future=True)
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))
    engine.dispose()


def flask_transport(app):
    """The simulator's transport through Flask's test client (no server needed)."""
    client = app.test_client()

    def post(query: dict, body: bytes):
        r = client.post("/wechat", query_string=query, data=body, content_type="text/xml")
        return r.status_code, r.get_data(as_text=True)

    return post


def chat(app):
    """say(openid, text) -> the passive answer, through the real webhook."""
    return Simulator(TOKEN, APP_ID, None, post=flask_transport(app)).say


def run_jobs(services_or_app) -> None:
    """Run what the app queued: a real RQ worker (burst) on Redis, else the in-process pool."""
    services = services_or_app.extensions["xiaoer"] if hasattr(services_or_app, "extensions") else services_or_app
    if services.queue.kind == "rq":
        from rq import SimpleWorker

        SimpleWorker([services.queue.queue], connection=services.queue.connection).work(burst=True)
    else:
        services.queue.drain()


def wait_for(predicate, timeout: float = 10.0, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not met in time")


def round_id(services, title: str) -> int:
    with services.db.session() as s:
        return s.execute(select(Round.id).where(Round.title == title)).scalar_one()


def set_deadline(services, rid: int, delta: dt.timedelta) -> None:
    with services.db.session() as s:
        s.get(Round, rid).deadline = utcnow() + delta


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def login(app, username: str, password: str = PASSWORD):
    client = app.test_client()
    token = csrf_of(client.get("/console/login").get_data(as_text=True))
    response = client.post("/console/login", data={"username": username, "password": password, "csrf_token": token})
    return client, response


@contextlib.contextmanager
def private_redis() -> Iterator[PrivateRedis]:
    server = PrivateRedis().start()
    try:
        yield server
    finally:
        server.stop()


POLL = 0.02  # werkzeug's default 0.5 s poll made every server's shutdown cost half a second


@contextlib.contextmanager
def serving(wsgi_app) -> Iterator[str]:
    """A real HTTP server for a WSGI app on a free port, for browsers and real clients."""
    server = make_server("127.0.0.1", 0, wsgi_app, threaded=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": POLL}, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def launch_chromium(playwright):
    """Debian's chromium, headless. It is the customer's or the staff member's device, not the shop:
    it keeps the machine's clock when a moved-clock run preloads libfaketime (its timers stall there)."""
    return playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS,
                                      env=real_clock_env())


SHOTS = ROOT / "artifacts" / "screenshots"  # what the browser tests saw (gitignored)


class Shots:
    """Numbered full-page screenshots of one browser test, in artifacts/screenshots/<name>/."""

    def __init__(self, name: str) -> None:
        self.dir = SHOTS / name
        self.dir.mkdir(parents=True, exist_ok=True)
        self.count = 0
        self.paths: list = []

    def take(self, page, label: str) -> None:
        self.count += 1
        path = self.dir / f"{self.count:02d}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        self.paths.append(path)


def browser_login(page, url: str, username: str) -> None:
    """Log in through the console's form as a person would (every account has PASSWORD)."""
    from playwright.sync_api import expect

    page.goto(url + "/console/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    # the display name the staff fixtures give (agent1 -> "agent one"), else the username itself
    expect(page.get_by_test_id("whoami")).to_contain_text(re.compile(f"{username}|{username.replace('1', ' one')}"))
