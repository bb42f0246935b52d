"""Customers as the merchant knows them: one member (id, phone, card), any number of WeChat
identities (openid per official account, unionid when WeChat sends it), a role, a points balance."""
from __future__ import annotations

import hashlib
import hmac

from sqlalchemy import Boolean, CheckConstraint, Column, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import relationship

from .base import Base, EncryptedText, _Keys, utcnow


def lookup_hash(value: str) -> str:
    """Keyed hash so an encrypted phone number can still be found by equality, never read back."""
    key = _Keys.secret or b""
    return hmac.new(key, value.strip().encode(), hashlib.sha256).hexdigest()


class Customer(Base):
    __tablename__ = "customers"
    __table_args__ = (CheckConstraint("points_balance >= 0", name="points_not_negative"),)

    id = Column(Integer, primary_key=True)
    member_id = Column(String(32), unique=True, nullable=False)  # the unified id the merchant uses
    name = Column(EncryptedText)
    phone = Column(EncryptedText)
    phone_hash = Column(String(64), index=True)
    role = Column(String(16), nullable=False, default="customer")  # customer | merchant
    card_no = Column(String(32), unique=True)  # the member card, when the shop issued one
    # The sum of this member's points ledger, changed only with a ledger row under the row lock
    # (bot/members/points.py); the CHECK is the last line against a negative balance.
    points_balance = Column(Integer, nullable=False, default=0, server_default="0")
    receipt_opt_out = Column(Boolean, nullable=False, default=False, server_default="0")  # 「以后不用问了」
    created_at = Column(DateTime, nullable=False, default=utcnow)

    openids = relationship("CustomerOpenid", back_populates="customer", cascade="all, delete-orphan")

    def set_phone(self, phone: str | None) -> None:
        self.phone = phone
        self.phone_hash = lookup_hash(phone) if phone else None


class CustomerOpenid(Base):
    """An openid bound to a customer (a person may follow from several accounts or devices)."""

    __tablename__ = "customer_openids"

    openid = Column(String(64), primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
    appid = Column(String(64))  # the official account (or mini program) this openid belongs to
    unionid = Column(String(64), index=True)  # the same person across the merchant's accounts
    bound_at = Column(DateTime, nullable=False, default=utcnow)

    customer = relationship("Customer", back_populates="openids")
