"""The embedded order and inventory store (the default): the bot's own tables are the system."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..models import Customer, Order, OrderItem, Product, ShipmentEvent, Stock, Warehouse, utcnow

from integrations.commerce import OrderInfo, OrderLine, RequestAnswer, StockInfo, TimelineStep, WarehouseStock, judge_request


def _info(order: Order) -> OrderInfo:
    return OrderInfo(
        order_no=order.order_no, member_id=order.customer.member_id, status=order.status,
        created_at=order.created_at, carrier=order.carrier, tracking_no=order.tracking_no, eta=order.eta,
        items=[OrderLine(i.product.name, i.quantity, i.product.unit) for i in order.items],
        timeline=[TimelineStep(e.step, e.happened_at, e.location) for e in order.events],
    )


_LOADS = (selectinload(Order.customer), selectinload(Order.items).selectinload(OrderItem.product),
          selectinload(Order.events))


class SqlCommerce:
    kind = "sql"

    def __init__(self, db) -> None:
        self.db = db

    def order(self, order_no: str) -> OrderInfo | None:
        with self.db.session() as s:
            order = s.execute(select(Order).options(*_LOADS).where(Order.order_no == order_no)).scalar()
            return _info(order) if order else None

    def recent_orders(self, member_id: str, limit: int = 3) -> list[OrderInfo]:
        with self.db.session() as s:
            rows = s.execute(
                select(Order).options(*_LOADS).join(Customer).where(Customer.member_id == member_id)
                .order_by(Order.created_at.desc(), Order.id.desc()).limit(limit)
            ).scalars()
            return [_info(o) for o in rows]

    def stock(self, product: str) -> StockInfo | None:
        with self.db.session() as s:
            item = s.execute(select(Product).where(Product.name == product)).scalar()
            if item is None:
                return None
            rows = s.execute(select(Stock, Warehouse).join(Warehouse).where(Stock.product_id == item.id)
                             .order_by(Warehouse.priority, Warehouse.id)).all()
            return StockInfo(item.name, item.unit, item.price_cents, [
                WarehouseStock(w.name, w.kind, w.priority, st.quantity, st.restock_date) for st, w in rows])

    def submit_request(self, order_no: str, request_id: str, kind: str, details: dict) -> RequestAnswer:
        """The embedded store has no warehouse system behind it: the request is judged by the same
        rule an order system would apply and staff carry it out from its ticket."""
        order = self.order(order_no)
        if order is None:
            return RequestAnswer("refused", "没有找到这个订单")
        return judge_request(order, kind)

    # Writes: used by the order webhook (status changes) and staff commands (stock counts).

    def set_stock(self, product: str, warehouse: str, quantity: float,
                  restock_date: dt.date | None = None) -> tuple[float, float]:
        """Set one warehouse's count; returns the product's total (before, after) across warehouses."""
        if quantity < 0:
            raise ValueError("库存数量不能为负数")
        with self.db.session() as s:
            item = s.execute(select(Product).where(Product.name == product)).scalar()
            house = s.execute(select(Warehouse).where(Warehouse.name == warehouse)).scalar()
            if item is None or house is None:
                raise LookupError(f"没有这个{'商品' if item is None else '仓库'}：{product if item is None else warehouse}")
            before = s.execute(select(func.coalesce(func.sum(Stock.quantity), 0))
                               .where(Stock.product_id == item.id)).scalar()
            row = s.execute(select(Stock).where(Stock.product_id == item.id, Stock.warehouse_id == house.id)
                            .with_for_update()).scalar()
            if row is None:
                row = Stock(product_id=item.id, warehouse_id=house.id)
                s.add(row)
                old = 0.0
            else:
                old = row.quantity
            row.quantity = quantity
            row.restock_date = restock_date if quantity <= 0 else None
            return float(before), float(before) - old + quantity

    def apply_update(self, session, order_no: str, status: str, step: str, location: str | None,
                     happened_at: dt.datetime | None, **extra) -> str | None:
        """A pushed status change, inside the caller's transaction: the owner's member id, or None
        when there is no such order."""
        order = session.execute(select(Order).where(Order.order_no == order_no).with_for_update()).scalar()
        if order is None:
            return None
        order.status = status
        for name in ("carrier", "tracking_no", "eta"):
            if extra.get(name) is not None:
                setattr(order, name, extra[name])
        order.events.append(ShipmentEvent(step=step, location=location, happened_at=happened_at or utcnow()))
        return order.customer.member_id
