"""`/healthz` for load balancers and `/metrics` for Prometheus."""
from __future__ import annotations

from flask import Blueprint, Response, jsonify

from ..current import current_services

bp = Blueprint("health", __name__)


def _check(fn) -> dict:
    try:
        fn()
        return {"ok": True}
    except Exception as exc:  # any failure is a status to report, not a crash
        return {"ok": False, "error": f"{exc.__class__.__name__}: {exc}"[:300]}


@bp.get("/healthz")
def healthz():
    svc = current_services()
    nlu = svc.nlu_status()
    status = {
        "database": _check(svc.db.ping),
        "store": _check(svc.store.ping),
        "nlu": {"ok": bool(nlu.get("ready")), **nlu},
    }
    healthy = all(part["ok"] for part in status.values())
    return jsonify(status=("ok" if healthy else "unavailable"), **status), (200 if healthy else 503)


@bp.get("/metrics")
def metrics():
    svc = current_services()
    return Response(svc.metrics.render(), mimetype="text/plain; version=0.0.4")
