"""How an open round will end: the probability it reaches its minimum by the deadline, and the
expected total. For the merchant only (接龙名单, the API, the console), never told to customers:
it is an estimate, not a promise.

Joins arrive as a Poisson process whose rate is learned from the round so far (a Gamma posterior:
n joins in the hours since opening, with a weak prior of half a join in six hours), so future joins are
negative-binomial; each brings a quantity like those so far. The chance of reaching the minimum
sums, over the number of future joins, the chance that they bring enough (a normal approximation
of the sum of their quantities).
"""
from __future__ import annotations

import datetime as dt
import math

import numpy as np
from scipy.stats import nbinom, norm

from .. import clock

PRIOR_JOINS, PRIOR_HOURS = 0.5, 6.0
MAX_TERMS = 2000  # most future-join counts summed one by one


def _hours(delta: dt.timedelta) -> float:
    return delta.total_seconds() / 3600


def outlook(round_, now: dt.datetime | None = None, entries=None) -> dict | None:
    """{"probability", "expected_total", "reach_at"} for a round (naive-UTC times, as stored);
    `entries` defaults to the round's own (loaded in the caller's session)."""
    r = round_
    now = now or clock.utcnow()
    if now.tzinfo is not None:
        now = now.astimezone(dt.timezone.utc).replace(tzinfo=None)
    entries = r.entries if entries is None else entries
    joined = [e for e in entries if e.status == "joined"]
    total = float(sum(e.quantity for e in joined))
    count = len(joined)
    need = max(0.0, r.min_total - total)
    need_people = max(0, (r.min_participants or 0) - count)
    reached = need <= 0 and need_people <= 0
    if r.status not in ("open", "confirmed") or now >= r.deadline:
        done = reached or r.status in ("confirmed", "fulfilled") or (r.status == "closed" and reached)
        return {"probability": 1.0 if done else 0.0, "expected_total": _tidy(total), "reach_at": None}
    elapsed = max(_hours(now - r.created_at), 0.0)
    left = _hours(r.deadline - now)
    shape, rate = count + PRIOR_JOINS, elapsed + PRIOR_HOURS
    sizes = [float(e.quantity) for e in joined]
    if sizes:
        mean_size = sum(sizes) / len(sizes)
        var_size = sum((s - mean_size) ** 2 for s in sizes) / len(sizes)
    else:
        mean_size = (r.per_person_max or 4) / 2
        var_size = mean_size ** 2
    expected_joins = shape / rate * left
    expected = total + expected_joins * mean_size
    if r.cap:
        expected = min(expected, r.cap)
    probability = 1.0 if reached else _chance(shape, rate / (rate + left), need, need_people, mean_size, var_size)
    reach_at = None
    if reached:
        reach_at = clock.to_local(now).replace(microsecond=0).isoformat()
    elif expected_joins > 0 and mean_size > 0:
        hours = max(need / mean_size, need_people) / (shape / rate)
        if hours <= left:
            reach_at = clock.to_local(now + dt.timedelta(hours=hours)).replace(microsecond=0).isoformat()
    return {"probability": round(probability, 3), "expected_total": _tidy(expected), "reach_at": reach_at}


def _chance(shape: float, p: float, need: float, need_people: int, mean: float, var: float) -> float:
    """P(future joins bring at least `need` and at least `need_people` people). Summed over the
    number of joins (vectorised); when hundreds of joins are expected (a deadline months away), the
    chance of enough joins at the average quantity each."""
    dist = nbinom(shape, p)
    if float(dist.mean()) > MAX_TERMS / 4:
        joins_needed = max(need_people, math.ceil(need / mean) if mean > 0 and need > 0 else 0)
        return float(dist.sf(joins_needed - 1)) if joins_needed > 0 else 1.0
    top = min(int(dist.ppf(0.9999)) + 1, MAX_TERMS)
    k = np.arange(max(need_people, 1), top + 1)
    if k.size == 0:
        return 0.0
    if need <= 0:
        enough = np.ones(k.size)
    else:
        sd = np.sqrt(k * var)
        enough = norm.sf(need, loc=k * mean, scale=np.where(sd > 0, sd, 1.0)) if var > 0 else (k * mean >= need) * 1.0
    chance = float(np.sum(dist.pmf(k) * enough))
    return min(1.0, max(0.0, chance))


def _tidy(value: float) -> float:
    return round(value, 1)


def say(o: dict | None, unit: str, now: dt.datetime | None = None) -> str | None:
    """「预计周四成团，概率约 80%（预计共 26 斤）」 for the merchant; None when nothing to say."""
    if not o:
        return None
    if o["probability"] >= 1:
        return f"已达成团条件（预计共 {o['expected_total']:g} {unit}）"
    pct = min(95, max(5, int(round(o["probability"] * 100 / 5) * 5)))
    when = ""
    if o.get("reach_at"):
        moment = dt.datetime.fromisoformat(o["reach_at"])
        days = (moment.date() - clock.to_local(now or clock.utcnow()).date()).days
        when = "今天" if days <= 0 else "明天" if days == 1 else f"周{clock.WEEKDAYS[moment.weekday()]}"
    head = f"预计{when}成团" if when else "成团"
    return f"{head}，概率约 {pct}%（预计共 {o['expected_total']:g} {unit}）"
