"""Deadlines are stored in UTC and spoken in the shop's time (China Standard Time, no DST)."""
from __future__ import annotations

import datetime as dt

LOCAL = dt.timezone(dt.timedelta(hours=8), "CST")
WEEKDAYS = "一二三四五六日"


def to_local(utc_naive: dt.datetime) -> dt.datetime:
    return utc_naive.replace(tzinfo=dt.timezone.utc).astimezone(LOCAL)


def to_utc_naive(local: dt.datetime) -> dt.datetime:
    if local.tzinfo is None:
        local = local.replace(tzinfo=LOCAL)
    return local.astimezone(dt.timezone.utc).replace(tzinfo=None)


def local_now() -> dt.datetime:
    return dt.datetime.now(LOCAL)


def say_deadline(utc_naive: dt.datetime, now: dt.datetime | None = None) -> str:
    """「周五 20:00」 within a week, else 「11月30日 20:00」."""
    when = to_local(utc_naive)
    now = now or local_now()
    days = (when.date() - now.date()).days
    clock = when.strftime("%H:%M")
    if days == 0:
        return f"今天 {clock}"
    if days == 1:
        return f"明天 {clock}"
    if 0 < days < 7:
        return f"周{WEEKDAYS[when.weekday()]} {clock}"
    return f"{when.month}月{when.day}日 {clock}"


def iso_local(utc_naive: dt.datetime | None) -> str | None:
    return to_local(utc_naive).isoformat() if utc_naive else None
