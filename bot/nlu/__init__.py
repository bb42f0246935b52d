"""Understanding a customer's message: normalise, classify, extract and tidy entities."""
from __future__ import annotations

import re

from .engines import LocalRasa, NluUnavailable, RemoteRasa, latest_model
from .entities import order_id_regex, postprocess
from .normalize import normalize
from .result import Entity, NluResult
from .rules import refine

# The model reads at most this many characters of a message: Rasa's regex featurizer and the entity
# clean-up cost more than linear time (14,000 characters took 6 s of CPU), and what a message is
# about is said long before this (the longest message in nlu_data/ and tests/nlu/ has 56). The whole
# text still reaches the handlers, the ticket and the message log.
MAX_NLU_TEXT = 500
# 「……」「？？」「。」: nothing but punctuation says nothing the model could classify (it guessed
# greet or goodbye from the character n-grams of dots); handled like an empty message.
_NO_WORDS = re.compile(r"^[\W_]*$")


class Understanding:
    """The bot's one NLU path; `nlu eval` and the webhook both go through it."""

    def __init__(self, engine, product_aliases: dict[str, str] | None = None,
                 order_id_pattern: str | None = None) -> None:
        self.engine = engine
        self.product_aliases = product_aliases or {}
        self.order_id = order_id_regex(order_id_pattern)

    def parse(self, raw_text: str, timeout: float | None = None) -> NluResult:
        return self.parse_normalised(normalize(raw_text), timeout)

    def parse_normalised(self, text: str, timeout: float | None = None) -> NluResult:
        """For callers that normalised the text already (the dialogue pipeline)."""
        if not text or _NO_WORDS.match(text):
            return NluResult(text, "out_of_scope", 0.0)
        text = text[:MAX_NLU_TEXT]
        return refine(postprocess(self.engine.parse(text, timeout), self.product_aliases, self.order_id))


def make_engine(config) -> LocalRasa | RemoteRasa:
    if config.RASA_URL:
        return RemoteRasa(config.RASA_URL, config.RASA_TOKEN)
    return LocalRasa(config.MODEL_PATH, getattr(config, "NLU_WATCH_INTERVAL", 0),
                     cache_size=getattr(config, "NLU_CACHE_SIZE", 4096))


__all__ = ["Understanding", "LocalRasa", "RemoteRasa", "NluUnavailable", "NluResult", "Entity",
           "make_engine", "latest_model", "normalize", "postprocess"]
