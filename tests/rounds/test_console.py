"""The rounds console without a browser: who may do what, masking, the form's shared parser and
wording, confirmations, the audit trail, export, and the customer's 「接龙名单」."""
import csv
import io
import re

import pytest
from sqlalchemy import select

from bot.models import Round, RoundEvent, RoundNotification
from bot.rounds.command import CONFIRM_HEAD, PROBLEMS_HEAD
from bot.wechat.simulator import Simulator
from tests.helpers import APP_ID, TOKEN, csrf_of, flask_transport, login, round_id, run_jobs

STRAWBERRY = "丹东草莓 第3期"
FORM = {"product": "苹果", "price": "7", "min_total": "20", "cap": "50", "per_person_max": "5",
        "deadline": "明天20点", "pickup": "西湖, 滨江"}


def _client(app, role):
    client, response = login(app, role + "1")
    assert response.status_code == 302
    return client, csrf_of(client.get("/console/").get_data(as_text=True))


def _join(app, openid, text, then=None):
    sim = Simulator(TOKEN, APP_ID, None, post=flask_transport(app))
    answer = sim.say(openid, text)
    return sim.say(openid, then) if then else answer


def _html(response) -> str:
    return response.get_data(as_text=True)


def test_pages_by_role(rounds_console):
    svc = rounds_console.extensions["xiaoer"]
    rid = round_id(svc, STRAWBERRY)
    _join(rounds_console, "o-demo-alice", "接龙 3斤草莓 西湖")
    for role in ("admin", "merchant", "agent", "viewer"):
        client, _ = _client(rounds_console, role)
        listing = _html(client.get("/console/rounds"))
        assert STRAWBERRY in listing and "已凑 3/20 斤" in listing
        page = client.get(f"/console/rounds/{rid}")
        assert page.status_code == 200
        runs = role in ("admin", "merchant")
        assert ('data-testid="close"' in _html(page)) is runs
        assert ('data-testid="read-only"' in _html(page)) is not runs
        assert (client.get(f"/console/rounds/{rid}/close").status_code == 200) is runs
        assert (client.get("/console/rounds/new").status_code == 200) is runs
        assert client.get(f"/console/rounds/{rid}/export.csv").status_code == (403 if role == "viewer" else 200)
        names = re.findall(r'data-testid="entry-name">([^<]+)<', _html(client.get(f"/console/rounds/{rid}/live")))
        assert names == (["王*"] if role == "viewer" else ["王丽"])
    assert login(rounds_console, "nobody")[0].get("/console/rounds").status_code == 302  # to the login page


def test_agent_and_viewer_cannot_act_even_by_posting(rounds_console):
    svc = rounds_console.extensions["xiaoer"]
    rid = round_id(svc, STRAWBERRY)
    for role in ("agent", "viewer"):
        client, token = _client(rounds_console, role)
        assert client.post(f"/console/rounds/{rid}/close", data={"csrf_token": token}).status_code == 403
        assert client.post("/console/rounds/new", data={**FORM, "csrf_token": token}).status_code == 403
    client, _ = _client(rounds_console, "merchant")
    assert client.post(f"/console/rounds/{rid}/close", data={}).status_code == 400  # no CSRF token
    with svc.db.session() as s:
        assert s.get(Round, rid).status == "open"


def test_form_uses_the_chat_parser_and_wording_and_publishes_once(rounds_console):
    svc = rounds_console.extensions["xiaoer"]
    client, token = _client(rounds_console, "merchant")
    bad = client.post("/console/rounds/new", data={"csrf_token": token, "product": "榴莲", "step": "preview"})
    assert bad.status_code == 400
    assert PROBLEMS_HEAD + "商品「榴莲」不在商品目录里" in _html(bad) and "没看到截止时间（例如「周五20点截止」）" in _html(bad)
    preview = _html(client.post("/console/rounds/new", data={**FORM, "csrf_token": token, "step": "preview"}))
    assert CONFIRM_HEAD in preview and "商品：红富士苹果（7.00 元/斤）" in preview and "每人限：5斤" in preview
    assert "开团 苹果 7元/斤 20斤起 上限50 每人限5 明天20点截止 自提:西湖,滨江" in preview
    with svc.db.session() as s:
        assert s.execute(select(Round).where(Round.product == "红富士苹果")).first() is None  # preview only
    publish = {**FORM, "csrf_token": token, "step": "publish",
               "publish_token": re.search(r'name="publish_token" value="([^"]+)"', preview).group(1)}
    first = client.post("/console/rounds/new", data=publish)
    again = client.post("/console/rounds/new", data=publish)  # a double tap
    assert first.status_code == 302 and again.status_code == 302 and again.location.endswith("/console/rounds")
    with svc.db.session() as s:
        rounds = list(s.execute(select(Round).where(Round.product == "红富士苹果")).scalars())
        assert len(rounds) == 1 and rounds[0].created_by == "console:merchant1"
        assert (rounds[0].min_total, rounds[0].cap, rounds[0].per_person_max) == (20, 50, 5)
        assert rounds[0].pickup_points == ["西湖自提点", "滨江自提点"]
    page = _html(client.get(first.location))
    assert "已开团：「红富士苹果 第1期」" in page and "【红富士苹果 第1期】7.00元/斤" in page


def test_close_behind_confirmation_is_audited_and_told(rounds_console):
    svc = rounds_console.extensions["xiaoer"]
    rid = round_id(svc, STRAWBERRY)
    _join(rounds_console, "o-demo-alice", "接龙 5斤草莓 西湖")
    client, token = _client(rounds_console, "merchant")
    confirm = _html(client.get(f"/console/rounds/{rid}/close"))
    assert "还没成团" in confirm and "会取消整团并通知 1 位顾客" in confirm
    with svc.db.session() as s:
        assert s.get(Round, rid).status == "open"  # the confirmation page changes nothing
    done = client.post(f"/console/rounds/{rid}/close", data={"csrf_token": token}, follow_redirects=True)
    assert "未成团，已取消，已通知 1 位顾客" in _html(done)
    again = client.post(f"/console/rounds/{rid}/close", data={"csrf_token": token}, follow_redirects=True)
    assert "已经结束" in _html(again)
    run_jobs(rounds_console)
    with svc.db.session() as s:
        assert s.get(Round, rid).status == "cancelled"
        events = [(e.action, e.actor) for e in s.execute(select(RoundEvent).where(RoundEvent.round_id == rid))
                  .scalars()]
        notices = [(n.openid, n.event) for n in s.execute(select(RoundNotification)).scalars()]
    assert ("cancelled", "console:merchant1") in events and notices == [("o-demo-alice", "cancelled")]


def test_cancel_and_fulfil(rounds_console):
    svc = rounds_console.extensions["xiaoer"]
    rid = round_id(svc, STRAWBERRY)
    eggs = round_id(svc, "散养土鸡蛋 拼单")
    client, token = _client(rounds_console, "admin")
    assert client.post(f"/console/rounds/{rid}/fulfil", data={"csrf_token": token},
                       follow_redirects=True).status_code == 200
    with svc.db.session() as s:
        assert s.get(Round, rid).status == "open"  # only a closed round can be fulfilled
    for i, who in enumerate(("o-a", "o-b", "o-c", "o-d")):
        _join(rounds_console, who, "接龙 5斤草莓 滨江")
    client.post(f"/console/rounds/{rid}/close", data={"csrf_token": token})
    client.post(f"/console/rounds/{rid}/fulfil", data={"csrf_token": token})
    client.post(f"/console/rounds/{eggs}/cancel", data={"csrf_token": token})
    with svc.db.session() as s:
        assert (s.get(Round, rid).status, s.get(Round, eggs).status) == ("fulfilled", "cancelled")
    audit = _html(client.get(f"/console/rounds/{rid}/live"))
    assert "已到货 · console:admin1" in audit and "截单 · console:admin1" in audit


def test_export_is_the_chat_csv(rounds_console):
    svc = rounds_console.extensions["xiaoer"]
    rid = round_id(svc, STRAWBERRY)
    _join(rounds_console, "o-demo-bob", "接龙 2斤草莓 滨江")
    client, _ = _client(rounds_console, "merchant")
    response = client.get(f"/console/rounds/{rid}/export.csv")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:4] == ["跟团号", "顾客", "openid", "数量"]
    assert rows[1][:6] == ["1", "李强", "o-demo-bob", "2", "斤", "滨江自提点"]
    assert "导出 CSV · console:merchant1" in _html(client.get(f"/console/rounds/{rid}/live"))  # who took the data


def test_qr_png_and_download(rounds_console, fake_wechat):
    svc = rounds_console.extensions["xiaoer"]
    rid = round_id(svc, STRAWBERRY)
    client, _ = _client(rounds_console, "viewer")
    page = _html(client.get(f"/console/rounds/{rid}"))
    assert 'alt="二维码"' in page and "showqrcode?ticket=" in page
    image = client.get(f"/console/rounds/{rid}/qr.png")
    assert image.mimetype == "image/png" and image.data[:4] == b"\x89PNG"
    download = client.get(f"/console/rounds/{rid}/qr.png?download=1")
    assert f"round-{rid}-qr.png" in download.headers["Content-Disposition"]
    assert len(fake_wechat.received["qrcode/create"]) == 1


def test_customer_roster_is_masked_with_the_same_progress(rounds_console):
    svc = rounds_console.extensions["xiaoer"]
    rid = round_id(svc, STRAWBERRY)
    _join(rounds_console, "o-demo-alice", "接龙 3斤草莓 西湖")
    _join(rounds_console, "o-demo-bob", "接龙 2斤草莓 滨江")
    answer = _join(rounds_console, "o-sim-carol", "接龙名单 草莓")
    assert answer.splitlines()[:4] == ["【丹东草莓 第3期】22.00元/斤", answer.splitlines()[1],
                                       "1. 王* 3斤 西湖自提点", "2. 李* 2斤 滨江自提点"]
    assert answer.splitlines()[1].startswith("已凑 5/20 斤，还差 15 斤成团")
    assert "王丽" not in answer and "李强" not in answer
    client, _ = _client(rounds_console, "agent")
    assert answer.splitlines()[1] in _html(client.get(f"/console/rounds/{rid}/live"))  # the page's words
    everything = _join(rounds_console, "o-sim-carol", "接龙名单")
    assert "丹东草莓 第3期" in everything and "散养土鸡蛋 拼单" in everything
    assert "没有找到「榴莲」的团" in _join(rounds_console, "o-sim-carol", "接龙名单 榴莲")


@pytest.mark.parametrize("path", ["/console/rounds/99999", "/console/rounds/99999/live",
                                  "/console/rounds/99999/export.csv", "/console/rounds/99999/close",
                                  "/console/rounds/1/explode"])
def test_unknown_rounds_and_actions_are_404(rounds_console, path):
    client, _ = _client(rounds_console, "admin")
    assert client.get(path).status_code == 404


def test_simulator_scans_as_wechat_reports_it(rounds_console):
    from bot.models import Subscriber

    svc = rounds_console.extensions["xiaoer"]
    rid = round_id(svc, STRAWBERRY)
    client, token = _client(rounds_console, "merchant")

    def scan(openid):
        response = client.post("/console/simulator/say", json={"openid": openid, "event": "scan",
                                                                "scene": f"round-{rid}"},
                               headers={"X-CSRF-Token": token})
        assert response.status_code == 200
        return response.get_json()["answer"]

    first = scan("o-sim-dora")  # not following yet: subscribe with qrscene_round-<id>
    assert first.startswith("感谢关注！") and "要几斤？" in first
    with svc.db.session() as s:
        assert s.get(Subscriber, "o-sim-dora").scene == f"round-{rid}"
    assert scan("o-sim-dora").startswith("欢迎回来！")  # following: SCAN
    assert client.post("/console/simulator/say", json={"openid": "o-sim-dora", "event": "scan", "scene": ""},
                       headers={"X-CSRF-Token": token}).status_code == 400


def test_open_rounds_show_their_outlook_to_staff(rounds_console):
    svc = rounds_console.extensions["xiaoer"]
    rid = round_id(svc, STRAWBERRY)
    _join(rounds_console, "o-demo-alice", "接龙 3斤草莓 西湖")
    client, _ = _client(rounds_console, "merchant")
    [said] = re.findall(r'data-testid="outlook">([^<]+)<', _html(client.get(f"/console/rounds/{rid}/live")))
    assert "概率约" in said and "斤" in said
    listing = re.findall(r'data-testid="outlook">([^<]+)<', _html(client.get("/console/rounds")))
    assert said in listing


@pytest.mark.parametrize("change,told", [
    ({"price": "-5"}, "价格要填数字"),  # the chat's reader took 「-5元」 for 5 元
    ({"min_total": "1e9"}, "成团数量要填数字"),  # ... and 「1e9斤起」 for 9 斤
    ({"cap": "五十斤多"}, "上限要填数字"),
    ({"price": "99999999999"}, "价格最多 100000 元"),  # past the column's range: a 500 at publishing
    ({"min_participants": "99999999999999999999"}, "成团人数最多 10000 人"),
    ({"min_total": "20000000", "cap": ""}, "数量最多 1000000"),
])
def test_form_numbers_that_are_not_quantities_are_refused_in_words(rounds_console, change, told):
    svc = rounds_console.extensions["xiaoer"]
    client, token = _client(rounds_console, "merchant")
    r = client.post("/console/rounds/new", data={**FORM, **change, "csrf_token": token, "step": "publish",
                                                 "publish_token": "tap-" + told})
    assert r.status_code == 400 and told in _html(r)
    with svc.db.session() as s:
        assert s.execute(select(Round).where(Round.product == "红富士苹果")).first() is None


def test_form_numbers_may_be_written_as_in_the_chat(rounds_console):
    client, token = _client(rounds_console, "merchant")
    preview = _html(client.post("/console/rounds/new", data={**FORM, "price": "7元", "min_total": "二十",
                                                             "csrf_token": token, "step": "preview"}))
    assert CONFIRM_HEAD in preview and "成团：满 20斤" in preview
