"""Short words the dialogue reads by rule, defined once: punctuation to ignore, yes, no, 1-2-3."""
from __future__ import annotations

import re

PUNCTUATION = r"[\s,.!?;:~，。！？；：、…～]"
_PUNCT_RUN = re.compile(PUNCTUATION + "+")
CANCEL_WORDS = {"算了", "取消", "算了吧", "不用了", "不要了", "没事了", "重新来"}
# A number answering a numbered list: ASCII, full-width (a Chinese keyboard's default) or a numeral.
CHOICE_NUMBERS = {**{str(i): i - 1 for i in range(1, 10)}, **{chr(0xFF10 + i): i - 1 for i in range(1, 10)},
                  **{c: i for i, c in enumerate("一二三四五六七八九")}}
YES_WORDS = {"好", "好的", "好啊", "要", "要的", "需要", "可以", "行", "嗯", "嗯嗯", "是", "是的", "对", "ok"}
NO_WORDS = {"不", "不用", "不要", "不需要", "不了", "没事", "没事儿", "没关系"}


def bare(text: str | None) -> str:
    """The text without spaces and punctuation (「好的！」 -> 「好的」)."""
    return _PUNCT_RUN.sub("", text or "")
