"""Measure the pipeline on labelled text: message sentiment accuracy, aspect coverage, and aspect
precision/recall against hand labels. Used by the tests (thresholds) and bench/feedback_quality.py."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from ..infra.csvsafe import restore
from .analysis import analyze


@dataclass
class Quality:
    reviews: int
    sentiment_accuracy: float
    neutral_share: float
    aspect_share: float


def sentiment_quality(path: str | Path) -> Quality:
    """Labels 1/0 against positive/negative; a neutral verdict counts as wrong (no free guesses)."""
    right = neutral = with_aspect = total = 0
    with open(path, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            analysis = analyze(restore(row["review"]))
            gold = "positive" if row["label"].strip() == "1" else "negative"
            right += analysis.sentiment == gold
            neutral += analysis.sentiment == "neutral"
            with_aspect += bool(analysis.aspects)
            total += 1
    return Quality(total, right / total, neutral / total, with_aspect / total)


def aspect_quality(path: str | Path, column: str = "review", codes: tuple[str, ...] | None = None) -> dict:
    """Micro precision/recall over (text, aspect) pairs; `other` is not an aspect found.
    `column` is `review` for whole reviews, `clause` for tests/data/aspect_clauses_retail.csv; `codes`
    limits both sides to the codes a file was labelled with (the 200 fruit/dairy labels predate `quality` etc.)."""
    tp = fp = fn = 0
    per: dict[str, list[int]] = {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            gold = {a for a in row["aspects"].split(";") if a}
            found = set(analyze(restore(row[column])).aspects)
            if codes:
                gold, found = gold & set(codes), found & set(codes)
            tp, fp, fn = tp + len(gold & found), fp + len(found - gold), fn + len(gold - found)
            for a in gold | found:
                c = per.setdefault(a, [0, 0, 0])
                c[0] += a in gold and a in found
                c[1] += a in found and a not in gold
                c[2] += a in gold and a not in found
    precision, recall = tp / ((tp + fp) or 1), tp / ((tp + fn) or 1)
    return {"precision": precision, "recall": recall, "f1": 2 * precision * recall / ((precision + recall) or 1),
            "per_aspect": per}
