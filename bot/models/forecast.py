"""Demand by product and day beyond the orders table, and the forecasts the worker computed.

`demand_days` holds what orders and round entries cannot tell: sales recorded elsewhere (the till,
an import, the demo's 120 days) and the days a product was out of stock, whose sales understate
demand. `forecasts` is the cache a request reads, so no request waits for a model fit.
"""
from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, DateTime, Float, ForeignKey, Integer, String, UniqueConstraint

from .base import Base, JSONText, utcnow


class DemandDay(Base):
    __tablename__ = "demand_days"
    __table_args__ = (UniqueConstraint("product_id", "day", name="uq_demand_days_product_day"),)

    id = Column(Integer, primary_key=True)
    product_id = Column(Integer, ForeignKey("products.id"), nullable=False, index=True)
    day = Column(Date, nullable=False)  # the shop's day
    quantity = Column(Float, nullable=False, default=0)  # sold outside orders and rounds
    stockout = Column(Boolean, nullable=False, default=False)  # out of stock for (part of) the day


class ForecastRow(Base):
    __tablename__ = "forecasts"

    id = Column(Integer, primary_key=True)
    product_id = Column(Integer, ForeignKey("products.id"), nullable=False, unique=True)
    method = Column(String(32), nullable=False)
    note = Column(String(200))
    mase = Column(Float)
    history_end = Column(Date, nullable=False)  # last day of history the fit saw
    points = Column(JSONText, nullable=False, default=list)  # [{"date", "mean", "lo", "hi"}]
    computed_at = Column(DateTime, nullable=False, default=utcnow)
