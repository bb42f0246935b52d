"""Fixtures: a fresh app and database per test on the backend under test (SQLite + in-process
store by default; PostgreSQL + Redis when DATABASE_URL / REDIS_URL are set), one real Rasa
model per test run, and WeChat's side played by the real protocol simulator."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import redis as redis_lib
from sqlalchemy import create_engine, text

from bot import create_app
from bot import handlers as _handlers  # noqa: F401  (registered before any test patches one)
from bot.config import ROOT
from bot.infra.migrate import upgrade
from bot.nlu import LocalRasa
from bot.nlu.training import train
from bot.wechat.simulator import Simulator

from .helpers import (AES_KEY, APP_ID, TOKEN, WORKER, clean_database, flask_transport, real_redis_server,
                      redis_url_for_tests)

MODELS = ROOT / "models"


def _postgres_url_for_worker(url: str) -> str:
    """The configured database for a serial run; `<name>_gwN` (created when missing) per worker."""
    if not WORKER:
        return url
    admin = create_engine(url, future=True, isolation_level="AUTOCOMMIT")
    name = f"{admin.url.database}_{WORKER}"
    with admin.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return admin.url.set(database=name).render_as_string(hide_password=False)


# Files that take a minute or more (retraining, servers that load the model, a fit of every
# forecast). Run first: with `--dist loadfile` the last file to start sets the suite's wall time,
# and these at the end left one worker idle for minutes.
SLOW_FIRST = ("tests/nlu/test_catalog_sync.py", "tests/nlu/test_reproducible.py", "tests/nlu/test_parity.py",
              "tests/test_processes.py", "tests/forecast/test_api.py", "tests/rounds/test_browser.py",
              "tests/rounds/test_load.py")


def pytest_collection_modifyitems(items):
    rank = {name: i for i, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashes():
    """Staff passwords are hashed with scrypt at production cost (about 0.1-0.3 s each); the suite
    creates and logs in hundreds of accounts. Here they use the same scrypt at a lower work factor,
    one hash per password: verifying, lockouts and sessions run the real code on real hashes."""
    import functools

    from werkzeug.security import generate_password_hash

    from bot.console import auth

    production = auth.hash_password
    auth.hash_password = functools.lru_cache(maxsize=None)(
        lambda password: generate_password_hash(password, method="scrypt:1024:8:1"))
    yield
    auth.hash_password = production


@pytest.fixture(scope="session")
def model_file() -> Path:
    path, _ = train(MODELS)
    return path


@pytest.fixture(scope="session")
def nlu_engine(model_file) -> LocalRasa:
    engine = LocalRasa(str(model_file))
    engine.start(background=False)
    assert engine.ready, engine.error
    return engine


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    elif url.startswith("postgresql"):
        url = _postgres_url_for_worker(url)
        with create_engine(url, future=True).begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade(url)
    return url


@pytest.fixture
def redis_url() -> str | None:
    url = os.environ.get("REDIS_URL")
    if url:
        url = redis_url_for_tests(url)
        redis_lib.Redis.from_url(url).flushdb()
    return url


@pytest.fixture
def real_redis_url() -> str:
    """For behaviour that only exists with Redis (several processes, RQ): always the real one."""
    url = redis_url_for_tests(real_redis_server())
    redis_lib.Redis.from_url(url).flushdb()
    return url


class LiveApps(list):
    """The apps a test made. Their queued jobs finish before any fake server they talk to stops,
    and no retry of theirs runs after the test (it would write into the next test's database)."""

    def settle(self) -> None:
        """The test is over: queued sends finish, retries and long jobs (a forecast refit of every
        product) stop instead of holding the teardown for their whole run."""
        for app in self:
            queue = app.extensions["xiaoer"].queue
            if hasattr(queue, "wind_down"):
                queue.wind_down()

    def close(self) -> None:
        self.settle()
        for app in self:
            svc = app.extensions["xiaoer"]
            svc.queue.close()
            svc.db.engine.dispose()


@pytest.fixture
def live_apps():
    apps = LiveApps()
    yield apps
    apps.close()


@pytest.fixture
def make_app(live_apps, database_url, redis_url, nlu_engine, tmp_path):
    apps = live_apps

    def factory(**overrides):
        clean_database(database_url)
        config = {
            "TESTING": True, "DATABASE_URL": database_url, "REDIS_URL": redis_url,
            "MODEL_PATH": str(nlu_engine.model), "INSTANCE_PATH": str(tmp_path),
            "WECHAT_TOKEN": TOKEN, "WECHAT_TOKEN_IS_DEV": False, "WECHAT_APP_ID": APP_ID,
            "WECHAT_AES_KEY": None, "SECRET_KEY": "test-secret", "API_TOKEN": "test-api-token",
            # A passive answer even when CI's two cores are busy; the late path is tested with
            # budgets of its own (test_channel.py, test_health.py, shop/test_slow_order_system.py).
            "ANSWER_BUDGET": 30.0,
            **overrides,
        }
        app = create_app(config)
        app.extensions["xiaoer"].engine.start(background=False)
        apps.append(app)
        return app

    return factory


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def services(app):
    return app.extensions["xiaoer"]


@pytest.fixture
def sim(app) -> Simulator:
    """Plaintext mode, as a newcomer's account starts."""
    return Simulator(TOKEN, APP_ID, None, post=flask_transport(app))


@pytest.fixture
def aes_app(make_app):
    return make_app(WECHAT_AES_KEY=AES_KEY)


@pytest.fixture
def aes_sim(aes_app) -> Simulator:
    return Simulator(TOKEN, APP_ID, AES_KEY, post=flask_transport(aes_app))


@pytest.fixture
def fake_wechat(live_apps):
    from .fakes.wechat_server import FakeWeChat

    fake = FakeWeChat().start()
    yield fake
    live_apps.settle()
    fake.stop()


@pytest.fixture
def wechat_app(make_app, fake_wechat):
    """An app whose outbound WeChat calls go to the local stand-in."""
    return make_app(WECHAT_API_BASE=fake_wechat.url, WECHAT_APP_SECRET="test-secret")


@pytest.fixture
def browser():
    """Debian's chromium through Playwright (tests/helpers.py launch_chromium)."""
    from playwright.sync_api import sync_playwright

    from .helpers import launch_chromium

    with sync_playwright() as p:
        launched = launch_chromium(p)
        yield launched
        launched.close()
