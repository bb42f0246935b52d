"""Entity clean-up after the model: numbers as numbers, ids in one form, and rules for what
a statistical extractor may miss (order ids and phones are formats, not guesses)."""
from __future__ import annotations

import re

from ..config import DEFAULT_ORDER_ID_PATTERN, ROOT
from .numbers import CN_NUMBER, parse_quantity, tidy
from .result import Entity, NluResult

# The bot's own order numbers (DD + 11 digits); kept for masking (bot/feedback/privacy.py).
ORDER_ID = re.compile(r"(?<![A-Za-z0-9])[Dd]{2}\d{11}(?!\d)")
PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
# A number right after these words is an order number even when it looks like a mobile number.
ORDER_CUE = re.compile(r"(订单|定单|单号|单子|运单|order)\s*(号|编号|号码)?\s*(是|为)?\s*[:：#]?\s*$", re.I)
UNITS = "公斤|千克|kg|斤|箱|包|盒|个|块|支|提|把|件|份|袋|瓶|杯|只|板|串|条|罐|桶|听"
QUANTITY_UNIT = re.compile(rf"(\d+(?:\.\d+)?半?|{CN_NUMBER})\s*({UNITS})")
# Quantities are a slot only where the customer orders or asks about an amount; in a complaint
# 「十斤橙子有七八个坏了」 or 「我需要一个真人」 a number is narrative, not an amount to book.
QUANTITY_INTENTS = {"preorder_join", "preorder_cancel", "preorder_status", "stock_query", "order_status"}
# 「还剩多少斤」「接龙到几箱了」: the unit asked about, without a number.
UNIT_ASKED = re.compile(rf"(?<!好)(?:多少|几)\s*({UNITS})(?!人|团|订单|单|钟|月|星期|小时)")
# 「+1」 in a group buy is an amount of one (of the round's unit) when no other amount is given.
PLUS_N = re.compile(r"(?<![\d+])\+\s*(\d+(?:\.\d+)?)(?!\d|\.\d)")
# 「一个」「一份」 with a generic classifier is an article ("a"), not an amount; 一斤/一箱 are amounts.
ARTICLE = re.compile(r"^一(个|份|只|件|条|块|把|支)$")

# Goods outside the catalogue (nlu_data/goods.txt) are a product only where a product is a slot: in
# 「我想学做面包」 (out of scope) or 「积分多少」 there is nothing to look up or put on a ticket.
GOODS_INTENTS = QUANTITY_INTENTS | {"complaint", "feedback", "order_change", "points_redeem"}
GOODS_FILE = ROOT / "nlu_data" / "goods.txt"


def _load_goods(path=GOODS_FILE) -> re.Pattern | None:
    """Longest word first, so 蓝牙耳机 wins over 耳机."""
    try:
        words = [w.strip() for w in path.read_text(encoding="utf-8").splitlines()
                 if w.strip() and not w.startswith("#")]
    except OSError:
        return None
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)), re.I)


GOODS = _load_goods()


def order_id_regex(pattern: str | None = None) -> re.Pattern:
    """A merchant's order-number format (ORDER_ID_PATTERN), found only as a whole token: never the
    middle of a longer number or word. Case-insensitive; values are upper-cased."""
    return re.compile(rf"(?<![A-Za-z0-9])(?:{pattern or DEFAULT_ORDER_ID_PATTERN})(?![A-Za-z0-9])", re.I)


DEFAULT_ORDER_ID = order_id_regex()


def _is_order_not_phone(text: str, start: int) -> bool:
    return ORDER_CUE.search(text[max(0, start - 10):start]) is not None


def _inside_longer_number(text: str, start: int | None, end: int | None) -> bool:
    """The model's regex runs without word boundaries (Chinese has none), so it finds a mobile
    number in the middle of a 17-digit platform order number; digits either side mean it is not one."""
    if start is None or end is None:
        return False
    return (start > 0 and text[start - 1].isdigit()) or (end < len(text) and text[end].isdigit())


def _overlaps(a: Entity, start: int, end: int) -> bool:
    return a.start is not None and a.start < end and start < (a.end or a.start)


def postprocess(result: NluResult, product_aliases: dict[str, str] | None = None,
                order_id: re.Pattern | None = None) -> NluResult:
    """`order_id`: the compiled ORDER_ID_PATTERN (order_id_regex); the default when None. A number
    that is both a mobile number and an order number is a phone unless order words precede it."""
    text = result.text
    order_id = order_id or DEFAULT_ORDER_ID
    kept: list[Entity] = []
    for e in result.entities:
        if e.type == "order_id":
            m = order_id.search(str(e.value))
            if not m or PHONE.fullmatch(m.group(0)) and not _is_order_not_phone(text, e.start or 0):
                continue
            e.value = m.group(0).upper()
        elif e.type == "phone":
            if (not PHONE.fullmatch(str(e.value)) or _is_order_not_phone(text, e.start or 0)
                    or _inside_longer_number(text, e.start, e.end)):
                continue
        elif e.type == "quantity":
            number = parse_quantity(str(e.text or e.value))
            if number is None:
                continue
            e.value = tidy(number)
        elif e.type == "product" and product_aliases:
            e.value = product_aliases.get(str(e.value), product_aliases.get(e.text, e.value))
        if not any(k.type == e.type and k.start == e.start and k.end == e.end for k in kept):
            kept.append(e)

    def add(type_: str, value, start: int, end: int) -> None:
        if not any(k.type == type_ and _overlaps(k, start, end) for k in kept):
            kept.append(Entity(type_, value, text[start:end], start, end, "rule"))

    for m in order_id.finditer(text):
        if not PHONE.fullmatch(m.group(0)) or _is_order_not_phone(text, m.start()):
            add("order_id", m.group(0).upper(), m.start(), m.end())
    for m in PHONE.finditer(text):
        if not _is_order_not_phone(text, m.start()):
            add("phone", m.group(0), m.start(), m.end())
    for m in QUANTITY_UNIT.finditer(text) if result.intent in QUANTITY_INTENTS else ():
        if ARTICLE.match(m.group(0)):
            continue
        number = parse_quantity(m.group(1))
        if number is not None:
            add("quantity", tidy(number), m.start(1), m.end(1))
            add("unit", m.group(2), m.start(2), m.end(2))
    for m in UNIT_ASKED.finditer(text) if result.intent in QUANTITY_INTENTS else ():
        add("unit", m.group(1), m.start(1), m.end(1))
    if result.intent == "preorder_join" and not any(k.type == "quantity" for k in kept):
        for m in PLUS_N.finditer(text):
            add("quantity", tidy(float(m.group(1))), m.start(1), m.end(1))
    if product_aliases:
        for alias in sorted(product_aliases, key=len, reverse=True):
            for m in re.finditer(re.escape(alias), text):
                add("product", product_aliases[alias], m.start(), m.end())
    if GOODS is not None and result.intent in GOODS_INTENTS:
        for m in GOODS.finditer(text):  # never over a word the model or the catalogue already took
            add("product", m.group(0), m.start(), m.end())
    orders = [k for k in kept if k.type == "order_id"]
    # 「3920193847561234」 holds a mobile-number-shaped run of digits: one number is one thing.
    kept = [k for k in kept if k.type != "phone" or not any(_overlaps(o, k.start or 0, k.end or 0) for o in orders)]
    kept.sort(key=lambda e: (e.start if e.start is not None else 10**6))
    result.entities = kept
    return result
