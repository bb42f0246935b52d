"""Store one message's findings as masked, pseudonymous records (chat, complaints, imports)."""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import insert, select

from ..models import Customer, CustomerOpenid, FeedbackRecord, Order, OrderItem, Product, utcnow
from .analysis import Analysis, ProductMatcher, analyze
from .privacy import customer_key, mask

SOURCES = ("chat", "complaint", "receipt", "import")


def rows_for(analysis: Analysis, source: str, key: str | None, created_at: dt.datetime,
             batch: str | None = None, order_no: str | None = None) -> list[dict]:
    """Column dicts for FeedbackRecord, ready for one bulk insert."""
    message_key = uuid.uuid4().hex
    return [{**r, "message_key": message_key, "source": source, "batch": batch, "customer_key": key,
             "message_sentiment": analysis.sentiment, "score": _score_of(analysis, r), "created_at": created_at,
             "order_no": order_no}
            for r in analysis.records()]


def _score_of(analysis: Analysis, record: dict) -> float:
    return next((f.score for f in analysis.findings if f.text == record["text"]), analysis.score)


def _customer(session, openid: str) -> Customer | None:
    link = session.get(CustomerOpenid, openid)
    return link.customer if link else None


def _latest_product(session, customer: Customer | None) -> str | None:
    """The product of the customer's most recent order: what 「太沉了」 is most likely about."""
    if customer is None:
        return None
    return session.execute(
        select(Product.name).join(OrderItem, OrderItem.product_id == Product.id)
        .join(Order, Order.id == OrderItem.order_id).where(Order.customer_id == customer.id)
        .order_by(Order.created_at.desc(), Order.id.desc()).limit(1)
    ).scalar()


def record_message(services, text: str, openid: str, source: str = "chat", order_no: str | None = None,
                   product: str | None = None) -> Analysis:
    """Analyse and store a customer's message; returns the analysis (for the acknowledgement).
    A receipt check's answer names its order and product (`order_no`, `product`)."""
    if source not in SOURCES:
        raise ValueError(f"unknown feedback source {source!r}")
    matcher = ProductMatcher(services.catalog())
    with services.db.session() as s:
        customer = _customer(s, openid)
        names = tuple(n for n in [customer.name if customer else None] if n)
        analysis = analyze(mask(text, names), matcher, product=product or _latest_product(s, customer))
        key = customer_key(customer.member_id if customer else f"openid:{openid}")
        rows = rows_for(analysis, source, key, utcnow(), order_no=order_no)
        if rows:
            s.execute(insert(FeedbackRecord), rows)
    return analysis
