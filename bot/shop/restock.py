"""「到货通知我」: watches for out-of-stock products, and telling the watchers once stock is back.

The check goes through the inventory interface, so it works for the SQL store and a merchant's
HTTP system alike; each watch is claimed with a conditional update, so two workers checking at
the same time never tell a customer twice.
"""
from __future__ import annotations

import logging

from sqlalchemy import select, update

from integrations.commerce import CommerceUnavailable

from ..models import StockWatch, utcnow
from . import wording

log = logging.getLogger(__name__)


def watch(db, openid: str, product: str) -> bool:
    """Start watching; False when this customer already waits for this product."""
    with db.session() as s:
        exists = s.execute(select(StockWatch.id).where(
            StockWatch.openid == openid, StockWatch.product == product, StockWatch.notified_at.is_(None))).first()
        if exists:
            return False
        s.add(StockWatch(openid=openid, product=product))
        return True


def stock_changed(services, product: str, before: float, after: float) -> None:
    """Call after any stock change: a rise from nothing to something queues the notifications."""
    if before <= 0 < after:
        services.queue.enqueue("check_restock", product)


def check_restock(services, product: str | None = None) -> int:
    """Queue a back-in-stock message for every watcher of a product that has stock again."""
    with services.db.session() as s:
        query = select(StockWatch.product).where(StockWatch.notified_at.is_(None)).distinct()
        if product:
            query = query.where(StockWatch.product == product)
        products = list(s.execute(query).scalars())
    told = 0
    for name in products:
        try:
            stock = services.commerce.stock(name)
        except CommerceUnavailable:
            log.warning("restock check for %s skipped: inventory unavailable", name)
            continue
        if stock is None or stock.total <= 0:
            continue
        with services.db.session() as s:
            waiting = list(s.execute(select(StockWatch.id, StockWatch.openid).where(
                StockWatch.product == name, StockWatch.notified_at.is_(None))).all())
            claimed = [(wid, openid) for wid, openid in waiting if s.execute(
                update(StockWatch).where(StockWatch.id == wid, StockWatch.notified_at.is_(None))
                .values(notified_at=utcnow())).rowcount == 1]
        for wid, openid in claimed:
            services.queue.enqueue("notify_customer", f"restock:{wid}", openid, wording.back_in_stock(stock))
        told += len(claimed)
    return told
