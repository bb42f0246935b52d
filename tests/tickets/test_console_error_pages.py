"""Console error pages without a reason of their own spoke Werkzeug's English to staff."""
from __future__ import annotations

import re

import pytest


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


@pytest.mark.parametrize("path", ["/console/no-such-page", "/console/rounds/1/no-such-action",
                                  "/console/feedback/export.xyz"])
def test_a_page_that_does_not_exist_is_a_404_in_plain_chinese(clients, path):
    r = clients["merchant"][0].get(path)
    assert r.status_code == 404
    assert "没有这个页面" in _text(r) and "requested URL" not in _text(r)


def test_a_missing_faq_entry_is_a_404_in_plain_chinese(clients):
    client, token = clients["admin"]
    r = client.post("/console/faq/999999", data={"csrf_token": token, "action": "delete"})
    assert r.status_code == 404 and "没有这个页面" in _text(r)


def test_a_form_too_long_is_a_413_in_plain_chinese(clients, console_app):
    client, token = clients["admin"]
    limit = console_app.config["MAX_CONTENT_LENGTH"]
    r = client.post("/console/faq", data={"csrf_token": token, "question": "问" * limit, "answer": "答"})
    assert r.status_code == 413 and "内容太长" in _text(r) and "capacity" not in _text(r)


def test_a_crash_is_shown_to_staff_in_plain_chinese(console_app, clients):
    console_app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production, where the handler answers

    def boom():
        raise RuntimeError("a bug")

    console_app.view_functions["console.demand"] = boom
    r = clients["merchant"][0].get("/console/demand")
    assert r.status_code == 500 and "系统出错了" in _text(r) and "internal error" not in _text(r)
