"""Real customers' opinions as a check on the classifier: every row of the shared review file is
an opinion or a complaint about a product, so the bot should route it to `feedback` or
`complaint`. The share it does is a gate of `make eval` (the file is third-party data that lives
outside the repository, so its path is always given)."""
from __future__ import annotations

import csv
import random
from collections import Counter
from pathlib import Path

OPINION_INTENTS = ("feedback", "complaint")


def load_reviews(path: str | Path, sample: int | None = None, seed: int = 7) -> list[str]:
    with open(path, encoding="utf-8", newline="") as f:
        texts = [row["review"].strip() for row in csv.DictReader(f) if (row.get("review") or "").strip()]
    if sample is not None and sample < len(texts):
        texts = random.Random(seed).sample(texts, sample)
    return texts


def route(understanding, texts: list[str]) -> dict:
    """Share routed to feedback or complaint, and where the rest went (intent -> count)."""
    counts = Counter(understanding.parse(t).intent for t in texts)
    routed = sum(counts[i] for i in OPINION_INTENTS)
    return {"reviews": len(texts), "share": round(routed / len(texts), 4) if texts else 0.0,
            "intents": dict(counts.most_common()),
            "rest": {k: v for k, v in counts.most_common() if k not in OPINION_INTENTS}}
