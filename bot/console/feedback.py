"""Console pages for the supply chain: feedback by product and aspect, and demand heat."""
from __future__ import annotations

from flask import Response, abort, render_template, request, stream_with_context

from ..current import current_services
from ..feedback.charts import ASPECT_NAMES, aspect_bars, trend_lines
from ..feedback.demand import demand
from ..forecast.pages import demand_outlook, rounds_outlook
from ..feedback.exports import csv_lines, jsonl_lines, stream
from ..feedback.queries import BadFilter, Filters, record_query
from ..feedback.reports import build_report
from .auth import nav_item, role_required
from .blueprint import bp

SUPPLY_ROLES = ("admin", "merchant", "viewer")
nav_item("console.feedback", "反馈", roles=SUPPLY_ROLES, order=60)
nav_item("console.demand", "需求", roles=SUPPLY_ROLES, order=61)


FILTER_ARGS = ("product", "aspect", "sentiment", "date", "since", "until")


def _filters() -> Filters:
    unknown = sorted(set(request.args) - set(FILTER_ARGS))
    if unknown:  # e.g. ?fmt=x, which the export links would have passed on twice (a 500)
        abort(400, description=f"未知参数：{', '.join(unknown)[:100]}（可用：{', '.join(FILTER_ARGS)}）")
    try:
        return Filters.from_args(request.args)
    except BadFilter as exc:
        abort(400, description=str(exc))


@bp.get("/feedback")
@role_required(*SUPPLY_ROLES)
def feedback():
    filters = _filters()
    report = build_report(current_services(), filters)
    for p in report["products"]:
        p["bars"], p["trend"] = aspect_bars(p), trend_lines(p["weeks"])
    export_args = {name: request.args[name] for name in FILTER_ARGS if request.args.get(name)}
    return render_template("console/feedback.html", report=report, filters=filters, aspects=ASPECT_NAMES,
                           export_args=export_args)


@bp.get("/feedback/export.<fmt>")
@role_required(*SUPPLY_ROLES)
def feedback_export(fmt: str):
    if fmt not in ("csv", "jsonl"):
        abort(404)
    rows = stream(current_services(), record_query(_filters()))
    lines, mimetype = (csv_lines(rows), "text/csv; charset=utf-8") if fmt == "csv" else \
        (jsonl_lines(rows), "application/x-ndjson")
    return Response(stream_with_context(lines), mimetype=mimetype,
                    headers={"Content-Disposition": f"attachment; filename=feedback.{fmt}"})


@bp.get("/demand", endpoint="demand")
@role_required(*SUPPLY_ROLES)
def demand_page():
    svc = current_services()
    products = demand(svc)
    biggest = max([max(p["last_7d"], p["previous_7d"]) for p in products] or [0]) or 1
    charts, restock = demand_outlook(svc)
    runs_out = {}  # product -> the day its last warehouse runs dry: shown beside 「火得正旺」
    for item in restock:
        runs_out[item["product"]] = item["runs_out"]
    return render_template("console/demand.html", products=products, biggest=biggest, charts=charts,
                           restock=restock, runs_out=runs_out, rounds=rounds_outlook(svc))
