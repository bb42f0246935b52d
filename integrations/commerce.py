"""The order and inventory systems as the bot sees them: one small interface, two implementations
(the embedded SQL store in `sql_commerce.py`, a merchant's HTTP system in `http_commerce.py`).

The dataclasses here are also the JSON contract of `integrations/README.md`: `to_json` and
`from_json` are used by the HTTP client and the reference server alike, so they cannot drift.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Protocol


class CommerceUnavailable(Exception):
    """The order or inventory system did not answer usefully (down, slow, breaker open)."""


def _time(value: str | None) -> dt.datetime | None:
    """ISO 8601 in, naive UTC out (how the database keeps times)."""
    if not value:
        return None
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return parsed


def _iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.replace(tzinfo=dt.timezone.utc).isoformat().replace("+00:00", "Z")


@dataclass
class TimelineStep:
    step: str
    time: dt.datetime
    location: str | None = None


@dataclass
class OrderLine:
    product: str
    quantity: float
    unit: str


@dataclass
class OrderInfo:
    order_no: str
    member_id: str  # whose order it is: the unified id the merchant knows the customer by
    status: str
    created_at: dt.datetime
    items: list[OrderLine] = field(default_factory=list)
    timeline: list[TimelineStep] = field(default_factory=list)
    carrier: str | None = None
    tracking_no: str | None = None
    eta: dt.datetime | None = None

    def to_json(self) -> dict:
        data = asdict(self)
        data["created_at"], data["eta"] = _iso(self.created_at), _iso(self.eta)
        data["timeline"] = [{**asdict(s), "time": _iso(s.time)} for s in self.timeline]
        return data

    @classmethod
    def from_json(cls, data: dict) -> "OrderInfo":
        return cls(
            order_no=data["order_no"], member_id=data["member_id"], status=data["status"],
            created_at=_time(data["created_at"]), carrier=data.get("carrier"),
            tracking_no=data.get("tracking_no"), eta=_time(data.get("eta")),
            items=[OrderLine(i["product"], float(i["quantity"]), i["unit"]) for i in data.get("items") or []],
            timeline=[TimelineStep(s["step"], _time(s["time"]), s.get("location")) for s in data.get("timeline") or []],
        )


@dataclass
class WarehouseStock:
    warehouse: str
    kind: str  # front (前置仓) | central
    priority: int  # lower is closer to the customer, shown first
    quantity: float
    restock_date: dt.date | None = None


@dataclass
class StockInfo:
    product: str
    unit: str
    price_cents: int
    warehouses: list[WarehouseStock] = field(default_factory=list)

    @property
    def total(self) -> float:
        return sum(w.quantity for w in self.warehouses)

    def to_json(self) -> dict:
        data = asdict(self)
        for w in data["warehouses"]:
            w["restock_date"] = w["restock_date"].isoformat() if w["restock_date"] else None
        return data

    @classmethod
    def from_json(cls, data: dict) -> "StockInfo":
        houses = [WarehouseStock(w["warehouse"], w["kind"], int(w["priority"]), float(w["quantity"]),
                                 dt.date.fromisoformat(w["restock_date"]) if w.get("restock_date") else None)
                  for w in data.get("warehouses") or []]
        return cls(data["product"], data["unit"], int(data["price_cents"]), sorted(houses, key=lambda w: w.priority))


@dataclass
class RequestAnswer:
    """What the order system said to a customer's request on an order: `accepted` (it will be
    done), `refused` with a reason the customer may read (already shipped), or `recorded` (no
    system to ask: staff do it from the ticket)."""

    status: str
    reason: str | None = None


# Changes that only make sense before the goods leave the warehouse
BEFORE_SHIPPING = ("address", "delivery_time", "quantity", "contact", "pickup")
_SHIPPED_WORDS = ("运输", "已发货", "派送", "配送中", "签收", "送达", "出库")


def shipped(order: "OrderInfo") -> bool:
    if "待发货" in order.status or "未发货" in order.status:
        return False
    return any(word in order.status for word in _SHIPPED_WORDS)


def judge_request(order: "OrderInfo", kind: str) -> RequestAnswer:
    """The embedded store's (and the reference server's) rule: a change of address, time,
    quantity, contact or pick-up is possible until the order ships; hurrying and invoices always."""
    if kind in BEFORE_SHIPPING and shipped(order):
        return RequestAnswer("refused", f"订单已经{order.status}，不能再修改")
    return RequestAnswer("accepted")


class Commerce(Protocol):
    """What the bot asks; `None` means "no such thing", `CommerceUnavailable` means "ask later"."""

    kind: str

    def order(self, order_no: str) -> OrderInfo | None: ...
    def recent_orders(self, member_id: str, limit: int = 3) -> list[OrderInfo]: ...
    def stock(self, product: str) -> StockInfo | None: ...
    def submit_request(self, order_no: str, request_id: str, kind: str, details: dict) -> RequestAnswer: ...
