"""Shared set-up for the round tests: demo data, the WeChat stand-in, and a chat as someone."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bot.demo import seed
from bot.models import Round, utcnow
from tests.conftest import run_jobs  # noqa: F401  (re-exported for the round tests)


@pytest.fixture
def rounds_app(make_app, fake_wechat):
    app = make_app(WECHAT_API_BASE=fake_wechat.url, WECHAT_APP_SECRET="test-secret-wx")
    seed(app.extensions["xiaoer"])
    return app


def round_id(services, title: str) -> int:
    with services.db.session() as s:
        return s.execute(select(Round.id).where(Round.title == title)).scalar_one()


def set_deadline(services, rid: int, delta: dt.timedelta) -> None:
    with services.db.session() as s:
        s.get(Round, rid).deadline = utcnow() + delta


def texts_to(fake, openid: str) -> list[str]:
    return fake.texts_to(openid)
