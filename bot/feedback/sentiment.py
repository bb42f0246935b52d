"""Clause sentiment from a lexicon with negation and degree words: 不太甜 is negative, 挺甜 positive.

A rule-and-lexicon scorer because it is explainable to staff, fast enough for bulk imports and
measured against labelled reviews (bench/feedback_quality.py) rather than assumed.
"""
from __future__ import annotations

import re

from .lexicon import (ATTRIBUTE_EXCESS, ATTRIBUTES, GENERAL_POSITIVE, INTENSIFIERS, NEGATION_EXEMPT, NEGATIONS, NEGATIVE,
                      POSITIVE)

_SCORES: dict[str, float] = {**{w: float(v) for w, v in POSITIVE.items()},
                             **{w: -float(v) for w, v in NEGATIVE.items()}}
_WORDS = sorted(set(_SCORES) | set(ATTRIBUTES), key=len, reverse=True)
_WORD_RE = re.compile("|".join(map(re.escape, _WORDS)))
_NEG_RE = re.compile(rf"(?:{'|'.join(map(re.escape, sorted(NEGATIONS, key=len, reverse=True)))})"
                     rf"(?:{'|'.join(map(re.escape, INTENSIFIERS))})?(?:什么|啥|多)?(?:大)?(?:是|发现|一个|一点|一颗|一只|任何){{0,3}}$")
# 「没有想象中好」「不如宣传的」: the promise was bigger than the thing (lukewarm verdicts of any goods)
_FAR_NEG_RE = re.compile(r"(?:没有|没|不如|不像|不是)[^，。！？]{0,12}(?:那么|这么|那样|这样|的)$"
                         r"|(?:没有|没|不如|不像)(?:想象|预期|期待|期望|宣传|说)(?:中|里)?(?:的)?$"
                         r"|(?:没|没有|不)(?:觉得|感觉|感到|看出|发现)[^，。！？]{0,8}$")
_INTENSE_RE = re.compile(rf"(?:{'|'.join(map(re.escape, INTENSIFIERS))})$")
_EXCESS_RE = re.compile(rf"(?:{'|'.join(map(re.escape, ATTRIBUTE_EXCESS))})(?:点|了)?$")
_EXCESS_AFTER = re.compile(r"^(?:了点|了些|了一点|了一些|点儿|了点儿|得很|得要命|得厉害|得不行|得要死|死了|过头)")
# A complaint that has eased is relief (掉发少了, 头屑也少了很多, 痘痘没了): the word after it turns it.
_EASED_AFTER = re.compile(r"^(?:也|都|明显|已经)?(?:少了|减少|少多了|没了|不见了|消失|好了|好多了|改善)")
# The negation after the word (一个坏的也没有, 一丁点甜都没有): customers' way of saying none at all.
_NONE_AFTER = re.compile(r"^(?:的|了)?(?:也|都)(?:没有|没)(?:了|啊|呀|哦)?(?:[，。！？!?~～]|$)"
                         r"|^(?:性|作用)?(?:也|都)?(?:不大|有限)")  # 帮助不大, 帮助有限: little of a good thing
# What wears out fast is a complaint, not the quick delivery 快 praises (掉电也快, 起球特别快).
_FAST_BAD_RE = re.compile(r"(?:掉电|掉得|电量掉|油得|出油|耗电|费电|没电|掉色|褪色|起球|缩水|掉毛|磨损|坏|脏|变黄)[^，。！？]{0,3}快")
_QUESTION = re.compile(r"(?:怎么|什么|凭什么|为什么|难道|还能|敢)[^？?]*[？?]|[？?]{2,}")
_DEGREE_LIKE = {"好", "真", "超", "太"}
# Praise that is itself a negation (不卡, 没问题): the rules know its direction, so, as with 不咸, the
# learned n-grams (不, 卡) may only strengthen it.
_SAID_NEGATED = {w for w in GENERAL_POSITIVE if w[0] in "不没无"}


# 「是不是坏了」「会不会变质」 ask in worry: the 不 inside does not negate what follows.
_WORRY_RE = re.compile(r"(?:是不是|是否|会不会|该不会|不会是)(?:已经|有点|有些)?$")


# Money asked for beyond the price (另收材料费, 额外收了两百, 上楼费): a water heater's buyers praise the
# heater and are angry at the fitter's bill; that anger is the verdict their labels give.
_CHARGE_RE = re.compile(r"(?:另|额外|还要|又|多|非要|强行|乱)(?:外)?(?:收|要|加|交|付|掏)[^，。！？]{0,6}(?:钱|费|块|元|\d)"
                        r"|(?:材料|辛苦|上楼|搬运|上门|打孔|支架|管子|铜管|服务)费[^，。！？]{0,6}(?:收|另|贵|坑|要|高)"
                        r"|收了?(?:我)?[^，。！？]{0,4}(?:材料|辛苦|上楼|搬运|打孔|铜管)费")
CHARGE = 2.0
# Goods near their date (临期, 日期都快到了) are a freshness complaint; the model reads 快到了 as a
# quick delivery and praised it.
_NEAR_DATE_RE = re.compile(r"临期|快过期|离过期|临近过期|马上(?:就)?(?:要)?过期|没几天(?:就)?(?:要)?过期"
                           r"|(?:日期|保质期|有效期)[^，。！？]{0,6}快(?:要)?(?:到|过)")


def clause_score(clause: str) -> float:
    """Signed strength: > 0 positive, < 0 negative, 0 neutral."""
    return rule_score(clause)[0]


def rule_score(clause: str) -> tuple[float, bool]:
    """The score and whether a negation turned an opinion word around (the learned model, which sees
    n-grams, must not undo 不咸 or 没有一个烂的)."""
    score, turned = 0.0, False
    matches = list(_WORD_RE.finditer(clause))
    eased_until = -1
    for i, m in enumerate(matches):
        word, start, end = m.group(0), m.start(), m.end()
        if start < eased_until:
            continue  # the 少了 of 掉发少了: already read as relief
        if _SCORES.get(word, 0) < 0 and (eased := _EASED_AFTER.match(clause[end:])):
            score, turned, eased_until = score + 1.0, True, end + eased.end()
            continue
        if word in _DEGREE_LIKE and i + 1 < len(matches) and matches[i + 1].start() == end:
            continue  # 好难吃, 好小: here 好 is a degree word, not praise
        before = clause[max(0, start - 16):start]
        negated = word not in NEGATION_EXEMPT and bool(_NEG_RE.search(before) or _FAR_NEG_RE.search(before)
                                                       or _NONE_AFTER.match(clause[end:]))
        if negated and _WORRY_RE.search(before):
            negated = False
        turned = turned or (negated and (word in _SCORES or word != "小")) or word in _SAID_NEGATED
        if word in _SCORES:
            value = _SCORES[word]
            if negated:
                # 不甜 is a complaint; 没坏 is mild relief, not praise.
                value = -value if value > 0 else min(1.0, -value / 2)
            elif _INTENSE_RE.search(before):
                value *= 1.5
        else:  # an attribute: 太沉 / 有点咸 / 小了点 complain, 不咸 / 不腻 reassure
            if negated:
                value = 0.0 if word == "小" else 1.0
            elif _EXCESS_RE.search(before) or _EXCESS_AFTER.match(clause[end:]):
                value = -1.5
            else:
                value = -0.5 if word == "小" else 0.0  # a bare 小 about fruit is a size complaint
        score += value
    if _QUESTION.search(clause):
        score -= 1.0
    if _FAST_BAD_RE.search(clause):
        score, turned = min(score, 0) - CHARGE, True
    if _CHARGE_RE.search(clause):
        score, turned = score - CHARGE, True
    if _NEAR_DATE_RE.search(clause):
        score, turned = min(score, 0) - CHARGE, True
    return score, turned and score != 0


def label(score: float) -> str:
    return "positive" if score > 0 else "negative" if score < 0 else "neutral"
