"""Nothing personal leaves the chat for the supply chain: masked text and a pseudonymous key.

Masking runs before anything is stored, so records, exports and the API never hold phone
numbers, addresses, names, order or tracking numbers; the customer is a keyed hash (HMAC with
the data key) that groups one person's feedback without saying who they are.
"""
from __future__ import annotations

import hashlib
import hmac
import re
from typing import Callable

from ..models.base import _Keys
from ..nlu.entities import ORDER_ID

_CJK = "\u4e00-\u9fa5"
_ROOM = r"[\dA-Za-z\-#号栋幢单元室楼层]*"
# Digits as people type them: Arabic, full-width (normalised away elsewhere, kept here for the
# masking of raw text) and Chinese numerals, read one by one (「一三八零…」, 「幺」 for 1).
_CN_DIGITS = "零〇一二两三四五六七八九幺"
_NUMERAL = rf"[\d０-９{_CN_DIGITS}]"
_DIGIT_VALUE = {**{c: str(i) for i, c in enumerate("零一二三四五六七八九")}, "〇": "0", "两": "2", "幺": "1",
                **{chr(0xFF10 + i): str(i) for i in range(10)}}
_LABEL_NAME = "收货人|收件人|联系人|签收人|寄件人|取件人|提货人|姓名|名字是|名字叫|我叫"
_LABEL_WECHAT = "微信号|微信|vx|VX|Vx|wx|WX|v信|V信"

# Every pattern runs in linear time on any input (a customer may send 20,000 characters): a run
# is only entered at its start (a look-behind for the same class), and what follows a run can
# only match where the run ends, so no start position is tried twice over the same characters.
_RULES: list[tuple[re.Pattern, "str | Callable[[re.Match], str]"]] = [
    (re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"), "[邮箱]"),
    (re.compile(r"(?<![A-Za-z0-9_-])wxid_[A-Za-z0-9_-]+"), "[账号]"),
    (re.compile(rf"(?<![A-Za-z])((?:{_LABEL_WECHAT})[:：\s]*(?:是|为)?[:：\s]*)[A-Za-z][-_A-Za-z0-9]{{5,19}}(?![-_A-Za-z0-9])"),
     lambda m: m.group(1) + "[账号]"),
    (re.compile(r"(?<![A-Za-z0-9_-])o[A-Za-z0-9_-]{10,}"), "[账号]"),
    (re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])"), "[证件号]"),
    (ORDER_ID, "[订单号]"),
    (re.compile(r"(?<![A-Za-z])(?:SF|ZT|YT|JD|YD|ST|EMS|JT|DB)\d{8,}", re.I), "[运单号]"),
    (re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)"), "[电话]"),
    (re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)"), "[电话]"),
    (re.compile(r"(?<!\d)\d{9,}(?!\d)"), "[号码]"),
    (re.compile(rf"[{_CJK}]{{1,8}}(?:省|市|区|县)[{_CJK}]{{0,12}}"
                rf"(?:路|街|街道|巷|弄|村|镇|乡|小区|花园|公寓|大厦|苑|广场|新村)(?:\d+号?)?{_ROOM}"), "[地址]"),
    (re.compile(rf"[{_CJK}]{{1,8}}(?:路|街|巷|弄)\d+号{_ROOM}"), "[地址]"),
    (re.compile(rf"[{_CJK}]{{2,8}}(?:小区|花园|公寓|大厦)\d+{_ROOM}"), "[地址]"),
    (re.compile(r"(?<!\d)\d+(?:栋|幢|号楼)\d*(?:单元)?\d*室?"), "[地址]"),
    (re.compile(rf"((?:{_LABEL_NAME})[:：\s]*(?:是|为)?[:：\s]*)[{_CJK}]{{2,3}}"), lambda m: m.group(1) + "[姓名]"),
    (re.compile(rf"(?<=我是)[{_CJK}](?=[{_CJK}]{{1,2}}(?:[，,。.！!]|$))"), "[姓名]"),
    (re.compile(rf"[{_CJK}](?=(?:先生|女士|小姐))"), "[姓]"),
]


def _numerals(m: re.Match) -> str:
    """A run of numerals with spaces or dashes between (「1380 013 8000」, 「一三八零零一三八零零零」):
    a mobile number when it reads as one, any other long number or one spelt in Chinese masked too."""
    digits = "".join(_DIGIT_VALUE.get(c, c) for c in m.group(0) if not c.isspace() and c != "-")
    if re.fullmatch(r"(?:86)?1[3-9]\d{9}", digits):
        return "[电话]"
    if len(digits) >= 9 or (len(digits) >= 7 and any(c in _CN_DIGITS for c in m.group(0))):
        return "[号码]"
    return m.group(0)


# Entered only where no numeral (or numeral and separator) comes just before: linear.
_NUMERAL_RUN = re.compile(rf"(?<!{_NUMERAL})(?<!{_NUMERAL}[ \-]){_NUMERAL}(?:[ \-]?{_NUMERAL}){{6,}}")


def mask(text: str, known_names: tuple[str, ...] = ()) -> str:
    """Personal details replaced by a placeholder that still says what kind of thing was there."""
    for name in sorted((n for n in known_names if n and len(n) >= 2), key=len, reverse=True):
        text = text.replace(name, "[姓名]")
    for pattern, placeholder in _RULES:
        text = pattern.sub(placeholder, text)
    return _NUMERAL_RUN.sub(_numerals, text)


def customer_key(identity: str | None) -> str | None:
    """Stable pseudonym for one customer (member id when bound, else openid); None for imports."""
    if not identity:
        return None
    if _Keys.secret is None:
        raise RuntimeError("data key not configured")
    return hmac.new(_Keys.secret, b"feedback-customer:" + identity.encode(), hashlib.sha256).hexdigest()[:32]
