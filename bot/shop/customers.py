"""Which customer an openid belongs to, and binding an openid by phone plus one of their orders."""
from __future__ import annotations

from sqlalchemy import bindparam, select

from ..members.identity import bind_openid
from ..models import Customer, CustomerOpenid


_MEMBER_ID = select(Customer.member_id).join(CustomerOpenid).where(CustomerOpenid.openid == bindparam("openid"))


def member_id_for(db, openid: str) -> str | None:
    """The member id this openid is bound to, or None for a stranger. On a plain connection with a
    statement built once: order questions ask it per message (issue 17)."""
    with db.engine.connect() as conn:
        return conn.execute(_MEMBER_ID, {"openid": openid}).scalar()


def customer_by_phone_hash(db, phone_hash: str) -> tuple[str, str] | None:
    """(member id, name) of the customer whose phone has this keyed hash: the number itself is
    neither needed nor kept (bot/handlers/account.py holds only the hash between two messages)."""
    with db.session() as s:
        row = s.execute(select(Customer).where(Customer.phone_hash == phone_hash)).scalar()
        return (row.member_id, row.name) if row else None


def openids_of(db, member_id: str) -> list[str]:
    with db.session() as s:
        return list(s.execute(select(CustomerOpenid.openid).join(Customer)
                              .where(Customer.member_id == member_id)).scalars())


def bind(db, openid: str, member_id: str) -> str | None:
    """Bind (or move) this openid to the member: idempotent, one transaction. A member made for the
    openid before it was bound (points from a round, no phone) is merged in; returns its id."""
    with db.session() as s:
        return bind_openid(s, openid, member_id)
