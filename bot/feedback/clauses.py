"""Split a message into clauses: praise and complaint often share one sentence (好看但太沉)."""
from __future__ import annotations

import re

_PUNCT = "，,。.!！?？;；~～\n、…"
_SENTENCE = re.compile(rf"[^{_PUNCT}]+[{_PUNCT}]*")
# Contrast words start a new clause; the word itself carries no content of its own.
_CONTRAST = re.compile(r"(?:但是|(?<!不)但|不过|就是|可是|然而|只是|只不过)")
_STRIP = re.compile(rf"^[\s{_PUNCT}]+|[\s{_PUNCT}]+$")
# Chat has no punctuation: a space between two words of Chinese is where a comma would be
# (「上次的很甜 这次的有点酸」), so it ends a clause too.
_SPACE_BETWEEN = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")


def split_clauses(text: str) -> list[str]:
    """Non-empty clauses in order, punctuation kept at the end (a ？ still marks a question)."""
    clauses: list[str] = []
    for m in _SENTENCE.finditer(_SPACE_BETWEEN.sub("，", text or "")):
        sentence = m.group(0)
        tail = sentence[len(sentence.rstrip(_PUNCT)):]
        parts = _CONTRAST.split(sentence.rstrip(_PUNCT))
        for i, part in enumerate(parts):
            part = _STRIP.sub("", part)
            if part:
                clauses.append(part + (tail.strip() if i == len(parts) - 1 else ""))
    return clauses


def bare(clause: str) -> str:
    return _STRIP.sub("", clause)
