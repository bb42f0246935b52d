"""The round outlook on exact rounds: steady joins give a probability that rises as the round nears
its minimum; reached and ended rounds are certain; nothing falls outside [0, 1]."""
import datetime as dt
from types import SimpleNamespace as NS

import pytest

from bot.forecast.outlook import outlook, say

pytestmark = pytest.mark.timeless
T0 = dt.datetime(2026, 3, 2, 1, 0)  # naive UTC, as stored


def round_(**kw):
    base = dict(status="open", min_total=20, min_participants=None, cap=None, per_person_max=5,
                created_at=T0, deadline=T0 + dt.timedelta(hours=72), entries=[])
    return NS(**{**base, **kw})


def entry(hours: float, qty: float = 2, status: str = "joined"):
    return NS(status=status, quantity=qty, created_at=T0 + dt.timedelta(hours=hours))


def test_steady_joins_raise_the_probability_as_the_round_nears_its_minimum():
    r, entries, seen = round_(), [], []
    for i in range(1, 10):  # 2 斤 every 4 hours: 18 of 20 after 36 hours
        entries.append(entry(4 * i))
        seen.append(outlook(r, T0 + dt.timedelta(hours=4 * i), entries)["probability"])
    assert all(b > a for a, b in zip(seen, seen[1:])), seen
    assert seen[0] < 0.6 and seen[-1] > 0.95
    entries.append(entry(40))
    done = outlook(r, T0 + dt.timedelta(hours=40), entries)
    assert done["probability"] == 1.0 and done["expected_total"] >= 20


def test_expected_total_projects_the_join_rate_and_respects_the_cap():
    entries = [entry(h, 2) for h in (2, 4, 6, 8, 10, 12)]  # 12 斤 in 12 hours
    o = outlook(round_(), T0 + dt.timedelta(hours=12), entries)
    assert 12 < o["expected_total"] < 12 + 60 * 2 * 1.0  # some more joins, at most one an hour
    capped = outlook(round_(cap=25), T0 + dt.timedelta(hours=12), entries)
    assert capped["expected_total"] <= 25


def test_a_quiet_round_with_little_time_left_is_unlikely():
    o = outlook(round_(), T0 + dt.timedelta(hours=70), [entry(1, 2)])
    assert o["probability"] < 0.1


@pytest.mark.parametrize("status,total,expected", [("cancelled", 4, 0.0), ("closed", 30, 1.0),
                                                   ("closed", 4, 0.0), ("confirmed", 20, 1.0)])
def test_ended_rounds_are_certain(status, total, expected):
    o = outlook(round_(status=status), T0 + dt.timedelta(hours=80), [entry(1, total)])
    assert o["probability"] == expected and o["expected_total"] == total


def test_participants_minimum_counts_too():
    r = round_(min_total=2, min_participants=5)
    o = outlook(r, T0 + dt.timedelta(hours=1), [entry(0.5, 4)])
    assert o["probability"] < 1.0
    assert outlook(r, T0 + dt.timedelta(hours=1), [entry(0.2 * i, 1) for i in range(1, 6)])["probability"] == 1.0


def test_the_merchant_wording():
    o = {"probability": 0.78, "expected_total": 26.0, "reach_at": "2026-03-05T10:00:00+08:00"}
    assert say(o, "斤", T0) == "预计周四成团，概率约 80%（预计共 26 斤）"
    assert say({"probability": 1.0, "expected_total": 30.0, "reach_at": None}, "斤", T0).startswith("已达成团条件")


def test_a_deadline_far_away_is_answered_at_once():
    """A round open for years (an API client's 2099 deadline) must not sum millions of terms."""
    import time

    r = round_(deadline=T0 + dt.timedelta(days=365 * 70))
    started = time.monotonic()
    o = outlook(r, T0 + dt.timedelta(hours=2), [entry(1, 2)])
    assert time.monotonic() - started < 2.0
    assert o["probability"] > 0.99 and o["expected_total"] > 20
    assert outlook(round_(deadline=T0 + dt.timedelta(days=365 * 70), cap=50), T0 + dt.timedelta(hours=2),
                   [entry(1, 2)])["expected_total"] == 50
