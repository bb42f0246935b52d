"""Import speed and quality of the feedback pipeline on the shared reviews.

    .venv/bin/python bench/feedback_import.py [PATH]   # default: ../shared/data/fruit_dairy_reviews.csv beside the repository

Migrates a fresh SQLite database (or DATABASE_URL), imports the file through the same code as
`flask --app bot feedback import`, and prints reviews/s, then the sentiment accuracy and aspect
figures against the labels and the 200 hand-labelled reviews (evals/data/fruit_aspect_labels.csv).
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    from evals import SHARED_DATA

    path = sys.argv[1] if len(sys.argv) > 1 else str(SHARED_DATA / "fruit_dairy_reviews.csv")
    from bot import create_app
    from bot.demo import seed
    from bot.feedback.importer import import_reviews
    from bot.feedback.quality import aspect_quality, sentiment_quality
    from bot.infra.migrate import upgrade

    tmp = tempfile.mkdtemp()
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": tmp, "NLU_LOAD_IN_BACKGROUND": False,
                      "MODEL_PATH": str(Path(tmp) / "no-model")})
    svc = app.extensions["xiaoer"]
    seed(svc)
    started = time.perf_counter()
    result = import_reviews(svc, path, again=True)
    seconds = time.perf_counter() - started
    print(f"import: {result.reviews} reviews -> {result.records} records in {seconds:.1f} s "
          f"({result.reviews / seconds:.0f} reviews/s) on {svc.db.engine.dialect.name}")
    q = sentiment_quality(path)
    print(f"sentiment accuracy {q.sentiment_accuracy:.3f} (neutral verdicts {q.neutral_share:.1%}, counted wrong); "
          f"reviews with at least one aspect {q.aspect_share:.1%}")
    from bot.feedback.lexicon import ASPECTS

    from evals.samples import aspect_labels

    with tempfile.TemporaryDirectory() as tmp:  # our labels joined with the shared text, never stored
        labels = aspect_labels(SHARED_DATA / "fruit_dairy_reviews.csv", Path(tmp) / "labels.csv")
        a = aspect_quality(labels, codes=ASPECTS[:10])  # its labels' codes
    print(f"aspects on 200 hand-labelled reviews: precision {a['precision']:.3f}, recall {a['recall']:.3f}, "
          f"F1 {a['f1']:.3f}")


if __name__ == "__main__":
    main()
