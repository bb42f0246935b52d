"""Build the learned sentiment model from labelled review CSVs (`make feedback-model`).

    python -m bot.feedback.training [CSV ...]   # default: every *_reviews.csv in SHARED_DATA

Logistic regression on binary character n-grams with strong regularisation (C=0.3) and every
category weighted equally: measured leave-one-category-out (bench/feedback_quality.md), that is
what carries over best to goods the model never saw. scikit-learn comes with Rasa; it is needed
only here, never at run time.
"""
from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from pathlib import Path

from ..nlu.normalize import normalize
from .learned import MODEL_FILE, LinearModel, features, mean_vector

C = 0.3
# The word-vector direction: logistic regression on each review's mean word vector, every category
# weighted equally, with the directions between the categories' mean vectors projected out first.
# Leave-one-category-out, added to a review's score at analysis.VECTOR_WEIGHT (bench/feedback_quality.md,
# seventh pass): C 0.1 / 1 / 10 → mean 0.8763 / 0.8774 / 0.8773; without the projection it cost 书籍 0.5-1.5 points.
VECTOR_C = 1.0
MIN_DF = 3
KEEP_ABOVE = 0.002  # smaller weights change no verdict measurably and double the file


def read_labelled(paths: list[Path]) -> list[tuple[str, int, str]]:
    """(category, label, normalised review) for rows labelled 0 or 1."""
    rows = []
    for path in paths:
        with open(path, encoding="utf-8-sig", newline="") as f:
            for r in csv.DictReader(f):
                if r.get("label", "").strip() in ("0", "1") and r.get("review"):
                    rows.append((r["category"].strip(), int(r["label"]), normalize(r["review"])))
    return rows


def fit(rows: list[tuple[str, int, str]], c: float = C, meta: dict | None = None) -> LinearModel:
    import numpy as np
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = CountVectorizer(analyzer=lambda t: list(features(t)), binary=True, min_df=MIN_DF)
    x = vec.fit_transform([t for _, _, t in rows])
    y = np.array([label for _, label, _ in rows])
    per_category = Counter(cat for cat, _, _ in rows)
    weight = np.array([len(rows) / (len(per_category) * per_category[cat]) for cat, _, _ in rows])
    clf = LogisticRegression(C=c, max_iter=3000).fit(x, y, sample_weight=weight)
    coef = clf.coef_[0]
    weights = {f: round(float(coef[i]), 4) for f, i in vec.vocabulary_.items() if abs(coef[i]) >= KEEP_ABOVE}
    return LinearModel(weights, round(float(clf.intercept_[0]), 4),
                       {"C": c, "min_df": MIN_DF, "categories": dict(per_category), **(meta or {})},
                       vector_direction(rows, weight))


def vector_direction(rows: list[tuple[str, int, str]], weight, c: float = VECTOR_C) -> list[float] | None:
    """Weights over a review's mean word vector that say positive or negative and not which category:
    a category's reviews share a topic (fruit, rooms, books), and a direction fitted on the training
    categories' topics reads an unseen category's topic as a verdict (书籍 lost 0.5-1.5 points before
    the projection). None without the vectors."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from ..vectors import VectorsMissing, word_vectors

    try:
        vectors = word_vectors()
    except VectorsMissing:
        return None
    zero = np.zeros(vectors.dim, dtype=np.float32)
    x = np.array([v if (v := mean_vector(t, vectors)) is not None else zero for _, _, t in rows], dtype=np.float64)
    y = np.array([label for _, label, _ in rows])
    cats = sorted({cat for cat, _, _ in rows})
    if len(set(y)) < 2:
        return None
    centre = x.mean(axis=0)
    offsets = np.array([x[[i for i, r in enumerate(rows) if r[0] == cat]].mean(axis=0) - centre for cat in cats])
    u, s, _ = np.linalg.svd(offsets.T, full_matrices=False)
    basis = u[:, s > 1e-6 * s.max()]  # columns span the categories' differences
    x = x - (x @ basis) @ basis.T
    w = LogisticRegression(C=c, max_iter=2000).fit(x, y, sample_weight=weight).coef_[0]
    w = w - basis @ (basis.T @ w)
    return [round(float(v), 5) for v in w]


def main(argv: list[str]) -> None:
    from evals import SHARED_DATA

    paths = [Path(p) for p in argv] or sorted(SHARED_DATA.glob("*_reviews.csv"))
    if not paths:
        sys.exit(f"no labelled reviews in {SHARED_DATA} (set SHARED_DATA=/path/to/data)")
    model = fit(read_labelled(paths), meta={"source": [p.name for p in paths]})
    MODEL_FILE.parent.mkdir(parents=True, exist_ok=True)
    MODEL_FILE.write_text(json.dumps(model.to_json(), ensure_ascii=False, separators=(",", ":"), sort_keys=True),
                          encoding="utf-8")
    print(f"{MODEL_FILE}: {len(model.weights)} weights, {MODEL_FILE.stat().st_size / 1e6:.1f} MB, "
          f"from {model.meta['categories']}")


if __name__ == "__main__":
    main(sys.argv[1:])
