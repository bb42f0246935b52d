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


def test_plaintext_post_is_refused_when_a_key_is_set(aes_app):
    """A downgrade: without encrypt_type=aes the signature does not cover the body, so anyone who
    saw one query string could post any body as any openid. The GET URL check is unchanged."""
    from bot.wechat.simulator import Simulator

    from tests.helpers import APP_ID, flask_transport
    plain = Simulator(TOKEN, APP_ID, None, post=flask_transport(aes_app))
    status, body, _ = plain.deliver(message_xml("o-user-3", "text", Content="谢谢"))
    assert status == 403 and "encrypt_type=aes" in body
    query = plain.signed_query()
    status, _, _ = plain.deliver(message_xml("o-user-3", "text", Content="谢谢"), {**query, "encrypt_type": "raw"})
    assert status == 403
    with aes_app.extensions["xiaoer"].db.session() as s:
        assert s.execute(select(MessageLog)).first() is None
    r = aes_app.test_client().get("/wechat", query_string={**query, "echostr": "e-1"})
    assert (r.status_code, r.get_data(as_text=True)) == (200, "e-1")


@pytest.mark.parametrize("encrypted", [False, True])
def test_a_signed_query_is_bound_to_the_first_body_seen_with_it(make_app, encrypted):
    """The same body again is WeChat retrying (dedup answers it); another body is a forgery."""
    from bot.wechat.simulator import Simulator

    from tests.helpers import AES_KEY, APP_ID, flask_transport
    app = make_app(WECHAT_AES_KEY=AES_KEY if encrypted else None)
    sim = Simulator(TOKEN, APP_ID, AES_KEY if encrypted else None, post=flask_transport(app))
    query, body = sim.envelope(message_xml("o-real", "text", Content="你好"))
    status, reply = sim.post(query, body)
    assert status == 200 and "欢迎" in sim.read_reply(reply)
    for _retry in range(2):  # WeChat resends the same bytes with the same query string
        status, again = sim.post(query, body)
        assert status == 200 and sim.read_reply(again) == sim.read_reply(reply)
    forged_query, forged = sim.envelope(message_xml("o-forged", "text", Content="导出 #1"), query)
    assert sim.post(forged_query, forged)[0] == 403
    with app.extensions["xiaoer"].db.session() as s:
        assert [r.openid for r in s.execute(select(MessageLog)).scalars()] == ["o-real"]


def test_the_binding_lives_twice_the_clock_skew_in_the_store(make_app, real_redis_url):
    import redis

    from bot.wechat.simulator import Simulator

    from tests.helpers import APP_ID, flask_transport
    app = make_app(REDIS_URL=real_redis_url, WECHAT_MAX_CLOCK_SKEW=120)
    Simulator(TOKEN, APP_ID, None, post=flask_transport(app)).say("o-ttl", "你好")
    r = redis.Redis.from_url(real_redis_url)
    keys = [k for k in r.keys("*") if b"wx-nonce:" in k]
    assert len(keys) == 1 and 230 <= r.ttl(keys[0]) <= 240


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
