"""The fixed samples of the shared review file that quality figures are measured on. The repository
keeps only row numbers and our own labels; the review text is read from the shared file when the
figures are made, so no third-party row is ever copied into the repository."""
from __future__ import annotations

import csv
from pathlib import Path

from bot.infra import csvsafe

HERE = Path(__file__).resolve().parent / "data"
FRUIT_DAIRY = "fruit_dairy_reviews.csv"


def _rows(shared_csv: Path) -> list[dict]:
    with open(shared_csv, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def aspect_labels(shared_csv: Path, out: Path) -> Path:
    """200 fruit and dairy reviews with our aspect labels (the ten original codes) as review,aspects."""
    rows = _rows(shared_csv)
    with open(HERE / "fruit_aspect_labels.csv", encoding="utf-8", newline="") as f, \
            open(out, "w", encoding="utf-8", newline="") as g:
        writer = csvsafe.writer(g)
        writer.writerow(["review", "aspects"])
        for label in csv.DictReader(f):
            writer.writerow([rows[int(label["source_row"])]["review"], label["aspects"]])
    return out


def sentiment_sample(shared_csv: Path, out: Path) -> Path:
    """602 labelled fruit and dairy reviews (the fixed sample) as category,label,review."""
    rows = _rows(shared_csv)
    numbers = [int(line) for line in (HERE / "sentiment_sample_rows.txt").read_text().split("\n")
               if line.strip() and not line.startswith("#")]
    with open(out, "w", encoding="utf-8", newline="") as g:
        writer = csvsafe.writer(g)
        writer.writerow(["category", "label", "review"])
        for n in numbers:
            writer.writerow([rows[n]["category"], rows[n]["label"], rows[n]["review"]])
    return out
