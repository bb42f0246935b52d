"""Reading rounds and their totals, and the round lock every change takes first.

The lock is a no-op UPDATE of the round row as the transaction's first statement: PostgreSQL
row-locks it until commit, SQLite takes its single writer lock, so concurrent joins on one round
run one after another and the cap and the dense 跟团号 hold on both backends.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..models import Customer, CustomerOpenid, Round, RoundEntry, RoundEvent, utcnow

ACTIVE = ("open", "confirmed")
STATUS_WORDS = {"open": "进行中", "confirmed": "已成团", "cancelled": "未成团已取消", "closed": "已截单",
                "fulfilled": "已完成"}
ENTRY_WORDS = {"joined": "已跟团", "waitlisted": "候补", "cancelled": "已取消"}
WEIGHT_UNITS = {"斤", "公斤", "千克", "kg"}


def lock_round(session: Session, round_id: int) -> Round | None:
    session.execute(update(Round).where(Round.id == round_id).values(next_seq=Round.next_seq))
    return session.execute(select(Round).where(Round.id == round_id)
                           .execution_options(populate_existing=True)).scalar_one_or_none()


@dataclass
class Totals:
    total_quantity: float = 0
    participants: int = 0
    waitlisted: int = 0
    waitlisted_quantity: float = 0


def totals(session: Session, round_id: int, exclude_entry: int | None = None) -> Totals:
    query = (select(RoundEntry.status, func.count(RoundEntry.id), func.coalesce(func.sum(RoundEntry.quantity), 0))
             .where(RoundEntry.round_id == round_id).group_by(RoundEntry.status))
    if exclude_entry is not None:
        query = query.where(RoundEntry.id != exclude_entry)
    t = Totals()
    for status, count, qty in session.execute(query):
        if status == "joined":
            t.participants, t.total_quantity = count, tidy(qty)
        elif status == "waitlisted":
            t.waitlisted, t.waitlisted_quantity = count, tidy(qty)
    return t


def tidy(value) -> int | float:
    value = round(float(value), 2)
    return int(value) if value.is_integer() else value


def qty(value) -> str:
    return str(tidy(value))


def money(cents: int) -> str:
    return f"{cents / 100:.2f}"


def reached(r: Round, t: Totals) -> bool:
    return t.total_quantity >= r.min_total and t.participants >= (r.min_participants or 0)


def audit(session: Session, r: Round, action: str, actor: str | None, entry: RoundEntry | None = None,
          **details) -> RoundEvent:
    event = RoundEvent(round_id=r.id, entry_id=entry.id if entry else None, actor=actor, action=action,
                       details=details or None)
    session.add(event)
    return event


def active_rounds(session: Session, product: str | None = None, now: dt.datetime | None = None) -> list[Round]:
    """Rounds a customer can still join, soonest deadline first."""
    query = select(Round).where(Round.status.in_(ACTIVE), Round.deadline > (now or utcnow()))
    if product:
        query = query.where(Round.product == product)
    return list(session.execute(query.order_by(Round.deadline, Round.id)).scalars())


def entry_of(session: Session, round_id: int, openid: str) -> RoundEntry | None:
    return session.execute(select(RoundEntry).where(RoundEntry.round_id == round_id,
                                                    RoundEntry.openid == openid)).scalar_one_or_none()


def my_entries(session: Session, openid: str, statuses=("joined", "waitlisted")) -> list[tuple[RoundEntry, Round]]:
    rows = session.execute(select(RoundEntry, Round).join(Round, Round.id == RoundEntry.round_id)
                           .where(RoundEntry.openid == openid, RoundEntry.status.in_(statuses))
                           .order_by(Round.deadline)).all()
    return [(e, r) for e, r in rows]


def customer_for(session: Session, openid: str) -> Customer | None:
    return session.execute(select(Customer).join(CustomerOpenid)
                           .where(CustomerOpenid.openid == openid)).scalar_one_or_none()


def is_merchant(session: Session, openid: str) -> bool:
    customer = customer_for(session, openid)
    return customer is not None and customer.role == "merchant"


@dataclass
class RoundView:
    """A detached snapshot of a round and its totals, safe to render after the session closed."""

    round: Round
    totals: Totals
    entries: list[RoundEntry] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)  # customer id -> real name


def view(session: Session, round_id: int, with_entries: bool = False) -> RoundView | None:
    r = session.get(Round, round_id)
    if r is None:
        return None
    v = RoundView(r, totals(session, round_id))
    if with_entries:
        v.entries = list(session.execute(select(RoundEntry).where(RoundEntry.round_id == round_id)
                                         .order_by(RoundEntry.seq)).scalars())
        ids = {e.customer_id for e in v.entries if e.customer_id}
        if ids:
            v.names = {c.id: c.name for c in session.execute(select(Customer).where(Customer.id.in_(ids))).scalars()}
    return v
