"""Complaint and hand-off tickets, their conversation, staff notes and the append-only audit trail."""
from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from .base import Base, EncryptedText, JSONText, utcnow

STATES = ("new", "open", "pending_customer", "resolved", "closed")
PRIORITIES = ("urgent", "high", "normal")
CATEGORIES = ("quality", "freshness", "shortage", "wrong_item", "damaged", "delivery", "staff_attitude",
              "group_organiser", "installation", "other", "handoff", "order_change", "invoice")
ACTIVE_STATES = ("new", "open", "pending_customer")


class Ticket(Base):
    __tablename__ = "tickets"

    id = Column(Integer, primary_key=True)
    number = Column(String(20), unique=True, nullable=False)  # T + yymmdd + sequence, shown to customers
    kind = Column(String(16), nullable=False, default="complaint")  # complaint | handoff | request
    openid = Column(String(64), index=True, nullable=False)
    customer_id = Column(Integer, ForeignKey("customers.id"), index=True)
    order_no = Column(String(32), index=True)  # joined to orders.order_no when the order exists
    product = Column(String(64))
    category = Column(String(24), nullable=False, default="other")
    priority = Column(String(8), nullable=False, default="normal")
    state = Column(String(20), nullable=False, default="new", index=True)
    summary = Column(EncryptedText)  # the customer's first words, encrypted like all chat text
    assignee_id = Column(Integer, ForeignKey("staff_users.id"), index=True)
    merged_into_id = Column(Integer, ForeignKey("tickets.id"))
    created_at = Column(DateTime, nullable=False, default=utcnow, index=True)
    updated_at = Column(DateTime, nullable=False, default=utcnow)
    last_customer_at = Column(DateTime)
    first_response_due_at = Column(DateTime)
    first_responded_at = Column(DateTime)
    sla_due_at = Column(DateTime)  # resolution deadline; moved forward when the clock resumes
    paused_at = Column(DateTime)  # set while pending_customer: the clocks do not run
    paused_remaining = Column(JSONText)  # business seconds left on each clock when paused
    escalated_at = Column(DateTime)
    resolved_at = Column(DateTime)
    closed_at = Column(DateTime)
    csat_score = Column(Integer)
    csat_at = Column(DateTime)
    csat_asked_at = Column(DateTime)
    delivery_problem = Column(Text)  # the last reply that could not reach the customer, with what to do

    assignee = relationship("StaffUser")
    messages = relationship("TicketMessage", back_populates="ticket", order_by="TicketMessage.id",
                            cascade="all, delete-orphan")
    notes = relationship("TicketNote", back_populates="ticket", order_by="TicketNote.id",
                         cascade="all, delete-orphan")
    events = relationship("TicketEvent", back_populates="ticket", order_by="TicketEvent.id")


class TicketMessage(Base):
    """What the customer said (in) and what staff or the bot sent back (out), in order."""

    __tablename__ = "ticket_messages"

    id = Column(Integer, primary_key=True)
    ticket_id = Column(Integer, ForeignKey("tickets.id"), index=True, nullable=False)
    direction = Column(String(4), nullable=False)  # in | out
    kind = Column(String(16), nullable=False, default="text")  # text | image
    text = Column(EncryptedText)
    media_id = Column(String(256))
    media_url = Column(Text)
    author_id = Column(Integer, ForeignKey("staff_users.id"))
    author = Column(String(64))  # customer | bot | staff name | api:<client>
    # out only: the openid this message was written for. It stays with the message when the message
    # moves to another ticket (merge), so a reply never goes to whoever owns the ticket now.
    recipient = Column(String(64))
    delivery = Column(String(16))  # out only: queued | sent | failed
    delivery_error = Column(Text)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    sent_at = Column(DateTime)

    ticket = relationship("Ticket", back_populates="messages")


class TicketNote(Base):
    """Internal notes: staff only, never sent to the customer."""

    __tablename__ = "ticket_notes"

    id = Column(Integer, primary_key=True)
    ticket_id = Column(Integer, ForeignKey("tickets.id"), index=True, nullable=False)
    author = Column(String(64), nullable=False)
    text = Column(EncryptedText, nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)

    ticket = relationship("Ticket", back_populates="notes")


class TicketEvent(Base):
    """The audit trail: every action with who and when; rows are only ever added."""

    __tablename__ = "ticket_events"

    id = Column(Integer, primary_key=True)
    ticket_id = Column(Integer, ForeignKey("tickets.id"), index=True, nullable=False)
    actor = Column(String(64), nullable=False)  # customer | bot | system | staff username | api:<client>
    action = Column(String(32), nullable=False)
    detail = Column(JSONText)
    created_at = Column(DateTime, nullable=False, default=utcnow)

    ticket = relationship("Ticket", back_populates="events")


class CannedReply(Base):
    """Ready answers staff pick from instead of typing the same words every day."""

    __tablename__ = "canned_replies"

    id = Column(Integer, primary_key=True)
    title = Column(String(64), unique=True, nullable=False)
    text = Column(Text, nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class TicketCounter(Base):
    """One row per day: numbers are allocated under a row lock, so two workers never collide."""

    __tablename__ = "ticket_counters"

    day = Column(String(8), primary_key=True)
    value = Column(Integer, nullable=False, default=0)


__all__ = ["Ticket", "TicketMessage", "TicketNote", "TicketEvent", "CannedReply", "TicketCounter", "STATES",
           "PRIORITIES", "CATEGORIES", "ACTIVE_STATES"]
