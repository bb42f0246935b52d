"""The staff console at /console: server-rendered pages (Jinja), no front-end build step.

`auth.py` holds login, roles, CSRF and the shared layout's navigation; each page family is a
module registering views on `bp`.
"""
from __future__ import annotations

from flask import render_template, request
from werkzeug.exceptions import HTTPException

from . import auth
from .blueprint import bp

ERROR_TITLES = {400: "请求无效", 403: "没有权限", 404: "找不到页面", 405: "不支持的操作", 429: "请稍后再试"}


def init_app(app) -> None:
    from ..wechat import simulator_page  # noqa: F401  (the chat simulator page registers on bp)
    from . import (account, customers, faq, feedback, home, products, rewards, rounds,  # noqa: F401
                   rounds_open, tickets)  # (views register on bp)

    auth.init_app(app)
    app.register_blueprint(bp)
    app.register_error_handler(HTTPException, _console_error)


def _console_error(exc: HTTPException):
    """Console pages show errors in the console's layout; everything else keeps Flask's default."""
    if not request.path.startswith("/console"):
        return exc
    messages = {403: "您的账号没有这个操作的权限。如需开通，请联系管理员。"}
    message = messages.get(exc.code) or exc.description
    return render_template("console/error.html", code=exc.code, title=ERROR_TITLES.get(exc.code, "出错了"),
                           message=message), exc.code
