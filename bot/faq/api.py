"""/api/faq and /api/unanswered behind the bearer API_TOKEN, for a merchant's own tools."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from ..current import current_services
from ..infra.api_auth import guard
from sqlalchemy import select

from ..models import FaqEntry, Product
from . import entries, facts, unanswered

bp = Blueprint("faq_api", __name__, url_prefix="/api")
bp.before_request(guard())  # API_TOKEN only: no scoped token opens the FAQ


def _services():
    return current_services()


def _error(status: int, message: str):
    return jsonify(error=message), status


def _body() -> dict | None:
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else None


@bp.get("/faq")
def list_faq():
    with _services().db.session() as s:
        return jsonify(items=[entries.as_json(e) for e in entries.all_entries(s, request.args.get("q", ""))])


@bp.post("/faq")
def create_faq():
    data = _body()
    if data is None:
        return _error(400, "the body must be a JSON object with question, variants and answer")
    svc = _services()
    try:
        with svc.db.session() as s:
            entry = entries.add(s, data.get("question"), data.get("variants"), data.get("answer"),
                                data.get("link"), by="api")
            entry_id = entry.id
    except entries.FaqError as exc:
        return _error(400, str(exc))
    svc.faq.refresh_now()
    return jsonify(id=entry_id), 201


@bp.put("/faq/<int:entry_id>")
def update_faq(entry_id: int):
    data = _body()
    if data is None:
        return _error(400, "the body must be a JSON object")
    svc = _services()
    try:
        with svc.db.session() as s:
            entry = s.get(FaqEntry, entry_id)
            if entry is None:
                return _error(404, f"no FAQ entry {entry_id}")
            result = entries.as_json(entries.change(s, entry, data, by="api"))
    except entries.FaqError as exc:
        return _error(400, str(exc))
    svc.faq.refresh_now()
    return jsonify(result)


@bp.delete("/faq/<int:entry_id>")
def delete_faq(entry_id: int):
    svc = _services()
    with svc.db.session() as s:
        entry = s.get(FaqEntry, entry_id)
        if entry is None:
            return _error(404, f"no FAQ entry {entry_id}")
        s.delete(entry)
    svc.faq.refresh_now()
    return "", 204


@bp.get("/unanswered")
def list_unanswered():
    with _services().db.session() as s:
        return jsonify(groups=[g.as_json() for g in unanswered.groups(s)])


def _product(s, name: str):
    return s.execute(select(Product).where(Product.name == name)).scalar_one_or_none()


@bp.get("/products/<name>/facts")
def get_facts(name: str):
    with _services().db.session() as s:
        product = _product(s, name)
        if product is None:
            return _error(404, f"no product named {name}")
        return jsonify(product=product.name, facts=dict(product.facts or {}))


@bp.put("/products/<name>/facts")
def put_facts(name: str):
    with _services().db.session() as s:
        product = _product(s, name)
        if product is None:
            return _error(404, f"no product named {name}")
        try:
            saved = facts.update(product, request.get_json(silent=True))
        except facts.FactError as exc:
            s.rollback()
            return _error(400, str(exc))
        return jsonify(product=product.name, facts=saved)
