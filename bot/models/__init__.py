"""Every table, imported here so Alembic and create_all see the whole schema."""
from .base import Base, EncryptedJSON, EncryptedText, JSONText, configure_data_key, utcnow
from .catalog import Product
from .channel import MessageLog, Subscriber
from .customers import Customer, CustomerOpenid, lookup_hash
from .faq import FaqEntry, UnansweredQuestion
from .feedback import FeedbackRecord
from .forecast import DemandDay, ForecastRow
from .members import MemberMerge, PointsEntry, ReceiptCheck, Redemption, Reward
from .order_requests import OrderRequest
from .order_updates import OrderUpdate
from .orders import Order, OrderItem, ShipmentEvent, Stock, Warehouse
from .privacy import Erasure
from .rounds import Round, RoundEntry, RoundEvent, RoundNotification
from .staff import StaffUser
from .stock_watches import StockWatch
from .tickets import CannedReply, Ticket, TicketCounter, TicketEvent, TicketMessage, TicketNote

__all__ = [
    "Base", "EncryptedJSON", "EncryptedText", "JSONText", "configure_data_key", "utcnow", "lookup_hash",
    "Product", "MessageLog", "Subscriber", "Customer", "CustomerOpenid",
    "Order", "OrderItem", "ShipmentEvent", "Stock", "Warehouse", "OrderUpdate", "StockWatch",
    "Round", "RoundEntry", "RoundEvent", "RoundNotification",
    "StaffUser", "CannedReply", "Ticket", "TicketCounter", "TicketEvent", "TicketMessage", "TicketNote",
    "FeedbackRecord", "FaqEntry", "UnansweredQuestion", "OrderRequest", "Erasure",
    "PointsEntry", "Reward", "Redemption", "MemberMerge", "ReceiptCheck",
    "DemandDay", "ForecastRow",
]
