"""/console/products: the facts customers ask about each product (产地, 规格, 口感…), written by the
merchant and answered by the bot at once."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from ..faq import facts
from ..models import Product
from ..current import current_services
from .blueprint import bp
from .auth import current_staff, nav_item, role_required
from .faq import EDIT_ROLES, READ_ROLES

nav_item("console.products", "商品资料", roles=READ_ROLES, order=72)


@bp.get("/products")
@role_required(*READ_ROLES)
def products():
    with current_services().db.session() as s:
        rows = [(p.name, dict(p.facts or {})) for p in s.execute(select(Product).order_by(Product.id)).scalars()]
    return render_template("console/products.html", rows=rows, fields=facts.FACTS,
                           can_edit=current_staff().role in EDIT_ROLES)


@bp.post("/products/<name>")
@role_required(*EDIT_ROLES)
def product_facts(name: str):
    with current_services().db.session() as s:
        product = s.execute(select(Product).where(Product.name == name)).scalar_one_or_none()
        if product is None:
            abort(404)
        try:
            facts.update(product, {key: request.form.get(key, "") for key in facts.FACTS})
        except facts.FactError as exc:
            s.rollback()
            flash(f"没有保存：{exc}", "error")
            return redirect(url_for("console.products"))
    flash(f"「{name}」的资料已保存，顾客现在问就能得到回答。", "success")
    return redirect(url_for("console.products"))
