"""Bringing a group to a round: the group message, the parametric QR code through WeChat's
`qrcode/create` (the local stand-in records the request), and the scan events that reach the round."""
import datetime as dt
from urllib.parse import quote

import pytest
from sqlalchemy import select

from bot.models import Round, RoundEntry
from bot.rounds import ledger
from bot.rounds.share import qr_png, round_of_scene, round_qr, scene_of, share_text
from bot.wechat.simulator import Simulator, message_xml
from tests.helpers import APP_ID, TOKEN, flask_transport, round_id, set_deadline

STRAWBERRY = "丹东草莓 第3期"


def _sim(app) -> Simulator:
    return Simulator(TOKEN, APP_ID, None, post=flask_transport(app))


def _entries(services, rid):
    with services.db.session() as s:
        return [(e.openid, e.quantity, e.pickup_point, e.status) for e in
                s.execute(select(RoundEntry).where(RoundEntry.round_id == rid).order_by(RoundEntry.seq)).scalars()]


def test_group_text_has_the_terms_groups_expect(rounds_app):
    svc = rounds_app.extensions["xiaoer"]
    with svc.db.session() as s:
        text = share_text(ledger.view(s, round_id(svc, STRAWBERRY)))
    lines = text.splitlines()
    assert lines[0] == "【丹东草莓 第3期】22.00元/斤"
    assert lines[1] == "满20斤成团｜上限50斤｜每人限5斤"
    assert lines[2].startswith("截止：") and "月" in lines[2]
    assert lines[3] == "自提：西湖自提点、滨江自提点"
    assert "回复「接龙 数量」" in text and "接龙 2斤丹东草莓" in text


@pytest.mark.parametrize("key,expected", [("round-3", 3), ("qrscene_round-12", 12), ("store42", None),
                                          ("round-", None), ("round-3x", None), (None, None), ("", None)])
def test_scene_names_a_round_or_nothing(key, expected):
    assert round_of_scene(key) == expected


def test_qr_code_is_created_once_through_wechat(rounds_app, fake_wechat):
    svc = rounds_app.extensions["xiaoer"]
    rid = round_id(svc, STRAWBERRY)
    qr = round_qr(svc, rid)
    sent = fake_wechat.received["qrcode/create"]
    assert sent == [{"action_name": "QR_LIMIT_STR_SCENE", "action_info": {"scene": {"scene_str": f"round-{rid}"}}}]
    with svc.db.session() as s:
        ticket = s.get(Round, rid).qr_ticket
    assert ticket and qr.image_url == "https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=" + quote(ticket, safe="")
    assert qr.content.startswith("http://weixin.qq.com/q/") and not qr.placeholder
    assert round_qr(svc, rid) == qr and len(fake_wechat.received["qrcode/create"]) == 1  # kept on the round
    assert len(fake_wechat.tokens_issued) == 1  # through the shared access token
    assert qr_png(qr.content)[:8] == b"\x89PNG\r\n\x1a\n"


def test_qr_code_survives_a_stale_token(rounds_app, fake_wechat):
    svc = rounds_app.extensions["xiaoer"]
    svc.wechat.send_text("o-x", "warm the token")
    fake_wechat.tokens_issued.append("rotated-elsewhere")  # WeChat no longer accepts our token
    assert round_qr(svc, round_id(svc, STRAWBERRY)).image_url
    assert len(fake_wechat.received["qrcode/create"]) == 1


def test_refused_qr_code_says_why_and_stores_nothing(rounds_app, fake_wechat):
    from bot.rounds.share import QrUnavailable

    svc = rounds_app.extensions["xiaoer"]
    rid = round_id(svc, STRAWBERRY)
    fake_wechat.fail("qrcode/create", 48001)
    with pytest.raises(QrUnavailable) as exc:
        round_qr(svc, rid)
    assert "48001" in str(exc.value)
    with svc.db.session() as s:
        assert s.get(Round, rid).qr_ticket is None


def test_development_qr_code_is_a_local_placeholder(make_app, fake_wechat):
    from bot.demo import seed

    app = make_app(WECHAT_API_BASE=fake_wechat.url, WECHAT_APP_SECRET=None)
    svc = app.extensions["xiaoer"]
    seed(svc)
    rid = round_id(svc, STRAWBERRY)
    qr = round_qr(svc, rid)
    assert qr.placeholder and qr.image_url is None and qr.content.endswith(scene_of(rid))
    assert fake_wechat.received["qrcode/create"] == []
    assert len(qr_png(qr.content)) > 200


def test_scan_shows_the_round_and_the_next_message_joins(rounds_app):
    sim, svc = _sim(rounds_app), rounds_app.extensions["xiaoer"]
    rid = round_id(svc, STRAWBERRY)
    _, _, answer = sim.deliver(message_xml("o-scan", "event", Event="SCAN", EventKey=f"round-{rid}", Ticket="tk"))
    assert "【丹东草莓 第3期】22.00元/斤" in answer and "要几斤？" in answer and "已凑 0/20 斤" in answer
    answer = sim.say("o-scan", "3斤 西湖")
    assert "接龙成功" in answer and "3斤" in answer and "西湖自提点" in answer
    assert _entries(svc, rid) == [("o-scan", 3, "西湖自提点", "joined")]


def test_subscribing_by_scan_reaches_the_round_in_two_messages(rounds_app):
    sim, svc = _sim(rounds_app), rounds_app.extensions["xiaoer"]
    with svc.db.session() as s:
        s.get(Round, round_id(svc, STRAWBERRY)).pickup_points = ["西湖自提点"]
    rid = round_id(svc, STRAWBERRY)
    _, _, answer = sim.deliver(message_xml("o-new", "event", Event="subscribe", EventKey=f"qrscene_round-{rid}",
                                           Ticket="tk"))
    assert answer.startswith("感谢关注！") and "丹东草莓 第3期" in answer and "要几斤？" in answer
    assert "接龙成功" in sim.say("o-new", "2")
    assert _entries(svc, rid) == [("o-new", 2, "西湖自提点", "joined")]


def test_scan_of_an_ended_or_unknown_round_says_so(rounds_app):
    sim, svc = _sim(rounds_app), rounds_app.extensions["xiaoer"]
    rid = round_id(svc, STRAWBERRY)
    set_deadline(svc, rid, -dt.timedelta(minutes=1))
    _, _, answer = sim.deliver(message_xml("o-late", "event", Event="SCAN", EventKey=f"round-{rid}"))
    assert "不能再接龙" in answer
    _, _, answer = sim.deliver(message_xml("o-late", "event", Event="SCAN", EventKey="round-99999",
                                           create_time=1_800_000_000))
    assert "已失效" in answer
    assert "几斤" not in sim.say("o-late", "3")  # no question was left pending
