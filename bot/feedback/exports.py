"""CSV and JSON Lines, streamed row by row so a large export never sits in memory."""
from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator

from ..infra import csvsafe
from .queries import FIELDS


def jsonl_lines(records: Iterable[dict]) -> Iterator[str]:
    for record in records:
        yield json.dumps(record, ensure_ascii=False) + "\n"


def csv_lines(records: Iterable[dict]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csvsafe.DictWriter(buffer, fieldnames=FIELDS, extrasaction="ignore")
    writer.writeheader()
    for record in records:
        writer.writerow(record)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def stream(services, stmt, chunk: int = 500) -> Iterator[dict]:
    """Public dicts for every row of `stmt`, read in chunks."""
    from .queries import public

    with services.db.session() as s:
        for record in s.execute(stmt.execution_options(yield_per=chunk)).scalars():
            yield public(record)
