"""Demo data seeded by `make run` (idempotent): the contract listed in the README."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from .models import Product

# name, aliases, unit, price, stock (西湖前置仓, 杭州中心仓), restock in days
PRODUCTS = [
    ("丹东草莓", ["草莓"], "斤", "25", (30, 120), None),
    ("散养土鸡蛋", ["土鸡蛋", "鸡蛋"], "斤", "12", (0, 80), None),
    ("赣南脐橙", ["脐橙", "橙子"], "斤", "8", (50, 300), None),
    ("红富士苹果", ["苹果"], "斤", "7", (40, 200), None),
    ("纯牛奶", ["牛奶"], "箱", "60", (10, 40), None),
    ("原味薯片", ["薯片"], "包", "6", (100, 0), None),
    ("番茄味薯片", [], "包", "6", (80, 0), None),
    ("玫瑰手工皂", ["玫瑰皂", "手工皂"], "块", "18", (0, 0), 7),
    ("牙膏", [], "支", "15", (20, 60), None),
    ("抽纸", ["纸巾"], "提", "20", (15, 90), None),
    ("折叠雨伞", ["雨伞"], "把", "39", (5, 30), None),
    ("防晒衣", [], "件", "89", (0, 25), None),
    ("陶瓷杯", ["杯子"], "个", "35", (8, 20), None),
]


def seed_products(session) -> int:
    existing = set(session.execute(select(Product.name)).scalars())
    added = 0
    for name, aliases, unit, price, _stock, _restock in PRODUCTS:
        if name not in existing:
            session.add(Product(name=name, aliases=aliases, unit=unit, price_cents=int(Decimal(price) * 100)))
            added += 1
    return added


def seed(services) -> dict:
    with services.db.session() as s:
        counts = {"products": seed_products(s)}
    services.refresh_catalog()
    return counts
