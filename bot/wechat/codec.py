"""WeChat's wire format: signatures, the three encryption modes and safe XML parsing.

Everything here is pure (no Flask, no storage) so the test vectors can exercise it directly.
"""
from __future__ import annotations

import hashlib
import hmac
import struct
from dataclasses import dataclass

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from wechatpy import parse_message
from wechatpy.crypto import PrpCrypto, WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.replies import TextReply

from bot import clock

from bot.dialogue.incoming import Incoming


# wechatpy's decrypt raises whatever the bytes provoke (IndexError on an empty ciphertext,
# struct.error on a short one...): found by fuzzing. Any of them means "not from WeChat".
_UNDECRYPTABLE = (InvalidAppIdException, InvalidSignatureException, ValueError, TypeError, UnicodeError,
                  IndexError, LookupError, struct.error)


class Forbidden(Exception):
    """Signature, timestamp or key did not check out: the request is not from WeChat."""


class BadRequest(Exception):
    """Well-signed but unreadable: malformed or hostile XML."""


def signature(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def signature_ok(expected_parts: tuple[str, ...], given: str | None) -> bool:
    """Constant-time compare: wechatpy's check uses `!=`, which leaks timing."""
    # Compared as bytes: compare_digest refuses non-ASCII str, and a query string may hold anything.
    return bool(given) and hmac.compare_digest(signature(*expected_parts).encode(),
                                               given.lower().encode("utf-8", "surrogateescape"))


def safe_xml(body: bytes | str) -> dict[str, str]:
    """Flat <xml> children as a dict; DTDs and entities (billion laughs, XXE) are refused."""
    try:
        root = SafeET.fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (DefusedXmlException, SafeET.ParseError, ValueError, TypeError) as exc:
        raise BadRequest(f"unreadable XML: {exc.__class__.__name__}") from exc
    if root.tag != "xml":
        raise BadRequest("root element is not <xml>")
    return {child.tag: (child.text or "") for child in root}


@dataclass
class Decoded:
    incoming: Incoming
    encrypted: bool
    crypto: WeChatCrypto | None = None


class Codec:
    def __init__(self, token: str, app_id: str, aes_key: str | None = None,
                 aes_key_previous: str | None = None, max_skew: float = 300) -> None:
        self.token = token
        self.app_id = app_id
        self.max_skew = max_skew
        self.cryptos = [WeChatCrypto(token, k, app_id) for k in (aes_key, aes_key_previous) if k]

    def check_time(self, timestamp: str) -> None:
        """Forbidden when the signed timestamp is further than max_skew from now (a replay)."""
        if not self.max_skew:
            return
        try:
            skew = abs(clock.timestamp() - int(timestamp))
        except (TypeError, ValueError):
            raise Forbidden("timestamp missing or not a number")
        if skew > self.max_skew:
            raise Forbidden("timestamp too far from now (replay?)")

    def check_url(self, args) -> str:
        """GET from WeChat's console: answer echostr, decrypting it when it came encrypted."""
        timestamp, nonce, echostr = args.get("timestamp", ""), args.get("nonce", ""), args.get("echostr", "")
        if args.get("msg_signature"):
            if not signature_ok((self.token, timestamp, nonce, echostr), args.get("msg_signature")):
                raise Forbidden("bad msg_signature")
            for crypto in self.cryptos:
                try:
                    return _text(PrpCrypto(crypto.key).decrypt(echostr, self.app_id))
                except _UNDECRYPTABLE:
                    continue
            raise Forbidden("echostr does not decrypt with any configured key")
        if not signature_ok((self.token, timestamp, nonce), args.get("signature")):
            raise Forbidden("bad signature")
        return echostr

    def decode(self, args, body: bytes) -> Decoded:
        timestamp, nonce = args.get("timestamp", ""), args.get("nonce", "")
        if not signature_ok((self.token, timestamp, nonce), args.get("signature")):
            raise Forbidden("bad signature")
        self.check_time(timestamp)
        encrypted = args.get("encrypt_type", "raw").lower() == "aes"
        if self.cryptos and not encrypted:
            # With a key the account is in safe mode: a plaintext request is a downgrade, since its
            # signature does not cover the body.
            raise Forbidden("plaintext message refused: WECHAT_AES_KEY is set, so encrypt_type=aes is required")
        if encrypted:
            outer = safe_xml(body)
            encrypt = outer.get("Encrypt", "")
            if not signature_ok((self.token, timestamp, nonce, encrypt), args.get("msg_signature")):
                raise Forbidden("bad msg_signature")
            plain, crypto = self._decrypt(encrypt)
            return Decoded(to_incoming(plain), True, crypto)
        return Decoded(to_incoming(body), False)

    def _decrypt(self, encrypt: str) -> tuple[bytes, WeChatCrypto]:
        if not self.cryptos:
            raise Forbidden("encrypted message but WECHAT_AES_KEY is not set")
        for crypto in self.cryptos:  # the current key first, then the previous one during rotation
            try:
                return PrpCrypto(crypto.key).decrypt(encrypt, self.app_id), crypto
            except _UNDECRYPTABLE:
                continue
        raise Forbidden("message does not decrypt with any configured key")

    def encode(self, decoded: Decoded, answer: str | None, nonce: str, timestamp: str | None = None) -> str:
        """The reply body: 'success' when there is nothing to say now, encrypted iff the request was."""
        if not answer:
            return "success"
        msg = decoded.incoming
        xml = TextReply(source=msg.account, target=msg.openid, content=answer).render()
        if decoded.encrypted and decoded.crypto is not None:
            return decoded.crypto.encrypt_message(xml, nonce, timestamp)
        return xml


_EXTRA_FIELDS = {
    "location": ("location_x", "location_y", "scale", "label"),
    "link": ("title", "description", "url"),
    "voice": ("format",),
}
_TYPED_KINDS = {"event", *_EXTRA_FIELDS}


def to_incoming(xml: bytes | str) -> Incoming:
    """Parse the inner message: safely first, then wechatpy's typed parser for the details."""
    fields = safe_xml(xml)
    if not fields.get("FromUserName") or not fields.get("MsgType"):
        raise BadRequest("FromUserName or MsgType missing")
    kind = (fields.get("MsgType") or "unknown").lower()
    msg = None
    # wechatpy's typed parser reads the XML a second time: only for the kinds whose typed fields
    # are used below (events' scene ids, location and link details, voice format). Text, the bulk
    # of the traffic, is read from the safe parse alone (issue 17).
    if kind in _TYPED_KINDS:
        try:
            msg = parse_message(xml)
        except Exception as exc:  # wechatpy raises assorted errors on odd field values
            raise BadRequest(f"unparseable message: {exc.__class__.__name__}") from exc
    known = {"text", "voice", "image", "location", "link", "video", "shortvideo", "event"}
    incoming = Incoming(
        openid=fields["FromUserName"], account=fields.get("ToUserName", ""),
        kind=kind if kind in known else "unknown",
        msg_id=fields.get("MsgId") or None, create_time=_int(fields.get("CreateTime")),
    )
    if kind == "text":
        incoming.text = fields.get("Content", "")
    elif kind == "voice":
        incoming.text = fields.get("Recognition") or ""
        incoming.media_id = fields.get("MediaId")
    elif kind in ("image", "video", "shortvideo"):
        incoming.media_id = fields.get("MediaId")
        incoming.media_url = fields.get("PicUrl")
    elif kind == "event":
        incoming.event = getattr(msg, "event", None) or fields.get("Event", "").lower()
        incoming.event_key = getattr(msg, "scene_id", None) or getattr(msg, "key", None) or fields.get("EventKey")
        if incoming.event == "location":
            incoming.extra = {"latitude": fields.get("Latitude"), "longitude": fields.get("Longitude"),
                              "precision": fields.get("Precision")}
    for name in _EXTRA_FIELDS.get(kind, ()):
        incoming.extra[name] = getattr(msg, name, None)
    return incoming


def _text(value: str | bytes) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0
