"""The record that a customer's data was erased: who did it, when and how many rows, never whose."""
from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, String

from .base import Base, JSONText, utcnow


class Erasure(Base):
    __tablename__ = "erasures"

    id = Column(Integer, primary_key=True)
    erased_by = Column(String(64), nullable=False)  # the operator who ran `customers erase`
    rows = Column(JSONText, nullable=False)  # {table: rows deleted}; no openid, name or value
    store_keys = Column(Integer, nullable=False, default=0)
    created_at = Column(DateTime, nullable=False, default=utcnow)
