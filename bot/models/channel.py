"""What customers sent and what we answered: the record that nothing was lost."""
from __future__ import annotations


from sqlalchemy import Column, Boolean, DateTime, Float, Integer, String, Text

from .base import Base, EncryptedJSON, EncryptedText, utcnow


class MessageLog(Base):
    """Written before handling and completed after, so a crash still leaves the message."""

    __tablename__ = "message_log"

    id = Column(Integer, primary_key=True)
    dedup_key = Column(String(200), unique=True, nullable=False)
    openid = Column(String(64), index=True, nullable=False)
    msg_type = Column(String(32), nullable=False)
    event = Column(String(64))
    text = Column(EncryptedText)
    media_id = Column(String(256))
    media_url = Column(Text)
    payload = Column(EncryptedJSON)  # location coordinates and labels, event keys
    intent = Column(String(64), index=True)
    confidence = Column(Float)
    entities = Column(EncryptedJSON)  # may hold the phone number a customer typed
    answer = Column(EncryptedText)
    status = Column(String(16), default="received", index=True, nullable=False)  # received|answered|failed
    error = Column(Text)
    # passive | passive+queued (the rest of a long answer waits in the queue) | queued |
    # customer_service | passive+customer_service | failed
    delivery = Column(String(32))
    delivery_error = Column(Text)
    latency_ms = Column(Float)
    created_at = Column(DateTime, default=utcnow, index=True, nullable=False)
    answered_at = Column(DateTime)
    simulated_by = Column(String(64))  # staff username when typed in the console's chat simulator
    # Who handles the message: the process holding an unexpired lease, renewed while it works;
    # `attempts` counts takeovers (bot/wechat/recovery.py) and names the current holder.
    lease_until = Column(DateTime)
    attempts = Column(Integer, default=0, server_default="0", nullable=False)


class Subscriber(Base):
    """Follow state per openid; unsubscribing is kept, not deleted, so history stays readable."""

    __tablename__ = "subscribers"

    openid = Column(String(64), primary_key=True, nullable=False)
    subscribed = Column(Boolean, default=True, nullable=False)
    scene = Column(String(128))
    subscribed_at = Column(DateTime)
    unsubscribed_at = Column(DateTime)
    last_location = Column(EncryptedJSON)
