"""A round's life: opened, confirmed once when the minimum is reached, then closed at the deadline
(or cancelled below the minimum). Every transition happens under the round lock and writes its
notifications in the same transaction, one row per participant and event (unique), so a second
or concurrent sweep finds nothing left to do and nobody is told twice.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import select

from ..models import Round, RoundEntry, RoundNotification, utcnow
from ..clock import say_deadline
from .ledger import ACTIVE, Totals, audit, lock_round, money, qty, reached, totals

log = logging.getLogger(__name__)


@dataclass
class Transition:
    round_id: int
    before: str
    after: str
    notices: int  # notification rows written


def notify(session, r: Round, event: str, texts: dict[str, str]) -> int:
    """Queue one message per openid for this event unless that person already has one."""
    have = set(session.execute(select(RoundNotification.openid).where(
        RoundNotification.round_id == r.id, RoundNotification.event == event)).scalars())
    added = 0
    for openid, text in texts.items():
        if openid not in have:
            session.add(RoundNotification(round_id=r.id, openid=openid, event=event, text=text))
            added += 1
    return added


def _entries(session, r: Round, statuses: tuple[str, ...]) -> list[RoundEntry]:
    return list(session.execute(select(RoundEntry).where(RoundEntry.round_id == r.id,
                                                         RoundEntry.status.in_(statuses))
                                .order_by(RoundEntry.seq)).scalars())


def _pickup(r: Round, e: RoundEntry) -> str:
    return e.pickup_point or ("送货上门" if r.delivery else "")


def maybe_confirm(session, r: Round, t: Totals, actor: str | None) -> int:
    """Open and at the minimum: confirm (once) and tell every participant. Returns notices written."""
    if r.status != "open" or not reached(r, t):
        return 0
    r.status, r.confirmed_at = "confirmed", utcnow()
    audit(session, r, "confirmed", actor, total=t.total_quantity, participants=t.participants)
    texts = {e.openid: (f"【成团通知】{r.title} 已凑满 {qty(t.total_quantity)}{r.unit}，成团啦！"
                        f"您的跟团号 {e.seq}，{qty(e.quantity)}{r.unit}，{_pickup(r, e)}，"
                        f"应付 {money(round(e.quantity * r.price_cents))} 元。"
                        f"{say_deadline(r.deadline)} 截单后安排{'自提' if r.pickup_points else '配送'}。")
             for e in _entries(session, r, ("joined",))}
    return notify(session, r, "confirmed", texts)


def _end(session, r: Round, actor: str, now: dt.datetime) -> Transition | None:
    """Deadline reached (or the merchant closed early): closed if it made it, else cancelled."""
    if r.status not in ACTIVE:
        return None
    before = r.status
    t = totals(session, r.id)
    written = maybe_confirm(session, r, t, actor)
    r.status = "closed" if r.status == "confirmed" else "cancelled"
    r.ended_at = now
    audit(session, r, r.status, actor, total=t.total_quantity, participants=t.participants)
    texts: dict[str, str] = {}
    if r.status == "cancelled":
        for e in _entries(session, r, ("joined", "waitlisted")):
            texts[e.openid] = (f"【未成团】很抱歉，{r.title} 截止时只凑到 {qty(t.total_quantity)}/"
                               f"{qty(r.min_total)}{r.unit}，本期取消，您无需付款。感谢支持，下期再见！")
    else:
        for e in _entries(session, r, ("joined",)):
            texts[e.openid] = (f"【截单通知】{r.title} 已截单。您的跟团号 {e.seq}，{qty(e.quantity)}{r.unit}，"
                               f"{_pickup(r, e)}，应付 {money(round(e.quantity * r.price_cents))} 元，"
                               f"到货后另行通知取货。")
        for e in _entries(session, r, ("waitlisted",)):
            texts[e.openid] = f"【截单通知】{r.title} 已截单，很遗憾候补没有排上，您无需付款。"
    written += notify(session, r, r.status, texts)
    return Transition(r.id, before, r.status, written)


def close_round(db, round_id: int, actor: str, now: dt.datetime | None = None) -> Transition | None:
    with db.session() as s:
        r = lock_round(s, round_id)
        return _end(s, r, actor, now or utcnow()) if r else None


def cancel_round(db, round_id: int, actor: str, now: dt.datetime | None = None) -> Transition | None:
    """The merchant calls the round off (the supplier let them down...), reached or not: everyone who
    joined or waited is told they pay nothing. Only an open or confirmed round; None otherwise."""
    with db.session() as s:
        r = lock_round(s, round_id)
        if r is None or r.status not in ACTIVE:
            return None
        before, t = r.status, totals(s, r.id)
        r.status, r.ended_at = "cancelled", now or utcnow()
        audit(s, r, "cancelled", actor, total=t.total_quantity, participants=t.participants, by_merchant=True)
        texts = {e.openid: f"【团购取消】很抱歉，{r.title} 本期取消，您无需付款。感谢支持，下期再见！"
                 for e in _entries(s, r, ("joined", "waitlisted"))}
        return Transition(r.id, before, "cancelled", notify(s, r, "cancelled", texts))


def fulfil_round(db, round_id: int, actor: str) -> Transition | None:
    """The goods are in: a closed round becomes fulfilled and every participant is told where and
    what to collect. Only a closed (confirmed, ended) round can be fulfilled; None otherwise."""
    with db.session() as s:
        r = lock_round(s, round_id)
        if r is None or r.status != "closed":
            return None
        r.status = "fulfilled"
        audit(s, r, "fulfilled", actor)
        texts = {e.openid: (f"【到货通知】{r.title} 已到货！您的跟团号 {e.seq}，{qty(e.quantity)}{r.unit}，"
                            f"请到{_pickup(r, e)}取货，应付 {money(round(e.quantity * r.price_cents))} 元。")
                 for e in _entries(s, r, ("joined",))}
        return Transition(r.id, "closed", "fulfilled", notify(s, r, "fulfilled", texts))


def due_round_ids(db, now: dt.datetime) -> list[int]:
    with db.session() as s:
        return list(s.execute(select(Round.id).where(Round.status.in_(ACTIVE), Round.deadline <= now)
                              .order_by(Round.id)).scalars())


def sweep(db, now: dt.datetime | None = None) -> list[Transition]:
    """Rounds past their deadline end; each is re-checked under its lock, so sweeps may overlap."""
    now = now or utcnow()
    done = []
    for round_id in due_round_ids(db, now):
        with db.session() as s:
            r = lock_round(s, round_id)
            if r is not None and r.status in ACTIVE and r.deadline <= now:
                done.append(_end(s, r, "sweep", now))
    return done


def promote(session, r: Round, actor: str | None) -> list[RoundEntry]:
    """Room freed: waitlisted customers move up in the order they queued, each if their quantity fits."""
    if r.status not in ACTIVE:
        return []
    promoted = []
    t = totals(session, r.id)
    room = None if r.cap is None else r.cap - t.total_quantity
    waiting = session.execute(select(RoundEntry).where(RoundEntry.round_id == r.id, RoundEntry.status == "waitlisted")
                              .order_by(RoundEntry.queued_at, RoundEntry.id)).scalars()
    for e in waiting:
        if room is not None and e.quantity > room + 1e-9:
            continue
        e.status, e.updated_at = "joined", utcnow()
        room = None if room is None else room - e.quantity
        event = audit(session, r, "promoted", actor, e, quantity=e.quantity)
        session.flush()
        promoted.append(e)
        notify(session, r, f"promoted:{event.id}", {e.openid: (
            f"【候补成功】{r.title} 有人退出，您已从候补转为正式跟团：跟团号 {e.seq}，{qty(e.quantity)}{r.unit}，"
            f"{_pickup(r, e)}，应付 {money(round(e.quantity * r.price_cents))} 元。")})
    return promoted
