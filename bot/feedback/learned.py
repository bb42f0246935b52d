"""Learned clause sentiment: a linear model over character n-grams, shipped as a JSON file.

The lexicon knows fruit and milk; customers of other goods praise and complain in words it never
listed. Character n-grams (1-3) need no tokenizer, cover unseen words by their parts (做工, 卡顿)
and score a clause in well under a millisecond. The weights are learned from labelled reviews by
`make feedback-model` (bot/feedback/training.py); the file carries no review text, only n-grams
and weights. Loaded once at start-up (`load()` from create_app), never per request.
"""
from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

MODEL_FILE = Path(__file__).resolve().parent / "model" / "sentiment.json"
NGRAMS = (1, 2, 3)


def features(text: str) -> set[str]:
    """Distinct character n-grams: presence, not counts, so a long rant does not outvote its words."""
    out: set[str] = set()
    for n in NGRAMS:
        out.update(text[i:i + n] for i in range(len(text) - n + 1))
    return out


@dataclass
class LinearModel:
    weights: dict[str, float]
    bias: float
    meta: dict

    def clause_score(self, text: str) -> float:
        """Evidence of one clause without the bias: clause scores of a review add up."""
        w = self.weights
        return sum(w.get(f, 0.0) for f in features(text))

    def score(self, text: str) -> float:
        return self.bias + self.clause_score(text)

    def to_json(self) -> dict:
        return {"format": "char-ngram-linear/1", "ngrams": list(NGRAMS), "bias": self.bias,
                "meta": self.meta, "weights": self.weights}

    @classmethod
    def from_json(cls, data: dict) -> LinearModel:
        if data.get("format") != "char-ngram-linear/1" or tuple(data.get("ngrams", ())) != NGRAMS:
            raise ValueError(f"unsupported sentiment model format {data.get('format')!r}")
        return cls({k: float(v) for k, v in data["weights"].items()}, float(data["bias"]), data.get("meta", {}))


_lock = threading.Lock()
_model: LinearModel | None = None


def load(path: Path | None = None) -> LinearModel:
    """The shipped model, read once; an empty model (lexicon only) when the file is missing."""
    global _model
    with _lock:
        if _model is None or path is not None:
            file = path or MODEL_FILE
            if file.is_file():
                _model = LinearModel.from_json(json.loads(file.read_text(encoding="utf-8")))
                log.info("sentiment model %s: %d weights", file.name, len(_model.weights))
            else:
                log.warning("no sentiment model at %s: lexicon only (make feedback-model)", file)
                _model = LinearModel({}, 0.0, {"missing": str(file)})
        return _model


def model() -> LinearModel:
    return _model or load()


class using:
    """`with using(m):` analyses with another model (a fold of the cross-category bench), then restores."""

    def __init__(self, other: LinearModel) -> None:
        self.other, self.saved = other, None

    def __enter__(self) -> LinearModel:
        global _model
        self.saved, _model = model(), self.other
        return self.other

    def __exit__(self, *exc) -> None:
        global _model
        _model = self.saved
