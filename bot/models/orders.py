"""Warehouses, stock, orders and their shipment timeline: the embedded order and inventory store."""
from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import relationship

from .base import Base, utcnow


class Warehouse(Base):
    __tablename__ = "warehouses"

    id = Column(Integer, primary_key=True)
    name = Column(String(32), unique=True, nullable=False)
    kind = Column(String(16), nullable=False)  # front (前置仓, close to customers) | central
    priority = Column(Integer, nullable=False, default=0)  # lower is asked first


class Stock(Base):
    __tablename__ = "stock"
    __table_args__ = (UniqueConstraint("product_id", "warehouse_id"),)

    id = Column(Integer, primary_key=True)
    product_id = Column(Integer, ForeignKey("products.id"), nullable=False, index=True)
    warehouse_id = Column(Integer, ForeignKey("warehouses.id"), nullable=False)
    quantity = Column(Float, nullable=False, default=0)
    restock_date = Column(Date)

    product = relationship("Product")
    warehouse = relationship("Warehouse")


class Order(Base):
    __tablename__ = "orders"

    id = Column(Integer, primary_key=True)
    order_no = Column(String(32), unique=True, nullable=False)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
    status = Column(String(32), nullable=False)  # 已付款 待发货 / 运输中 / 已签收 ...
    carrier = Column(String(32))
    tracking_no = Column(String(64))
    eta = Column(DateTime)
    created_at = Column(DateTime, nullable=False, default=utcnow)

    customer = relationship("Customer")
    items = relationship("OrderItem", back_populates="order", cascade="all, delete-orphan")
    events = relationship("ShipmentEvent", back_populates="order", cascade="all, delete-orphan",
                          order_by="ShipmentEvent.happened_at")


class OrderItem(Base):
    __tablename__ = "order_items"

    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, ForeignKey("orders.id"), nullable=False, index=True)
    product_id = Column(Integer, ForeignKey("products.id"), nullable=False)
    quantity = Column(Float, nullable=False)
    price_cents = Column(Integer, nullable=False)

    order = relationship("Order", back_populates="items")
    product = relationship("Product")


class ShipmentEvent(Base):
    """One step of the order's timeline (已下单, 已打包, 已从杭州中心仓发出, 运输中, 已签收...)."""

    __tablename__ = "shipment_events"

    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, ForeignKey("orders.id"), nullable=False, index=True)
    step = Column(String(64), nullable=False)
    location = Column(String(64))
    happened_at = Column(DateTime, nullable=False, default=utcnow)

    order = relationship("Order", back_populates="events")
