"""/console/rewards: the merchant's list of what points buy (name, points, stock, on or off).
Admins and merchants edit it; agents and viewers read it (to answer customers' questions)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import func, select

from ..current import current_services
from ..members import rewards
from ..models import Redemption, Reward
from .auth import current_staff, login_required, nav_item, role_required
from .blueprint import bp

EDIT_ROLES = ("admin", "merchant")
nav_item("console.rewards_page", "积分奖品", order=26)


@bp.get("/rewards")
@login_required
def rewards_page():
    with current_services().db.session() as s:
        taken = dict(s.execute(select(Redemption.reward_id, func.count(Redemption.id))
                               .group_by(Redemption.reward_id)).all())
        rows = [(r.name, r.points, r.stock, r.enabled, taken.get(r.id, 0))
                for r in s.execute(select(Reward).order_by(Reward.points, Reward.id)).scalars()]
    return render_template("console/rewards.html", rows=rows, can_edit=current_staff().role in EDIT_ROLES)


def _whole(value: str, allow_blank: bool) -> int | None:
    value = (value or "").strip()
    if not value and allow_blank:
        return None
    return int(value)  # ValueError: said to the merchant below


@bp.post("/rewards")
@role_required(*EDIT_ROLES)
def save_reward():
    form = request.form
    try:
        cost, stock = _whole(form.get("points"), False), _whole(form.get("stock"), True)
    except ValueError:
        flash("所需积分和库存须填整数（库存留空表示不限）。", "error")
        return redirect(url_for("console.rewards_page"))
    try:
        with current_services().db.session() as s:
            rewards.save(s, form.get("name", ""), cost, stock, enabled=form.get("enabled") == "1")
    except rewards.RewardError as exc:
        flash(str(exc), "error")
    else:
        flash(f"奖品「{form.get('name', '').strip()}」已保存。", "success")
    return redirect(url_for("console.rewards_page"))
