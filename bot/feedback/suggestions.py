"""Suggestions (希望…, 建议…, 要是…就好了, 能不能…) and delivery-time wishes (晚上七点后 -> after 19:00)."""
from __future__ import annotations

import re

from ..nlu.numbers import CN_NUMBER, cn_to_number

_SUGGESTION = re.compile(
    r"(?:希望|建议|要是|如果|假如|能不能|能否|可不可以|可否|最好|麻烦|请)[^，。！？]*"
    r"|[^，。！？]*(?:就好了|就更好了|就完美了|会更好|更好了|就好啦)"
    r"|(?:可以|能)再[^，。！？]+"
)
_NOT_A_SUGGESTION = re.compile(r"^(?:如果不|最好吃|最好的|请问|麻烦大家)")
_PERIOD = "(早上|早晨|上午|中午|下午|傍晚|晚上|夜里|晚)?"
_TIME = re.compile(
    _PERIOD + rf"\s*(\d{{1,2}}|{CN_NUMBER})\s*(?:点|时|:00)(半)?\s*"
    r"(以后|之后|后|以前|之前|前|左右|到|至|-|~)?\s*"
    + _PERIOD + rf"\s*(\d{{1,2}}|{CN_NUMBER})?\s*(?:点|时)?"
)
_DAYS = (("周末", "weekend"), ("工作日", "weekdays"), ("上班前", "before work"), ("下班后", "after work"))
_DELIVERY_CONTEXT = re.compile(r"送|配送|到货|收货|派送|上门|发货")


def extract_suggestion(clause: str) -> str | None:
    m = _SUGGESTION.search(clause)
    if not m or _NOT_A_SUGGESTION.match(m.group(0)):
        return None
    text = m.group(0).strip(" ，,。.!！?？~～")
    return text if len(text) >= 3 else None


def _hour(period: str | None, number: str | None) -> int | None:
    value = cn_to_number(number or "")
    if value is None or not 0 <= value <= 24:
        return None
    hour = int(value)
    if period in ("下午", "傍晚", "晚上", "夜里", "晚") and hour < 12:
        hour += 12
    return hour


def delivery_preference(clause: str, context: str = "") -> str | None:
    """'after 19:00', 'before 09:00', 'around 18:00', '19:00-21:00', 'weekend'; None when unstated."""
    if not _DELIVERY_CONTEXT.search(clause + context):
        return None
    m = _TIME.search(clause)
    if m:
        start = _hour(m.group(1), m.group(2))
        if start is not None:
            minute = "30" if m.group(3) else "00"
            word, end = m.group(4), _hour(m.group(5) or m.group(1), m.group(6))
            first = f"{start:02d}:{minute}"
            if word in ("以后", "之后", "后"):
                return f"after {first}"
            if word in ("以前", "之前", "前"):
                return f"before {first}"
            if word in ("到", "至", "-", "~") and end is not None:
                return f"{first}-{end:02d}:00"
            return f"around {first}"
    for word, code in _DAYS:
        if word in clause:
            return code
    return None
