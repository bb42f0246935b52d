"""Chinese numerals as customers write them: 两斤, 半斤, 十二箱, 一斤半, 3.5斤."""
from __future__ import annotations

import re

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUMBER = "[零〇一二两俩三四五六七八九十百千半]+"


def cn_to_number(text: str) -> float | None:
    """'十二' -> 12, '两' -> 2, '半' -> 0.5, '一半' -> 0.5, '3.5' -> 3.5; None when not a number."""
    text = text.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        pass
    if text in ("半", "一半"):
        return 0.5
    half = 0.0
    if text.endswith("半") and len(text) > 1:
        half, text = 0.5, text[:-1]
    if text.isdigit():
        return float(text) + half
    total, current = 0, None
    for ch in text:
        if ch in _DIGITS:
            if current:  # 「七八个」 (零 is a placeholder: 一百零五) is a guess between two numbers, not a number
                return None
            current = _DIGITS[ch]
        elif ch in _UNITS:
            total += (current if current is not None else 1) * _UNITS[ch]
            current = None
        else:
            return None
    total += current or 0
    return float(total) + half


def tidy(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


_ARABIC_WITH_HALF = re.compile(r"^(\d+(?:\.\d+)?)半$")


def parse_quantity(text: str) -> float | None:
    m = _ARABIC_WITH_HALF.match(text.strip())
    if m:
        return float(m.group(1)) + 0.5
    return cn_to_number(text)
