"""Learned clause sentiment: a linear model over character n-grams, shipped as a JSON file, and
beside it a direction in the word-vector space that a whole review's mean word vector is read along.

The lexicon knows fruit and milk; customers of other goods praise and complain in words it never
listed. Character n-grams (1-3) need no tokenizer, cover unseen words by their parts (做工, 卡顿)
and score a clause in well under a millisecond. The weights are learned from labelled reviews by
`make feedback-model` (bot/feedback/training.py); the file carries no review text, only n-grams
and weights. Loaded once at start-up (`load()` from create_app), never per request.

The word-vector direction (issue 15, seventh pass): 75 weights over the mean vector of a review's
words (bot/vectors), fitted with the directions that tell the training categories apart projected
out, so what it reads is tone, not which goods a review is about. It reaches words no training
category used through their neighbours. Without the vectors (`make vectors` not run) it scores 0.
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
# Words for the vector direction: longest match first against the vectors' vocabulary (which holds
# words of one to four characters); single characters are left to the n-grams.
WORD_LONGEST, WORD_SHORTEST = 4, 2


def features(text: str) -> set[str]:
    """Distinct character n-grams: presence, not counts, so a long rant does not outvote its words."""
    out: set[str] = set()
    for n in NGRAMS:
        out.update(text[i:i + n] for i in range(len(text) - n + 1))
    return out


def _vectors():
    """The process's word vectors, or None (logged once) when they were never built."""
    global _wv
    if _wv is False:
        from ..vectors import VectorsMissing, word_vectors

        try:
            _wv = word_vectors()
        except VectorsMissing as exc:
            log.warning("feedback sentiment without word vectors: %s", exc)
            _wv = None
    return _wv


_wv = False


def words(text: str, vectors) -> list[int]:
    """Rows of the distinct vocabulary words of a text, longest match first from the left."""
    index = vectors.index
    rows: dict[int, None] = {}
    i, n = 0, len(text)
    while i < n:
        for size in range(min(WORD_LONGEST, n - i), WORD_SHORTEST - 1, -1):
            row = index.get(text[i:i + size])
            if row is not None:
                rows[row] = None
                i += size
                break
        else:
            i += 1
    return list(rows)


def mean_vector(text: str, vectors):
    """The mean of a text's word vectors (float32), or None when it has no word of the vocabulary."""
    import numpy as np

    rows = words(text, vectors)
    if not rows:
        return None
    return np.asarray(vectors.matrix[sorted(rows)], dtype=np.float32).mean(axis=0)


@dataclass
class LinearModel:
    weights: dict[str, float]
    bias: float
    meta: dict
    vector_weights: list[float] | None = None  # over the mean word vector of a whole review

    def clause_score(self, text: str) -> float:
        """Evidence of one clause without the bias: clause scores of a review add up."""
        w = self.weights
        return sum(w.get(f, 0.0) for f in features(text))

    def score(self, text: str) -> float:
        return self.bias + self.clause_score(text)

    def vector_score(self, text: str) -> float:
        """The mean word vector of the text read along the model's direction; 0 without one."""
        vectors = _vectors() if self.vector_weights else None
        if vectors is None or vectors.dim != len(self.vector_weights):
            return 0.0
        mean = mean_vector(text, vectors)
        if mean is None:
            return 0.0
        return float(mean @ self._direction())

    def _direction(self):
        import numpy as np

        if getattr(self, "_direction_array", None) is None:
            self._direction_array = np.asarray(self.vector_weights, dtype=np.float32)
        return self._direction_array

    def to_json(self) -> dict:
        out = {"format": "char-ngram-linear/1", "ngrams": list(NGRAMS), "bias": self.bias,
               "meta": self.meta, "weights": self.weights}
        if self.vector_weights:
            out["vector_weights"] = self.vector_weights
        return out

    @classmethod
    def from_json(cls, data: dict) -> LinearModel:
        if data.get("format") != "char-ngram-linear/1" or tuple(data.get("ngrams", ())) != NGRAMS:
            raise ValueError(f"unsupported sentiment model format {data.get('format')!r}")
        vector_weights = [float(v) for v in data["vector_weights"]] if data.get("vector_weights") else None
        return cls({k: float(v) for k, v in data["weights"].items()}, float(data["bias"]), data.get("meta", {}),
                   vector_weights)


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
