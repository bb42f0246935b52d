"""WeChat's wire format against the published test vectors, and XML that must be refused."""
import pytest
from wechatpy.crypto import WeChatCrypto

from bot.wechat.codec import BadRequest, Codec, Forbidden, safe_xml, signature, signature_ok

WECHATPY_BODY = """<xml><ToUserName><![CDATA[wx49f0ab532d5d035a]]></ToUserName>
<Encrypt><![CDATA[RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dGymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWYEvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0=]]></Encrypt>
<AgentID><![CDATA[1]]></AgentID>
</xml>"""


def test_signature_vector_and_one_changed_character():
    assert signature("test", "1410685589", "test") == "f21891de399b4e33a1a93c9a7b8a8fffb5a443ff"
    assert signature_ok(("test", "1410685589", "test"), "f21891de399b4e33a1a93c9a7b8a8fffb5a443ff")
    assert not signature_ok(("test", "1410685589", "test"), "f21891de399b4e33a1a93c9a7b8a8fffb5a443fe")
    assert not signature_ok(("test", "1410685589", "test"), None)


def test_tencent_url_check_sample_decrypts_echostr():
    codec = Codec("QDG6eK", "wx5823bf96d3bd56c7", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", max_skew=0)
    args = {
        "msg_signature": "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "timestamp": "1409659589",
        "nonce": "263014780",
        "echostr": "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==",
    }
    assert codec.check_url(args) == "1616140317555161061"
    with pytest.raises(Forbidden):
        codec.check_url({**args, "msg_signature": "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd4"})


def test_wechatpy_crypto_sample_decrypts_to_text_message():
    codec = Codec("123456", "wx49f0ab532d5d035a", "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR", max_skew=0)
    args = {"signature": signature("123456", "1411525903", "461056294"), "timestamp": "1411525903",
            "nonce": "461056294", "encrypt_type": "aes", "msg_signature": "74d92dfeb87ba7c714f89d98870ae5eb62dff26d"}
    decoded = codec.decode(args, WECHATPY_BODY.encode())
    assert decoded.encrypted
    assert (decoded.incoming.kind, decoded.incoming.text, decoded.incoming.openid) == ("text", "test", "messense")
    with pytest.raises(Forbidden):
        codec.decode({**args, "msg_signature": "74d92dfeb87ba7c714f89d98870ae5eb62dff26e"}, WECHATPY_BODY.encode())


def test_previous_key_still_decrypts_during_rotation():
    old = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"
    new = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
    args = {"signature": signature("123456", "1411525903", "461056294"), "timestamp": "1411525903",
            "nonce": "461056294", "encrypt_type": "aes", "msg_signature": "74d92dfeb87ba7c714f89d98870ae5eb62dff26d"}
    rotating = Codec("123456", "wx49f0ab532d5d035a", new, aes_key_previous=old, max_skew=0)
    decoded = rotating.decode(args, WECHATPY_BODY.encode())
    assert decoded.incoming.text == "test"
    # the reply goes back under the key that worked, which WeChat still holds
    reply = rotating.encode(decoded, "你好", "123")
    assert "你好" in WeChatCrypto("123456", old, "wx49f0ab532d5d035a").decrypt_message(
        reply, safe_xml(reply)["MsgSignature"], safe_xml(reply)["TimeStamp"], "123")
    with pytest.raises(Forbidden):
        Codec("123456", "wx49f0ab532d5d035a", new, max_skew=0).decode(args, WECHATPY_BODY.encode())


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><MsgType>text</MsgType><Content>&lol3;</Content></xml>"""
XXE = """<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<xml><FromUserName>b</FromUserName><MsgType>text</MsgType><Content>&xxe;</Content></xml>"""


@pytest.mark.parametrize("body", [BOMB, XXE, "<xml><unclosed></xml>", "not xml at all", "", "<root/>",
                                  "<xml>\x00</xml>", "<?xml version='1.0' encoding='gbk'?><xml>\xff\xfe</xml>"])
def test_hostile_or_malformed_xml_is_refused(body):
    with pytest.raises(BadRequest):
        safe_xml(body.encode("utf-8", "surrogateescape"))
