"""Retrieval over the merchant's entries: TF-IDF over words and character bigrams, cosine to the
standard question, to each taught variant, and to all of an entry's phrasings at once (a customer
often mixes the words of two variants), raised when the message names the entry's topic in its own
words (words.TOPICS). Scores are in [0, 1]; the thresholds that turn a score
into an answer are measured in bench/faq_quality.py and live in the config."""
from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sqlalchemy import func, select

from ..models import FaqEntry
from .forms import reports, subjects
from .words import GOODS, TOPIC_PATTERNS, TOPICS, fold, folded_terms, product_pattern, terms, topics

log = logging.getLogger(__name__)


TOPIC_WEIGHT = 0.4  # bench/faq_quality.md: how much naming an entry's topic counts
REPORT_WEIGHT = 0.25  # a report of what happened (「草莓烂了」) is no question: its scores are cut this much
SUBJECT_WEIGHT = 0.5  # a message about a subject no entry names (forms.SUBJECTS): its scores are halved


# what the shop does about a fault, asked (on folded text: 包赔/售后/负责/管不管 are 赔 there): 「能补吗」,
# 「怎么处理」, 「要拍照吗」, 「找谁」, 「要不要寄回去」 (answers.ASKED_FOR)
REMEDY = re.compile(r"赔|补|怎么办|咋办|怎么弄|咋弄|咋整|怎么整|咋搞|怎么搞|咋处理|怎么处理|如何处理|能处理|处理[吗么不]|"
                    r"怎么算|咋算|算谁|算不算|咋说|怎么说|解决|谁的责任|找谁|拍照|拍个照|拍张|拍图|拍视频|拍个视频|寄回|退款|退钱|换[吗么不个]|能换|给换")

REMEDY_ASKED = re.compile(r"[吗么嘛呢伐?？]|([\u4e00-\u9fff])[不没]\1|怎|咋|谁|如何|能不能|可不可以|要不要|是不是|是否|[不没]\s*$")
CLAUSES = re.compile(r"[^\s，,。.！!；;~～…]+")


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
    """`score` for a message the NLU is unsure of; `whole` counts the message's words no phrasing of
    the entry uses against it, for a message the NLU is sure is something else: then the entry must
    explain the whole message, not one word of it (「我付了钱怎么没发货」 is not a payment question)."""
    entry: Entry
    score: float
    whole: float | None = None
    asked: frozenset[str] = frozenset()  # the topics the message names (words.topics)
    # the score before a report's cut (REPORT_WEIGHT): a customer telling what happened (「橙子长毛了」)
    # asks no question, but when the act it reports is what the entry explains, the entry still fits it
    told: float | None = None

    def __post_init__(self):
        if self.whole is None:
            object.__setattr__(self, "whole", self.score)
        if self.told is None:
            object.__setattr__(self, "told", self.score)


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
        self.starts = np.flatnonzero(np.r_[True, self.owners[1:] != self.owners[:-1]])  # docs are grouped by entry
        self.vectorizer = None
        if docs:
            pattern = product_pattern(list(products) + GOODS)
            self.analyze = lambda text: terms(text, pattern)
            self.fold = lambda text: fold(text, pattern)
            # which topics each entry's phrasings name (entries x topics, 0/1)
            self.topic_names = sorted(set(TOPICS.values()) | {t for _, t in TOPIC_PATTERNS})
            self.entry_topics = np.array([[t in named for t in self.topic_names] for e in entries
                                          for named in [topics(self.fold("|".join([e.question, *e.variants])))]],
                                         dtype=float).reshape(len(entries), len(self.topic_names))
            self.subjects = set().union(*(subjects(self.fold(d)) for d in docs))
            self.vectorizer = TfidfVectorizer(analyzer=self.analyze, sublinear_tf=True, norm="l2")
            matrix = self.vectorizer.fit_transform(docs)
            # postings per term (term x phrasing), so a query touches only the phrasings sharing its terms
            self.by_term = matrix.T.tocsr()
            self.squares_by_term = matrix.multiply(matrix).T.tocsr()
            self.vocabulary = self.vectorizer.vocabulary_
            self.idf = self.vectorizer.idf_

    def _query(self, folded: str) -> tuple[np.ndarray, np.ndarray, float]:
        """The message as the vectorizer would weigh it (sublinear tf x idf, l2), without sklearn's
        per-call overhead, which was most of the time of a match; and the share of the message's
        weight that the entries' vocabulary holds (terms no entry uses weigh as the rarest term)."""
        counts: dict[int, int] = {}
        unknown = 0.0
        for term in folded_terms(folded):
            i = self.vocabulary.get(term)
            if i is None:
                unknown += 1
            else:
                counts[i] = counts.get(i, 0) + 1
        ids = np.fromiter(counts, dtype=int, count=len(counts))
        weights = (1 + np.log(np.fromiter(counts.values(), dtype=float, count=len(counts)))) * self.idf[ids]
        norm = np.linalg.norm(weights)
        known = norm / np.sqrt(norm ** 2 + unknown * self.idf.max() ** 2) if norm else 0.0
        return ids, weights / norm if norm else weights, known

    def _asks_remedy(self, text: str) -> bool:
        """A clause that asks what is done about it (REMEDY in a question): 「火龙果坏了一个 要不要寄回去」,
        not a review that tells what was done (「虽然最后赔付了」, 「没想着拍照留证，发货前不检查吗」)."""
        return any((REMEDY.search(folded) or REMEDY.search(clause)) and REMEDY_ASKED.search(clause)
                   for clause in CLAUSES.findall(text) for folded in [self.fold(clause)])

    def match(self, text: str, limit: int = 3) -> list[Match]:
        if self.vectorizer is None or not text.strip():
            return []
        folded = self.fold(text)
        ids, weights, known = self._query(folded)
        asked = topics(folded)
        if len(ids) == 0 and not asked:
            return []
        if len(ids):
            # cosine, tempered by how much of the phrasing the message covers: 「收到了」 shares one word
            # with 「收到坏果怎么办」 and is not that question
            cosine = self.by_term[ids].T @ weights
            covered = self.squares_by_term[ids].T @ np.ones(len(ids))  # share of the phrasing's weight
            sims = np.asarray(cosine).ravel() * (0.5 + 0.5 * np.asarray(covered).ravel())
            best = np.maximum.reduceat(sims, self.starts)
        else:  # no word in common, but the topic is named (「店开在哪儿的 有门面伐」)
            best = np.zeros(len(self.entries))
        if asked:
            # naming the entry's topic closes part of the remaining gap: 「礼品包装要加钱吗」 shares
            # few words with 「有礼盒包装吗」 but is about the same thing
            share = self.entry_topics @ np.array([t in asked for t in self.topic_names], dtype=float) / len(asked)
            best = best + TOPIC_WEIGHT * share * (1 - best)
        if subjects(folded) - self.subjects:  # 「配送进度怎么查」 is about tracking, not where we deliver
            best = best * SUBJECT_WEIGHT
        told = best
        if reports(text):  # 「草莓烂了」, 「已付款」: something happened, nothing is asked
            best = best * REPORT_WEIGHT
        # for a message the NLU is sure is something else, the entry must explain all of it: words no
        # entry uses count against it (「我付了钱怎么没发货」 is not a payment question)
        whole = best * known
        order = np.argsort(-best)[:limit]
        named = frozenset(asked | ({"问售后"} if "坏果" in folded and self._asks_remedy(text) else set()))
        return [Match(self.entries[i], round(float(best[i]), 4), round(float(whole[i]), 4), named,
                      round(float(told[i]), 4))
                for i in order if best[i] > 0]


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
