"""Ticket queue and ticket pages, and the actions staff take on a ticket (form posts)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select

from ..current import current_services
from ..models import CannedReply, Customer, Order, StaffUser, Ticket, utcnow
from ..models.tickets import CATEGORIES, PRIORITIES, STATES
from ..tickets import operations, service
from ..tickets.classify import CATEGORY_LABELS, PRIORITY_LABELS, STATE_LABELS
from ..tickets.jobs import queue_outbound
from .auth import WRITE_ROLES, current_staff, login_required, nav_item, role_required
from .blueprint import bp

nav_item("console.queue", "工单", order=20)
LABELS = {"state": STATE_LABELS, "priority": PRIORITY_LABELS, "category": CATEGORY_LABELS}


@bp.get("/tickets")
@login_required
def queue():
    svc = current_services()
    with svc.db.session() as s:
        service.escalate_overdue(s)
        try:
            tickets = operations.filtered(s, request.args, current_staff())
        except service.TicketError as exc:
            flash(str(exc), "error")
            tickets = []
        counts = dict(s.execute(select(Ticket.state, func.count()).where(Ticket.merged_into_id.is_(None))
                                .group_by(Ticket.state)).all())
        staff = list(s.execute(select(StaffUser).order_by(StaffUser.username)).scalars())
        now = utcnow()
        rows = [(t, service.is_overdue(t, now), t.assignee.label if t.assignee else "") for t in tickets]
    return render_template("console/queue.html", rows=rows, counts=counts, staff=staff, args=request.args,
                           labels=LABELS, states=STATES, priorities=PRIORITIES, categories=CATEGORIES,
                           clock=service.business_hours(svc.config))


def _load(s, number: str) -> Ticket:
    ticket = s.execute(select(Ticket).where(Ticket.number == number)).scalar()
    if ticket is None:
        abort(404, description=f"没有工单 {number}。")
    return ticket


@bp.get("/tickets/<number>")
@login_required
def ticket(number: str):
    svc = current_services()
    with svc.db.session() as s:
        t = _load(s, number)
        order = s.execute(select(Order).where(Order.order_no == t.order_no)).scalar() if t.order_no else None
        customer = s.get(Customer, t.customer_id) if t.customer_id else None
        timeline = sorted([("msg", m.created_at, m) for m in t.messages] + [("note", n.created_at, n) for n in t.notes],
                          key=lambda item: (item[1], item[0]))
        data = dict(t=t, order=order, items=[(i.product.name, i.quantity) for i in order.items] if order else [],
                    customer=customer, timeline=timeline, events=list(t.events), overdue=service.is_overdue(t),
                    staff=list(s.execute(select(StaffUser).where(StaffUser.active.is_(True))
                                         .order_by(StaffUser.username)).scalars()),
                    canned=list(s.execute(select(CannedReply).order_by(CannedReply.title)).scalars()),
                    merged_into=s.get(Ticket, t.merged_into_id).number if t.merged_into_id else None,
                    assignee=t.assignee.label if t.assignee else None)
        return render_template("console/ticket.html", labels=LABELS, clock=service.business_hours(svc.config),
                               can_write=current_staff().role in WRITE_ROLES, **data)


@bp.post("/tickets/<number>/<action>")
@role_required(*WRITE_ROLES)
def act(number: str, action: str):
    if action not in operations.ACTIONS:
        abort(404)
    svc, me, form = current_services(), current_staff(), request.form
    outbound = None
    try:
        with svc.db.session() as s:
            t = _load(s, number)
            outbound = operations.perform(s, svc.config, t, action, form, me.username, me)
            done = f"工单 {t.number}：{DONE[action]}"
    except service.TicketError as exc:
        flash(str(exc), "error")
        return redirect(url_for("console.ticket", number=number))
    if outbound:
        queue_outbound(svc, outbound)
    flash(done, "success")
    return redirect(url_for("console.ticket", number=number))


DONE = {"claim": "已认领", "assign": "已指派", "note": "备注已保存", "reply": "回复已排队发送",
        "canned": "回复已排队发送", "state": "状态已更新", "resolve": "已标记解决，已请顾客评分",
        "merge": "已合并", "resend": "已重新排队发送"}
