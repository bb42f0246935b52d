"""The console's home page: today's numbers at a glance."""
from __future__ import annotations

from flask import redirect, render_template, url_for

from ..current import current_services
from .auth import login_required, nav_item
from .blueprint import bp

nav_item("console.home", "首页", order=10)


@bp.get("/")
@login_required
def home():
    from ..tickets.reports import today_numbers

    return render_template("console/home.html", numbers=today_numbers(current_services().db))


@bp.get("")
def home_no_slash():
    return redirect(url_for("console.home"))
