"""A customer's copy of their data, and its erasure, from the same search (`subject.find`).

Erasure deletes every row found (children first, in one transaction, with an audit row that says
who erased how many rows per table and nothing about whom) and then every key in the store that
carries one of the customer's openids (conversation state, dedup keys, rate-limit windows, the
dev outbox). Rows held elsewhere are out of reach: the spool directory (emptied within seconds
when the database answers) and database backups (they expire on their own schedule; see SECURITY.md).
"""
from __future__ import annotations

import datetime as dt
import decimal
import json
import logging

from sqlalchemy import delete, tuple_, update

from .. import clock
from ..models import Base, Erasure
from .subject import Found, find, identify

log = logging.getLogger(__name__)
CHUNK = 500  # ids per DELETE: well under every database's limit on bound parameters


def _plain(value):
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    return value


def _store_entries(store, openids) -> dict[str, object]:
    keys = sorted({k for openid in openids for k in store.keys_containing(openid)})
    return {k: store.read(k) for k in keys}


def export(services, openid: str) -> dict:
    """Everything held about the customer of `openid`, decrypted, as plain JSON-ready data."""
    with services.db.session() as s:
        subject = identify(s, openid)
        found = find(s, subject)
    return {
        "openid": openid, "openids": sorted(subject.openids), "exported_at": clock.iso_local(clock.utcnow()),
        "tables": {name: [{k: _plain(v) for k, v in row.items()} for row in rows]
                   for name, rows in found.rows.items()},
        "store": _store_entries(services.store, subject.openids),
    }


def export_json(services, openid: str) -> str:
    return json.dumps(export(services, openid), ensure_ascii=False, indent=2, default=str)


def _delete(s, found: Found) -> None:
    for column, values in found.detach:
        for chunk in _chunks(sorted(values)):
            s.execute(update(column.table).where(column.in_(chunk)).values({column.name: None}))
    for table in reversed(Base.metadata.sorted_tables):
        rows = found.rows.get(table.name)
        if not rows:
            continue
        keys = list(table.primary_key.columns)
        ids = sorted({tuple(r[c.name] for c in keys) for r in rows})
        for chunk in _chunks(ids):
            where = keys[0].in_([i[0] for i in chunk]) if len(keys) == 1 else tuple_(*keys).in_(chunk)
            s.execute(delete(table).where(where))


def _chunks(items: list) -> list[list]:
    return [items[i:i + CHUNK] for i in range(0, len(items), CHUNK)]


def erase(services, openid: str, erased_by: str) -> dict:
    """Delete the customer's rows and store keys; returns {"rows": {table: n}, "store_keys": n}."""
    with services.db.session() as s:
        subject = identify(s, openid)
        found = find(s, subject)
        _delete(s, found)
        audit = Erasure(erased_by=erased_by[:64], rows=found.counts(), store_keys=0)
        s.add(audit)
        s.flush()
        audit_id = audit.id
    keys = sorted({k for o in subject.openids for k in services.store.keys_containing(o)})
    for key in keys:
        services.store.delete(key)
    with services.db.session() as s:
        s.get(Erasure, audit_id).store_keys = len(keys)
    log.info("erasure %s by %s: %s rows, %s store keys", audit_id, erased_by, sum(found.counts().values()), len(keys))
    return {"rows": found.counts(), "store_keys": len(keys), "audit_id": audit_id}
