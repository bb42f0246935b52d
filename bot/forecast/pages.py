"""What /console/demand shows beyond the heat table: a chart per product (history, forecast and its
80% interval) and the restock table, all from cached forecasts (the page never waits for a fit)."""
from __future__ import annotations

from .charts import forecast_svg
from .replenish import suggestions
from .service import current_points, forecast_json


def rounds_outlook(services) -> list[dict]:
    """Open rounds with their outlook, for staff only (an estimate, never shown to customers)."""
    from sqlalchemy import select

    from ..models import Round
    from .outlook import outlook, say

    out = []
    with services.db.session() as s:
        for r in s.execute(select(Round).where(Round.status == "open").order_by(Round.deadline)).scalars():
            o = outlook(r, entries=list(r.entries))
            joined = sum(e.quantity for e in r.entries if e.status == "joined")
            out.append({"id": r.id, "title": r.title, "unit": r.unit, "min_total": r.min_total, "total": joined,
                        "outlook": o, "text": say(o, r.unit)})
    return out


def demand_outlook(services, days: int = 14) -> tuple[list[dict], list[dict]]:
    points = current_points(services, days)
    charts = []
    for name in points:
        data = forecast_json(services, name, days)
        if data is None or not data["history"]:
            continue
        charts.append({**data, "svg": forecast_svg(name, data["unit"], data["history"], data["forecast"])})
    return charts, suggestions(services, points)
