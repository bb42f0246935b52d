"""`flask --app bot feedback analyze PATH`: how well the analysis reads a review file, without
writing anything. A merchant with their own labelled reviews can check it on their goods."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from .analysis import analyze

GOLD = {"1": "positive", "0": "negative"}


@dataclass
class Tally:
    reviews: int = 0
    labelled: int = 0
    right: int = 0
    neutral: int = 0
    with_aspect: int = 0
    lines: list[dict] = field(default_factory=list)

    def summary(self) -> dict:
        n = self.reviews or 1
        return {"reviews": self.reviews,
                "sentiment_accuracy": round(self.right / self.labelled, 4) if self.labelled else None,
                "aspect_found": round(self.with_aspect / n, 4), "neutral_share": round(self.neutral / n, 4)}


def analyse_rows(rows: list[tuple[int, str, str, str]], tally: Tally) -> Iterator[dict]:
    """One result per (line, category, label, review) row; a neutral verdict on a labelled row is wrong."""
    for line, category, label, review in rows:
        analysis = analyze(review)
        sentiment, aspects = analysis.sentiment, analysis.aspects
        tally.reviews += 1
        tally.neutral += sentiment == "neutral"
        tally.with_aspect += bool(aspects)
        if label in GOLD:
            tally.labelled += 1
            tally.right += sentiment == GOLD[label]
        yield {"line": line, "category": category, "label": int(label) if label in GOLD else None,
               "sentiment": sentiment, "aspects": aspects}
