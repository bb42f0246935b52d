"""Loading and lookup. Loaded once per process (`word_vectors()`), never per request."""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Iterable

import numpy as np

VECTORS_DIR = Path(__file__).resolve().parents[2] / "models" / "vectors"
MATRIX = "vectors.npy"
WORDS = "words.txt"


class VectorsMissing(RuntimeError):
    """The files are built at install time; a checkout that skipped `make` gets told how to build them."""


class WordVectors:
    """Unit-length rows, so a dot product is a cosine.

    A word the table lacks falls back to the mean of its characters' vectors: jieba cuts 太慢 or
    充不进 as one word that no corpus listed, and 太 + 慢 still say more than nothing."""

    def __init__(self, matrix: np.ndarray, words: list[str]):
        if matrix.shape[0] != len(words):
            raise VectorsMissing(f"word vectors are inconsistent: {matrix.shape[0]} rows, {len(words)} words; rebuild with `make vectors`")
        self.matrix = matrix
        self.words = words
        self.index = {w: i for i, w in enumerate(words)}
        self.dim = int(matrix.shape[1])

    @classmethod
    def load(cls, folder: Path | str) -> "WordVectors":
        folder = Path(folder)
        try:
            matrix = np.load(folder / MATRIX, mmap_mode="r")
            words = (folder / WORDS).read_text(encoding="utf-8").split("\n")
        except FileNotFoundError as exc:
            raise VectorsMissing(f"word vectors not found in {folder}: build them with `make vectors`") from exc
        return cls(matrix, words)

    def known(self, word: str) -> bool:
        return word in self.index

    def vector(self, word: str) -> np.ndarray | None:
        """float32; None when neither the word nor any of its characters is known."""
        i = self.index.get(word)
        if i is not None:
            return np.asarray(self.matrix[i], dtype=np.float32)
        rows = [self.index[c] for c in word if c in self.index]
        if not rows:
            return None
        v = np.asarray(self.matrix[rows], dtype=np.float32).mean(axis=0)
        n = float(np.linalg.norm(v))
        return v / n if n else None

    def mean(self, tokens: Iterable[str]) -> np.ndarray:
        """The mean of the known tokens' vectors; zeros when none is known (an empty message, emoji)."""
        found = [v for v in map(self.vector, tokens) if v is not None]
        if not found:
            return np.zeros(self.dim, dtype=np.float32)
        return np.mean(found, axis=0).astype(np.float32)

    def similar(self, word: str, k: int = 10) -> list[tuple[str, float]]:
        """Nearest words by cosine, the word itself left out. A full scan (~10 ms): for building
        word lists and for tools, not for the request path."""
        v = self.vector(word)
        if v is None:
            return []
        scores = np.asarray(self.matrix @ v.astype(self.matrix.dtype), dtype=np.float32)
        top = np.argpartition(-scores, min(k + 1, len(scores) - 1))[: k + 1]
        ranked = sorted(top, key=lambda i: -scores[i])
        return [(self.words[i], float(scores[i])) for i in ranked if self.words[i] != word][:k]


_lock = threading.Lock()
_loaded: dict[Path, WordVectors] = {}


def word_vectors(folder: Path | str | None = None) -> WordVectors:
    """The process's one copy. WORD_VECTORS_DIR points elsewhere (a test's small table, a shared volume)."""
    path = Path(folder or os.environ.get("WORD_VECTORS_DIR") or VECTORS_DIR).resolve()
    with _lock:
        if path not in _loaded:
            _loaded[path] = WordVectors.load(path)
        return _loaded[path]
