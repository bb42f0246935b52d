"""Nothing personal leaves the chat for the supply chain: masked text and a pseudonymous key.

Masking runs before anything is stored, so records, exports and the API never hold phone
numbers, addresses, names, order or tracking numbers; the customer is a keyed hash (HMAC with
the data key) that groups one person's feedback without saying who they are.
"""
from __future__ import annotations

import hashlib
import hmac
import re

from ..models.base import _Keys
from ..nlu.entities import ORDER_ID

_CJK = "\u4e00-\u9fa5"
_ROOM = r"[\dA-Za-z\-#号栋幢单元室楼层]*"
_RULES: list[tuple[re.Pattern, str]] = [
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[邮箱]"),
    (re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])"), "[证件号]"),
    (ORDER_ID, "[订单号]"),
    (re.compile(r"(?<![A-Za-z])(?:SF|ZT|YT|JD|YD|ST|EMS|JT|DB)\d{8,}", re.I), "[运单号]"),
    (re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)"), "[电话]"),
    (re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)"), "[电话]"),
    (re.compile(r"(?<!\d)\d{9,}(?!\d)"), "[号码]"),
    (re.compile(r"\bo[A-Za-z0-9_-]{10,}"), "[账号]"),
    (re.compile(rf"[{_CJK}]{{1,8}}(?:省|市|区|县)[{_CJK}]{{0,12}}"
                rf"(?:路|街|街道|巷|弄|村|镇|乡|小区|花园|公寓|大厦|苑|广场|新村)(?:\d+号?)?{_ROOM}"), "[地址]"),
    (re.compile(rf"[{_CJK}]{{1,8}}(?:路|街|巷|弄)\d+号{_ROOM}"), "[地址]"),
    (re.compile(rf"[{_CJK}]{{2,8}}(?:小区|花园|公寓|大厦)\d+{_ROOM}"), "[地址]"),
    (re.compile(r"\d+(?:栋|幢|号楼)\d*(?:单元)?\d*室?"), "[地址]"),
    (re.compile(rf"(?<=我叫)[{_CJK}]{{2,3}}|(?<=名字是)[{_CJK}]{{2,3}}|(?<=收件人)[:：]?[{_CJK}]{{2,3}}"
                rf"|(?<=联系人)[:：]?[{_CJK}]{{2,3}}|(?<=签收人)[:：]?[{_CJK}]{{2,3}}"), "[姓名]"),
    (re.compile(rf"(?<=我是)[{_CJK}](?=[{_CJK}]{{1,2}}(?:[，,。.！!]|$))"), "[姓名]"),
    (re.compile(rf"[{_CJK}](?=(?:先生|女士|小姐))"), "[姓]"),
]


def mask(text: str, known_names: tuple[str, ...] = ()) -> str:
    """Personal details replaced by a placeholder that still says what kind of thing was there."""
    for name in sorted((n for n in known_names if n and len(n) >= 2), key=len, reverse=True):
        text = text.replace(name, "[姓名]")
    for pattern, placeholder in _RULES:
        text = pattern.sub(placeholder, text)
    return text


def customer_key(identity: str | None) -> str | None:
    """Stable pseudonym for one customer (member id when bound, else openid); None for imports."""
    if not identity:
        return None
    if _Keys.secret is None:
        raise RuntimeError("data key not configured")
    return hmac.new(_Keys.secret, b"feedback-customer:" + identity.encode(), hashlib.sha256).hexdigest()[:32]
