"""「到货通知我」: a customer waiting for an out-of-stock product, until they have been told."""
from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, String

from .base import Base, utcnow


class StockWatch(Base):
    __tablename__ = "stock_watches"

    id = Column(Integer, primary_key=True)
    openid = Column(String(64), index=True, nullable=False)
    product = Column(String(64), index=True, nullable=False)  # catalog name, as the inventory knows it
    created_at = Column(DateTime, nullable=False, default=utcnow)
    notified_at = Column(DateTime)  # set once, when the back-in-stock message is queued
