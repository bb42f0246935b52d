"""Authorization matrix: every console and API endpoint as each role and anonymously, and the
JSON API's behaviour with a valid token."""
import pytest
from sqlalchemy import select

from bot.models import Ticket
from tests.helpers import STAFF_ROLES as ROLES, run_jobs


ANON = "anonymous"
W = ("admin", "agent")
ALL = ROLES
SIM = ("admin", "agent", "merchant")
# (method, path, roles allowed); {n} is a ticket number
CONSOLE = [
    ("GET", "/console/", ALL), ("GET", "/console/tickets", ALL), ("GET", "/console/tickets/{n}", ALL),
    ("GET", "/console/simulator", SIM), ("GET", "/console/simulator/inbox?openid=o-sim-alice", SIM),
    ("POST", "/console/simulator/say", SIM),
    *[("POST", f"/console/tickets/{{n}}/{a}", W) for a in
      ("claim", "assign", "note", "reply", "canned", "state", "resolve", "merge", "resend")],
]
API = [("GET", "/api/tickets"), ("GET", "/api/tickets/{n}"),
       *[("POST", f"/api/tickets/{{n}}/{a}") for a in ("claim", "note", "reply", "resolve")]]


@pytest.fixture
def number(console_app):
    from bot.tickets import service

    svc = console_app.extensions["xiaoer"]
    with svc.db.session() as s:
        return service.create(s, svc.config, "o-demo-alice", "鸡蛋碎了", order_no="DD20261101001").number


def _call(client, method, path, token=None):
    if method == "GET":
        return client.get(path)
    if path.endswith("/say"):
        return client.post(path, json={"openid": "o-sim-matrix", "text": "你好"}, headers={"X-CSRF-Token": token or ""})
    return client.post(path, data={"csrf_token": token or "", "text": "x", "state": "open", "assignee": "agent1",
                                   "target": "T000", "canned_id": "1"})


@pytest.mark.parametrize("who", [ANON, *ROLES])
def test_console_matrix(console_app, clients, number, who):
    client, token = clients[who] if who != ANON else (console_app.test_client(), None)
    for method, path, allowed in CONSOLE:
        response = _call(client, method, path.format(n=number), token)
        if who == ANON:
            assert response.status_code in (302, 400), (method, path, response.status_code)
            if response.status_code == 302:
                assert "/console/login" in response.headers["Location"]
        elif who in allowed:
            assert response.status_code in (200, 302), (who, method, path, response.status_code)
        else:
            assert response.status_code == 403, (who, method, path, response.status_code)


@pytest.mark.parametrize("who", [ANON, *ROLES, "wrong-token"])
def test_api_refuses_everyone_without_the_token(console_app, clients, number, who):
    """A console session is not an API credential; neither is a wrong token."""
    client = clients[who][0] if who in ROLES else console_app.test_client()
    headers = {"Authorization": "Bearer nope"} if who == "wrong-token" else {}
    for method, path in API:
        url = path.format(n=number)
        response = client.get(url, headers=headers) if method == "GET" else client.post(url, json={}, headers=headers)
        assert response.status_code == 401, (who, method, path)
        assert response.get_json()["error"] == "unauthorized"


def test_api_with_no_token_configured_refuses_even_an_empty_bearer(make_app):
    app = make_app(API_TOKEN=None)
    assert app.test_client().get("/api/tickets", headers={"Authorization": "Bearer "}).status_code == 401


def test_api_lists_filters_and_acts(console_app, number, fake_wechat):
    client, auth = console_app.test_client(), {"Authorization": "Bearer test-api-token"}
    data = client.get("/api/tickets?state=new", headers=auth).get_json()
    assert data["count"] == 1
    t = data["tickets"][0]
    for key in ("number", "state", "priority", "category", "customer", "order_id", "product", "created_at",
                "sla_due_at", "messages"):
        assert key in t
    assert (t["number"], t["state"], t["priority"], t["category"], t["order_id"]) == (number, "new", "high", "damaged", "DD20261101001")
    assert t["customer"]["member_id"] == "M0001" and t["messages"][0]["text"] == "鸡蛋碎了"
    assert client.get("/api/tickets?state=bogus", headers=auth).status_code == 400
    assert client.get("/api/tickets/T999", headers=auth).status_code == 404

    assert client.post(f"/api/tickets/{number}/claim", json={"agent": "agent1"}, headers=auth).get_json()["assignee"] == "agent1"
    assert client.post(f"/api/tickets/{number}/claim", json={}, headers=auth).status_code == 400
    assert client.post(f"/api/tickets/{number}/note", json={"text": "API 备注", "agent": "agent1"}, headers=auth).status_code == 200
    assert client.post(f"/api/tickets/{number}/reply", json={"text": ""}, headers=auth).status_code == 400
    r = client.post(f"/api/tickets/{number}/reply", json={"text": "已安排补发"}, headers=auth)
    assert r.status_code == 200 and r.get_json()["state"] == "open"
    r = client.post(f"/api/tickets/{number}/resolve", headers=auth)
    assert r.get_json()["state"] == "resolved"
    assert client.post(f"/api/tickets/{number}/delete", headers=auth).status_code == 404
    assert client.post(f"/api/tickets/{number}/note", data="not json", headers={**auth, "Content-Type": "text/plain"}).status_code == 400
    run_jobs(console_app)
    sent = fake_wechat.texts_to("o-demo-alice")
    assert sent[0] == "已安排补发" and "1-5" in sent[1]
    with console_app.extensions["xiaoer"].db.session() as s:
        t = s.execute(select(Ticket).where(Ticket.number == number)).scalar_one()
        assert [n.text for n in t.notes] == ["API 备注"]
        assert {e.actor for e in t.events} >= {"api:agent1", "api"}


SCOPED = {"API_TOKEN_FEEDBACK": "f" * 32, "API_TOKEN_ROUNDS": "r" * 32, "API_TOKEN_TICKETS": "t" * 32}
# path -> the scoped token that opens it besides API_TOKEN (None: API_TOKEN only)
AREAS = {"/api/feedback": "API_TOKEN_FEEDBACK", "/api/demand": "API_TOKEN_FEEDBACK",
         "/api/rounds": "API_TOKEN_ROUNDS", "/api/tickets": "API_TOKEN_TICKETS", "/api/tickets/{n}": "API_TOKEN_TICKETS",
         "/api/faq": None, "/api/unanswered": None}


@pytest.fixture
def scoped_app(console_app):
    console_app.config.update(SCOPED)
    return console_app


@pytest.mark.parametrize("token_name", ["API_TOKEN", *SCOPED])
def test_scoped_tokens_open_only_their_area(scoped_app, number, token_name):
    """The supply chain's feedback token can read neither tickets (customer details) nor rounds."""
    client = scoped_app.test_client()
    token = "test-api-token" if token_name == "API_TOKEN" else SCOPED[token_name]
    for path, area in AREAS.items():
        status = client.get(path.format(n=number), headers={"Authorization": f"Bearer {token}"}).status_code
        assert status == (200 if token_name in ("API_TOKEN", area) else 401), (token_name, path, status)
    closing = client.post("/api/rounds/1/close", headers={"Authorization": f"Bearer {token}"}).status_code
    assert (closing == 401) == (token_name not in ("API_TOKEN", "API_TOKEN_ROUNDS")), closing


def test_a_scoped_token_acts_on_tickets(scoped_app, number):
    auth = {"Authorization": "Bearer " + SCOPED["API_TOKEN_TICKETS"]}
    r = scoped_app.test_client().post(f"/api/tickets/{number}/claim", json={"agent": "agent1"}, headers=auth)
    assert r.status_code == 200 and r.get_json()["assignee"] == "agent1"


@pytest.mark.parametrize("role,allowed", [("viewer", False), ("merchant", False), ("agent", True), ("admin", True)])
def test_the_tickets_api_checks_the_named_agents_role(console_app, number, role, allowed):
    """As in the console: only roles that may act on tickets reply, note, claim or resolve through the API."""
    client, auth = console_app.test_client(), {"Authorization": "Bearer test-api-token"}
    for action, body in (("reply", {"text": "以我的名义回复"}), ("note", {"text": "备注"}), ("claim", {})):
        r = client.post(f"/api/tickets/{number}/{action}", json={**body, "agent": role + "1"}, headers=auth)
        assert r.status_code == (200 if allowed else 403), (action, r.get_json())
    with console_app.extensions["xiaoer"].db.session() as s:
        t = s.execute(select(Ticket).where(Ticket.number == number)).scalar_one()
        assert any(m.direction == "out" for m in t.messages) == allowed
        assert bool(t.notes) == allowed
