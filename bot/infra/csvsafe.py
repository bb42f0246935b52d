"""Every CSV the project writes goes through here, so that no cell opens as a formula.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and, in some, after a leading tab or
carriage return) as a formula: a customer who writes `=HYPERLINK(...)` into a review would otherwise
get a live formula into the merchant's Excel (CSV injection). Such cells are written with a leading
apostrophe, which spreadsheets show as text. Cells that already start with apostrophes before one of
those characters get one more, so `restore` gives back exactly what was written: our own importers
(the FAQ import) read our own exports unchanged. Numbers are not text and are written as they are.
`tests/infra/test_csvsafe.py` fails when a module writes CSV without this module.
"""
from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

_FORMULA = re.compile(r"'*[=+\-@\t\r]")


def cell(value: Any) -> Any:
    """The value as a spreadsheet will show it, never run it."""
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value


def restore(value: str) -> str:
    """The text that `cell` was given (for reading back a file we wrote)."""
    if value.startswith("'") and _FORMULA.match(value, 1):
        return value[1:]
    return value


class Writer:
    """`csv.writer` whose every row is neutralised."""

    def __init__(self, f: IO[str], **options: Any) -> None:
        self._writer = csv.writer(f, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class DictWriter:
    """`csv.DictWriter` whose every row is neutralised (the header is ours and written as given)."""

    def __init__(self, f: IO[str], fieldnames: Sequence[str], **options: Any) -> None:
        self._writer = csv.DictWriter(f, fieldnames=fieldnames, **options)

    def writeheader(self) -> Any:
        return self._writer.writeheader()

    def writerow(self, row: Mapping[str, Any]) -> Any:
        return self._writer.writerow({k: cell(v) for k, v in row.items()})


def writer(f: IO[str], **options: Any) -> Writer:
    return Writer(f, **options)
