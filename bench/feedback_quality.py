"""Feedback sentiment across categories, and analysis speed.

    .venv/bin/python bench/feedback_quality.py     # needs ../shared/data (or SHARED_DATA=DIR)

Prints the leave-one-category-out table of bench/feedback_quality.md (train on three categories of
the shared reviews, test on the fourth), fruit+dairy held out 20% with every category in training,
and milliseconds per review for the shipped analysis.
"""
from __future__ import annotations

import random
import sys
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
    texts = [t for _, _, t in rows]
    started = time.perf_counter()
    for text in texts:
        analyze(text)
    ms = (time.perf_counter() - started) * 1000 / len(texts)
    print(f"\nshipped analysis: {ms:.2f} ms per review on average over {len(texts)} reviews")


if __name__ == "__main__":
    main()
