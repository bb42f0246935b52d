"""What a customer asked to be done to an order (change the address, the delivery time or the
quantity, hurry it, an invoice): kept against the order, shown to staff as a ticket, and sent to the
external order system when there is one."""
from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Text

from .base import Base, EncryptedText, utcnow

KINDS = ("address", "delivery_time", "quantity", "contact", "pickup", "hurry", "invoice", "other")
STATES = ("recorded", "sent", "accepted", "refused", "failed")


class OrderRequest(Base):
    __tablename__ = "order_requests"

    id = Column(Integer, primary_key=True)
    order_no = Column(String(32), index=True, nullable=False)
    openid = Column(String(64), index=True, nullable=False)
    kind = Column(String(16), nullable=False)
    # JSON of what was asked ({"text": the customer's words, "title"/"tax_no" for invoices}),
    # encrypted: a new address or a tax number is personal data
    details = Column(EncryptedText, nullable=False)
    state = Column(String(12), nullable=False, default="recorded")
    answer = Column(Text)  # what the order system said (accepted / the reason it refused)
    ticket_id = Column(Integer, ForeignKey("tickets.id"), index=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    sent_at = Column(DateTime)
