"""/console/rounds: group preorder rounds on a phone. Admins and merchants run them (close early,
cancel, mark fulfilled, each behind a confirmation page and in the audit trail); agents read;
viewers read with names masked. The round page refreshes its live part every few seconds."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from ..forecast.outlook import outlook, say
from ..clock import to_local, utcnow
from ..current import current_services
from ..models import Round, RoundEvent
from ..rounds import ledger
from ..rounds.lifecycle import cancel_round, close_round, fulfil_round
from ..rounds.notices import queue_notices
from ..rounds.render import entries_csv, progress
from ..rounds.share import QrUnavailable, qr_png, round_qr, scene_of, share_text
from .auth import current_staff, nav_item, role_required
from .blueprint import bp

RUN_ROLES = ("admin", "merchant")
READ_ROLES = ("admin", "merchant", "agent", "viewer")
EXPORT_ROLES = ("admin", "merchant", "agent")  # the CSV carries full names and openids
nav_item("console.rounds", "团购接龙", roles=READ_ROLES, order=30)
RECENT = 20
EVENT_WORDS = {"opened": "开团", "joined": "接龙", "changed": "改数量", "waitlisted": "候补", "cancelled": "取消",
               "promoted": "候补转正", "confirmed": "成团", "closed": "截单", "fulfilled": "已到货",
               "exported": "导出 CSV"}


def can_run() -> bool:
    return current_staff().role in RUN_ROLES


def actor() -> str:
    return f"console:{current_staff().username}"[:64]


def countdown(deadline, now=None) -> str:
    """「还剩 2天3小时」: what a phone shows instead of a date to work out."""
    left = (deadline - (now or utcnow())).total_seconds()
    if left <= 0:
        return "已截止"
    days, rest = divmod(int(left), 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"还剩 {days}天{hours}小时"
    return f"还剩 {hours}小时{minutes}分" if hours else f"还剩 {max(minutes, 1)}分钟"


def bar(r: Round, t: ledger.Totals) -> dict:
    """The progress bar's scale: the cap, or the minimum (or what was reached) when there is none."""
    return {"scale": max(r.cap or 0, r.min_total, t.total_quantity) or 1}


def _card(s, r: Round) -> dict:
    t = ledger.totals(s, r.id)
    return {"round": r, "totals": t, "progress": progress(r, t), "bar": bar(r, t), "countdown": countdown(r.deadline),
            "status": ledger.STATUS_WORDS.get(r.status, r.status), "deadline": to_local(r.deadline),
            "qty": ledger.qty, "outlook": say(outlook(r), r.unit) if r.status in ledger.ACTIVE else None}


@bp.get("/rounds")
@role_required(*READ_ROLES)
def rounds():
    with current_services().db.session() as s:
        active = list(s.execute(select(Round).where(Round.status.in_(ledger.ACTIVE))
                                .order_by(Round.deadline, Round.id)).scalars())
        ended = list(s.execute(select(Round).where(Round.status.not_in(ledger.ACTIVE))
                               .order_by(Round.id.desc()).limit(RECENT)).scalars())
        cards = {"active": [_card(s, r) for r in active], "ended": [_card(s, r) for r in ended]}
    return render_template("console/rounds.html", can_run=can_run(), **cards)


def _view(round_id: int) -> dict:
    with current_services().db.session() as s:
        v = ledger.view(s, round_id, with_entries=True)
        if v is None:
            abort(404, description=f"没有团号 #{round_id} 的团。")
        events = list(s.execute(select(RoundEvent).where(RoundEvent.round_id == round_id)
                                .order_by(RoundEvent.id.desc())).scalars())
        card = _card(s, v.round)
    names = {e.id: v.names.get(e.customer_id) if e.customer_id else None for e in v.entries}
    by_point: dict[str, list] = {}
    for e in v.entries:
        if e.status == "joined":
            by_point.setdefault(e.pickup_point or ("送货上门" if v.round.delivery else "未指定"), []).append(e)
    return {"v": v, "r": v.round, "card": card, "names": names, "events": events, "event_words": EVENT_WORDS,
            "joined": [e for e in v.entries if e.status == "joined"],
            "waiting": [e for e in v.entries if e.status == "waitlisted"],
            "left": [e for e in v.entries if e.status == "cancelled"],
            "pickup": [(p, es, sum(e.quantity for e in es)) for p, es in by_point.items()],
            "share": share_text(v), "can_run": can_run(), "to_local": to_local, "qty": ledger.qty,
            "money": ledger.money, "active": v.round.status in ledger.ACTIVE}


@bp.get("/rounds/<int:round_id>")
@role_required(*READ_ROLES)
def round_page(round_id: int):
    data = _view(round_id)
    qr, qr_error = None, None
    try:
        qr = round_qr(current_services(), round_id)
    except QrUnavailable as exc:
        qr_error = str(exc)
    return render_template("console/round.html", qr=qr, qr_error=qr_error, scene=scene_of(round_id),
                           can_export=current_staff().role in EXPORT_ROLES, **data)


@bp.get("/rounds/<int:round_id>/live")
@role_required(*READ_ROLES)
def round_live(round_id: int):
    """The part of the round page that changes as customers join (the page polls it)."""
    return render_template("console/round_live.html", **_view(round_id))


@bp.get("/rounds/<int:round_id>/qr.png")
@role_required(*READ_ROLES)
def round_qr_png(round_id: int):
    try:
        qr = round_qr(current_services(), round_id)
    except QrUnavailable as exc:
        abort(503, description=str(exc))
    if qr is None:
        abort(404, description=f"没有团号 #{round_id} 的团。")
    headers = {"Content-Disposition": f"attachment; filename=round-{round_id}-qr.png"} \
        if request.args.get("download") else {}
    return Response(qr_png(qr.content), mimetype="image/png", headers=headers)


@bp.get("/rounds/<int:round_id>/export.csv")
@role_required(*EXPORT_ROLES)
def round_export(round_id: int):
    with current_services().db.session() as s:
        v = ledger.view(s, round_id, with_entries=True)
        if v is None:
            abort(404, description=f"没有团号 #{round_id} 的团。")
        body = "\ufeff" + entries_csv(v)  # BOM: Excel opens UTF-8 Chinese correctly
        ledger.audit(s, v.round, "exported", actor(), rows=len(v.entries))  # names and openids left the system
    return Response(body, mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename=round-{round_id}.csv"})


ACTIONS = {
    "close": (close_round, "提前截团", "这个团已经结束了，无需再截团。"),
    "cancel": (cancel_round, "取消整团", "这个团已经结束了，不能再取消。"),
    "fulfil": (fulfil_round, "标记到货", "只有已截单（已成团并结束）的团才能标记到货。"),
}


def _effect(action: str, r: Round, t: ledger.Totals) -> str:
    """What confirming will do, in the chat's words (截团 explains the same way)."""
    people = t.participants + t.waitlisted
    if action == "close":
        return ("截单后不再接受接龙，并通知跟团顾客。" if ledger.reached(r, t)
                else f"还没成团（{progress(r, t)}），现在截团会取消整团并通知 {people} 位顾客。")
    if action == "cancel":
        return f"整团取消，不管是否成团；会通知 {people} 位顾客无需付款。此操作不能撤销。"
    return f"通知 {t.participants} 位跟团顾客到自提点取货。"


@bp.get("/rounds/<int:round_id>/<action>")
@role_required(*RUN_ROLES)
def round_confirm(round_id: int, action: str):
    if action not in ACTIONS:
        abort(404)
    with current_services().db.session() as s:
        r = s.get(Round, round_id)
        if r is None:
            abort(404, description=f"没有团号 #{round_id} 的团。")
        effect = _effect(action, r, ledger.totals(s, round_id))
    return render_template("console/round_confirm.html", r=r, action=action, label=ACTIONS[action][1],
                           effect=effect)


@bp.post("/rounds/<int:round_id>/<action>")
@role_required(*RUN_ROLES)
def round_act(round_id: int, action: str):
    if action not in ACTIONS:
        abort(404)
    change, label, refusal = ACTIONS[action]
    svc = current_services()
    done = change(svc.db, round_id, actor())
    if done is None:
        flash(refusal, "error")
    else:
        if done.notices:
            queue_notices(svc, round_id)
        words = {"closed": "已截单", "cancelled": "未成团，已取消" if action == "close" else "已取消整团",
                 "fulfilled": "已标记到货"}
        flash(f"团 #{round_id} {words.get(done.after, done.after)}，已通知 {done.notices} 位顾客。", "success")
    return redirect(url_for("console.round_page", round_id=round_id))
