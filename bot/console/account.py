"""A staff member's own account: change the password, and log out on every device.

Both end every other open session of the account at once (auth.revoke_sessions): a password that
leaked, or a phone left logged in, stops working everywhere, not 12 hours later when the cookie
expires. The current session continues under the new epoch after a password change."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from werkzeug.security import check_password_hash

from ..current import current_services
from ..models import StaffUser
from .auth import bp, current_staff, hash_password, login_required, revoke_sessions, start_session
from .cli import MIN_PASSWORD


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    if request.method == "GET":
        return render_template("console/password.html")
    current, new = request.form.get("current") or "", request.form.get("new") or ""
    if new != (request.form.get("repeat") or ""):
        return render_template("console/password.html", error="两次输入的新密码不一致。"), 400
    if len(new) < MIN_PASSWORD:
        return render_template("console/password.html", error=f"新密码至少 {MIN_PASSWORD} 位。"), 400
    with current_services().db.session() as s:
        user = s.get(StaffUser, current_staff().id)
        if not check_password_hash(user.password_hash, current):
            return render_template("console/password.html", error="当前密码不正确。"), 400
        user.password_hash = hash_password(new)
        revoke_sessions(user)
        s.flush()
        start_session(user)
    flash("密码已修改，其他设备上的登录已全部退出。", "info")
    return redirect(url_for("console.home"))


@bp.post("/logout-everywhere")
@login_required
def logout_everywhere():
    with current_services().db.session() as s:
        revoke_sessions(s.get(StaffUser, current_staff().id))
    session.clear()
    flash("已在所有设备上退出登录。", "info")
    return redirect(url_for("console_auth.login"))
