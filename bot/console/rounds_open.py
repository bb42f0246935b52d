"""/console/rounds/new: open a round with a form. The form is turned into the chat's 开团 message
and read by the same parser and validator (bot/rounds/command.py), so the console and the chat
accept the same rounds and explain problems in the same words; it is previewed before publishing."""
from __future__ import annotations

import re
import secrets

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select

from ..current import current_services
from ..models import Product
from ..nlu.numbers import CN_NUMBER
from ..rounds.command import (CONFIRM_HEAD, FORM_FIELDS, REFUSED_HEAD, catalog_lookup, compose_open, opened_text,
                              parse_open, problems_text)
from ..rounds.opening import create_round
from .blueprint import bp
from .auth import role_required
from .rounds import RUN_ROLES, actor

PUBLISH_ONCE = 3600  # seconds a preview's publish token is remembered: a double tap opens one round


def _form() -> dict:
    form = {k: (request.form.get(k) or "").strip() for k in FORM_FIELDS}
    form["delivery"] = "1" if request.form.get("delivery") else ""
    return form


# The form's number boxes: a figure (or Chinese numerals, as in the chat). Anything else the chat's
# reader would half-read (「-5」 as 5 元, 「1e9」 as 9) instead of refusing.
NUMBER_FIELDS = {"price": "价格", "min_total": "成团数量", "cap": "上限", "per_person_max": "每人限",
                 "min_participants": "成团人数"}
FIGURE = re.compile(rf"\d+(?:\.\d+)?|{CN_NUMBER}")


def _not_numbers(form: dict) -> list[str]:
    wrong = [label for key, label in NUMBER_FIELDS.items()
             if form[key] and not FIGURE.fullmatch(form[key].removesuffix("元").replace(" ", ""))]
    return [f"{'、'.join(wrong)}要填数字（例如 22 或 2.5）"] if wrong else []


def _read(form: dict):
    """(chat line, spec, problems): the unit comes from the catalog when the form leaves it empty."""
    with current_services().db.session() as s:
        lookup = catalog_lookup(s)
        known = lookup(form["product"].replace(" ", "")) if form["product"] else None
        if known and not form["unit"]:
            form["unit"] = known[1]
        line = compose_open(form)
        spec, problems = parse_open(line, lookup)
    return line, spec, _not_numbers(form) + problems


def _page(form: dict, **extra):
    with current_services().db.session() as s:
        products = list(s.execute(select(Product.name, Product.unit, Product.price_cents).order_by(Product.name)))
    return render_template("console/round_new.html", form=form, products=products, **extra)


@bp.get("/rounds/new")
@role_required(*RUN_ROLES)
def round_new():
    return _page({k: "" for k in FORM_FIELDS})


@bp.post("/rounds/new")
@role_required(*RUN_ROLES)
def round_new_post():
    form = _form()
    line, spec, problems = _read(form)
    if problems:
        return _page(form, line=line, problems=problems_text(problems)), 400
    if request.form.get("step") != "publish":
        return _page(form, line=line, head=CONFIRM_HEAD, preview=spec.describe(),
                     publish_token=secrets.token_urlsafe(16))
    token = request.form.get("publish_token") or ""
    svc = current_services()
    if not token or not svc.store.set_nx(f"round-publish:{token}", "1", PUBLISH_ONCE):
        flash("这份预览已经发布过了（或已过期），请在团购列表里查看。", "error")
        return redirect(url_for("console.rounds"))
    problems = spec.problems()  # again at publishing: the deadline may have passed meanwhile
    if problems:
        return _page(form, line=line, problems=REFUSED_HEAD + "；".join(problems) + "。"), 400
    r = create_round(svc.db, spec, actor())
    flash(opened_text(r) + "把下面的群消息和二维码发到群里，顾客就能接龙了。", "success")
    return redirect(url_for("console.round_page", round_id=r.id))
