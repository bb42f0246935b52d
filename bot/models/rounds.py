"""Group preorder rounds (团购接龙): the round, who joined, what changed, and who was told.

Quantities are floats in half units (0.5 斤 is the smallest step), money in cents. Entries are
never deleted, only cancelled, so the 跟团号 of everyone who ever joined stays on record.
"""
from __future__ import annotations

from sqlalchemy import (Boolean, Column, DateTime, Float, ForeignKey, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import relationship

from .base import Base, JSONText, utcnow


class Round(Base):
    __tablename__ = "preorder_rounds"

    id = Column(Integer, primary_key=True)
    title = Column(String(64), nullable=False)
    product = Column(String(64), nullable=False, index=True)  # the catalog name, e.g. 丹东草莓
    unit = Column(String(8), nullable=False)
    price_cents = Column(Integer, nullable=False)  # per unit
    min_total = Column(Float, nullable=False)  # quantity needed to go ahead
    min_participants = Column(Integer)  # optional second condition
    cap = Column(Float)  # most that can be sold; None: no cap
    per_person_max = Column(Float)
    deadline = Column(DateTime, nullable=False)  # UTC, naive like every other timestamp
    pickup_points = Column(JSONText, nullable=False, default=list)
    delivery = Column(Boolean, nullable=False, default=False)
    description = Column(Text)
    allow_cancel_after_confirm = Column(Boolean, nullable=False, default=False)
    status = Column(String(16), nullable=False, default="open", index=True)  # open|confirmed|cancelled|closed|fulfilled
    next_seq = Column(Integer, nullable=False, default=1)  # next 跟团号; bumped under the round lock
    created_by = Column(String(64))
    created_at = Column(DateTime, nullable=False, default=utcnow)
    confirmed_at = Column(DateTime)
    ended_at = Column(DateTime)
    qr_ticket = Column(String(200))  # WeChat's ticket for the round's parametric QR code (scene round-<id>)
    qr_content = Column(String(200))  # the URL that QR code encodes (rendered locally as a PNG)

    entries = relationship("RoundEntry", back_populates="round", order_by="RoundEntry.seq")


class RoundEntry(Base):
    """One customer in one round; joining again changes this row, never adds a second."""

    __tablename__ = "preorder_entries"
    __table_args__ = (UniqueConstraint("round_id", "openid", name="uq_preorder_entries_round_openid"),
                      UniqueConstraint("round_id", "seq", name="uq_preorder_entries_round_seq"))

    id = Column(Integer, primary_key=True)
    round_id = Column(Integer, ForeignKey("preorder_rounds.id"), nullable=False, index=True)
    openid = Column(String(64), nullable=False, index=True)
    customer_id = Column(Integer, ForeignKey("customers.id"))
    seq = Column(Integer, nullable=False)  # 跟团号, dense per round
    quantity = Column(Float, nullable=False)
    pickup_point = Column(String(32))
    status = Column(String(16), nullable=False)  # joined|waitlisted|cancelled
    last_request = Column(String(200))  # the message that last changed it: a retry changes nothing
    queued_at = Column(DateTime)  # waitlist order
    created_at = Column(DateTime, nullable=False, default=utcnow)
    updated_at = Column(DateTime, nullable=False, default=utcnow)

    round = relationship("Round", back_populates="entries")
    customer = relationship("Customer")


class RoundEvent(Base):
    """Audit trail: every change to a round or an entry, by whom, with the details."""

    __tablename__ = "preorder_events"

    id = Column(Integer, primary_key=True)
    round_id = Column(Integer, ForeignKey("preorder_rounds.id"), nullable=False, index=True)
    entry_id = Column(Integer, ForeignKey("preorder_entries.id"), index=True)
    actor = Column(String(64))  # openid, "api", "sweep"
    action = Column(String(32), nullable=False)
    details = Column(JSONText)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class RoundNotification(Base):
    """One message per participant and event; the unique key makes a second sweep a no-op."""

    __tablename__ = "preorder_notifications"
    __table_args__ = (UniqueConstraint("round_id", "openid", "event", name="uq_preorder_notifications_once"),)

    id = Column(Integer, primary_key=True)
    round_id = Column(Integer, ForeignKey("preorder_rounds.id"), nullable=False, index=True)
    openid = Column(String(64), nullable=False)
    event = Column(String(32), nullable=False)  # confirmed, cancelled, closed, promoted:<n>
    text = Column(Text, nullable=False)
    status = Column(String(16), nullable=False, default="pending")  # pending|sending|sent|failed
    error = Column(Text)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    sent_at = Column(DateTime)
