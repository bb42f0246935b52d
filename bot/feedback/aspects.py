"""Which aspect a clause is about: a named subject (包装, 物流) first, else what its adjectives imply."""
from __future__ import annotations

import re

from .lexicon import ASPECT_NOUNS, ASPECT_WORDS


def _matcher(table: dict[str, tuple[str, ...]]) -> tuple[re.Pattern, dict[str, str]]:
    owner = {word: aspect for aspect, words in table.items() for word in words}
    return re.compile("|".join(map(re.escape, sorted(owner, key=len, reverse=True)))), owner


_NOUNS, _NOUN_OWNER = _matcher(ASPECT_NOUNS)
_WORDS, _WORD_OWNER = _matcher(ASPECT_WORDS)
# Formats rather than words: 少了半斤, 两斤多, 才4斤 speak of weight; 3天才到 of delivery.
_PATTERNS = (
    ("size", re.compile(r"(?:又|太|很|好|超级|特|偏|比较|有点|就|也|个|果|实在是|真的)小(?!哥|区|时|心|孩|朋友|编|店|贵|伙|票|姐|妹|包|盒|份)"
                        r"|小(?:个|的可怜|得可怜)|迷你|一大[一两]小|大小不|\d+\s*mm", re.I)),
    ("weight", re.compile(r"(?:少了?|不足|不到|才|只有)[^，。]{0,3}(?:斤|两|克|公斤)|斤两|份量|分量")),
    ("delivery", re.compile(r"\d+\s*天才?(?:到|送)|[一二两三四五六七八九十几]天才(?:到|送)|送货上门|当天(?:就)?到|第二天就?到")),
)


def find_aspects(clause: str) -> list[str]:
    """Aspects in the order they appear, without repeats; empty when the clause names none."""
    found = [_NOUN_OWNER[m.group(0)] for m in _NOUNS.finditer(clause)]
    if not found:
        found = [_WORD_OWNER[m.group(0)] for m in _WORDS.finditer(clause)]
    found += [aspect for aspect, pattern in _PATTERNS if pattern.search(clause)]
    return list(dict.fromkeys(found))
