"""JSON API (bearer API_TOKEN): a product's demand history and forecast, restock suggestions, and
asking for a refit. Every answer reads cached forecasts: no request waits for a fit."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from ..current import current_services
from ..infra.api_auth import check_api_token
from .replenish import suggestions
from .service import HORIZON, current_points, forecast_json, request_refresh

bp = Blueprint("forecast_api", __name__, url_prefix="/api")
bp.before_request(check_api_token)


def _error(status: int, message: str):
    response = jsonify(error=message)
    response.status_code = status
    return response


@bp.get("/forecast")
def forecast():
    name = (request.args.get("product") or "").strip()
    if not name:
        return _error(400, "product is required, e.g. /api/forecast?product=丹东草莓&days=14")
    try:
        days = int(request.args.get("days", 14))
    except ValueError:
        return _error(400, "days must be a whole number")
    if not 1 <= days <= HORIZON:
        return _error(400, f"days must be between 1 and {HORIZON}")
    data = forecast_json(current_services(), name, days)
    if data is None:
        return _error(404, f"product {name!r} is not in the catalog")
    return jsonify(data)


@bp.get("/restock")
def restock():
    svc = current_services()
    return jsonify(items=suggestions(svc, current_points(svc)))


@bp.post("/forecast/refresh")
def refresh():
    """Queue a refit (of one product with ?product=NAME); 202 whether or not one was already queued."""
    name = (request.args.get("product") or "").strip() or None
    queued = request_refresh(current_services(), name)
    response = jsonify(queued=queued)
    response.status_code = 202
    return response
