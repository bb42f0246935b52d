"""Who is using the console and what they may do: login (with growing delays after failures,
bot/console/login_delay.py) and logout, roles, CSRF tokens, secure cookies and security headers,
and the navigation every page shares.

Other console pages (feedback, demand...) build on this module: decorate views with
`role_required(...)`, extend "console/base.html", and add a menu entry with `nav_item(...)`.
"""
from __future__ import annotations

import datetime as dt
import functools
import hmac
import secrets
from dataclasses import dataclass

from flask import (Blueprint, abort, current_app, flash, g, redirect, render_template, request,
                   session, url_for)
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from ..current import current_services
from . import login_delay
from ..models import StaffUser, utcnow
from ..models.staff import ROLES, WRITE_ROLES  # noqa: F401  (WRITE_ROLES: the console's pages use it from here)

bp = Blueprint("console_auth", __name__, url_prefix="/console")
SESSION_LIFETIME = dt.timedelta(hours=12)
# Checked against when the username does not exist, so both cases take the same time.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


@dataclass
class NavItem:
    endpoint: str
    label: str
    roles: tuple[str, ...]
    order: int
    setting: str | None = None  # shown only while this config setting is on


NAV: list[NavItem] = []


def nav_item(endpoint: str, label: str, roles: tuple[str, ...] = ROLES, order: int = 50,
             setting: str | None = None) -> None:
    """Add a page to the console menu (shown only to roles that may open it, and only while
    `setting` is on when one is named)."""
    if not any(item.endpoint == endpoint for item in NAV):
        NAV.append(NavItem(endpoint, label, tuple(roles), order, setting))
        NAV.sort(key=lambda item: item.order)


def hash_password(password: str) -> str:
    return generate_password_hash(password)


def current_staff() -> StaffUser | None:
    """The logged-in staff member, read once per request. Deactivated accounts are logged out, and
    so is a session opened before its account's sessions were revoked (the cookie is signed, not
    stored, so the account's session epoch is what ends it: see revoke_sessions)."""
    if "staff" not in g:
        g.staff = None
        staff_id = session.get("staff_id")
        if staff_id is not None:
            with current_services().db.session() as s:
                user = s.get(StaffUser, staff_id)
                if user is not None and user.active and session.get("epoch", 0) == user.session_epoch:
                    g.staff = user
            if g.staff is None:
                session.clear()
    return g.staff


def revoke_sessions(user: StaffUser) -> None:
    """End every open console session of this account (logout everywhere, a new password)."""
    user.session_epoch = (user.session_epoch or 0) + 1


def start_session(user: StaffUser) -> None:
    """A fresh session on login (no fixation), bound to the account's current session epoch."""
    session.clear()
    session.permanent = True
    session["staff_id"] = user.id
    session["epoch"] = user.session_epoch or 0
    csrf_token()


def role_required(*roles: str):
    """Anonymous visitors go to the login page; logged-in staff without the role get 403."""
    allowed = roles or ROLES

    def decorate(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            user = current_staff()
            if user is None:
                return redirect(url_for("console_auth.login", next=request.full_path))
            if user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorate


login_required = role_required(*ROLES)


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def check_csrf() -> None:
    """Every state-changing console request carries the session's token (form field or header)."""
    if request.method in ("GET", "HEAD", "OPTIONS") or not request.path.startswith("/console"):
        return
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
    expected = session.get("csrf") or ""
    # Compared as bytes: compare_digest raises on non-ASCII str (a 500), and a form may hold anything.
    if not expected or not hmac.compare_digest(sent.encode("utf-8", "surrogateescape"), expected.encode()):
        abort(400, description="表单已过期，请刷新页面后重试。")


def refuse_nul() -> None:
    """A NUL character (pasted from some other program) cannot be stored by PostgreSQL: the insert
    or even the search fails with a 500. Staff are told instead, before anything is half-done."""
    if not request.path.startswith("/console"):
        return
    values = [v for _, v in request.args.items(multi=True)]
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        values += [v for _, v in request.form.items(multi=True)]
    if any("\x00" in v for v in values):
        abort(400, description="填写的内容里有看不见的控制字符（常见于从其他软件复制粘贴），请删掉后重新输入。")


def security_headers(response):
    if request.path.startswith("/console"):
        response.headers.setdefault("Content-Security-Policy",
                                    "default-src 'self'; img-src 'self' data: https: http:; "
                                    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def is_viewer() -> bool:
    user = current_staff()
    return user is None or user.role == "viewer"


def mask_pii(value, kind: str = "text", *names: str) -> str:
    """Viewers see personal data masked: 138****0001, 王*; in free text (`free`: what customers
    and staff wrote) phones, addresses, names, order and account numbers become [电话], [地址]..."""
    if value is None or value == "":
        return ""
    value = str(value)
    if not is_viewer():
        return value
    if kind == "free":
        from ..feedback.privacy import mask

        return mask(value, tuple(n for n in names if n))
    if kind == "phone" and len(value) >= 7:
        return value[:3] + "*" * (len(value) - 7) + value[-4:]
    if kind == "openid":
        return value[:4] + "…"
    return value[0] + "*" * max(len(value) - 1, 1)


def init_app(app) -> None:
    """Cookie settings, CSRF check, headers and template helpers for every console page."""
    app.config.update(SESSION_COOKIE_SECURE=bool(app.config.get("CONSOLE_SECURE_COOKIES", True)),
                      SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_NAME="xiaoer_console", PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME)
    app.before_request(check_csrf)
    app.before_request(refuse_nul)
    app.after_request(security_headers)
    app.jinja_env.globals.update(csrf_token=csrf_token, current_staff=current_staff, console_nav=_visible_nav)
    app.jinja_env.filters["pii"] = mask_pii
    app.register_blueprint(bp)


def _visible_nav() -> list[NavItem]:
    user = current_staff()
    return [item for item in NAV if user is not None and user.role in item.roles
            and (item.setting is None or current_app.config.get(item.setting))]


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/console") and not target.startswith("//"):
        return target
    return url_for("console.home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("console/login.html", next=request.args.get("next", ""))
    username = (request.form.get("username") or "").strip()
    password = request.form.get("password") or ""
    if not _login_allowed(username):
        return _login_failed("登录尝试过于频繁，请稍后再试。", 429)
    svc, address = current_services(), request.remote_addr
    wait = login_delay.wait_seconds(svc.store, username, address)
    if wait:  # the same for every username, real or not: it says nothing about the account
        return _login_failed(f"尝试次数过多，请 {wait} 秒后再试。", 429)
    now = utcnow()
    with svc.db.session() as s:
        user = s.execute(select(StaffUser).where(StaffUser.username == username)).scalar()
        if user is None or not user.active:
            check_password_hash(_DUMMY_HASH, password)
            login_delay.failed(svc.store, username, address)
            return _login_failed("用户名或密码不正确。")
        if not check_password_hash(user.password_hash, password):
            user.failed_logins += 1
            login_delay.failed(svc.store, username, address)
            return _login_failed("用户名或密码不正确。")
        user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
        start_session(user)
    login_delay.succeeded(svc.store, username, address)
    return redirect(_safe_next(request.form.get("next")))


def _login_allowed(username: str) -> bool:
    """Attempts per account and per address in the shared store, before any password is hashed:
    this caps guessing across every worker and every address. The address is the client's as
    ProxyFix reads it behind TRUSTED_PROXIES load balancers, not the balancer's."""
    svc = current_services()
    per_account, per_address = svc.config.login_limits
    allowed = svc.limiter.hit(f"login:{username.lower()[:64]}", per_account)
    allowed = svc.limiter.hit(f"login-ip:{request.remote_addr}", per_address) and allowed
    if not allowed:
        svc.metrics.count("xiaoer_rejected_total", reason="login_rate")
    return allowed


def _login_failed(message: str, status: int = 401):
    return render_template("console/login.html", next=request.form.get("next", ""), error=message), status


@bp.post("/logout")
def logout():
    session.clear()
    flash("您已退出登录。", "info")
    return redirect(url_for("console_auth.login"))
