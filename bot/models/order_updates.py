"""Status changes the merchant's order system pushed to us: kept by event id, so a replayed
push is recognised and the customer is told once."""
from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, String

from .base import Base, JSONText, utcnow


class OrderUpdate(Base):
    __tablename__ = "order_updates"

    id = Column(Integer, primary_key=True)
    event_id = Column(String(128), unique=True, nullable=False)
    order_no = Column(String(32), index=True, nullable=False)
    status = Column(String(32), nullable=False)
    step = Column(String(64), nullable=False)
    location = Column(String(64))
    happened_at = Column(DateTime, nullable=False)
    payload = Column(JSONText, nullable=False)
    received_at = Column(DateTime, nullable=False, default=utcnow)
