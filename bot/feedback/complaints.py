"""A complaint's category and priority from the same clause analysis as feedback records.

What went wrong (少发, 发错, 碎了) is read per clause from `lexicon.INCIDENTS`; otherwise the aspects of
the clauses that are not praise decide (是不是坏了 → freshness, 安装费太坑 → installation). A clause
that praises (包装没破损) never makes a category. Safety words (腹泻, 过敏, 异物) make it urgent.
"""
from __future__ import annotations

import re

from .analysis import Analysis, analyze
from .lexicon import INCIDENTS, NEAR_EXPIRY, ORGANISER, SAFETY
from .sentiment import rule_score

# Aspect of a complaining clause → ticket category.
ASPECT_CATEGORY = {
    "freshness": "freshness", "quality": "quality", "taste": "quality", "function": "quality", "smell": "quality",
    "appearance": "quality", "size": "quality", "comfort": "quality", "content": "quality", "hygiene": "quality",
    "weight": "shortage", "packaging": "damaged", "delivery": "delivery", "service": "staff_attitude",
    "installation": "installation", "safety": "quality",
}
# When clauses name several, the first in this order wins: the organiser's queue first, then what
# is wrong with the goods before how they came.
PRECEDENCE = ("group_organiser", "wrong_item", "shortage", "damaged", "freshness", "quality", "installation",
              "delivery", "staff_attitude")
HIGH_CATEGORIES = {"damaged", "shortage", "wrong_item"}

_INCIDENT = {kind: re.compile("|".join(words)) for kind, words in INCIDENTS.items()}
_ORGANISER = re.compile("|".join(ORGANISER))
_SAFETY = re.compile("|".join(SAFETY))
# A bare refund request says what the customer wants, not that the staff behaved badly; a courier's
# conduct is a delivery problem however the feedback records file it.
_REFUND_ONLY = re.compile(r"^(?:我)?(?:要求|申请|要|想)?(?:退款|退货|退钱|赔偿)[，。！!]*$")
_COURIER = re.compile(r"快递员|配送员|送货员|快递小哥|骑手")
# The customer is complaining: a clause is taken as praise (and ignored) only when the rules turned a
# problem word around (没有破损) or the evidence for praise is strong.
STRONG_PRAISE = 3.0
_NEAR_EXPIRY = re.compile("|".join(NEAR_EXPIRY))
# Weight is a short count only when something is missing (分量不够, 缺斤少两, 称了才四斤); 「杯子太沉」
# is the goods' own heft, a quality remark
_SHORT_WEIGHT = re.compile(r"不够|不足|缺|少|才|只有|不对|不准|不到|轻了|称|分量|份量|斤两|量"
                           r"|[\d一二两三四五六七八九十半]\s*(?:斤|两|克|公斤|千克|g|kg)")
# 「东西太差了」: the goods as a whole are bad, with no aspect word to place it
_GOODS_BAD = re.compile(r"(东西|货|商品|产品|品质)[^，。,！!？?\s]{0,4}(差|烂|垃圾|不好|太次|糟糕|坑人|坑爹)")


def incidents(clause: str) -> list[str]:
    """What went wrong with an order in one clause: shortage, wrong_item, damaged."""
    return [kind for kind, pattern in _INCIDENT.items() if pattern.search(clause)]


def category(analysis: Analysis) -> str:
    found: set[str] = set()
    for f in analysis.findings:
        if f.score >= STRONG_PRAISE or (f.score > 0 and rule_score(f.text)[1]):
            continue
        found.update(incidents(f.text))
        for aspect in f.aspects:
            if aspect == "service" and _COURIER.search(f.text):
                found.add("delivery")
            elif aspect == "weight" and not _SHORT_WEIGHT.search(f.text):
                found.add("quality")
            elif aspect in ASPECT_CATEGORY and not (aspect == "service" and _REFUND_ONLY.search(f.text)):
                found.add(ASPECT_CATEGORY[aspect])
        if _ORGANISER.search(f.text):
            found.add("group_organiser")
    if _SAFETY.search(analysis.text) and not found & {"freshness", "wrong_item"}:
        found.add("quality")  # 吃了拉肚子: the goods made someone ill
    if not found and _GOODS_BAD.search(analysis.text):
        found.add("quality")
    return next((c for c in PRECEDENCE if c in found), "other")


def priority(text: str, category: str) -> str:
    """Urgent when health or safety is at stake (not 快过期: near expiry is not yet unsafe)."""
    if _SAFETY.search(_NEAR_EXPIRY.sub("", text)):
        return "urgent"
    return "high" if category in HIGH_CATEGORIES else "normal"


def classify(text: str) -> tuple[str, str]:
    c = category(analyze(text))
    return c, priority(text, c)
