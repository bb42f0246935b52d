"""/wechat end to end through the Flask app: modes, every message type, and bad input."""
import time

import pytest
from sqlalchemy import select

from bot.models import MessageLog, Subscriber
from bot.wechat.simulator import message_xml
from bot.wechat.codec import safe_xml, signature
from tests.helpers import TOKEN


def test_url_check_answers_echostr_and_refuses_bad_signature(app):
    client = app.test_client()
    q = {"timestamp": "1410685589", "nonce": "n1", "echostr": "hello-123", "signature": signature(TOKEN, "1410685589", "n1")}
    r = client.get("/wechat", query_string=q)
    assert (r.status_code, r.get_data(as_text=True)) == (200, "hello-123")
    r = client.get("/wechat", query_string={**q, "signature": "0" * 40})
    assert r.status_code == 403


def test_plaintext_text_message_gets_text_reply(sim):
    status, body, answer = sim.deliver(message_xml("o-user-1", "text", Content="你好"))
    assert status == 200
    fields = safe_xml(body)
    assert fields["MsgType"] == "text" and fields["ToUserName"] == "o-user-1" and fields["FromUserName"] == "gh_xiaoer"
    assert "欢迎" in answer


def test_safe_mode_reply_is_encrypted_and_decrypts(aes_sim):
    status, body, answer = aes_sim.deliver(message_xml("o-user-2", "text", Content="你能做什么"))
    assert status == 200
    assert "Encrypt" in safe_xml(body) and "Content" not in safe_xml(body)
    assert "查订单" in answer


def test_compatible_mode_plain_request_gets_plain_reply_when_key_is_set(aes_app):
    """Compatible mode: WeChat may send plaintext even with a key configured; reply in kind."""
    from bot.wechat.simulator import Simulator

    from tests.helpers import APP_ID, flask_transport
    plain = Simulator(TOKEN, APP_ID, None, post=flask_transport(aes_app))
    status, body, answer = plain.deliver(message_xml("o-user-3", "text", Content="谢谢"))
    assert status == 200 and "Content" in safe_xml(body) and "Encrypt" not in safe_xml(body)
    assert "不客气" in answer


@pytest.mark.parametrize("kind,fields,expect", [
    ("voice", {"MediaId": "m1", "Format": "amr", "Recognition": "你好"}, "欢迎"),
    ("voice", {"MediaId": "m2", "Format": "amr", "Recognition": ""}, "打字"),
    ("voice", {"MediaId": "m3", "Format": "amr"}, "打字"),
    ("image", {"PicUrl": "http://img/1.jpg", "MediaId": "img-1"}, "图片收到"),
    ("location", {"Location_X": "30.25", "Location_Y": "120.16", "Scale": "15", "Label": "西湖区文三路"}, "西湖区文三路"),
    ("link", {"Title": "t", "Description": "d", "Url": "http://x"}, "链接收到"),
    ("video", {"MediaId": "v1", "ThumbMediaId": "t1"}, "视频收到"),
    ("shortvideo", {"MediaId": "v2", "ThumbMediaId": "t2"}, "视频收到"),
    ("miniprogrampage", {"Title": "x"}, "看不懂"),
])
def test_every_message_type_gets_a_sensible_answer(sim, kind, fields, expect):
    status, _, answer = sim.deliver(message_xml("o-kinds", kind, **fields))
    assert status == 200
    assert expect in answer


def test_image_is_kept_on_the_message_log(sim, services):
    sim.deliver(message_xml("o-img", "image", PicUrl="http://img/2.jpg", MediaId="img-2"))
    with services.db.session() as s:
        row = s.execute(select(MessageLog).where(MessageLog.openid == "o-img")).scalar_one()
    assert (row.msg_type, row.media_id, row.media_url) == ("image", "img-2", "http://img/2.jpg")


def test_subscribe_events_welcome_and_record(sim, services):
    _, _, answer = sim.deliver(message_xml("o-sub", "event", Event="subscribe"))
    assert "感谢关注" in answer and "查订单" in answer
    _, _, answer = sim.deliver(message_xml("o-qr", "event", Event="subscribe", EventKey="qrscene_store42", Ticket="tk"))
    assert "感谢关注" in answer
    _, body, answer = sim.deliver(message_xml("o-sub", "event", Event="unsubscribe", create_time=int(time.time()) + 1))
    assert body == "success" and answer is None
    with services.db.session() as s:
        assert s.get(Subscriber, "o-qr").scene == "store42"
        left = s.get(Subscriber, "o-sub")
        assert left.subscribed is False and left.unsubscribed_at is not None


def test_menu_click_maps_to_intent_and_other_events_are_quiet(sim):
    _, _, answer = sim.deliver(message_xml("o-menu", "event", Event="CLICK", EventKey="intent:help"))
    assert "查订单" in answer
    _, _, answer = sim.deliver(message_xml("o-menu", "event", Event="CLICK", EventKey="intent:human_handoff",
                                           create_time=int(time.time()) + 1))
    assert "人工" in answer
    _, _, answer = sim.deliver(message_xml("o-menu", "event", Event="CLICK", EventKey="no-such-key",
                                           create_time=int(time.time()) + 2))
    assert "暂时不可用" in answer
    _, _, answer = sim.deliver(message_xml("o-menu", "event", Event="SCAN", EventKey="123", Ticket="t"))
    assert "欢迎回来" in answer
    status, body, _ = sim.deliver(message_xml("o-menu", "event", Event="LOCATION", Latitude="30.2",
                                              Longitude="120.1", Precision="50"))
    assert (status, body) == (200, "success")
    status, body, _ = sim.deliver(message_xml("o-menu", "event", Event="VIEW", EventKey="http://x",
                                              create_time=int(time.time()) + 3))
    assert (status, body) == (200, "success")


def test_wrong_or_missing_signature_is_403_and_nothing_is_stored(sim, services):
    xml = message_xml("o-bad", "text", Content="你好")
    for query in ({"timestamp": str(int(time.time())), "nonce": "1", "signature": "f" * 40},
                  {"timestamp": str(int(time.time())), "nonce": "1"}, {}):
        status, _ = sim.post(query, xml.encode())
        assert status == 403
    with services.db.session() as s:
        assert s.execute(select(MessageLog)).first() is None


def test_old_timestamp_is_refused_as_replay(sim):
    query = sim.signed_query(timestamp=str(int(time.time()) - 3600))
    status, _ = sim.post(query, message_xml("o-old", "text", Content="你好").encode())
    assert status == 403


def test_safe_mode_bad_msg_signature_is_403(aes_sim):
    query, body = aes_sim.envelope(message_xml("o-x", "text", Content="你好"))
    query["msg_signature"] = "0" * 40
    status, _ = aes_sim.post(query, body)
    assert status == 403


def test_oversized_body_is_413(sim):
    status, _ = sim.post(sim.signed_query(), b"<xml>" + b"a" * (70 * 1024) + b"</xml>")
    assert status == 413


@pytest.mark.parametrize("body", [
    b"not xml",
    b"<xml><FromUserName>x</FromUserName>",
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><xml><FromUserName>&b;</FromUserName><MsgType>text</MsgType></xml>',
    b"<xml><MsgType>text</MsgType></xml>",
    b"",
])
def test_malformed_or_hostile_xml_is_400(sim, body):
    status, text = sim.post(sim.signed_query(), body)
    assert status == 400


def test_failing_handler_gives_an_apology_and_keeps_the_message(sim, services, monkeypatch):
    from bot.dialogue.registry import registry

    def broken(turn):
        raise RuntimeError("database on fire")
    monkeypatch.setitem(registry.intents, "thanks", broken)
    _, _, answer = sim.deliver(message_xml("o-fail", "text", Content="谢谢你"))
    assert "抱歉" in answer
    with services.db.session() as s:
        row = s.execute(select(MessageLog).where(MessageLog.openid == "o-fail")).scalar_one()
    assert row.status == "failed" and "database on fire" in row.error and row.text == "谢谢你"
