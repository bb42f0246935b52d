"""Customers type traditional characters, full-width digits and emoji; the model saw simplified text."""
from __future__ import annotations

import re
import unicodedata

from opencc import OpenCC

_t2s = OpenCC("t2s")
_EMOJI = re.compile(
    "[\U0001F000-\U0001FAFF\U00002600-\U000027BF\U0001F900-\U0001F9FF\uFE0F\u200d\u20e3]+"
)
# A message of emoji alone is still an opinion (「👍👍」 is praise): the few that carry one become words.
_EMOJI_WORDS = {"👍": "赞", "👏": "赞", "💯": "满分", "👎": "差评", "😡": "生气", "😠": "生气", "🤬": "生气",
                "😍": "喜欢", "🥰": "喜欢", "❤": "喜欢"}
_EMOJI_WORD = re.compile("|".join(_EMOJI_WORDS))
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Rasa reads a message starting with "/" as a command ("/human_handoff" -> that intent at 1.0,
# "/anything" -> an intent named "anything"): a customer's text must never pick its own intent.
_COMMAND = re.compile(r"^[/\s]+")


def normalize(text: str) -> str:
    """Simplified Chinese, half-width ASCII, no emoji (a few opinion emoji as words) or control
    characters, single spaces."""
    text = _CONTROL.sub("", text or "")
    text = unicodedata.normalize("NFKC", text)  # full-width letters, digits and punctuation
    text = _EMOJI_WORD.sub(lambda m: f" {_EMOJI_WORDS[m.group(0)]} ", text)
    text = _EMOJI.sub(" ", text)
    text = _t2s.convert(text)
    return _COMMAND.sub("", _SPACE.sub(" ", text).strip())
