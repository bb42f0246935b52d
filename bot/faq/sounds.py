"""Sound-alike typos. Customers type pinyin and pick the wrong character of the same sound
(「包油」 for 包邮, 「关们」 for 关门): a window of the message that sounds like a word of the shop's
word list (words.SYNONYMS) and differs from it in one character is read as that word. Tones must
agree (a neutral tone agrees with any), so 「下半年」 is not 「下班」; the commonest grammar characters
are never taken for a typo (「发没发货」 is not 「发霉」). The readings are pypinyin's character table,
read once, without loading its phrase dictionary."""
from __future__ import annotations

import importlib.util
import json
import os
import unicodedata
from functools import lru_cache

# too common to be a typo of anything: taking them for one costs more than it finds
GRAMMAR = set("没不了的得地吗么嘛呢吧啊呀哦是有在我你他她它们这那就都也还和与一个可以能会要")


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    spec = importlib.util.find_spec("pypinyin")  # the data file only: importing pypinyin loads far more
    path = os.path.join(spec.submodule_search_locations[0], "pinyin_dict.json")
    with open(path, encoding="utf-8") as f:
        return json.load(f)


@lru_cache(maxsize=20000)
def readings(char: str) -> frozenset[tuple[str, int]]:
    """(syllable without tone, tone 1-4 or 0 for neutral) for each reading of a character."""
    return frozenset(_reading(r) for r in _table().get(str(ord(char)), "").split(",") if r)


@lru_cache(maxsize=20000)
def primary(char: str) -> frozenset[tuple[str, int]]:
    """The character's first (commonest) reading: the one an input method offers it under. 「服」 is
    also read bì and bó, but nobody typing 「拍下」 is offered 「服」 (「客服下班」 is not 「客拍下班」)."""
    first = _table().get(str(ord(char)), "").split(",")[0]
    return frozenset([_reading(first)] if first else [])


def _reading(reading: str) -> tuple[str, int]:
    tone, plain = 0, []
    for c in unicodedata.normalize("NFD", reading):
        mark = {"\u0304": 1, "\u0301": 2, "\u030c": 3, "\u0300": 4}.get(c)
        if mark:
            tone = mark
        elif not unicodedata.combining(c):
            plain.append(c)
    return "".join(plain).replace("u\u0308", "v"), tone


def _alike(typed: str, meant: str) -> bool:
    """The typed character, read as the input method offers it, sounds like the meant one in any reading."""
    return any(sa == sb and (ta == tb or not ta or not tb) for sa, ta in primary(typed) for sb, tb in readings(meant))


@lru_cache(maxsize=20000)
def syllables(char: str) -> frozenset[str]:
    return frozenset(plain for plain, _ in readings(char))


class SoundAlike:
    """Replaces one-character sound-alike typos of `words` (two characters or more) in a text."""

    def __init__(self, words) -> None:
        self.by_start: dict[tuple[str, str], list[str]] = {}
        for w in {w for w in words if len(w) >= 2 and all("\u4e00" <= c <= "\u9fff" for c in w)}:
            for key in self._keys(w[0], w[1]):
                self.by_start.setdefault(key, []).append(w)
        for candidates in self.by_start.values():
            candidates.sort(key=len, reverse=True)  # the longest word wins

    @staticmethod
    def _keys(a: str, b: str):
        return [(sa, sb) for sa in syllables(a) for sb in syllables(b)]

    def __call__(self, text: str) -> str:
        out, i, n = [], 0, len(text)
        while i < n:
            found = None
            if i + 1 < n:
                candidates = [w for key in self._keys(text[i], text[i + 1]) for w in self.by_start.get(key, ())]
                if candidates:
                    # a word spelled right stays whole: no typo is looked for inside it
                    found = next((w for w in candidates if text.startswith(w, i)), None) \
                        or next((w for w in candidates if self._typo_of(text[i:i + len(w)], w)
                                 and not _cuts_a_word(text, i, w)), None)
            if found:
                out.append(found)
                i += len(found)
            else:
                out.append(text[i])
                i += 1
        return "".join(out)

    @staticmethod
    def _typo_of(window: str, word: str) -> bool:
        if len(window) != len(word):
            return False
        diff = [(a, b) for a, b in zip(window, word) if a != b]
        return len(diff) == 1 and diff[0][0] not in GRAMMAR and _alike(*diff[0])


def _cuts_a_word(text: str, start: int, word: str) -> bool:
    """The changed character belongs to a word that goes on past the window (「送到富阳」: 富 is in the
    place name 富阳, so 「到富」 is no typo of 到付): such a character was typed on purpose."""
    import jieba

    jieba.dt.check_initialized()  # its dictionary, loaded once (words.py cuts every message with it anyway)
    end = start + len(word)
    if end < len(text) and text[end - 1] != word[-1] and jieba.dt.FREQ.get(text[end - 1:end + 1]):
        return True
    return start > 0 and text[start] != word[0] and bool(jieba.dt.FREQ.get(text[start - 1:start + 1]))
