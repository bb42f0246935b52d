"""Feedback sentiment across categories, and analysis speed.

    .venv/bin/python bench/feedback_quality.py     # needs ../shared/data (or SHARED_DATA=DIR)

Prints the leave-one-category-out table of bench/feedback_quality.md (train on three categories of
the shared reviews, test on the fourth), fruit+dairy held out 20% with every category in training,
and milliseconds per review for the shipped analysis.
"""
from __future__ import annotations

import random
import sys
from collections import Counter
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    from bot.feedback.analysis import analyze
    from bot.feedback.crosscheck import evaluate, leave_one_out, table
    from bot.feedback.learned import load
    from bot.feedback.training import fit, read_labelled
    from evals import SHARED_DATA

    rows = read_labelled(sorted(SHARED_DATA.glob("*_reviews.csv")))
    print(f"{len(rows)} labelled reviews from {SHARED_DATA}\n")
    print(table(leave_one_out(rows)))

    random.seed(7)
    shuffled = random.sample(rows, len(rows))
    seen = [r for r in shuffled if r[0] in ("水果", "蒙牛")]
    test = seen[: len(seen) // 5]
    held = set(id(r) for r in test)
    result = evaluate(fit([r for r in shuffled if id(r) not in held]), test)
    print(f"\nfruit+dairy, 20% held out ({len(test)} reviews), trained on the rest and books+hotels: " +
          ", ".join(f"{v} {result[v]['accuracy']:.3f}" for v in ("lexicon", "learned_review", "shipped")) +
          f" (shipped neutral {result['shipped']['neutral_share']:.1%})")

    load()
    found: Counter = Counter()
    started = time.perf_counter()
    for category, _, text in rows:
        found[category] += bool(analyze(text).aspects)
    ms = (time.perf_counter() - started) * 1000 / len(rows)
    print(f"\nshipped analysis: {ms:.2f} ms per review on average over {len(rows)} reviews")
    totals = Counter(c for c, _, _ in rows)
    print("reviews with an aspect found: " + ", ".join(f"{c} {found[c] / totals[c]:.1%}" for c in sorted(totals)))
    print_hand_labelled()


def print_hand_labelled() -> None:
    """Figures on the repository's own hand-written, hand-labelled files (no shared data needed)."""
    import csv

    from bot.feedback.lexicon import ASPECTS
    from bot.feedback.quality import aspect_quality
    from bot.tickets.classify import category_of, priority_of

    data = ROOT / "tests" / "data"
    q = aspect_quality(data / "aspect_clauses_retail.csv", column="clause")
    print(f"\naspects, 301 written retail clauses: precision {q['precision']:.3f}, recall {q['recall']:.3f}")
    for code, (tp, fp, fn) in sorted(q["per_aspect"].items()):
        print(f"  {code:<13} P {tp / ((tp + fp) or 1):.2f}  R {tp / ((tp + fn) or 1):.2f}  (n={tp + fn})")
    import tempfile

    from evals import SHARED_DATA
    from evals.samples import aspect_labels

    if (SHARED_DATA / "fruit_dairy_reviews.csv").is_file():
        with tempfile.TemporaryDirectory() as tmp:
            labels = aspect_labels(SHARED_DATA / "fruit_dairy_reviews.csv", Path(tmp) / "labels.csv")
            q = aspect_quality(labels, codes=ASPECTS[:10])
        print(f"aspects, 200 fruit/dairy reviews (original codes): precision {q['precision']:.3f}, "
              f"recall {q['recall']:.3f}")
    from bot.feedback.analysis import analyze

    for name in ("reviews_other_goods_156.csv", "reviews_other_goods_b_64.csv", "reviews_other_goods_c_172.csv",
                 "reviews_other_goods_d_72.csv"):
        reviews = list(csv.DictReader(open(data / name, encoding="utf-8")))
        results = [analyze(r["review"]) for r in reviews]
        right = sum(a.sentiment == ("positive" if r["label"] == "1" else "negative") for a, r in zip(results, reviews))
        neutral = sum(a.sentiment == "neutral" for a in results)
        print(f"written reviews of other goods, {name} (optimistic): sentiment {right / len(reviews):.3f}, "
              f"neutral {neutral / len(reviews):.1%}, aspect found {sum(bool(a.aspects) for a in results) / len(reviews):.3f}")
    for name in ("complaints_100.csv", "complaints_holdout_30.csv", "complaints_holdout_b_48.csv", "complaints_holdout_c_36.csv"):
        rows = list(csv.DictReader(open(data / name, encoding="utf-8")))
        cats = [category_of(r["text"]) for r in rows]
        c = sum(a == r["category"] for a, r in zip(cats, rows)) / len(rows)
        p = sum(priority_of(r["text"], a) == r["priority"] for a, r in zip(cats, rows)) / len(rows)
        print(f"tickets, {name}: category {c:.2f}, priority {p:.2f}")


if __name__ == "__main__":
    print_hand_labelled() if "--hand" in sys.argv else main()
