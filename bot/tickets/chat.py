"""The customer's words joining their open ticket, on the webhook's path: prepared statements.

A customer with an open ticket has every message added to it (staff see every word), so this runs
on most of their messages. Through the ORM (load the ticket, add a message and an audit row, flush
the unit of work, commit) it cost about 1.5 ms of CPU a message; the same statements on a Core
connection 0.3 ms, and prepared on the driver's connection (bot/infra/prepared.py) less again (issue 17). Only the plain case goes this way: words that change the ticket
(it waits on the customer, they reclassify it, they bring an order or a product to link) return
None and the caller goes through `service.add_customer_message`, so those rules live in one place.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, or_, select

from ..infra.prepared import Prepared, transaction
from ..models import Ticket, TicketEvent, TicketMessage, utcnow
from ..models.tickets import ACTIVE_STATES
from .service import reclassified

_T, _M, _E = Ticket.__table__, TicketMessage.__table__, TicketEvent.__table__
# `pending_customer` is left out: the customer's words move that ticket back to open (service._move).
PLAIN_STATES = ("new", "open")
HANDLED = ("complaint", "handoff")  # service.open_ticket_for's default kinds


@dataclass
class Noted:
    number: str
    order_no: str | None


def _open_statement(kinds: tuple[str, ...]):
    """What service.open_ticket_for finds, as the columns this module reads (the IN lists spelled
    out: a prepared statement has no expanding parameters)."""
    return Prepared(
        select(_T.c.id, _T.c.number, _T.c.kind, _T.c.state, _T.c.category, _T.c.priority, _T.c.order_no,
               _T.c.product)
        .where(_T.c.openid == bindparam("openid"), or_(*[_T.c.state == s for s in ACTIVE_STATES]),
               or_(*[_T.c.kind == k for k in kinds]))
        .order_by(_T.c.id.desc()).limit(1))


_OPEN = {kinds: _open_statement(kinds) for kinds in (HANDLED, ("complaint",))}
_TOUCH = Prepared(_T.update().where(_T.c.id == bindparam("_id"))
                  .values(last_customer_at=bindparam("_customer_at"), updated_at=bindparam("_updated_at")))
_MESSAGE_COLUMNS = ("ticket_id", "direction", "kind", "text", "media_id", "media_url", "author", "created_at")
_ADD_MESSAGE = Prepared(_M.insert(), _MESSAGE_COLUMNS)
_EVENT_COLUMNS = ("ticket_id", "actor", "action", "detail", "created_at")
_ADD_EVENT = Prepared(_E.insert(), _EVENT_COLUMNS)


def add_words(db, openid: str, text: str | None, order_no=None, product=None,
              kinds: tuple[str, ...] = HANDLED) -> Noted | None:
    """Adds a text message to the customer's open ticket, as service.add_customer_message would,
    when it changes nothing else. `order_no` and `product` are what the caller would link (a ticket
    without them gets them: not plain). None: no open ticket, or not plain; nothing was written."""
    with transaction(db.engine) as tx:
        row = tx.first(_OPEN[kinds], {"openid": openid})
        if row is None or not _plain(row, text, order_no, product):
            return None
        now = utcnow()
        updated = utcnow()  # service.audit stamps the ticket after the message, as here
        tx.run(_TOUCH, {"_id": row.id, "_customer_at": now, "_updated_at": updated})
        tx.run(_ADD_MESSAGE, {"ticket_id": row.id, "direction": "in", "kind": "text", "text": text,
                              "media_id": None, "media_url": None, "author": "customer", "created_at": now})
        tx.run(_ADD_EVENT, {"ticket_id": row.id, "actor": "customer", "action": "message", "detail": None,
                            "created_at": updated})
    return Noted(row.number, row.order_no)


def _plain(row, text: str | None, order_no, product) -> bool:
    if row.state not in PLAIN_STATES:
        return False
    if (order_no and not row.order_no) or (product and not row.product):
        return False
    return not text or reclassified(row, text) is None
