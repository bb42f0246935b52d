"""Sentiment measured on categories the model never saw: train on all categories but one, test on
that one (leave-one-category-out), for the rules alone, the learned model alone and the shipped
combination. A merchant's goods are usually ones we never saw, so this is the figure to choose by.
Used by bench/feedback_quality.py and the `make eval` gate."""
from __future__ import annotations

import time
from collections import defaultdict

from .analysis import analyze
from .learned import LinearModel, using
from .training import fit

Row = tuple[str, int, str]
VARIANTS = ("lexicon", "learned_review", "learned_clauses", "shipped")


def _verdict(score: float) -> str:
    return "positive" if score > 0 else "negative" if score < 0 else "neutral"


def evaluate(model: LinearModel, rows: list[Row]) -> dict[str, dict]:
    """Accuracy (neutral counts as wrong) and neutral share of each variant on labelled rows."""
    right: dict[str, int] = defaultdict(int)
    neutral: dict[str, int] = defaultdict(int)
    started = time.perf_counter()
    for _, label, text in rows:
        gold = "positive" if label == 1 else "negative"
        with using(model):
            shipped = analyze(text)
        verdicts = {"shipped": shipped.sentiment, "learned_review": _verdict(model.score(text)),
                    "learned_clauses": _verdict(model.bias + sum(model.clause_score(f.text) for f in shipped.findings))}
        with using(LinearModel({}, 0.0, {})):
            verdicts["lexicon"] = analyze(text).sentiment
        for name, verdict in verdicts.items():
            right[name] += verdict == gold
            neutral[name] += verdict == "neutral"
    n = len(rows) or 1
    out = {v: {"accuracy": right[v] / n, "neutral_share": neutral[v] / n} for v in VARIANTS}
    out["_seconds"] = time.perf_counter() - started
    return out


def leave_one_out(rows: list[Row]) -> dict[str, dict]:
    """{held-out category: evaluate(model trained on the others, its rows)}."""
    results = {}
    for held in sorted({c for c, _, _ in rows}):
        train = [r for r in rows if r[0] != held]
        results[held] = evaluate(fit(train), [r for r in rows if r[0] == held])
    return results


def table(results: dict[str, dict]) -> str:
    """A markdown table: one row per variant, one column per held-out category, then the mean."""
    cats = list(results)
    lines = ["| variant | " + " | ".join(f"{c} (unseen)" for c in cats) + " | mean | neutral |",
             "|---" * (len(cats) + 3) + "|"]
    for v in VARIANTS:
        accs = [results[c][v]["accuracy"] for c in cats]
        neutral = sum(results[c][v]["neutral_share"] for c in cats) / len(cats)
        lines.append(f"| {v} | " + " | ".join(f"{a:.3f}" for a in accs) + f" | {sum(accs) / len(accs):.3f} | {neutral:.1%} |")
    return "\n".join(lines)
