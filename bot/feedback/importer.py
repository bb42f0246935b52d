"""Load past reviews (CSV: category,label,review) through the same pipeline as chat feedback.

All or nothing: the file is checked first; with bad rows nothing is written unless the caller
asks to skip them, and the good rows go in one transaction. A file's digest is remembered so
the same file does not count twice.
"""
from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from sqlalchemy import insert, select

from ..models import FeedbackRecord, utcnow
from .analysis import ProductMatcher, analyze
from .privacy import mask
from .records import rows_for

COLUMNS = ("category", "label", "review")
MAX_REVIEW = 2000


class ImportRefused(ValueError):
    """The file cannot be imported as it is; the message lists what to fix."""


@dataclass
class ImportResult:
    reviews: int = 0
    records: int = 0
    skipped: list[str] = field(default_factory=list)


def read_reviews(data: bytes) -> tuple[list[tuple[int, str, str]], list[str]]:
    """(line, category, review) rows and plain problems (line numbers as a spreadsheet shows them)."""
    rows, problems = read_labelled_reviews(data)
    return [(line, category, review) for line, category, _, review in rows], problems


def read_labelled_reviews(data: bytes) -> tuple[list[tuple[int, str, str, str]], list[str]]:
    """(line, category, label, review) rows, label "0", "1" or "", and plain problems."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused("the file is not UTF-8 text; save it as CSV UTF-8 and try again")
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        raise ImportRefused("the file is empty")
    if [h.strip().lower() for h in header] != list(COLUMNS):
        raise ImportRefused(f"the first line must be the header {','.join(COLUMNS)}, got {','.join(header)}")
    rows, problems = [], []
    for line, row in enumerate(reader, 2):
        if not row:
            continue
        if len(row) != 3:
            problems.append(f"line {line}: expected 3 columns (category,label,review), found {len(row)}")
        elif row[1].strip() not in ("0", "1", ""):
            problems.append(f"line {line}: label must be 0, 1 or empty, got {row[1]!r}")
        elif not row[2].strip():
            problems.append(f"line {line}: the review is empty")
        elif len(row[2]) > MAX_REVIEW:
            problems.append(f"line {line}: the review is longer than {MAX_REVIEW} characters")
        else:
            rows.append((line, row[0].strip(), row[1].strip(), row[2]))
    return rows, problems


def import_reviews(services, path: str | Path, skip_bad: bool = False, again: bool = False,
                   progress: Callable[[int], None] | None = None) -> ImportResult:
    data = Path(path).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    rows, problems = read_reviews(data)
    if problems and not skip_bad:
        shown = "\n  ".join(problems[:10]) + (f"\n  … and {len(problems) - 10} more" if len(problems) > 10 else "")
        raise ImportRefused(f"{len(problems)} bad rows, nothing imported (use --skip-bad to import the rest):\n  {shown}")
    if not rows:
        raise ImportRefused("no reviews to import")
    with services.db.session() as s:
        if not again and s.execute(select(FeedbackRecord.id).where(FeedbackRecord.batch == digest).limit(1)).first():
            raise ImportRefused("this file was imported before (use --again to import it a second time)")
    matcher = ProductMatcher(services.catalog())
    result, now, pending = ImportResult(reviews=len(rows), skipped=problems), utcnow(), []
    with services.db.session() as s:  # one transaction: a failure leaves nothing half-written
        for n, (_line, category, review) in enumerate(rows, 1):
            analysis = analyze(mask(review), matcher, product=category or None)
            pending += rows_for(analysis, "import", None, now, batch=digest)
            if len(pending) >= 2000:
                s.execute(insert(FeedbackRecord), pending)
                result.records += len(pending)
                pending = []
            if progress and n % 500 == 0:
                progress(500)
        if pending:
            s.execute(insert(FeedbackRecord), pending)
            result.records += len(pending)
    return result
