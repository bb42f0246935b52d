"""One member's whole record for staff: found by phone, name, order number, openid, member id or
card, and read newest first (identities, conversations, orders, tickets, feedback, rounds, points).

Phones are found by their keyed hash; names are encrypted with a random IV, so a name search
decrypts the names of at most NAME_SCAN members and compares in memory (a shop's customer list)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..feedback.privacy import customer_key
from ..models import (Customer, CustomerOpenid, FeedbackRecord, MemberMerge, MessageLog, Order, PointsEntry,
                      ReceiptCheck, Redemption, Round, RoundEntry, Ticket, lookup_hash)

NAME_SCAN = 5000
LIMIT = 50
_PHONE = re.compile(r"1\d{10}")


def search(s: Session, query: str) -> list[Customer]:
    q = (query or "").strip()
    if not q or len(q) > 64:
        return []
    found: dict[int, Customer] = {}

    def add(rows):
        for c in rows:
            found.setdefault(c.id, c)

    if _PHONE.fullmatch(q):
        add(s.execute(select(Customer).where(Customer.phone_hash == lookup_hash(q))).scalars())
    add(s.execute(select(Customer).where(or_(Customer.member_id == q, Customer.card_no == q))).scalars())
    add(s.execute(select(Customer).join(Order, Order.customer_id == Customer.id)
                  .where(Order.order_no == q.upper())).scalars())
    add(s.execute(select(Customer).join(CustomerOpenid)
                  .where(or_(CustomerOpenid.openid == q, CustomerOpenid.unionid == q))).scalars())
    if not found:
        rows = s.execute(select(Customer).where(Customer.name.is_not(None)).order_by(Customer.id.desc())
                         .limit(NAME_SCAN)).scalars()
        add(c for c in rows if c.name and q in c.name)
    return list(found.values())[:LIMIT]


@dataclass
class Record:
    customer: Customer
    identities: list = field(default_factory=list)
    messages: list = field(default_factory=list)
    orders: list = field(default_factory=list)
    tickets: list = field(default_factory=list)
    feedback: list = field(default_factory=list)
    receipts: list = field(default_factory=list)
    rounds: list = field(default_factory=list)  # (entry, round title)
    points: list = field(default_factory=list)
    redemptions: list = field(default_factory=list)
    merges: list = field(default_factory=list)


def record(s: Session, customer: Customer) -> Record:
    cid = customer.id
    openids = [o.openid for o in customer.openids]
    r = Record(customer, identities=list(customer.openids))
    if openids:
        r.messages = list(s.execute(select(MessageLog).where(MessageLog.openid.in_(openids))
                                    .order_by(MessageLog.created_at.desc(), MessageLog.id.desc()).limit(LIMIT)).scalars())
    r.orders = list(s.execute(select(Order).where(Order.customer_id == cid)
                              .order_by(Order.created_at.desc(), Order.id.desc()).limit(LIMIT)).scalars())
    owner = Ticket.customer_id == cid
    r.tickets = list(s.execute(select(Ticket).where(or_(owner, Ticket.openid.in_(openids)) if openids else owner)
                               .order_by(Ticket.created_at.desc(), Ticket.id.desc()).limit(LIMIT)).scalars())
    r.feedback = list(s.execute(select(FeedbackRecord).where(FeedbackRecord.customer_key == customer_key(customer.member_id))
                                .order_by(FeedbackRecord.created_at.desc(), FeedbackRecord.id.desc()).limit(LIMIT)).scalars())
    r.receipts = list(s.execute(select(ReceiptCheck).where(ReceiptCheck.customer_id == cid)
                                .order_by(ReceiptCheck.created_at.desc(), ReceiptCheck.id.desc()).limit(LIMIT)).scalars())
    mine = RoundEntry.customer_id == cid
    r.rounds = [(e, title) for e, title in s.execute(
        select(RoundEntry, Round.title).join(Round, Round.id == RoundEntry.round_id)
        .where(or_(mine, RoundEntry.openid.in_(openids)) if openids else mine)
        .order_by(RoundEntry.created_at.desc(), RoundEntry.id.desc()).limit(LIMIT)).all()]
    r.points = list(s.execute(select(PointsEntry).where(PointsEntry.customer_id == cid)
                              .order_by(PointsEntry.created_at.desc(), PointsEntry.id.desc()).limit(LIMIT * 2)).scalars())
    r.redemptions = list(s.execute(select(Redemption).where(Redemption.customer_id == cid)
                                   .order_by(Redemption.id.desc()).limit(LIMIT)).scalars())
    r.merges = list(s.execute(select(MemberMerge).where(or_(MemberMerge.kept_member_id == customer.member_id,
                                                            MemberMerge.merged_member_id == customer.member_id))
                              .order_by(MemberMerge.id.desc())).scalars())
    return r
