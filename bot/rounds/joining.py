"""Joining and leaving a round: the rules (deadline, per-person maximum, cap, waitlist) applied
inside one transaction under the round lock. Every call ends as joined, updated, unchanged,
waitlisted, cancelled or refused with a reason in plain Chinese; nothing is half-written.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..models import RoundEntry, utcnow
from .ledger import ACTIVE, STATUS_WORDS, WEIGHT_UNITS, Totals, audit, customer_for, entry_of, lock_round, qty, totals
from .lifecycle import maybe_confirm, promote


@dataclass
class Outcome:
    outcome: str  # joined | updated | unchanged | waitlisted | refused | cancelled | not_found
    reason: str = ""
    round_id: int | None = None
    seq: int | None = None
    quantity: float | None = None
    pickup: str | None = None
    status: str | None = None  # the entry's status afterwards
    round_status: str | None = None
    previous: float | None = None
    totals: Totals = field(default_factory=Totals)
    confirmed_now: bool = False
    notices: int = 0  # notification rows written: the caller queues their delivery
    promoted: list[str] = field(default_factory=list)


def check_quantity(quantity, unit: str) -> str | None:
    """None when acceptable, else why not."""
    try:
        value = float(quantity)
    except (TypeError, ValueError):
        return "数量没看懂，请发一个数字，比如「3斤」。"
    if value <= 0:
        return "数量要大于 0 哦。"
    if unit in WEIGHT_UNITS:
        if abs(value * 2 - round(value * 2)) > 1e-9:
            return f"按{unit}接龙时数量请用整数或半{unit}，比如 2 或 2.5。"
    elif abs(value - round(value)) > 1e-9:
        return f"按{unit}接龙只能是整数{unit}哦。"
    if value > 10000:
        return "数量太大了，请确认后再发。"
    return None


def join(db, round_id: int, openid: str, quantity: float, pickup: str | None = None,
         request_key: str | None = None, add: bool = False, now: dt.datetime | None = None) -> Outcome:
    now = now or utcnow()
    with db.session() as s:
        r = lock_round(s, round_id)
        if r is None:
            return Outcome("refused", "找不到这个团，可能已被删除。")
        if r.status not in ACTIVE:
            return Outcome("refused", f"「{r.title}」{STATUS_WORDS[r.status]}，不能再接龙了。", round_id=r.id)
        if r.deadline <= now:
            return Outcome("refused", f"「{r.title}」已过截止时间，不能再接龙了。", round_id=r.id)
        entry = entry_of(s, r.id, openid)
        live = entry is not None and entry.status in ("joined", "waitlisted")
        if entry is not None and request_key and entry.last_request == request_key:
            return _fill(Outcome("unchanged", round_id=r.id), entry, totals(s, r.id))  # WeChat retried
        wanted = float(quantity) + (entry.quantity if add and live else 0)
        problem = _quantity_problem(r, entry, wanted, live and add)
        if problem:
            return Outcome("refused", problem, round_id=r.id)
        points = list(r.pickup_points or [])
        pickup = pickup or (entry.pickup_point if entry else None) or (points[0] if len(points) == 1 else None)
        if points and pickup not in points:
            return Outcome("need_pickup", "请选择自提点：" + "、".join(points), round_id=r.id)
        return _place(s, r, entry, openid, wanted, pickup, request_key, now)


def _quantity_problem(r, entry, wanted: float, adding: bool) -> str | None:
    problem = check_quantity(wanted, r.unit)
    if problem or r.per_person_max is None or wanted <= r.per_person_max + 1e-9:
        return problem
    reason = f"每人限{qty(r.per_person_max)}{r.unit}，请改成{qty(r.per_person_max)}{r.unit}以内。"
    return reason + (f"您已接龙{qty(entry.quantity)}{r.unit}。" if adding else "")


def _place(s, r, entry, openid: str, wanted: float, pickup, request_key, now) -> Outcome:
    """The checks passed: join, change or waitlist the entry, audit it, confirm the round if it filled."""
    others = totals(s, r.id, exclude_entry=entry.id if entry else None)
    fits = r.cap is None or others.total_quantity + wanted <= r.cap + 1e-9
    if entry is not None and entry.status == "joined":
        if not fits:
            left = max(r.cap - others.total_quantity, 0)
            return Outcome("refused", f"本团上限{qty(r.cap)}{r.unit}，您最多还能改成{qty(left)}{r.unit}；"
                                      f"原来的{qty(entry.quantity)}{r.unit}保持不变。", round_id=r.id)
        if wanted == entry.quantity and pickup == entry.pickup_point:
            entry.last_request = request_key or entry.last_request
            return _fill(Outcome("unchanged", round_id=r.id), entry, totals(s, r.id))
        result = Outcome("updated", round_id=r.id, previous=entry.quantity)
        entry.quantity, entry.pickup_point = wanted, pickup
    else:
        result = Outcome("joined" if fits else "waitlisted", round_id=r.id)
        if entry is None:
            customer = customer_for(s, openid)
            entry = RoundEntry(round_id=r.id, openid=openid, seq=r.next_seq,
                               customer_id=customer.id if customer else None, created_at=now)
            r.next_seq += 1
            s.add(entry)
        elif entry.status == "waitlisted" and not fits:
            result.outcome, result.previous = "updated", entry.quantity
        entry.quantity, entry.pickup_point = wanted, pickup
        if not fits and entry.status != "waitlisted":
            entry.queued_at = now
        entry.status = "joined" if fits else "waitlisted"
    entry.last_request, entry.updated_at = request_key, now
    s.flush()
    audit(s, r, result.outcome if result.outcome != "updated" else "changed", openid, entry,
          quantity=wanted, pickup=pickup, status=entry.status, previous=result.previous)
    t = totals(s, r.id)
    result.notices = maybe_confirm(s, r, t, openid)
    result.confirmed_now = r.status == "confirmed" and result.notices > 0
    result.round_status = r.status
    return _fill(result, entry, t)


def cancel(db, round_id: int, openid: str, actor: str | None = None, now: dt.datetime | None = None) -> Outcome:
    now = now or utcnow()
    with db.session() as s:
        r = lock_round(s, round_id)
        entry = entry_of(s, round_id, openid) if r else None
        if r is None or entry is None or entry.status == "cancelled":
            return Outcome("not_found", "您在这个团里没有接龙记录。", round_id=round_id)
        if r.status not in ACTIVE:
            return Outcome("refused", f"「{r.title}」{STATUS_WORDS[r.status]}，接龙记录不能再改了，有问题请发「人工」。",
                           round_id=r.id)
        if r.status == "confirmed" and entry.status == "joined" and not r.allow_cancel_after_confirm:
            return Outcome("refused", f"「{r.title}」已经成团，团长已按名单备货，不能自行取消。"
                           "确有困难请发「人工」联系团长。", round_id=r.id)
        was = entry.status
        entry.status, entry.updated_at = "cancelled", now
        audit(s, r, "cancelled", actor or openid, entry, quantity=entry.quantity, was=was)
        promoted = promote(s, r, actor or openid) if was == "joined" else []
        out = _fill(Outcome("cancelled", round_id=r.id), entry, totals(s, r.id))
        out.promoted = [e.openid for e in promoted]
        out.notices = len(promoted)
        return out


def _fill(out: Outcome, entry: RoundEntry, t: Totals) -> Outcome:
    out.seq, out.quantity, out.pickup, out.status, out.totals = entry.seq, entry.quantity, entry.pickup_point, entry.status, t
    return out
