"""What /console/demand shows beyond the heat table: a chart per product (history, forecast and its
80% interval) and the restock table, all from cached forecasts (the page never waits for a fit)."""
from __future__ import annotations

from .charts import forecast_svg
from .replenish import suggestions
from .service import current_points, forecast_json


def demand_outlook(services, days: int = 14) -> tuple[list[dict], list[dict]]:
    points = current_points(services, days)
    charts = []
    for name in points:
        data = forecast_json(services, name, days)
        if data is None or not data["history"]:
            continue
        charts.append({**data, "svg": forecast_svg(name, data["unit"], data["history"], data["forecast"])})
    return charts, suggestions(services, points)
