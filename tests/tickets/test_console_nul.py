"""A NUL character pasted into a console form or search made PostgreSQL refuse the statement (a 500);
staff are told in plain words and nothing is half-saved."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot.models import Customer, FaqEntry

NUL_WORDS = "看不见的控制字符"


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def _balance(app) -> int:
    with app.extensions["xiaoer"].db.session() as s:
        return s.execute(select(Customer.points_balance).where(Customer.member_id == "M0001")).scalar_one()


@pytest.mark.parametrize("path", ["/console/customers?q=%00", "/console/customers?q=M0001&x=a%00b",
                                  "/console/tickets?assignee=a%00b"])
def test_a_nul_character_in_a_search_is_told_in_plain_words(clients, path):
    r = clients["agent"][0].get(path)
    assert r.status_code == 400 and NUL_WORDS in _text(r)


def test_a_nul_character_in_a_form_saves_nothing_and_says_why(clients, console_app):
    client, token = clients["admin"]
    before = _balance(console_app)
    r = client.post("/console/customers/M0001/points", data={"csrf_token": token, "delta": "5", "reason": "补偿\x00"})
    assert r.status_code == 400 and NUL_WORDS in _text(r)
    assert _balance(console_app) == before
    r = client.post("/console/faq", data={"csrf_token": token, "question": "几点\x00发货", "answer": "下午四点前下单当天发",
                                          "variants": "", "link": ""})
    assert r.status_code == 400
    with console_app.extensions["xiaoer"].db.session() as s:
        assert s.execute(select(FaqEntry).where(FaqEntry.question.like("几点%"))).first() is None
    # the same form without the character goes through
    r = client.post("/console/customers/M0001/points", data={"csrf_token": token, "delta": "5", "reason": "补偿"})
    assert r.status_code == 302 and _balance(console_app) == before + 5
