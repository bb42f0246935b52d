"""`/api/members` (bearer API_TOKEN): a member's profile with `points`, the points ledger, and staff
adjustments (`{"delta", "reason"}`; the reason and the caller stay on the ledger row).

`<id>` is the member id the merchant uses (M0001), or a member card number."""
from __future__ import annotations

from flask import Blueprint, jsonify, request
from sqlalchemy import select

from ..clock import iso_local
from ..current import current_services
from ..infra.api_auth import check_api_token
from ..models import Customer, PointsEntry, Redemption
from . import points

bp = Blueprint("members_api", __name__, url_prefix="/api/members")
bp.before_request(check_api_token)
ENTRIES_LIMIT = 200


def _error(status: int, message: str):
    response = jsonify(error=message)
    response.status_code = status
    return response


def _find(s, member_id: str) -> Customer | None:
    return s.execute(select(Customer).where((Customer.member_id == member_id) | (Customer.card_no == member_id))
                     ).scalars().first()


def masked_phone(phone: str | None) -> str | None:
    return phone[:3] + "****" + phone[-4:] if phone and len(phone) >= 7 else None


def profile(s, c: Customer) -> dict:
    codes = s.execute(select(Redemption).where(Redemption.customer_id == c.id)
                      .order_by(Redemption.id.desc()).limit(20)).scalars()
    return {"id": c.member_id, "member_id": c.member_id, "name": c.name, "phone": masked_phone(c.phone),
            "card_no": c.card_no, "role": c.role, "points": c.points_balance, "receipt_opt_out": c.receipt_opt_out,
            "identities": [{"openid": o.openid, "appid": o.appid, "unionid": o.unionid,
                            "bound_at": iso_local(o.bound_at)} for o in c.openids],
            "redemptions": [{"reward": r.reward_name, "points": r.points, "code": r.code,
                             "created_at": iso_local(r.created_at)} for r in codes],
            "created_at": iso_local(c.created_at)}


@bp.get("/<member_id>")
def show(member_id: str):
    with current_services().db.session() as s:
        c = _find(s, member_id)
        if c is None:
            return _error(404, f"no member {member_id}")
        points.expire_due(s, points.lock_member(s, c.id))
        return jsonify(profile(s, c))


@bp.get("/<member_id>/points")
def ledger(member_id: str):
    with current_services().db.session() as s:
        c = _find(s, member_id)
        if c is None:
            return _error(404, f"no member {member_id}")
        balance = points.summary(s, c.id).balance
        rows = s.execute(select(PointsEntry).where(PointsEntry.customer_id == c.id)
                         .order_by(PointsEntry.created_at.desc(), PointsEntry.id.desc()).limit(ENTRIES_LIMIT)).scalars()
        return jsonify(balance=balance, entries=[points.entry_json(e) for e in rows])


@bp.post("/<member_id>/points")
def adjust(member_id: str):
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return _error(400, 'body must be a JSON object: {"delta": 100, "reason": "..."}')
    svc = current_services()
    actor = data.get("actor") if isinstance(data.get("actor"), str) and data.get("actor").strip() else "api"
    try:
        with svc.db.session() as s:
            c = _find(s, member_id)
            if c is None:
                return _error(404, f"no member {member_id}")
            entry = points.adjust(s, svc.config, c.id, data.get("delta"), data.get("reason"), f"api:{actor[:40]}")
            body = {"balance": s.get(Customer, c.id).points_balance, "entry": points.entry_json(entry)}
    except points.NotEnoughPoints as exc:
        return _error(409, str(exc))
    except points.PointsError as exc:
        return _error(400, str(exc))
    return jsonify(body), 201
