"""Feedback records for the supply chain: one row per clause and aspect, already masked.

No openid and no clear text reach this table: `text` is masked before it is stored and the
customer is a keyed-hash pseudonym, so exports and the API can hand rows out as they are.
"""
from __future__ import annotations

from sqlalchemy import Column, DateTime, Float, Integer, String, Text

from .base import Base, utcnow


class FeedbackRecord(Base):
    __tablename__ = "feedback_records"

    id = Column(Integer, primary_key=True)
    message_key = Column(String(32), nullable=False, index=True)  # groups the clauses of one message
    source = Column(String(16), nullable=False)  # chat | complaint | receipt | import
    batch = Column(String(64), index=True)  # imports: digest of the file, so a file loads once
    product = Column(String(64), index=True)
    aspect = Column(String(16), nullable=False, index=True)
    sentiment = Column(String(8), nullable=False)
    message_sentiment = Column(String(8), nullable=False)
    score = Column(Float, nullable=False, default=0.0)
    suggestion = Column(Text)
    delivery_preference = Column(String(32))
    text = Column(Text, nullable=False)
    customer_key = Column(String(64), index=True)
    order_no = Column(String(32), index=True)  # the order a receipt check asked about
    created_at = Column(DateTime, nullable=False, default=utcnow, index=True)
