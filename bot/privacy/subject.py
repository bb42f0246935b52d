"""Every row held about one customer, found from the schema rather than from a list of tables.

A row is the customer's when a column holding an openid (`openid`, `*_openid`, `recipient`,
`actor`) holds one of theirs, when a foreign key points at their `customers` row, when it carries
their phone hash or their feedback pseudonym, or when it depends on such a row through a required
foreign key (a ticket's messages, an order's items) or an order number. A nullable foreign key from
someone else's row (a ticket merged into theirs) is cut, not followed. A table added later (points,
members) is covered as soon as it has one of these columns.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Column, Table, or_, select
from sqlalchemy.orm import Session

from ..feedback.privacy import customer_key
from ..models import Base, Customer, CustomerOpenid

OPENID_COLUMNS = ("openid", "recipient", "actor")


def holds_openid(column: Column) -> bool:
    return column.name in OPENID_COLUMNS or column.name.endswith("_openid")


def _to_customers(column: Column) -> bool:
    return any(fk.column.table.name == Customer.__tablename__ for fk in column.foreign_keys)


@dataclass
class Subject:
    """One person: every openid bound to them, their customer rows and what identifies them."""

    openids: set[str]
    customer_ids: set[int] = field(default_factory=set)
    phone_hashes: set[str] = field(default_factory=set)
    feedback_keys: set[str] = field(default_factory=set)


def identify(s: Session, openid: str) -> Subject:
    subject = Subject({openid})
    link = s.get(CustomerOpenid, openid)
    if link is not None:
        customer = link.customer
        subject.customer_ids.add(customer.id)
        subject.openids.update(o.openid for o in customer.openids)
        if customer.phone_hash:
            subject.phone_hashes.add(customer.phone_hash)
        subject.feedback_keys.add(customer_key(customer.member_id))
    subject.feedback_keys.update(customer_key(f"openid:{o}") for o in subject.openids)
    return subject


@dataclass
class Found:
    rows: dict[str, list[dict]]  # table -> the customer's rows, parents before children
    detach: list[tuple[Column, set]]  # someone else's nullable links to those rows, to be cut

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.rows.items()}


def _seed(table: Table, subject: Subject) -> list:
    conditions = []
    for column in table.columns:
        if holds_openid(column):
            conditions.append(column.in_(sorted(subject.openids)))
        elif subject.customer_ids and (_to_customers(column) or (
                table.name == Customer.__tablename__ and column.primary_key)):
            conditions.append(column.in_(sorted(subject.customer_ids)))
        elif column.name == "phone_hash" and subject.phone_hashes:
            conditions.append(column.in_(sorted(subject.phone_hashes)))
        elif column.name == "customer_key" and subject.feedback_keys:
            conditions.append(column.in_(sorted(subject.feedback_keys)))
    return conditions


def find(s: Session, subject: Subject) -> Found:
    rows: dict[str, list[dict]] = {}
    for table in Base.metadata.sorted_tables:
        conditions = _seed(table, subject)
        for fk in table.foreign_keys:
            parents = rows.get(fk.column.table.name)
            if parents and not fk.parent.nullable:
                conditions.append(fk.parent.in_({r[fk.column.name] for r in parents}))
        if "order_no" in table.c and table.name != "orders" and rows.get("orders"):
            conditions.append(table.c.order_no.in_({r["order_no"] for r in rows["orders"]}))
        if conditions:
            found = [dict(r) for r in s.execute(select(table).where(or_(*conditions))).mappings()]
            if found:
                rows[table.name] = found
    detach = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            parents = rows.get(fk.column.table.name)
            if parents and fk.parent.nullable and not _to_customers(fk.parent):
                detach.append((fk.parent, {r[fk.column.name] for r in parents}))
    return Found(rows, detach)
