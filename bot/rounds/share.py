"""Bringing a group to a round: the message merchants paste into their WeChat groups, and the
round's parametric QR code (scene `round-<id>`): scanning it follows the official account if
needed and the bot answers with the round and 「要几斤？」, so joining takes two messages.

The QR code comes from WeChat's `qrcode/create` through the outbound client (shared access
token); its ticket and content are kept on the round so it is asked for once. Without an app
secret (development) the code is drawn from a placeholder URL so the console still shows one.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass

import qrcode

from ..clock import say_deadline, to_local
from ..models import Round
from ..wechat.api import DevOutbox, WeChatError, dev_qr_content, qrcode_image_url
from .ledger import RoundView, money, qty

SCENE_PREFIX = "round-"
_SCENE = re.compile(rf"(?:qrscene_)?{SCENE_PREFIX}(\d{{1,9}})")


def scene_of(round_id: int) -> str:
    return f"{SCENE_PREFIX}{round_id}"


def round_of_scene(key: str | None) -> int | None:
    """The round a scanned code names (「round-3」, or 「qrscene_round-3」 as a subscribe event carries it)."""
    m = _SCENE.fullmatch((key or "").strip())
    return int(m.group(1)) if m else None


def share_text(v: RoundView) -> str:
    """The card groups already use: 【商品 第N期】 price, terms, deadline, pickup, 「回复 接龙 数量」.
    No progress figures: the message is pasted once and read for days (「接龙名单」 gives the live list)."""
    r = v.round
    terms = [f"满{qty(r.min_total)}{r.unit}成团" + (f"（至少 {r.min_participants} 人）" if r.min_participants else "")]
    terms.append(f"上限{qty(r.cap)}{r.unit}" if r.cap is not None else "不限量")
    if r.per_person_max is not None:
        terms.append(f"每人限{qty(r.per_person_max)}{r.unit}")
    where = "、".join(r.pickup_points or [])
    if r.delivery:
        where = f"{where}（也可送货上门）" if where else "送货上门"
    lines = [f"【{r.title}】{money(r.price_cents)}元/{r.unit}",
             "｜".join(terms),
             f"截止：{say_deadline(r.deadline)}（{to_local(r.deadline):%m月%d日 %H:%M}）",
             f"{'自提' if r.pickup_points else '取货'}：{where}"]
    if r.description:
        lines.append(f"说明：{r.description}")
    lines.append(f"参加请给公众号回复「接龙 数量」，如「接龙 2{r.unit}{r.product}」；或扫码关注后直接回复数量。")
    return "\n".join(lines)


@dataclass
class RoundQr:
    content: str  # what the code encodes
    image_url: str | None  # WeChat's own image (None in development)
    placeholder: bool  # development: no real account behind it


class QrUnavailable(Exception):
    """WeChat would not make the code; the message says why in staff words."""


def round_qr(services, round_id: int) -> RoundQr | None:
    """The round's QR code: kept on the round, asked of WeChat once, a placeholder in development."""
    with services.db.session() as s:
        r = s.get(Round, round_id)
        if r is None:
            return None
        if r.qr_content:
            return RoundQr(r.qr_content, qrcode_image_url(r.qr_ticket) if r.qr_ticket else None, False)
    client = services.wechat
    if isinstance(client, DevOutbox) or not getattr(client, "configured", False):
        return RoundQr(dev_qr_content(scene_of(round_id)), None, True)
    try:
        answer = client.create_qrcode(scene_of(round_id))
    except WeChatError as exc:
        raise QrUnavailable(f"微信没有生成二维码（{exc.code}: {exc.message}），请稍后刷新重试。") from exc
    ticket, content = answer.get("ticket") or "", answer.get("url") or ""
    if not ticket or not content:
        raise QrUnavailable("微信的回答里没有二维码，请稍后刷新重试。")
    with services.db.session() as s:
        r = s.get(Round, round_id)
        r.qr_ticket, r.qr_content = ticket, content
    return RoundQr(content, qrcode_image_url(ticket), False)


def qr_png(content: str, box_size: int = 8) -> bytes:
    """The code as a PNG (the same code WeChat's image shows: both encode `content`)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size, border=2)
    code.add_data(content)
    out = io.BytesIO()
    code.make_image().save(out, format="PNG")
    return out.getvalue()
