"""JSON API for rounds (bearer API_TOKEN or API_TOKEN_ROUNDS): list, create, show, close, cancel, fulfil, export.

Deadlines are ISO 8601; without an offset they are read as shop time (UTC+8)."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, jsonify, request
from sqlalchemy import select

from ..current import current_services
from ..forecast.outlook import outlook
from ..infra.api_auth import guard
from ..models import Round, RoundEvent
from . import ledger
from ..clock import iso_local, to_utc_naive
from .lifecycle import cancel_round, close_round, fulfil_round
from .notices import queue_notices
from .opening import RoundSpec, catalog_product, create_round
from .render import entries_csv, pickup_lists, round_json

bp = Blueprint("rounds_api", __name__, url_prefix="/api/rounds")
bp.before_request(guard("rounds"))


def _error(status: int, message: str, **extra):
    response = jsonify(error=message, **extra)
    response.status_code = status
    return response


@bp.get("")
def list_rounds():
    status = request.args.get("status")
    with current_services().db.session() as s:
        query = select(Round.id).order_by(Round.id.desc())
        if status:
            query = query.where(Round.status == status)
        return jsonify(rounds=[round_json(ledger.view(s, rid)) for rid in s.execute(query).scalars()])


def _number(data: dict, key: str, required: bool = False):
    value = data.get(key)
    if value is None:
        if required:
            raise ValueError(f"{key} is required")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{key} must be a number")
    return value


def _spec(data: dict, session) -> RoundSpec:
    if not isinstance(data, dict):
        raise ValueError("body must be a JSON object")
    name = data.get("product")
    if not isinstance(name, str) or not name.strip():
        raise ValueError("product is required")
    product = catalog_product(session, name.strip())
    if product is None:
        raise ValueError(f"product {name!r} is not in the catalog")
    try:
        deadline = to_utc_naive(dt.datetime.fromisoformat(str(data.get("deadline"))))
    except ValueError:
        raise ValueError("deadline must be an ISO 8601 time, e.g. 2026-11-27T20:00:00+08:00")
    price = _number(data, "price")
    points = data.get("pickup_points") or []
    if not isinstance(points, list) or not all(isinstance(p, str) and p.strip() for p in points):
        raise ValueError("pickup_points must be a list of names")
    participants = _number(data, "min_participants")
    return RoundSpec(
        product=product.name, unit=str(data.get("unit") or product.unit),
        price_cents=round(price * 100) if price is not None else product.price_cents,
        min_total=_number(data, "min_total", required=True), deadline=deadline,
        cap=_number(data, "cap"), per_person_max=_number(data, "per_person_max"),
        min_participants=int(participants) if participants is not None else None,
        pickup_points=[p.strip() for p in points], delivery=bool(data.get("delivery", False)),
        description=data.get("description"), title=data.get("title"),
        allow_cancel_after_confirm=bool(data.get("allow_cancel_after_confirm", False)))


@bp.post("")
def create():
    svc = current_services()
    try:
        with svc.db.session() as s:
            spec = _spec(request.get_json(silent=True), s)
    except ValueError as exc:
        return _error(400, str(exc))
    problems = spec.problems()
    if problems:
        return _error(400, "invalid round", problems=problems)
    r = create_round(svc.db, spec, "api")
    return show(r.id), 201


@bp.get("/<int:round_id>")
def show(round_id: int):
    with current_services().db.session() as s:
        v = ledger.view(s, round_id, with_entries=True)
        if v is None:
            return _error(404, "no such round")
        history = [{"action": e.action, "actor": e.actor, "details": e.details, "at": iso_local(e.created_at)}
                   for e in s.execute(select(RoundEvent).where(RoundEvent.round_id == round_id)
                                      .order_by(RoundEvent.id)).scalars()]
        data = round_json(v, entries=True, history=history)
        data["outlook"] = outlook(v.round, entries=v.entries)  # for the merchant: an estimate, not a promise
        return jsonify(data)


def _transition(round_id: int, change, conflict: str):
    """Close or fulfil: 404 for an unknown round, 409 when the round is not in the right state."""
    svc = current_services()
    with svc.db.session() as s:
        if s.get(Round, round_id) is None:
            return _error(404, "no such round")
    done = change(svc.db, round_id, "api")
    if done is None:
        return _error(409, conflict)
    if done.notices:
        queue_notices(svc, round_id)
    return show(round_id)


@bp.post("/<int:round_id>/close")
def close(round_id: int):
    return _transition(round_id, close_round, "round has already ended")


@bp.post("/<int:round_id>/cancel")
def cancel(round_id: int):
    """Call the round off whatever its progress: everyone is told they pay nothing."""
    return _transition(round_id, cancel_round, "round has already ended")


@bp.post("/<int:round_id>/fulfil")
def fulfil(round_id: int):
    """Goods arrived after a round closed: participants are told to collect."""
    return _transition(round_id, fulfil_round, "only a closed round (confirmed and ended) can be fulfilled")


@bp.get("/<int:round_id>/export")
def export(round_id: int):
    kind = request.args.get("format", "csv")
    with current_services().db.session() as s:
        v = ledger.view(s, round_id, with_entries=True)
        if v is None:
            return _error(404, "no such round")
        if kind == "pickup":
            return Response(pickup_lists(v), mimetype="text/plain; charset=utf-8")
        if kind != "csv":
            return _error(400, "format must be csv or pickup")
        body = "\ufeff" + entries_csv(v)  # BOM: Excel opens UTF-8 Chinese correctly
    return Response(body, mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename=round-{round_id}.csv"})
