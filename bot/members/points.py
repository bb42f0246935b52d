"""The points ledger: every change is a row, the balance is their sum, and neither can go wrong
under concurrency.

Every change takes the member's row lock first (an UPDATE of the member row, as the rounds take
theirs: PostgreSQL row-locks it until commit, SQLite takes its one writer lock), then checks, then
writes the ledger row and the new balance in the same transaction. An award names its source event
(`order:DD…`): a second award from the same source finds the first and writes nothing. Spending and
expiry use the oldest earned points first; points expire POINTS_EXPIRE_DAYS after they were earned.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..clock import iso_local
from ..models import Customer, PointsEntry, utcnow

MAX_ADJUST = 1_000_000  # a staff adjustment beyond this is a typo, not a decision


class PointsError(ValueError):
    """A change that cannot be made (not enough points, bad input); the message is for people."""


class NotEnoughPoints(PointsError):
    def __init__(self, balance: int, needed: int) -> None:
        super().__init__(f"积分不足：当前 {balance} 分，需要 {needed} 分。")
        self.balance, self.needed = balance, needed


def lock_member(s: Session, customer_id: int) -> Customer | None:
    """The member row, locked until the transaction ends: the first statement of every change."""
    s.execute(update(Customer).where(Customer.id == customer_id)
              .values(points_balance=Customer.points_balance))
    return s.execute(select(Customer).where(Customer.id == customer_id)
                     .execution_options(populate_existing=True)).scalar_one_or_none()


def _consume(s: Session, customer: Customer, amount: int) -> None:
    """Take `amount` from the oldest earned rows that still have points left."""
    rows = s.execute(select(PointsEntry).where(PointsEntry.customer_id == customer.id, PointsEntry.remaining > 0)
                     .order_by(PointsEntry.expires_at, PointsEntry.id)).scalars()
    for row in rows:
        if amount <= 0:
            break
        used = min(row.remaining, amount)
        row.remaining -= used
        amount -= used


def expire_due(s: Session, customer: Customer, now: dt.datetime | None = None) -> int:
    """Under the member's lock: earned points past their date leave the balance, one ledger row per
    earned row (source `expire:<id>`, so running twice expires nothing twice). Returns points expired."""
    now = now or utcnow()
    total = 0
    rows = s.execute(select(PointsEntry).where(PointsEntry.customer_id == customer.id, PointsEntry.remaining > 0,
                                               PointsEntry.expires_at <= now)
                     .order_by(PointsEntry.expires_at, PointsEntry.id)).scalars().all()
    for row in rows:
        amount, row.remaining = row.remaining, 0
        s.add(PointsEntry(customer_id=customer.id, delta=-amount, kind="expire", source=f"expire:{row.id}",
                          reason=f"积分到期（{row.reason}）", actor="system", created_at=now))
        customer.points_balance -= amount
        total += amount
    return total


def change(s: Session, customer_id: int, delta: int, kind: str, reason: str, *, source: str | None = None,
           actor: str = "system", expire_days: int = 365, now: dt.datetime | None = None) -> PointsEntry | None:
    """One ledger row and the balance, in the caller's transaction. None when `source` was already
    recorded (a replayed event). Raises NotEnoughPoints rather than going below zero."""
    if not isinstance(delta, int) or isinstance(delta, bool) or delta == 0:
        raise PointsError("积分变动必须是非零整数。")
    customer = lock_member(s, customer_id)
    if customer is None:
        raise PointsError("没有这个会员。")
    if source and s.execute(select(PointsEntry.id).where(PointsEntry.source == source)).first():
        return None
    now = now or utcnow()
    expire_due(s, customer, now)
    if delta < 0:
        if customer.points_balance + delta < 0:
            raise NotEnoughPoints(customer.points_balance, -delta)
        _consume(s, customer, -delta)
    entry = PointsEntry(customer_id=customer_id, delta=delta, kind=kind, reason=reason[:200], source=source,
                        actor=actor, created_at=now, remaining=max(delta, 0),
                        expires_at=now + dt.timedelta(days=expire_days) if delta > 0 else None)
    s.add(entry)
    customer.points_balance += delta
    s.flush()
    return entry


def award(s: Session, config, customer_id: int, points: int, reason: str, source: str) -> PointsEntry | None:
    """Points earned from one event (at most once per source); 0 points (switched off) writes nothing."""
    if points <= 0:
        return None
    return change(s, customer_id, int(points), "earn", reason, source=source, expire_days=config.POINTS_EXPIRE_DAYS)


def adjust(s: Session, config, customer_id: int, delta, reason, actor: str) -> PointsEntry:
    """Staff change a balance by hand; the reason and who did it stay on the ledger row."""
    if not isinstance(reason, str) or not reason.strip():
        raise PointsError("请写明调整原因。")
    if not isinstance(delta, int) or isinstance(delta, bool) or not 0 < abs(delta) <= MAX_ADJUST:
        raise PointsError(f"调整的积分必须是非零整数，绝对值不超过 {MAX_ADJUST}。")
    return change(s, customer_id, delta, "adjust", reason.strip(), actor=actor,
                  expire_days=config.POINTS_EXPIRE_DAYS)


@dataclass
class Summary:
    balance: int
    recent: list[PointsEntry] = field(default_factory=list)
    expiring: list[tuple[dt.datetime, int]] = field(default_factory=list)  # (when, points), soonest first


def summary(s: Session, customer_id: int, recent: int = 5) -> Summary:
    """Balance (after expiring what is due), the latest changes and what expires when."""
    customer = lock_member(s, customer_id)
    expire_due(s, customer)
    s.flush()
    entries = list(s.execute(select(PointsEntry).where(PointsEntry.customer_id == customer_id)
                             .order_by(PointsEntry.created_at.desc(), PointsEntry.id.desc()).limit(recent)).scalars())
    expiring: dict[dt.datetime, int] = {}
    for row in s.execute(select(PointsEntry).where(PointsEntry.customer_id == customer_id, PointsEntry.remaining > 0)
                         .order_by(PointsEntry.expires_at)).scalars():
        expiring[row.expires_at] = expiring.get(row.expires_at, 0) + row.remaining
    return Summary(customer.points_balance, entries, sorted(expiring.items()))


def entry_json(e: PointsEntry) -> dict:
    return {"id": e.id, "delta": e.delta, "kind": e.kind, "reason": e.reason, "source": e.source,
            "actor": e.actor, "created_at": iso_local(e.created_at),
            "expires_at": iso_local(e.expires_at) if e.expires_at else None, "remaining": e.remaining}
