"""`/healthz` for load balancers and `/metrics` for Prometheus.

/healthz is open (balancers probe it) so it says only ok / not ok per part: exception texts name
database hosts and users, so they go to the log. /metrics is served only to
`Authorization: Bearer $METRICS_TOKEN`, and not at all (404) while METRICS_TOKEN is unset."""
from __future__ import annotations

import hmac
import logging

from flask import Blueprint, Response, abort, jsonify, request

from ..current import current_services

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


def _check(name: str, fn) -> bool:
    try:
        fn()
        return True
    except Exception as exc:  # any failure is a status to report, not a crash
        log.warning("health: %s not ok: %s: %s", name, exc.__class__.__name__, str(exc)[:300])
        return False


@bp.get("/healthz")
def healthz():
    svc = current_services()
    nlu = svc.nlu_status()
    if not nlu.get("ready"):
        log.warning("health: nlu not ok: %s", nlu.get("error") or "not ready")
    status = {
        "database": {"ok": _check("database", svc.db.ping)},
        "store": {"ok": _check("store", svc.store.ping)},
        "nlu": {"ok": bool(nlu.get("ready"))},
    }
    healthy = all(part["ok"] for part in status.values())
    return jsonify(status=("ok" if healthy else "unavailable"), **status), (200 if healthy else 503)


@bp.get("/metrics")
def metrics():
    svc = current_services()
    expected = svc.config.METRICS_TOKEN
    if not expected:
        abort(404)
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode("utf-8", "surrogateescape"),
                                                             expected.encode()):
        return Response("missing or wrong bearer token (Authorization: Bearer <METRICS_TOKEN>)\n", status=401,
                        mimetype="text/plain", headers={"WWW-Authenticate": 'Bearer realm="metrics"'})
    return Response(svc.metrics.render(), mimetype="text/plain; version=0.0.4")
