"""The console's Content-Security-Policy allows no inline style or script, so anything written inline
in a template silently does nothing in a browser: FAQ 删除 deleted without its confirmation, and
layouts (the feedback charts at phone width among them) fell apart. Every page is checked here."""
from __future__ import annotations

import re

import pytest

from bot.feedback.records import record_message

PAGES = ["/console/", "/console/tickets", "/console/customers", "/console/customers/M0001", "/console/rewards",
         "/console/rounds", "/console/rounds/new", "/console/feedback", "/console/demand", "/console/faq",
         "/console/unanswered", "/console/products", "/console/simulator", "/console/password"]
INLINE = re.compile(r"""<style|\sstyle\s*=|\son[a-z]+\s*=|<script(?![^>]*\ssrc=)""", re.I)


@pytest.mark.parametrize("path", PAGES)
def test_no_page_relies_on_what_the_csp_blocks(clients, path):
    r = clients["admin"][0].get(path)
    assert r.status_code == 200 and "'unsafe-inline'" not in r.headers["Content-Security-Policy"]
    html = r.get_data(as_text=True)
    assert not INLINE.findall(html), INLINE.findall(html)


def test_faq_delete_asks_first_through_the_console_script(clients, console_app):
    client, token = clients["admin"]
    client.post("/console/faq", data={"csrf_token": token, "question": "周末发货吗", "answer": "周末照常发货。",
                                      "variants": "", "link": ""})
    html = client.get("/console/faq").get_data(as_text=True)
    assert re.search(r'value="delete"[^>]*data-confirm="[^"]+"', html)
    script = re.search(r'<script src="([^"]*console\.js)"', html).group(1)
    assert "data-confirm" in client.get(script).get_data(as_text=True)


def test_feedback_charts_scale_down_on_a_phone(clients, console_app):
    svc = console_app.extensions["xiaoer"]
    for text, openid in [("草莓很甜，包装也好", "o-demo-bob"), ("草莓有点酸，个头也小", "o-demo-alice")]:
        record_message(svc, text, openid)
    html = clients["merchant"][0].get("/console/feedback").get_data(as_text=True)
    charts = re.findall(r"<svg[^>]*>", html)
    assert charts and all("viewBox=" in svg for svg in charts)  # console.css: svg[viewBox] fits the screen
