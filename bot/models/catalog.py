"""The product catalog: the NLU's product names and aliases are generated from it."""
from __future__ import annotations


from sqlalchemy import Column, Integer, String

from .base import Base, JSONText


class Product(Base):
    __tablename__ = "products"

    id = Column(Integer, primary_key=True)
    name = Column(String(64), unique=True, nullable=False)
    aliases = Column(JSONText, default=list, nullable=False)
    unit = Column(String(8), nullable=False)
    price_cents = Column(Integer, nullable=False)  # exact money: 2500 is 25.00 元
    # what customers ask about the goods (bot/faq/facts.py: origin, spec, taste, storage, shelf_life, notes)
    facts = Column(JSONText, default=dict, nullable=False, server_default="{}")
