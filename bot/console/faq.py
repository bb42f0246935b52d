"""/console/faq and /console/unanswered: the merchant teaches the bot here. Admins and merchants
edit; agents and viewers read."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from ..faq import entries, unanswered
from ..models import FaqEntry
from ..current import current_services
from .blueprint import bp
from .auth import current_staff, nav_item, role_required

EDIT_ROLES = ("admin", "merchant")
READ_ROLES = ("admin", "merchant", "agent", "viewer")
nav_item("console.faq", "问答库", roles=READ_ROLES, order=70)
nav_item("console.unanswered", "未答问题", roles=READ_ROLES, order=71)


def _services():
    return current_services()


@bp.get("/faq")
@role_required(*READ_ROLES)
def faq():
    svc, search, trial = _services(), request.args.get("q", "").strip(), request.args.get("try", "").strip()
    matches = svc.faq.index().match(trial, limit=5) if trial else []
    with svc.db.session() as s:
        rows = [entries.as_json(e) for e in entries.all_entries(s, search)]
    edit_id = request.args.get("edit", type=int)
    editing = next((r for r in rows if r["id"] == edit_id), None)
    return render_template("console/faq.html", rows=rows, search=search, trial=trial, matches=matches,
                           editing=editing, can_edit=current_staff().role in EDIT_ROLES,
                           answer_score=svc.config.FAQ_ANSWER_SCORE, suggest_score=svc.config.FAQ_SUGGEST_SCORE)


def _form_entry() -> dict:
    form = request.form
    return {"question": form.get("question", ""), "variants": form.get("variants", ""),
            "answer": form.get("answer", ""), "link": form.get("link", "")}


@bp.post("/faq")
@role_required(*EDIT_ROLES)
def faq_add():
    svc, data = _services(), _form_entry()
    try:
        with svc.db.session() as s:
            entry = entries.add(s, data["question"], data["variants"], data["answer"], data["link"] or None,
                                by=current_staff().username)
            ids = [int(i) for i in request.form.getlist("unanswered_id") if i.isdigit()]
            if ids:
                unanswered.mark_taught(s, ids, entry.id)
    except entries.FaqError as exc:
        flash(f"没有保存：{exc}", "error")
        return redirect(url_for("console.faq"))
    svc.faq.refresh_now()
    flash(f"已添加「{data['question'].strip()}」，几秒内所有顾客都能得到这个答案。", "success")
    return redirect(url_for("console.faq"))


@bp.post("/faq/<int:entry_id>")
@role_required(*EDIT_ROLES)
def faq_edit(entry_id: int):
    svc = _services()
    action = request.form.get("action", "save")
    try:
        with svc.db.session() as s:
            entry = s.get(FaqEntry, entry_id)
            if entry is None:
                abort(404)
            if action == "delete":
                s.delete(entry)
                done = "已删除"
            elif action in ("enable", "disable"):
                entries.change(s, entry, {"enabled": action == "enable"}, by=current_staff().username)
                done = "已启用" if action == "enable" else "已停用"
            else:
                entries.change(s, entry, _form_entry(), by=current_staff().username)
                done = "已保存"
    except entries.FaqError as exc:
        flash(f"没有保存：{exc}", "error")
        return redirect(url_for("console.faq", edit=entry_id))
    svc.faq.refresh_now()
    flash(done, "success")
    return redirect(url_for("console.faq"))


@bp.get("/unanswered", endpoint="unanswered")
@role_required(*READ_ROLES)
def unanswered_page():
    with _services().db.session() as s:
        groups = unanswered.groups(s)
    return render_template("console/unanswered.html", groups=groups, can_edit=current_staff().role in EDIT_ROLES)
