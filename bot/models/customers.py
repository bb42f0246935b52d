"""Customers as the merchant knows them: one member id, possibly several openids, a role."""
from __future__ import annotations

import hashlib
import hmac

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import relationship

from .base import Base, EncryptedText, _Keys, utcnow


def lookup_hash(value: str) -> str:
    """Keyed hash so an encrypted phone number can still be found by equality, never read back."""
    key = _Keys.secret or b""
    return hmac.new(key, value.strip().encode(), hashlib.sha256).hexdigest()


class Customer(Base):
    __tablename__ = "customers"

    id = Column(Integer, primary_key=True)
    member_id = Column(String(32), unique=True, nullable=False)  # the unified id the merchant uses
    name = Column(EncryptedText)
    phone = Column(EncryptedText)
    phone_hash = Column(String(64), index=True)
    role = Column(String(16), nullable=False, default="customer")  # customer | merchant
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
    bound_at = Column(DateTime, nullable=False, default=utcnow)

    customer = relationship("Customer", back_populates="openids")
