"""SLA clocks in business hours: deadlines skip nights and closed days, so a complaint at 23:00
is not overdue by 08:00. Times in the database are naive UTC; opening hours are local."""
from __future__ import annotations

import datetime as dt

from .. import clock


def parse_targets(spec: str) -> dict[str, tuple[float, float]]:
    """"urgent=1/8,..." -> {"urgent": (first response hours, resolution hours)}."""
    targets = {}
    for part in spec.split(","):
        name, _, hours = part.strip().partition("=")
        first, _, resolve = hours.partition("/")
        targets[name.strip()] = (float(first), float(resolve))
    return targets


class BusinessHours:
    def __init__(self, hours: str = "09:00-18:00", days: str = "123456") -> None:
        start, _, end = hours.partition("-")
        self.open = dt.time.fromisoformat(start.strip())
        self.close = dt.time.fromisoformat(end.strip())
        if self.close <= self.open:
            raise ValueError(f"business hours must open before they close: {hours!r}")
        self.days = {int(d) for d in days if d.isdigit()}  # ISO weekdays, 1 = Monday
        if not self.days:
            raise ValueError("at least one business day is needed")

    @property
    def tz(self):
        return clock.zone()  # the shop's zone (TIMEZONE): one definition for the whole app

    @staticmethod
    def _local(moment: dt.datetime) -> dt.datetime:
        return clock.to_local(moment)

    @staticmethod
    def _utc(moment: dt.datetime) -> dt.datetime:
        return clock.to_utc_naive(moment)

    def _window(self, day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
        if day.isoweekday() not in self.days:
            return None
        return (dt.datetime.combine(day, self.open, self.tz), dt.datetime.combine(day, self.close, self.tz))

    def add(self, start: dt.datetime, seconds: float) -> dt.datetime:
        """The moment `seconds` of business time after `start`."""
        cursor, remaining = self._local(start), max(seconds, 0)
        for _ in range(3700):  # ten years of days: a misconfiguration cannot loop forever
            window = self._window(cursor.date())
            if window and cursor < window[1]:
                begin = max(cursor, window[0])
                available = (window[1] - begin).total_seconds()
                if remaining <= available:
                    return self._utc(begin + dt.timedelta(seconds=remaining))
                remaining -= available
            cursor = dt.datetime.combine(cursor.date() + dt.timedelta(days=1), dt.time(0), self.tz)
        raise ValueError("SLA target beyond ten years of business hours")

    def between(self, start: dt.datetime, end: dt.datetime) -> float:
        """Business seconds from start to end (0 when end is earlier)."""
        a, b = self._local(start), self._local(end)
        total, day = 0.0, a.date()
        while day <= b.date():
            window = self._window(day)
            if window:
                lo, hi = max(a, window[0]), min(b, window[1])
                total += max((hi - lo).total_seconds(), 0)
            day += dt.timedelta(days=1)
        return total

    def describe_local(self, moment: dt.datetime) -> str:
        """For customers: 今天 15:30 / 明天 10:00 / 11月25日 10:00, in the shop's time zone."""
        local, today = self._local(moment), clock.today()
        days = (local.date() - today).days
        prefix = {0: "今天", 1: "明天", 2: "后天"}.get(days, f"{local.month}月{local.day}日")
        return f"{prefix} {local:%H:%M}"
