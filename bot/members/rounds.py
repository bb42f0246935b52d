"""Points for joining a round that succeeded (POINTS_FOR_ROUND), once per entry.

Awarded by the worker's minute sweep rather than inside the round's own transaction: the round
code keeps one lock (the round's), and a missed minute is caught up the next, since each award is
keyed by its entry (`round:<round>:<entry>`)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..models import PointsEntry, Round, RoundEntry, utcnow
from . import points
from .identity import ensure_member

LOOK_BACK = dt.timedelta(days=30)


def award_round_points(services) -> int:
    per_entry = services.config.POINTS_FOR_ROUND
    if per_entry <= 0:
        return 0
    with services.db.session() as s:
        rows = s.execute(select(RoundEntry.id, RoundEntry.openid, Round.id, Round.title)
                         .join(Round, Round.id == RoundEntry.round_id)
                         .where(Round.status.in_(("closed", "fulfilled")), RoundEntry.status == "joined",
                                Round.ended_at >= utcnow() - LOOK_BACK)).all()
        wanted = {f"round:{rid}:{eid}": (openid, title) for eid, openid, rid, title in rows}
        done = set(s.execute(select(PointsEntry.source).where(PointsEntry.source.in_(list(wanted)))).scalars()) \
            if wanted else set()
    awarded = 0
    for source, (openid, title) in wanted.items():
        if source in done:
            continue
        try:
            with services.db.session() as s:
                customer = ensure_member(s, openid)
                if points.award(s, services.config, customer.id, per_entry, f"参加「{title}」成团", source):
                    awarded += 1
        except IntegrityError:  # another worker made the member or the award first: nothing lost
            continue
    return awarded
