"""The shop's one clock. Every "what time is it" in the code comes from here, so a test can set the
time for the whole process and a test that passes today passes next year.

Times are stored as naive UTC (the database convention); customers, deadlines, business hours and
"today" are the shop's local time (`TIMEZONE`, Asia/Shanghai by default), whose day starts at local
midnight, not at UTC midnight."""
from __future__ import annotations

import datetime as dt
import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator
from zoneinfo import ZoneInfo

UTC = dt.timezone.utc
WEEKDAYS = "一二三四五六日"
_zone = ZoneInfo("Asia/Shanghai")
_source: Callable[[], float] = time.time  # seconds since the epoch


def configure(timezone: str) -> None:
    """The shop's zone, from the config when the app is created (one shop per process)."""
    global _zone
    _zone = ZoneInfo(timezone)


def zone() -> ZoneInfo:
    return _zone


def timestamp() -> float:
    return _source()


def now() -> dt.datetime:
    """Aware UTC."""
    return dt.datetime.fromtimestamp(_source(), UTC)


def utcnow() -> dt.datetime:
    """Naive UTC, as every time column stores it."""
    return now().replace(tzinfo=None)


def local_now() -> dt.datetime:
    return now().astimezone(_zone)


def today() -> dt.date:
    """The shop's date: after local midnight it is tomorrow, whatever UTC says."""
    return local_now().date()


def to_local(moment: dt.datetime) -> dt.datetime:
    """A stored (naive UTC) or aware time in the shop's zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(_zone)


def to_utc_naive(moment: dt.datetime) -> dt.datetime:
    """A shop-local (naive means shop-local) or aware time as stored."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_zone)
    return moment.astimezone(UTC).replace(tzinfo=None)


def local_midnight(day: dt.date) -> dt.datetime:
    """Start of a shop day, as stored (naive UTC)."""
    return to_utc_naive(dt.datetime.combine(day, dt.time()))


def local_today(moment: dt.datetime | None = None) -> dt.date:
    return to_local(moment).date() if moment is not None else today()


class _Frozen:
    """A settable clock for tests: stands still until moved."""

    def __init__(self, at: float) -> None:
        self._at = at
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return self._at

    def move_to(self, moment: dt.datetime) -> None:
        self._at = _epoch(moment)

    def tick(self, seconds: float) -> None:
        with self._lock:
            self._at += seconds


class _Offset:
    """Real time, shifted: seconds still pass (timeouts, TTLs), the calendar is elsewhere."""

    def __init__(self, moment: dt.datetime) -> None:
        self.offset = _epoch(moment) - time.time()

    def __call__(self) -> float:
        return time.time() + self.offset


def _epoch(moment: dt.datetime) -> float:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_zone)
    return moment.timestamp()


@contextmanager
def frozen(moment: dt.datetime) -> Iterator[_Frozen]:
    """Stop the clock at `moment` (naive means shop-local) for the block."""
    yield from _using(_Frozen(_epoch(moment)))


@contextmanager
def shifted(moment: dt.datetime) -> Iterator[_Offset]:
    """Let the clock run from `moment` (naive means shop-local) for the block."""
    yield from _using(_Offset(moment))


def _using(source):
    global _source
    previous, _source = _source, source
    try:
        yield source
    finally:
        _source = previous


def iso_local(utc_naive: dt.datetime | None) -> str | None:
    return to_local(utc_naive).isoformat() if utc_naive else None


def say_deadline(utc_naive: dt.datetime, now_: dt.datetime | None = None) -> str:
    """「今天/明天 20:00」, 「周五 20:00」 within a week, else 「11月30日 20:00」, by shop days."""
    when = to_local(utc_naive)
    days = (when.date() - to_local(now_ or now()).date()).days
    at = when.strftime("%H:%M")
    if days == 0:
        return f"今天 {at}"
    if days == 1:
        return f"明天 {at}"
    if 0 < days < 7:
        return f"周{WEEKDAYS[when.weekday()]} {at}"
    return f"{when.month}月{when.day}日 {at}"
