"""Plays WeChat's server: signs (and encrypts) messages exactly as WeChat does and reads replies.

Used by `make chat`, the tests and the benchmarks, so all three exercise the real protocol.
"""
from __future__ import annotations

import itertools
import random
import string
import threading
from typing import Callable

import requests
from wechatpy.crypto import PrpCrypto, WeChatCrypto

from .. import clock
from .codec import safe_xml, signature

_ids = itertools.count(int(clock.timestamp() * 1000))
_system_random = random.SystemRandom()


def message_xml(openid: str, kind: str = "text", account: str = "gh_xiaoer", create_time: int | None = None,
                msg_id: str | int | None = "auto", **fields: str) -> str:
    """An inbound message as WeChat writes it; fields are XML element names (Content, Event...)."""
    parts = [f"<ToUserName><![CDATA[{account}]]></ToUserName>",
             f"<FromUserName><![CDATA[{openid}]]></FromUserName>",
             f"<CreateTime>{create_time or int(clock.timestamp())}</CreateTime>",
             f"<MsgType><![CDATA[{kind}]]></MsgType>"]
    parts += [f"<{k}><![CDATA[{v}]]></{k}>" for k, v in fields.items()]
    if kind != "event" and msg_id is not None:
        parts.append(f"<MsgId>{next(_ids) if msg_id == 'auto' else msg_id}</MsgId>")
    return "<xml>" + "".join(parts) + "</xml>"


class Simulator:
    """`post(query, body) -> (status, text)` is the transport: real HTTP or Flask's test client."""

    def __init__(self, token: str, app_id: str = "", aes_key: str | None = None,
                 post: Callable[[dict, bytes], tuple[int, str]] | None = None, url: str | None = None) -> None:
        self.token, self.app_id = token, app_id
        self.crypto = WeChatCrypto(token, aes_key, app_id) if aes_key else None
        self.url = url
        self._http = requests.Session()
        self.post = post or self._http_post

    def _http_post(self, query: dict, body: bytes) -> tuple[int, str]:
        r = self._http.post(self.url, params=query, data=body, timeout=10,
                            headers={"Content-Type": "text/xml"})
        return r.status_code, r.text

    def signed_query(self, timestamp: str | None = None, nonce: str | None = None) -> dict:
        timestamp = timestamp or str(int(clock.timestamp()))
        # From the OS, not `random`: a test framework reseeding `random` must not repeat nonces, which
        # the webhook binds to the first body seen (bot/wechat/replay.py).
        nonce = nonce or "".join(_system_random.choices(string.digits, k=10))
        return {"timestamp": timestamp, "nonce": nonce, "signature": signature(self.token, timestamp, nonce)}

    def envelope(self, xml: str, query: dict | None = None) -> tuple[dict, bytes]:
        """Query string and body for one delivery: safe mode when a key is set, else plaintext."""
        query = dict(query or self.signed_query())
        if not self.crypto:
            return query, xml.encode()
        encrypt = PrpCrypto(self.crypto.key).encrypt(xml, self.app_id).decode()
        query.update(encrypt_type="aes", msg_signature=signature(self.token, query["timestamp"], query["nonce"], encrypt))
        body = f"<xml><ToUserName><![CDATA[gh_xiaoer]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
        return query, body.encode()

    def deliver(self, xml: str, query: dict | None = None) -> tuple[int, str, str | None]:
        """(status, raw body, answer text or None for `success`)."""
        query, body = self.envelope(xml, query)
        status, text = self.post(query, body)
        return status, text, self.read_reply(text) if status == 200 else None

    def read_reply(self, text: str) -> str | None:
        if text.strip() in ("", "success"):
            return None
        fields = safe_xml(text)
        if "Encrypt" in fields:
            if signature(self.token, fields["TimeStamp"], fields["Nonce"], fields["Encrypt"]) != fields["MsgSignature"]:
                raise ValueError("reply signature does not verify")
            fields = safe_xml(PrpCrypto(self.crypto.key).decrypt(fields["Encrypt"], self.app_id))
        return fields.get("Content")

    def say(self, openid: str, text: str) -> str | None:
        return self.deliver(message_xml(openid, "text", Content=text))[2]

    def outbox(self, openid: str) -> list[str]:
        """Messages the bot sent later (late answers, staff replies) in development mode."""
        r = self._http.get(self.url.rstrip("/") + "/dev-outbox", params={**self.signed_query(), "openid": openid},
                           timeout=5)
        return [m["text"] for m in r.json()["messages"]] if r.ok else []


def _watch_outbox(sim: Simulator, openid: str, write, stop: threading.Event, every: float) -> None:
    while not stop.wait(every):
        try:
            for text in sim.outbox(openid):
                write(f"\n小二(客服消息)> {text}")
        except (requests.RequestException, ValueError, KeyError):
            continue  # the server is restarting or not in development mode: nothing to show


def chat(sim: Simulator, openid: str, read=input, write=print, outbox_every: float = 1.5) -> None:
    write(f"已连接 {sim.url}，以 {openid} 的身份聊天；输入 /quit 退出。")
    stop = threading.Event()
    threading.Thread(target=_watch_outbox, args=(sim, openid, write, stop, outbox_every), daemon=True).start()
    try:
        _chat_loop(sim, openid, read, write)
    finally:
        stop.set()


def _chat_loop(sim: Simulator, openid: str, read, write) -> None:
    while True:
        try:
            line = read("你> ").strip()
        except (EOFError, KeyboardInterrupt):
            write("")
            return
        if line in ("/quit", "/exit"):
            return
        if not line:
            continue
        try:
            answer = sim.say(openid, line)
        except requests.RequestException as exc:
            write(f"(连不上机器人：{exc.__class__.__name__}。先在另一个终端运行 `make run`)")
            continue
        write(f"小二> {answer if answer is not None else '(回答稍后以客服消息送达)'}")
