"""The JSON API for helpdesk integrations: the same ticket operations as the console, behind
the bearer API_TOKEN or API_TOKEN_TICKETS. Actions name the staff member they act for ("agent"), who
must hold a role that may act on tickets in the console (a viewer cannot reply), or act as the API."""
from __future__ import annotations

from flask import Blueprint, jsonify, request
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from ..current import current_services
from ..infra.api_auth import require_api_token
from ..models import Customer, StaffUser, Ticket
from ..models.staff import WRITE_ROLES
from . import operations, service
from .jobs import queue_outbound

bp = Blueprint("tickets_api", __name__, url_prefix="/api/tickets")
API_ACTIONS = ("claim", "note", "reply", "resolve")


def _iso(moment) -> str | None:
    return moment.isoformat(timespec="seconds") + "Z" if moment else None


def as_json(s, t: Ticket) -> dict:
    customer = s.get(Customer, t.customer_id) if t.customer_id else None
    return {
        "number": t.number, "kind": t.kind, "state": t.state, "priority": t.priority, "category": t.category,
        "customer": {"openid": t.openid, "member_id": customer.member_id if customer else None,
                     "name": customer.name if customer else None},
        "order_id": t.order_no, "product": t.product, "created_at": _iso(t.created_at),
        "sla_due_at": None if t.paused_at else _iso(t.sla_due_at), "sla_paused": t.paused_at is not None,
        "first_response_due_at": _iso(t.first_response_due_at), "overdue": service.is_overdue(t),
        "assignee": t.assignee.username if t.assignee else None, "csat_score": t.csat_score,
        "delivery_problem": t.delivery_problem,
        "messages": [{"id": m.id, "direction": m.direction, "kind": m.kind, "text": m.text, "media_url": m.media_url,
                      "author": m.author, "delivery": m.delivery, "created_at": _iso(m.created_at)} for m in t.messages],
    }


def _error(status: int, message: str):
    return jsonify(error=message), status


@bp.get("")
@require_api_token(area="tickets")
def list_tickets():
    with current_services().db.session() as s:
        try:
            tickets = operations.filtered(s, request.args)
        except service.TicketError as exc:
            return _error(400, str(exc))
        return jsonify(tickets=[as_json(s, t) for t in tickets], count=len(tickets))


@bp.get("/<number>")
@require_api_token(area="tickets")
def get_ticket(number: str):
    with current_services().db.session() as s:
        t = s.execute(select(Ticket).where(Ticket.number == number)).scalar()
        if t is None:
            return _error(404, f"没有工单 {number}")
        return jsonify(as_json(s, t))


@bp.post("/<number>/<action>")
@require_api_token(area="tickets")
def act(number: str, action: str):
    if action not in API_ACTIONS:
        return _error(404, f"未知操作 {action}，可用：{', '.join(API_ACTIONS)}")
    data = request.get_json(silent=True)
    if data is None and request.get_data():
        return _error(400, "请求体须为 JSON")
    data = data or {}
    if not isinstance(data, dict):
        return _error(400, "请求体须为 JSON 对象")
    svc = current_services()
    outbound = None
    try:
        with svc.db.session() as s:
            t = s.execute(select(Ticket).where(Ticket.number == number)).scalar()
            if t is None:
                return _error(404, f"没有工单 {number}")
            agent = None
            if data.get("agent"):
                agent = s.execute(select(StaffUser).where(StaffUser.username == str(data["agent"]),
                                                          StaffUser.active.is_(True))).scalar()
                if agent is None:
                    raise service.TicketError(f"没有员工 {data['agent']}")
                if agent.role not in WRITE_ROLES:
                    return _error(403, f"员工 {agent.username} 的角色（{agent.role}）不能处理工单")
            actor = f"api:{agent.username}" if agent else "api"
            form = MultiDict({k: str(v) for k, v in data.items() if isinstance(v, (str, int))})
            outbound = operations.perform(s, svc.config, t, action, form, actor, agent)
            s.flush()
            result = as_json(s, t)
    except service.TicketError as exc:
        return _error(400, str(exc))
    if outbound:
        queue_outbound(svc, outbound)
    return jsonify(result)
