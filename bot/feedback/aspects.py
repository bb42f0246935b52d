"""Which aspect a clause is about: a named subject (包装, 物流) first, else what its adjectives imply."""
from __future__ import annotations

import re

from .lexicon import ASPECT_NOUNS, ASPECT_WORDS, NOT_ASPECTS


def _matcher(table: dict[str, tuple[str, ...]]) -> tuple[re.Pattern, dict[str, str]]:
    # Words that merely contain an aspect word (辛苦 is not 苦, 软件 not 软) own nothing: longest match wins.
    owner = {**{word: "" for word in NOT_ASPECTS}, **{word: aspect for aspect, words in table.items() for word in words}}
    return re.compile("|".join(map(re.escape, sorted(owner, key=len, reverse=True)))), owner


_NOUNS, _NOUN_OWNER = _matcher(ASPECT_NOUNS)
_WORDS, _WORD_OWNER = _matcher(ASPECT_WORDS)
# Formats rather than words: 少了半斤, 两斤多, 才4斤 speak of weight; 3天才到 of delivery.
_PATTERNS = (
    ("size", re.compile(r"(?:又|太|很|好|超级|特|偏|比较|有点|就|也|个|果|实在是|真的)小(?!哥|区|时|心|孩|朋友|编|店|贵|伙|票|姐|妹|包|盒|份)"
                        r"|小(?:个|的可怜|得可怜)|迷你|一大[一两]小|大小不|\d+\s*mm", re.I)),
    ("weight", re.compile(r"(?:少了?|不足|不到|才|只有)[^，。]{0,3}(?:斤|两(?![个天次年月小本件双台页键点位])|克|公斤)|斤两|份量|分量")),
    ("delivery", re.compile(r"\d+\s*天才?(?:到|送)|[一二两三四五六七八九十几]天才(?:到|送)|送货上门|当天(?:就)?到|第二天就?到")),
    # Goods that break in use: 用了一个月就坏了 is about quality, not (as with fruit) freshness.
    ("quality", re.compile(r"(?:用了|穿了|戴了|装了|没用|才用|刚用|买了)[^，。！？]{0,8}(?:坏|裂|断|掉|开胶|不亮|不转|失灵|不灵|不能用)"
                           r"|到手就是坏|是坏的|开不了机|痕迹|褶皱|有(?:个|一个)?(?:小)?洞|一[刷洗碰用擦]就(?:掉|坏|破|裂|烂)"
                           r"|起了?[^，。！？]{0,3}球")),
    # The fitter, not the staff: 装油烟机的师傅, 师傅来装
    ("installation", re.compile(r"(?:装|安装)[^，。！？]{0,5}师傅|师傅[^，。！？]{0,3}(?:来装|装)")),
    ("smell", re.compile(r"[塑胶霉烟臭腥酸怪]味|味道?[^，。！？]{0,4}(?:闻|刺鼻|冲|头晕|散)|闻[^，。！？]{0,3}(?:香|臭|味)")),
    # A boycott of a maker, or standing by it, with the name after the verb (远离X, 再也不喝X了, 力挺X): what a
    # customer says of a brand when the goods themselves go unmentioned (issue 15, fifth pass). Not 只喝X /
    # 一直用X: there X is as often the kind of goods (只喝鲜奶) as a maker.
    ("brand", re.compile(r"(?:(?:再也不|不再|再不|从不|不敢|以后不|早就不|都不|根本不|坚决不|绝不|决不|不会再|早不|誓死不|谁再|别再?|不要再?)(?:买|喝|吃|用)"
                         r"|拒绝|远离|鄙视|力挺|支持)"
                         r"(?!了|过|的|这|那|你|他|她|它|我|一|啥|什么|东西|任何|点|下|吧|呢|啊|别的|其他|其它|支持|正版|一下|[大小中](?:的|个|号|码|点|一))"
                         r"[\u4e00-\u9fffA-Za-z]{2,}")),
    ("price", re.compile(r"[^，。！？]{0,2}费[^，。！？]{0,4}(?:贵|坑|另算|另收|太高|收)|乱收费|收[^，。！？]{0,3}\d+|保价")),
)
# When a pattern names the aspect, the word that also matched speaks of it, not of this one.
_SUPERSEDES = {"quality": "freshness", "smell": "taste"}


def find_aspects(clause: str) -> list[str]:
    """Aspects in the order they appear, without repeats; empty when the clause names none."""
    found = [a for m in _NOUNS.finditer(clause) if (a := _NOUN_OWNER[m.group(0)])]
    if not found:
        found = [a for m in _WORDS.finditer(clause) if (a := _WORD_OWNER[m.group(0)])]
    patterned = [aspect for aspect, pattern in _PATTERNS if pattern.search(clause)]
    found = [a for a in found if not any(_SUPERSEDES.get(p) == a for p in patterned)] + patterned
    return list(dict.fromkeys(found))
