"""Retrieval over the merchant's entries: TF-IDF over words and character bigrams, cosine to the
standard question, to each taught variant, and to all of an entry's phrasings at once (a customer
often mixes the words of two variants). Scores are in [0, 1]; the thresholds that turn a score
into an answer are measured in bench/faq_quality.py and live in the config."""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sqlalchemy import func, select

from ..models import FaqEntry
from .words import GOODS, product_pattern, terms

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Entry:
    """A detached copy of an enabled entry: the index outlives the session that read it."""

    id: int
    question: str
    variants: tuple[str, ...]
    answer: str
    link: str | None = None

    @property
    def reply(self) -> str:
        return f"{self.answer}\n{self.link}" if self.link else self.answer


@dataclass(frozen=True)
class Match:
    entry: Entry
    score: float


class FaqIndex:
    def __init__(self, entries: list[Entry], products=()) -> None:
        self.entries = entries
        docs, owners = [], []
        for i, e in enumerate(entries):
            phrasings = [e.question, *e.variants]
            for text in phrasings + ["".join(phrasings)]:
                docs.append(text)
                owners.append(i)
        self.owners = np.array(owners, dtype=int)
        self.vectorizer = None
        if docs:
            pattern = product_pattern(list(products) + GOODS)
            self.vectorizer = TfidfVectorizer(analyzer=lambda text: terms(text, pattern), sublinear_tf=True,
                                              norm="l2")
            self.matrix = self.vectorizer.fit_transform(docs)
            self.squares = self.matrix.multiply(self.matrix).tocsr()

    def match(self, text: str, limit: int = 3) -> list[Match]:
        if self.vectorizer is None or not text.strip():
            return []
        query = self.vectorizer.transform([text])
        if query.nnz == 0:
            return []
        # cosine, tempered by how much of the phrasing the message covers: 「收到了」 shares one word
        # with 「收到坏果怎么办」 and is not that question
        present = query.copy()
        present.data[:] = 1.0
        cosine = (self.matrix @ query.T).toarray().ravel()
        covered = (self.squares @ present.T).toarray().ravel()  # share of the phrasing's weight
        sims = cosine * (0.5 + 0.5 * covered)
        best = np.zeros(len(self.entries))
        np.maximum.at(best, self.owners, sims)
        order = np.argsort(-best)[:limit]
        return [Match(self.entries[i], round(float(best[i]), 4)) for i in order if best[i] > 0]


class FaqBook:
    """One index per process, rebuilt when the entries change in the database. Every process
    looks at most every `refresh_seconds` (one cheap aggregate query), so an entry the merchant
    saves in the console answers in every web and worker process within that time."""

    def __init__(self, db, refresh_seconds: float = 2.0, products=lambda: ()) -> None:
        self.db = db
        self.products = products  # the catalog's names and aliases, read when the index is built
        self.refresh_seconds = refresh_seconds
        self._index = FaqIndex([])
        self._version = None
        self._checked = float("-inf")
        self._lock = threading.Lock()

    def _current_version(self):
        with self.db.session() as s:
            count, newest, top = s.execute(select(func.count(FaqEntry.id), func.max(FaqEntry.updated_at),
                                                  func.max(FaqEntry.id))).one()
        return count, newest, top

    def index(self) -> FaqIndex:
        if time.monotonic() - self._checked < self.refresh_seconds:
            return self._index
        with self._lock:
            if time.monotonic() - self._checked < self.refresh_seconds:
                return self._index
            try:
                version = self._current_version()
                if version != self._version:
                    self._index = FaqIndex(self._load(), self.products())
                    self._version = version
            except Exception:  # the database being down must not cost the customer an answer
                log.exception("FAQ entries could not be refreshed; answering from the last copy")
            self._checked = time.monotonic()
        return self._index

    def refresh_now(self) -> None:
        """After a change in this process: the next question sees it at once."""
        self._checked = float("-inf")

    def _load(self) -> list[Entry]:
        with self.db.session() as s:
            rows = s.execute(select(FaqEntry).where(FaqEntry.enabled.is_(True)).order_by(FaqEntry.id)).scalars()
            return [Entry(r.id, r.question, tuple(r.variants or ()), r.answer, r.link) for r in rows]

    def match(self, text: str, limit: int = 3) -> list[Match]:
        return self.index().match(text, limit)
