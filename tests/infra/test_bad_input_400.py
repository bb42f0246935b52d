"""Inputs the review found answered with a 500: each is the sender's mistake, so a 400."""
import pytest

from bot.console.cli import create_user
from tests.helpers import PASSWORD, csrf_of, login


@pytest.fixture
def viewer(make_app):
    app = make_app(CONSOLE_SECURE_COOKIES=False)
    create_user(app.extensions["xiaoer"].db, "viewer1", PASSWORD, "viewer")
    client, response = login(app, "viewer1")
    assert response.status_code == 302
    return app, client


@pytest.mark.parametrize("token", ["令牌", "é", "\u2028"])
def test_a_non_ascii_csrf_token_is_a_400(viewer, token):
    _, client = viewer
    assert client.post("/console/logout", data={"csrf_token": token}).status_code == 400
    assert client.post("/console/logout", headers={"X-CSRF-Token": token.encode().decode("latin-1")}).status_code == 400
    assert client.get("/console/").status_code == 200  # still logged in: nothing happened


def test_the_right_csrf_token_still_works(viewer):
    _, client = viewer
    token = csrf_of(client.get("/console/").get_data(as_text=True))
    assert client.post("/console/logout", data={"csrf_token": token}).status_code == 302


@pytest.mark.parametrize("query", ["fmt=x", "fmt=", "fmt=csv%00", "_external=1", "since=不是日期", "date=2026-13-45"])
def test_odd_feedback_page_parameters_are_a_400(viewer, query):
    _, client = viewer
    assert client.get(f"/console/feedback?{query}").status_code == 400


def test_feedback_page_export_links_carry_only_the_filters(viewer):
    _, client = viewer
    html = client.get("/console/feedback?product=陶瓷杯").get_data(as_text=True)
    assert "/console/feedback/export.csv?" in html and "fmt=" not in html.split("export.csv")[1][:200]


@pytest.mark.parametrize("signature", ["签名", "é" * 64, "sha256=\u00ff"])
def test_a_non_ascii_order_push_signature_is_refused_not_a_crash(make_app, signature):
    app = make_app(ORDER_WEBHOOK_SECRET="push-secret")
    r = app.test_client().post("/webhooks/orders", data=b'{"event_id": "e1"}', content_type="application/json",
                               headers={"X-Xiaoer-Signature": signature.encode().decode("latin-1")})
    assert r.status_code == 400 and "X-Xiaoer-Signature" in r.get_json()["error"]


def test_pushes_verify_non_ascii_signatures_as_false_not_a_crash():
    from bot.shop import pushes

    assert pushes.verify("push-secret", b"{}", "签名") is False
