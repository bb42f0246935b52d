"""Ticket queue and ticket pages, and the actions staff take on a ticket (form posts)."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select

from ..models import CannedReply, Customer, Order, StaffUser, Ticket, utcnow
from ..models.tickets import CATEGORIES, PRIORITIES, STATES
from ..tickets import service
from ..tickets.classify import CATEGORY_LABELS, PRIORITY_LABELS, STATE_LABELS
from ..tickets.jobs import queue_outbound
from .blueprint import bp
from .auth import WRITE_ROLES, current_staff, login_required, nav_item, role_required

nav_item("console.queue", "工单", order=20)
LABELS = {"state": STATE_LABELS, "priority": PRIORITY_LABELS, "category": CATEGORY_LABELS}
ACTIONS = {"claim", "assign", "note", "reply", "canned", "state", "resolve", "merge", "resend"}


def _services():
    return current_app.extensions["xiaoer"]


def filtered(s, args, me: StaffUser | None = None):
    """Tickets matching the queue's filters (also used by the JSON API)."""
    query = select(Ticket).where(Ticket.merged_into_id.is_(None)).order_by(Ticket.id.desc())
    for name, allowed in (("state", STATES), ("priority", PRIORITIES), ("category", CATEGORIES)):
        value = args.get(name)
        if value:
            if value not in allowed:
                raise service.TicketError(f"{name} 只能是：{', '.join(allowed)}")
            query = query.where(getattr(Ticket, name) == value)
    assignee = args.get("assignee")
    if assignee == "none":
        query = query.where(Ticket.assignee_id.is_(None))
    elif assignee:
        name = me.username if assignee == "me" and me else assignee
        query = query.join(StaffUser, Ticket.assignee_id == StaffUser.id).where(StaffUser.username == name)
    tickets = list(s.execute(query.limit(500)).scalars())
    if args.get("overdue") in ("1", "true", "yes"):
        now = utcnow()
        tickets = [t for t in tickets if service.is_overdue(t, now)]
    return tickets


@bp.get("/tickets")
@login_required
def queue():
    svc = _services()
    with svc.db.session() as s:
        service.escalate_overdue(s)
        try:
            tickets = filtered(s, request.args, current_staff())
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
    svc = _services()
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
    if action not in ACTIONS:
        abort(404)
    svc, me, form = _services(), current_staff(), request.form
    outbound = None
    try:
        with svc.db.session() as s:
            t = _load(s, number)
            outbound = perform(s, svc.config, t, action, form, me.username, me)
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


def perform(s, config, t: Ticket, action: str, form, actor: str, me: StaffUser | None) -> int | None:
    """One action on one ticket, shared by console and API; returns a message id to send, if any."""
    if t.merged_into_id and action not in ("note",):
        raise service.TicketError(f"工单 {t.number} 已合并到其他工单，请在那里处理。")
    if action == "claim":
        if me is None:
            raise service.TicketError("认领需要指定员工。")
        service.claim(s, t, me, actor)
    elif action == "assign":
        if me is not None and me.role != "admin":
            raise service.TicketError("只有管理员可以把工单指派给别人；您可以「认领」给自己。")
        user = s.execute(select(StaffUser).where(StaffUser.username == (form.get("assignee") or ""),
                                                 StaffUser.active.is_(True))).scalar()
        if user is None or user.role not in WRITE_ROLES:
            raise service.TicketError("请选择一位管理员或客服。")
        service.claim(s, t, user, actor)
    elif action == "note":
        service.add_note(s, t, actor, form.get("text", ""))
    elif action in ("reply", "canned"):
        text = form.get("text", "")
        if action == "canned":
            canned = s.get(CannedReply, int(form.get("canned_id") or 0)) if (form.get("canned_id") or "").isdigit() else None
            if canned is None:
                raise service.TicketError("请选择一条快捷回复。")
            text = canned.text
        return service.add_reply(s, config, t, actor, text, author_id=me.id if me else None).id
    elif action == "state":
        service.set_state(s, config, t, form.get("state", ""), actor)
    elif action == "resolve":
        return service.resolve(s, config, t, actor).id
    elif action == "merge":
        target = s.execute(select(Ticket).where(Ticket.number == (form.get("target") or "").strip())).scalar()
        if target is None:
            raise service.TicketError("找不到要合并进去的工单号。")
        service.merge(s, config, t, target, actor)
    elif action == "resend":
        failed = [m for m in t.messages if m.direction == "out" and m.delivery == "failed"]
        if not failed:
            raise service.TicketError("没有发送失败的消息。")
        failed[-1].delivery = "queued"
        service.audit(s, t, actor, "resend", message_id=failed[-1].id)
        return failed[-1].id
    return None
