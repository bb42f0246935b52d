"""Points (积分), rewards, merges of two members into one, and the receipt check of an order.

The points ledger is append-only: every change is a row with its delta, reason and source; the
member's `points_balance` is the ledger's sum, kept under the member's row lock. Earned rows carry
`remaining` (not yet spent or expired) and `expires_at`, so spending and expiry take the oldest
first. `source` names the event an award came from, and its unique key makes a replay a no-op.
"""
from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, String, Text

from .base import Base, JSONText, utcnow

POINT_KINDS = ("earn", "spend", "expire", "adjust", "merge")


class PointsEntry(Base):
    __tablename__ = "points_entries"

    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
    delta = Column(Integer, nullable=False)
    kind = Column(String(16), nullable=False)  # earn | spend | expire | adjust | merge
    reason = Column(String(200), nullable=False)
    source = Column(String(128), unique=True)  # order:DD…, feedback:DD…, round:3:7, expire:12, redeem:JF…
    remaining = Column(Integer, nullable=False, default=0)  # positive rows: points not yet used or expired
    expires_at = Column(DateTime, index=True)
    actor = Column(String(64))  # system | api | a staff username
    created_at = Column(DateTime, nullable=False, default=utcnow, index=True)


class Reward(Base):
    """What points buy, edited by the merchant: 「5 元无门槛券 = 200 积分」."""

    __tablename__ = "rewards"

    id = Column(Integer, primary_key=True)
    name = Column(String(64), unique=True, nullable=False)
    points = Column(Integer, nullable=False)
    stock = Column(Integer)  # None: unlimited
    enabled = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class Redemption(Base):
    """A reward a member took, with the code they show (recorded on the member)."""

    __tablename__ = "reward_redemptions"

    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
    openid = Column(String(64), index=True)
    reward_id = Column(Integer, ForeignKey("rewards.id"), nullable=False)
    reward_name = Column(String(64), nullable=False)
    points = Column(Integer, nullable=False)
    code = Column(String(16), unique=True, nullable=False)
    entry_id = Column(Integer, ForeignKey("points_entries.id"))
    created_at = Column(DateTime, nullable=False, default=utcnow)


class MemberMerge(Base):
    """Audit of two members found to be one person: everything of `merged` moved to `kept`."""

    __tablename__ = "member_merges"

    id = Column(Integer, primary_key=True)
    kept_member_id = Column(String(32), nullable=False, index=True)
    merged_member_id = Column(String(32), nullable=False)
    actor = Column(String(64), nullable=False)
    reason = Column(String(200))
    moved = Column(JSONText)  # counts per table
    created_at = Column(DateTime, nullable=False, default=utcnow)


class ReceiptCheck(Base):
    """收货反馈: one per order, created when the order is signed for; the unique order number makes
    a replayed or second 已签收 push ask nothing twice."""

    __tablename__ = "receipt_checks"

    id = Column(Integer, primary_key=True)
    order_no = Column(String(32), unique=True, nullable=False)
    customer_id = Column(Integer, ForeignKey("customers.id"), index=True)
    openid = Column(String(64), index=True)  # who was asked (set when asked)
    product = Column(String(64))
    status = Column(String(16), nullable=False, default="pending")  # pending|asked|answered|skipped|declined
    channel = Column(String(16))  # customer_service | template
    skip_reason = Column(Text)
    rating = Column(Integer)  # the customer's 1-5
    answer_ticket = Column(String(20))  # the ticket a poor answer opened
    created_at = Column(DateTime, nullable=False, default=utcnow)
    asked_at = Column(DateTime)
    answered_at = Column(DateTime)
