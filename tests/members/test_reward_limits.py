"""A reward's points or stock past the database column's range was a 500 instead of a refusal."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot.models import Reward


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


@pytest.mark.parametrize("field,value", [("points", "99999999999999999999"), ("points", "3000000000"),
                                         ("stock", "99999999999999999999")])
def test_a_reward_with_an_impossible_number_is_refused_not_a_crash(clients, console_app, field, value):
    client, token = clients["merchant"]
    form = {"csrf_token": token, "name": "帆布袋", "points": "300", "stock": "10", "enabled": "1", field: value}
    r = client.post("/console/rewards", data=form, follow_redirects=True)
    assert r.status_code == 200 and "1000000" in _text(r)
    with console_app.extensions["xiaoer"].db.session() as s:
        assert s.execute(select(Reward).where(Reward.name == "帆布袋")).first() is None
