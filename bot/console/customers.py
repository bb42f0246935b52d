"""/console/customers: find a customer by phone, name, order number or openid and see their whole
record on one page; staff with write roles adjust points (with a reason, on the ledger), admins merge
two members found to be one person. Viewers see personal data masked, as on the ticket pages."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from ..clock import to_local
from ..current import current_services
from ..feedback.privacy import mask
from ..members import points, profile
from ..members.identity import MemberError, merge
from ..models import Customer, Round
from ..rounds.ledger import ENTRY_WORDS, qty
from ..tickets.classify import CATEGORY_LABELS, STATE_LABELS
from .auth import WRITE_ROLES, current_staff, is_viewer, login_required, nav_item, role_required
from .blueprint import bp

nav_item("console.customers", "顾客", order=25)
RECEIPT_WORDS = {"pending": "待询问", "asking": "询问中", "asked": "已询问", "answered": "已回答", "skipped": "未询问",
                 "declined": "不再询问"}


@bp.get("/customers")
@login_required
def customers():
    query = request.args.get("q", "").strip()
    with current_services().db.session() as s:
        found = profile.search(s, query) if query else []
        if len(found) == 1:
            return redirect(url_for("console.customer", member_id=found[0].member_id))
        rows = [(c.member_id, c.name, c.phone, len(c.openids), c.points_balance) for c in found]
    return render_template("console/customers.html", query=query, rows=rows)


def _units(s, record) -> dict[int, str]:
    ids = {e.round_id for e, _ in record.rounds}
    return dict(s.execute(select(Round.id, Round.unit).where(Round.id.in_(ids))).all()) if ids else {}


def _when(moment) -> str:
    return to_local(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _load(s, member_id: str) -> Customer:
    customer = s.execute(select(Customer).where(Customer.member_id == member_id)).scalar()
    if customer is None:
        abort(404, description=f"没有会员 {member_id}。")
    return customer


@bp.get("/customers/<member_id>")
@login_required
def customer(member_id: str):
    svc = current_services()
    with svc.db.session() as s:
        c = _load(s, member_id)
        record = profile.record(s, c)
        hide = is_viewer()
        names = tuple(n for n in [c.name] if n)

        def said(text):
            return mask(text, names) if hide and text else (text or "")

        return render_template("console/customer.html", r=record, c=c, said=said, when=_when, qty=qty, units=_units(s, record),
                               can_adjust=current_staff().role in WRITE_ROLES,
                               can_merge=current_staff().role == "admin", states=STATE_LABELS,
                               categories=CATEGORY_LABELS, entry_words=ENTRY_WORDS, receipt_words=RECEIPT_WORDS)


@bp.post("/customers/<member_id>/points")
@role_required(*WRITE_ROLES)
def adjust_points(member_id: str):
    svc, form = current_services(), request.form
    try:
        delta = int(form.get("delta", "").strip())
    except ValueError:
        flash("积分调整须填整数（扣减填负数）。", "error")
        return redirect(url_for("console.customer", member_id=member_id))
    try:
        with svc.db.session() as s:
            c = _load(s, member_id)
            points.adjust(s, svc.config, c.id, delta, form.get("reason", ""), current_staff().username)
            balance = c.points_balance
    except points.PointsError as exc:
        flash(str(exc), "error")
    else:
        flash(f"积分已调整 {delta:+d}，当前 {balance} 分。", "success")
    return redirect(url_for("console.customer", member_id=member_id))


@bp.post("/customers/<member_id>/merge")
@role_required("admin")
def merge_member(member_id: str):
    other = request.form.get("other", "").strip()
    try:
        with current_services().db.session() as s:
            merge(s, member_id, other, current_staff().username, request.form.get("reason", "").strip() or None)
    except MemberError as exc:
        flash(str(exc), "error")
    else:
        flash(f"已把会员 {other} 合并进 {member_id}。", "success")
    return redirect(url_for("console.customer", member_id=member_id))
