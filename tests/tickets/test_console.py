"""The console: login, CSRF, cookies and headers, masking, actions, delivery failures."""
import pytest
from sqlalchemy import select

from bot.models import StaffUser, Ticket
from tests.helpers import PASSWORD, csrf_of, login, run_jobs


def _complaint(app, openid="o-demo-alice", text="收到的鸡蛋碎了好几个 DD20261101001") -> str:
    from bot.wechat.simulator import Simulator

    from tests.helpers import APP_ID, TOKEN, flask_transport
    Simulator(TOKEN, APP_ID, None, post=flask_transport(app)).say(openid, text)
    with app.extensions["xiaoer"].db.session() as s:
        return s.execute(select(Ticket.number).order_by(Ticket.id.desc())).scalars().first()


def _ticket(app, number) -> Ticket:
    with app.extensions["xiaoer"].db.session() as s:
        t = s.execute(select(Ticket).where(Ticket.number == number)).scalar_one()
        t.messages, t.notes, t.events, t.assignee
        return t


def test_login_sets_a_fresh_httponly_session_and_logout_ends_it(console_app):
    client, response = login(console_app, "agent1")
    assert response.status_code == 302 and response.headers["Location"].endswith("/console/")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = client.get("/console/")
    assert page.status_code == 200 and "agent one" in page.get_data(as_text=True)
    assert page.headers["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    client.post("/console/logout", data={"csrf_token": csrf_of(page.get_data(as_text=True))})
    assert client.get("/console/").status_code == 302


def test_session_cookie_is_secure_by_default(make_app):
    from bot.console.cli import create_user

    app = make_app()
    create_user(app.extensions["xiaoer"].db, "sec", PASSWORD, "agent")
    _, response = login(app, "sec")
    assert "Secure" in response.headers["Set-Cookie"]


def test_wrong_password_and_unknown_user_get_the_same_answer(console_app):
    _, bad = login(console_app, "agent1", "nope-nope-nope")
    _, unknown = login(console_app, "nobody", "nope-nope-nope")
    assert bad.status_code == unknown.status_code == 401
    assert "用户名或密码不正确" in bad.get_data(as_text=True) and "用户名或密码不正确" in unknown.get_data(as_text=True)


def test_posts_without_the_csrf_token_are_refused_and_change_nothing(console_app, clients):
    number = _complaint(console_app)
    client, _ = clients["agent"]
    response = client.post(f"/console/tickets/{number}/claim", data={})
    assert response.status_code == 400
    response = client.post(f"/console/tickets/{number}/claim", data={"csrf_token": "forged"})
    assert response.status_code == 400
    assert _ticket(console_app, number).assignee_id is None


def test_open_redirect_after_login_is_refused(console_app):
    client = console_app.test_client()
    token = csrf_of(client.get("/console/login").get_data(as_text=True))
    response = client.post("/console/login", data={"username": "agent1", "password": PASSWORD, "csrf_token": token,
                                                     "next": "https://evil.example/"})
    assert response.headers["Location"].endswith("/console/")


def test_agent_works_a_ticket_and_the_reply_reaches_the_customer(console_app, clients, fake_wechat):
    number = _complaint(console_app)
    client, token = clients["agent"]
    base = f"/console/tickets/{number}"
    assert client.post(base + "/claim", data={"csrf_token": token}).status_code == 302
    client.post(base + "/note", data={"csrf_token": token, "text": "仓库确认破损"})
    client.post(base + "/reply", data={"csrf_token": token, "text": "很抱歉，已为您补发鸡蛋。"})
    run_jobs(console_app)
    t = _ticket(console_app, number)
    assert t.assignee.username == "agent1" and t.state == "open" and t.first_responded_at
    assert [n.text for n in t.notes] == ["仓库确认破损"]
    assert fake_wechat.texts_to("o-demo-alice") == ["很抱歉，已为您补发鸡蛋。"]
    assert t.messages[-1].delivery == "sent"
    actions = [(e.actor, e.action) for e in t.events]
    assert ("agent1", "claimed") in actions and ("agent1", "note") in actions and ("agent1", "reply") in actions
    page = client.get(base).get_data(as_text=True)
    assert "仓库确认破损" in page and "DD20261101001" in page and "王丽" in page


@pytest.mark.parametrize("code,advice", [(45015, "48 小时"), (45047, "条数上限")])
def test_refused_reply_is_shown_on_the_ticket_with_what_to_do(console_app, clients, fake_wechat, code, advice):
    number = _complaint(console_app)
    client, token = clients["agent"]
    fake_wechat.fail("message/custom/send", code)
    client.post(f"/console/tickets/{number}/reply", data={"csrf_token": token, "text": "您好"})
    run_jobs(console_app)
    t = _ticket(console_app, number)
    assert t.messages[-1].delivery == "failed" and str(code) in t.messages[-1].delivery_error
    assert advice in t.delivery_problem
    page = client.get(f"/console/tickets/{number}").get_data(as_text=True)
    assert advice in page and "重新发送" in page
    client.post(f"/console/tickets/{number}/resend", data={"csrf_token": token})
    run_jobs(console_app)
    assert fake_wechat.texts_to("o-demo-alice") == ["您好"]
    assert _ticket(console_app, number).delivery_problem is None


def test_viewer_sees_personal_data_masked(console_app, clients):
    number = _complaint(console_app)
    viewer = clients["viewer"][0].get(f"/console/tickets/{number}").get_data(as_text=True)
    agent = clients["agent"][0].get(f"/console/tickets/{number}").get_data(as_text=True)
    assert "13800000001" in agent and "王丽" in agent
    assert "13800000001" not in viewer and "138****0001" in viewer and "王丽" not in viewer


def test_viewer_sees_free_text_masked_in_the_timeline_and_queue(console_app, clients):
    """Reproduced by the review: a viewer read a phone number and an address in a ticket timeline."""
    number = _second_ticket(console_app, "o-demo-alice", "鸡蛋全碎了 电话1380 013 8000 送到杭州市西湖区文三路100号")
    agent, token = clients["agent"]
    agent.post(f"/console/tickets/{number}/note", data={"csrf_token": token, "text": "已电话13900000009联系收货人张伟"})
    viewer_page = clients["viewer"][0].get(f"/console/tickets/{number}").get_data(as_text=True)
    viewer_queue = clients["viewer"][0].get("/console/tickets").get_data(as_text=True)
    agent_page = agent.get(f"/console/tickets/{number}").get_data(as_text=True)
    for secret in ("1380 013 8000", "文三路100号", "13900000009", "张伟"):
        assert secret in agent_page and secret not in viewer_page
    assert "[电话]" in viewer_page and "[地址]" in viewer_page and "收货人[姓名]" in viewer_page
    assert "1380 013 8000" not in viewer_queue and "13800138000" not in viewer_queue


def _bind(app, openid: str, member_id: str) -> None:
    """A second WeChat account of the same member (the same person on another phone)."""
    from bot.models import Customer, CustomerOpenid

    with app.extensions["xiaoer"].db.session() as s:
        customer = s.execute(select(Customer).where(Customer.member_id == member_id)).scalar_one()
        s.add(CustomerOpenid(openid=openid, customer_id=customer.id))


def _second_ticket(app, openid: str, text: str) -> str:
    """Another ticket of the same openid (chat would add to the open one; staff can open a second)."""
    from bot.tickets import service

    svc = app.extensions["xiaoer"]
    with svc.db.session() as s:
        return service.create(s, svc.config, openid, text).number


def test_merge_moves_the_conversation_and_closes_the_duplicate(console_app, clients):
    first = _complaint(console_app, "o-demo-alice")
    second = _second_ticket(console_app, "o-demo-alice", "刚才说的鸡蛋，盒子也压坏了 DD20261101001")
    client, token = clients["admin"]
    client.post(f"/console/tickets/{second}/merge", data={"csrf_token": token, "target": first})
    dup, target = _ticket(console_app, second), _ticket(console_app, first)
    assert dup.state == "closed" and dup.merged_into_id == target.id and len(target.messages) >= 2


def test_merging_two_customers_tickets_is_refused_and_moves_nothing(console_app, clients, fake_wechat):
    """Reproduced by the review: Alice's refund reply with her address went to Bob after a merge."""
    alice = _complaint(console_app, "o-demo-alice")
    bob = _complaint(console_app, "o-demo-bob", "少发了一箱牛奶 DD20261118003")
    client, token = clients["admin"]
    client.post(f"/console/tickets/{alice}/reply", data={"csrf_token": token, "text": "退款已办，寄回地址：文三路100号"})
    response = client.post(f"/console/tickets/{alice}/merge", data={"csrf_token": token, "target": bob},
                           follow_redirects=True)
    assert "不同的顾客" in response.get_data(as_text=True)
    run_jobs(console_app)
    a, b = _ticket(console_app, alice), _ticket(console_app, bob)
    assert a.merged_into_id is None and a.state != "closed"
    assert all(m.ticket_id == a.id for m in a.messages) and len(b.messages) == 1
    assert fake_wechat.texts_to("o-demo-alice") == ["退款已办，寄回地址：文三路100号"]
    assert fake_wechat.texts_to("o-demo-bob") == []


def test_a_merged_reply_goes_to_the_account_it_was_written_for(console_app, clients, fake_wechat):
    """The same member on two WeChat accounts may be merged; each reply keeps its recipient."""
    _bind(console_app, "o-alice-phone2", "M0001")
    first = _complaint(console_app, "o-demo-alice")
    second = _complaint(console_app, "o-alice-phone2", "还有一盒鸡蛋也碎了 DD20261101001")
    client, token = clients["admin"]
    fake_wechat.fail("message/custom/send", 45047)
    client.post(f"/console/tickets/{second}/reply", data={"csrf_token": token, "text": "第二个号上的回复"})
    run_jobs(console_app)
    assert client.post(f"/console/tickets/{second}/merge", data={"csrf_token": token, "target": first}).status_code == 302
    target = _ticket(console_app, first)
    assert target.messages[-1].recipient == "o-alice-phone2"
    client.post(f"/console/tickets/{first}/resend", data={"csrf_token": token})
    client.post(f"/console/tickets/{first}/reply", data={"csrf_token": token, "text": "合并后的回复"})
    run_jobs(console_app)
    assert fake_wechat.texts_to("o-alice-phone2") == ["第二个号上的回复"]
    assert fake_wechat.texts_to("o-demo-alice") == ["合并后的回复"]


def test_bad_state_change_is_refused_with_a_clear_message(console_app, clients):
    number = _complaint(console_app)
    client, token = clients["agent"]
    response = client.post(f"/console/tickets/{number}/state", data={"csrf_token": token, "state": "bogus"},
                           follow_redirects=True)
    assert "没有这个状态" in response.get_data(as_text=True) and _ticket(console_app, number).state == "new"


def test_queue_filters_and_counts(console_app, clients):
    from bot.tickets import service

    urgent = _complaint(console_app, "o-demo-alice", "喝了你们的牛奶拉肚子了")
    svc = console_app.extensions["xiaoer"]
    with svc.db.session() as s:  # created directly: this test is about the queue, not the NLU
        normal = service.create(s, svc.config, "o-demo-bob", "配送延误三天了", order_no="DD20261118003").number
    client = clients["agent"][0]
    page = client.get("/console/tickets?priority=urgent").get_data(as_text=True)
    assert urgent in page and normal not in page
    page = client.get("/console/tickets?category=delivery").get_data(as_text=True)
    assert normal in page and urgent not in page
    assert "新建 2" in client.get("/console/tickets").get_data(as_text=True)


def test_overdue_tickets_are_flagged_and_escalated(console_app, clients):
    import datetime as dt

    number = _complaint(console_app)
    with console_app.extensions["xiaoer"].db.session() as s:
        t = s.execute(select(Ticket).where(Ticket.number == number)).scalar_one()
        t.first_response_due_at = t.sla_due_at = t.created_at - dt.timedelta(minutes=1)
    page = clients["admin"][0].get("/console/tickets?overdue=1").get_data(as_text=True)
    assert number in page and "超时" in page
    t = _ticket(console_app, number)
    assert t.escalated_at and ("system", "escalated") in [(e.actor, e.action) for e in t.events]
    assert number in clients["admin"][0].get("/console/").get_data(as_text=True)


def test_users_create_cli(console_app):
    runner = console_app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "carol", "--role", "merchant", "--password", "long-enough-1"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["users", "create", "carol", "--role", "merchant", "--password", "long-enough-1"])
    assert result.exit_code != 0 and "已存在" in result.output
    result = runner.invoke(args=["users", "create", "dave", "--role", "boss", "--password", "long-enough-1"])
    assert result.exit_code != 0
    result = runner.invoke(args=["users", "create", "erin", "--password", "short"])
    assert result.exit_code != 0 and "至少" in result.output
    with console_app.extensions["xiaoer"].db.session() as s:
        carol = s.execute(select(StaffUser).where(StaffUser.username == "carol")).scalar_one()
        assert carol.role == "merchant" and "long-enough-1" not in carol.password_hash
        assert s.execute(select(StaffUser).where(StaffUser.username.in_(["dave", "erin"]))).first() is None


def test_resolving_twice_asks_the_customer_for_a_score_once(console_app, clients):
    """A double tap on 标记解决 (or the form resent from the back button) sent the score question twice."""
    number = _complaint(console_app)
    client, token = clients["agent"]
    assert client.post(f"/console/tickets/{number}/resolve", data={"csrf_token": token}).status_code == 302
    again = client.post(f"/console/tickets/{number}/resolve", data={"csrf_token": token}, follow_redirects=True)
    assert "已经是「已解决」" in again.get_data(as_text=True)
    questions = [m for m in _ticket(console_app, number).messages if m.direction == "out" and "请为本次服务打分" in m.text]
    assert len(questions) == 1


def test_a_refused_state_change_names_the_states_in_words(console_app, clients):
    number = _complaint(console_app)
    client, token = clients["agent"]
    client.post(f"/console/tickets/{number}/claim", data={"csrf_token": token})
    page = client.post(f"/console/tickets/{number}/state", data={"csrf_token": token, "state": "new"},
                       follow_redirects=True).get_data(as_text=True)
    assert "不能从「处理中」改为「新建」" in page and "「open」" not in page
