"""Product facts (产地, 规格, 口感, 储存, 保质期, 说明): 「草莓甜不甜」「牛奶保质期多久」「鸡蛋是哪里的」 are
answered from what the merchant wrote on the product, not from an FAQ entry per product."""
from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Product

# key -> (label, the question forms that ask for it)
FACTS = {
    "origin": ("产地", ["产地", "哪里产", "哪产的", "哪里的", "哪儿的", "哪来的", "产自哪", "什么地方产", "原产"]),
    "spec": ("规格", ["规格", "多大", "多重", "几斤装", "一箱几", "一盒几", "一箱多少", "一盒多少", "多少克", "净重",
                      "单果"]),
    "taste": ("口感", ["甜不甜", "酸不酸", "甜吗", "酸吗", "好吃吗", "好吃不", "口感", "味道怎么样", "什么味道", "脆不脆",
                       "脆吗", "香不香", "涩不涩"]),
    "storage": ("储存方法", ["怎么保存", "怎么存", "怎么放", "要冷藏", "放冰箱", "储存", "保存方法", "怎么储存"]),
    "shelf_life": ("保质期", ["保质期", "能放多久", "放几天", "能放几天", "多久过期", "保鲜期", "放多久", "几天坏"]),
    "notes": ("说明", ["介绍一下", "介绍下", "详细说说", "有什么特点", "什么品种"]),
}
MAX_FACT = 500
_ASKS = sorted(((form, key) for key, (_, forms) in FACTS.items() for form in forms), key=lambda p: -len(p[0]))
_ASKS_RE = re.compile("|".join(re.escape(form) for form, _ in _ASKS))
_ASK_KEY = dict(_ASKS)


class FactError(ValueError):
    """Bad input for a product's facts; the message says which field and why."""


# a topic word alone (「口感一般」「规格不对」) is an opinion or a complaint, not a question
_QUESTION = re.compile(r"[吗呢嘛？?]|怎么|如何|多少|多久|哪|什么|啥|几|是不是|有没有|(.)不\1")
_TOPIC_WORDS = {"产地", "规格", "口感", "储存", "原产", "净重", "单果", "保质期", "保鲜期", "保存方法"}


def asked(text: str) -> str | None:
    """Which fact a message asks for, by its question form; None when it asks none."""
    found = _ASKS_RE.search(text or "")
    if found is None:
        return None
    if found.group(0) in _TOPIC_WORDS and not _QUESTION.search(text):
        return None
    return _ASK_KEY[found.group(0)]


def product_named(s: Session, text: str, entity: str | None) -> Product | None:
    """The catalog product the message names: the NLU's entity first, else the longest name or
    alias found in the text."""
    products = list(s.execute(select(Product)).scalars())
    names = {}
    for p in products:
        for word in (p.name, *(p.aliases or [])):
            names[word] = p
    if entity and entity in names:
        return names[entity]
    for word in sorted(names, key=len, reverse=True):
        if len(word) >= 2 and word in text:
            return names[word]
    return None


def card(product: Product) -> str | None:
    """Every fact the merchant wrote, for a question about the product no form foresaw
    (「鸡蛋是散养的吗」「草莓是有机的吗」): what the merchant said beats 「我回答不了」."""
    written = [(FACTS[key][0], value) for key, value in (product.facts or {}).items() if key in FACTS and value]
    if not written:
        return None
    return f"{product.name}：\n" + "\n".join(f"· {label}：{value}" for label, value in written)


def is_question(text: str) -> bool:
    return _QUESTION.search(text or "") is not None


def answer(product: Product, key: str) -> str | None:
    value = (product.facts or {}).get(key)
    if not value:
        return None
    return f"{product.name}的{FACTS[key][0]}：{value}"


def update(product: Product, data: dict) -> dict:
    """Replace the given fields (an empty string clears one); unknown fields are refused."""
    if not isinstance(data, dict):
        raise FactError("请求体应该是 JSON 对象，例如 {\"origin\": \"辽宁丹东\"}")
    unknown = sorted(set(data) - set(FACTS))
    if unknown:
        raise FactError(f"不认识的字段：{', '.join(unknown)}（可用：{', '.join(FACTS)}）")
    facts = dict(product.facts or {})
    for key, value in data.items():
        if value is None or value == "":
            facts.pop(key, None)
        elif not isinstance(value, str):
            raise FactError(f"{key} 应该是文字")
        elif len(value.strip()) > MAX_FACT:
            raise FactError(f"{FACTS[key][0]}太长（最多 {MAX_FACT} 字）")
        else:
            facts[key] = value.strip()
    product.facts = facts
    return facts
