"""Mine candidate aspect words from the shared reviews: the words most frequent in judging clauses
that no aspect matches yet, per category. A person then files each candidate under an aspect code
(bot/feedback/ASPECTS.md) or rejects it; the lists in bot/feedback/lexicon.py are the result.

    .venv/bin/python bench/aspect_mining.py [TOP]      # needs ../shared/data (or SHARED_DATA=DIR)
"""
from __future__ import annotations

import logging
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    import jieba
    import jieba.posseg as pseg

    from bot.feedback.analysis import analyze
    from bot.feedback.training import read_labelled
    from evals import SHARED_DATA

    jieba.setLogLevel(logging.WARNING)
    top = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    rows = read_labelled(sorted(SHARED_DATA.glob("*_reviews.csv")))
    missed: dict[str, Counter] = defaultdict(Counter)
    uncovered: Counter = Counter()
    for category, _, text in rows:
        analysis = analyze(text)
        uncovered[category] += not analysis.aspects
        for f in analysis.findings:
            if f.sentiment != "neutral" and not f.aspects:
                for word, flag in pseg.cut(f.text):
                    if len(word) > 1 and flag[0] in "nva":
                        missed[category][f"{word}/{flag}"] += 1
    for category, counts in missed.items():
        total = sum(1 for c, _, _ in rows if c == category)
        print(f"\n{category}: {uncovered[category] / total:.1%} of reviews without an aspect; top words in "
              f"judging clauses without one:")
        print("  " + " ".join(f"{w}:{n}" for w, n in counts.most_common(top)))


if __name__ == "__main__":
    main()
