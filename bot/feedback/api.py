"""JSON API for the supply-chain system: feedback records and demand heat, behind API_TOKEN or the
scoped API_TOKEN_FEEDBACK (which opens nothing else).

Records leave as they are stored (masked text, pseudonymous key), so nothing personal can
leak through here by construction.
"""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, request, stream_with_context
from sqlalchemy import func, select

from ..current import current_services
from ..infra.api_auth import require_api_token
from ..models import FeedbackRecord
from .demand import demand
from .exports import csv_lines, jsonl_lines, stream
from .queries import BadFilter, Filters, public, record_query

bp = Blueprint("feedback_api", __name__, url_prefix="/api")
MAX_LIMIT = 5000


def _int(name: str, default: int, most: int) -> int:
    value = request.args.get(name, str(default))
    if not value.isdigit():
        raise BadFilter(f"{name} must be a whole number")
    return min(int(value), most)


@bp.get("/feedback")
@require_api_token(area="feedback")
def feedback():
    """?product=&aspect=&sentiment=&date=|since=&until=; format=json (paged) | jsonl | csv (everything)."""
    try:
        filters = Filters.from_args(request.args)
        fmt = request.args.get("format", "json")
        if fmt not in ("json", "jsonl", "csv"):
            raise BadFilter("format must be json, jsonl or csv")
        limit, offset = _int("limit", 500, MAX_LIMIT), _int("offset", 0, 10**9)
    except BadFilter as exc:
        return jsonify(error="bad_request", message=str(exc)), 400
    stmt = record_query(filters)
    if fmt == "jsonl":
        return Response(stream_with_context(jsonl_lines(stream(current_services(), stmt))), mimetype="application/x-ndjson")
    if fmt == "csv":
        return Response(stream_with_context(csv_lines(stream(current_services(), stmt))), mimetype="text/csv; charset=utf-8",
                        headers={"Content-Disposition": "attachment; filename=feedback.csv"})
    with current_services().db.session() as s:
        total = s.execute(filters.apply(select(func.count(FeedbackRecord.id)))).scalar_one()
        records = [public(r) for r in s.execute(stmt.limit(limit).offset(offset)).scalars()]
    return jsonify(records=records, total=total, limit=limit, offset=offset)


@bp.get("/demand")
@require_api_token(area="feedback")
def demand_view():
    return jsonify(products=demand(current_services()))
