"""Every table, imported here so Alembic and create_all see the whole schema."""
from .base import Base, EncryptedText, JSONText, configure_data_key, utcnow
from .catalog import Product
from .channel import HandoffRequest, MessageLog, Subscriber
from .customers import Customer, CustomerOpenid, lookup_hash
from .orders import Order, OrderItem, ShipmentEvent, Stock, Warehouse

__all__ = [
    "Base", "EncryptedText", "JSONText", "configure_data_key", "utcnow", "lookup_hash",
    "Product", "HandoffRequest", "MessageLog", "Subscriber", "Customer", "CustomerOpenid",
    "Order", "OrderItem", "ShipmentEvent", "Stock", "Warehouse",
]
