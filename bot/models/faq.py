"""The merchant's question-and-answer book (问答库) and the questions nobody could answer yet."""
from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Integer, String, Text

from .base import Base, JSONText, utcnow


class FaqEntry(Base):
    __tablename__ = "faq_entries"

    id = Column(Integer, primary_key=True)
    question = Column(String(200), unique=True, nullable=False)  # the standard question
    variants = Column(JSONText, default=list, nullable=False)  # other phrasings the merchant taught
    answer = Column(Text, nullable=False)
    link = Column(String(500))
    enabled = Column(Boolean, nullable=False, default=True)
    updated_by = Column(String(64))  # staff username, "api" or "import"
    created_at = Column(DateTime, nullable=False, default=utcnow)
    updated_at = Column(DateTime, nullable=False, default=utcnow, index=True)


class UnansweredQuestion(Base):
    """A message the bot had no answer for, masked like feedback (no phones or addresses)."""

    __tablename__ = "unanswered_questions"

    id = Column(Integer, primary_key=True)
    text = Column(String(500), nullable=False)
    reason = Column(String(24), nullable=False)  # out_of_scope | clarify_abandoned
    created_at = Column(DateTime, nullable=False, default=utcnow, index=True)
    taught_entry_id = Column(Integer)  # set when a group of these became an FAQ entry
