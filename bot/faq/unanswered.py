"""Questions the bot could not answer, kept (masked) and grouped by likeness, so the merchant sees
what customers ask most and teaches the bot those first."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .. import clock
from ..feedback.privacy import mask
from ..models import UnansweredQuestion
from .words import terms

_PLACEHOLDER = re.compile(r"\[[^\]]{1,8}\]")
GROUP_SCORE = 0.25  # two questions this alike are one group
RECENT = 2000  # grouping looks at this many of the newest questions


_INSERT = UnansweredQuestion.__table__.insert()


def record(s: Session, text: str, reason: str) -> None:
    """Kept in the caller's transaction. A Core INSERT, not an object for the unit of work: out-of-scope
    words and unknown products are recorded per message (issue 17)."""
    text = mask((text or "").strip())[:500]
    if text:
        s.execute(_INSERT, {"text": text, "reason": reason, "created_at": clock.utcnow()})


@dataclass
class Group:
    ids: list[int] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    newest: object = None

    @property
    def count(self) -> int:
        return len(self.ids)

    @property
    def title(self) -> str:
        return self.examples[0]

    def as_json(self) -> dict:
        return {"title": self.title, "count": self.count, "examples": self.examples[:5],
                "ids": self.ids, "newest_at": clock.iso_local(self.newest)}


def groups(s: Session) -> list[Group]:
    """Greedy grouping, newest first: each question joins the group of the question it is most
    alike (cosine over the FAQ's own terms, single link), else starts one. Sorted by size, then
    recency."""
    rows = list(s.execute(select(UnansweredQuestion).where(UnansweredQuestion.taught_entry_id.is_(None))
                          .order_by(UnansweredQuestion.created_at.desc(), UnansweredQuestion.id.desc())
                          .limit(RECENT)).scalars())
    if not rows:
        return []
    try:
        # the placeholders privacy masking left ([电话]) say nothing about the question
        vectors = TfidfVectorizer(analyzer=terms, sublinear_tf=True).fit_transform(
            [_PLACEHOLDER.sub("", r.text) for r in rows])
        alike = (vectors @ vectors.T).toarray()
    except ValueError:  # nothing but stop words and punctuation
        alike = np.eye(len(rows))
    found: list[Group] = []
    group_of: list[int] = []  # group index of each row placed so far
    for i, row in enumerate(rows):
        j = int(np.argmax(alike[i, :i])) if i else -1  # the most alike question seen (single link)
        if j >= 0 and alike[i, j] >= GROUP_SCORE:
            g = found[group_of[j]]
            group_of.append(group_of[j])
            g.ids.append(row.id)
            if row.text not in g.examples:
                g.examples.append(row.text)
        else:
            group_of.append(len(found))
            found.append(Group([row.id], [row.text], row.created_at))
    return sorted(found, key=lambda g: (-g.count, -g.newest.timestamp()))


def mark_taught(s: Session, ids: list[int], entry_id: int) -> None:
    s.execute(update(UnansweredQuestion).where(UnansweredQuestion.id.in_(ids)).values(taught_entry_id=entry_id))
