"""Which member an identity belongs to, and making two members one.

A WeChat identity is an openid (per official account); WeChat's `unionid`, when it is sent, is the
same for one person on all of the merchant's accounts and mini programs, so an openid arriving with
a known unionid joins that member. Merging moves everything a member owns (identities, orders,
tickets, round entries, points, redemptions, receipt checks, feedback pseudonyms) and writes an
audit row; the merged member row stays, empty, so old references still resolve.
"""
from __future__ import annotations

import secrets

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..models import (Customer, CustomerOpenid, FeedbackRecord, MemberMerge, Order, PointsEntry, ReceiptCheck,
                      Redemption, RoundEntry, Ticket)
from ..feedback.privacy import customer_key


class MemberError(ValueError):
    """A request about members that cannot be done as asked; the message is for staff."""


def member_for_openid(s: Session, openid: str) -> Customer | None:
    link = s.get(CustomerOpenid, openid)
    return link.customer if link else None


def ensure_member(s: Session, openid: str, unionid: str | None = None, appid: str | None = None) -> Customer:
    """The member of this openid, created (no phone yet, member id W…) for a newcomer; an openid
    with a unionid another identity already has joins that identity's member."""
    link = s.get(CustomerOpenid, openid)
    if link is not None:
        if unionid and not link.unionid:
            link.unionid = unionid
        return link.customer
    customer = None
    if unionid:
        customer = s.execute(select(Customer).join(CustomerOpenid)
                             .where(CustomerOpenid.unionid == unionid).limit(1)).scalar()
    if customer is None:
        customer = Customer(member_id="W" + secrets.token_hex(6).upper(), role="customer")
        s.add(customer)
        s.flush()
    s.add(CustomerOpenid(openid=openid, customer_id=customer.id, unionid=unionid, appid=appid))
    s.flush()
    return customer


def link_identity(s: Session, openid: str, unionid: str, appid: str | None = None,
                  actor: str = "system") -> Customer:
    """WeChat told us this openid's unionid (user info, a mini program login): the openid joins
    the member that already has the unionid; when the openid already had a member of its own, the
    two are one person and are merged (the one with a phone, else the older one, is kept)."""
    unionid = (unionid or "").strip()
    if not unionid or len(unionid) > 64:
        raise MemberError("unionid 不能为空，最多 64 个字符。")
    mine = member_for_openid(s, openid)
    theirs = s.execute(select(Customer).join(CustomerOpenid).where(CustomerOpenid.unionid == unionid,
                                                                     CustomerOpenid.openid != openid)
                       .limit(1)).scalar()
    if mine is None:
        return ensure_member(s, openid, unionid, appid)
    link = s.get(CustomerOpenid, openid)
    link.unionid, link.appid = unionid, appid or link.appid
    if theirs is None or theirs.id == mine.id:
        return mine
    kept, gone = sorted((mine, theirs), key=lambda c: (c.phone_hash is None, c.id))
    merge(s, kept.member_id, gone.member_id, actor, reason=f"同一 unionid（{openid}）")
    return kept


def _move(s: Session, model, column, old: int, new: int) -> int:
    return s.execute(update(model).where(column == old).values({column.key: new})
                     .execution_options(synchronize_session=False)).rowcount or 0


def merge(s: Session, kept_member_id: str, merged_member_id: str, actor: str, reason: str | None = None) -> dict:
    """Everything of `merged_member_id` now belongs to `kept_member_id`, in the caller's
    transaction. Both rows are locked in id order first, so a merge and a points change on either
    member never interleave."""
    if kept_member_id == merged_member_id:
        raise MemberError("不能把会员合并到它自己。")
    rows = {c.member_id: c for c in s.execute(select(Customer).where(
        Customer.member_id.in_([kept_member_id, merged_member_id]))).scalars()}
    for wanted in (kept_member_id, merged_member_id):
        if wanted not in rows:
            raise MemberError(f"没有这个会员：{wanted}")
    kept, gone = rows[kept_member_id], rows[merged_member_id]
    for cid in sorted((kept.id, gone.id)):
        s.execute(update(Customer).where(Customer.id == cid).values(points_balance=Customer.points_balance))
    s.refresh(kept)
    s.refresh(gone)
    moved = {
        "identities": _move(s, CustomerOpenid, CustomerOpenid.customer_id, gone.id, kept.id),
        "orders": _move(s, Order, Order.customer_id, gone.id, kept.id),
        "tickets": _move(s, Ticket, Ticket.customer_id, gone.id, kept.id),
        "round_entries": _move(s, RoundEntry, RoundEntry.customer_id, gone.id, kept.id),
        "points_entries": _move(s, PointsEntry, PointsEntry.customer_id, gone.id, kept.id),
        "redemptions": _move(s, Redemption, Redemption.customer_id, gone.id, kept.id),
        "receipt_checks": _move(s, ReceiptCheck, ReceiptCheck.customer_id, gone.id, kept.id),
        "feedback": s.execute(update(FeedbackRecord)
                              .where(FeedbackRecord.customer_key == customer_key(gone.member_id))
                              .values(customer_key=customer_key(kept.member_id))
                              .execution_options(synchronize_session=False)).rowcount or 0,
    }
    kept.points_balance += gone.points_balance
    gone.points_balance = 0
    for name in ("name", "phone", "card_no"):
        if getattr(kept, name) is None and getattr(gone, name) is not None:
            value = getattr(gone, name)
            if name == "phone":
                gone.set_phone(None)
                s.flush()
                kept.set_phone(value)
            elif name == "card_no":
                gone.card_no = None
                s.flush()
                kept.card_no = value
            else:
                kept.name = value
    kept.receipt_opt_out = kept.receipt_opt_out or gone.receipt_opt_out
    s.add(MemberMerge(kept_member_id=kept.member_id, merged_member_id=gone.member_id, actor=actor,
                      reason=reason, moved=moved))
    s.flush()
    check = s.execute(select(func.coalesce(func.sum(PointsEntry.delta), 0))
                      .where(PointsEntry.customer_id == kept.id)).scalar()
    if check != kept.points_balance:  # never commit a merge that breaks the ledger
        raise MemberError("积分合并后余额与流水不符，已撤销合并。")
    return moved


def bind_openid(s: Session, openid: str, member_id: str, actor: str = "customer") -> str | None:
    """Bind (or move) an openid to a member. When the openid already belonged to a member with no
    phone of its own (made for it before binding), that member is merged into this one so its
    points and history follow; returns the merged member id, if any."""
    target = s.execute(select(Customer).where(Customer.member_id == member_id)).scalar_one()
    link = s.get(CustomerOpenid, openid)
    if link is None:
        s.add(CustomerOpenid(openid=openid, customer_id=target.id))
        return None
    if link.customer_id == target.id:
        return None
    previous = link.customer
    if previous.phone_hash is None and previous.role == "customer":
        merge(s, target.member_id, previous.member_id, actor, reason=f"绑定手机号时合并（{openid}）")
        return previous.member_id
    link.customer_id = target.id
    return None
