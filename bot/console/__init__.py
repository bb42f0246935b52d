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
# Werkzeug's own descriptions are English; staff read these instead when a view gave no reason.
PLAIN_WORDS = {400: "请求无效，请回到上一页检查填写的内容后重试。",
               403: "您的账号没有这个操作的权限。如需开通，请联系管理员。",
               404: "没有这个页面，或者要找的记录不存在（可能已被删除）。请检查网址，或从菜单重新进入。",
               405: "这个页面不支持这种操作，请从页面上的按钮操作。",
               413: "提交的内容太长了，请删减后重试（例如分几次保存）。",
               429: "操作太频繁了，请稍后再试。",
               500: "系统出错了，刚才的操作可能没有保存。请稍后重试；一直出错请联系管理员。"}


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
    default = exc.description is None or exc.description == type(exc).description
    message = PLAIN_WORDS.get(exc.code, "出错了，请稍后重试。") if default or exc.code == 403 else exc.description
    return render_template("console/error.html", code=exc.code, title=ERROR_TITLES.get(exc.code, "出错了"),
                           message=message), exc.code
