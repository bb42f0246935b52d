"""`flask --app bot demand forecast [--product NAME]`: fit now (a progress bar while it runs), store
the forecasts the API and the console read, and print the table with the restock suggestions."""
from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from ..current import current_services
from ..models import Product
from .replenish import suggestions
from .service import current_points, refresh

demand_cli = AppGroup("demand", help="Demand forecasts and restock suggestions.")


@demand_cli.command("forecast")
@click.option("--product", default=None, help="one catalog product (default: all)")
@click.option("--days", default=7, show_default=True, help="days of forecast to print")
def forecast_command(product: str | None, days: int) -> None:
    """Refit the forecasts and print them: method, MASE, the next days' mean and 80% interval."""
    svc = current_services()
    with svc.db.session() as s:
        query = select(func.count(Product.id))
        if product:
            query = query.where(Product.name == product)
        total = s.execute(query).scalar_one()
    if total == 0:
        raise click.ClickException(f"no product named {product!r} in the catalog" if product else "the catalog is empty")
    with click.progressbar(length=total, label="fitting forecasts", file=click.get_text_stream("stderr")) as bar:
        refresh(svc, product, progress=lambda _name: bar.update(1))
    from .service import forecast_json

    names = [product] if product else list(current_points(svc))
    for name in names:
        data = forecast_json(svc, name, max(1, min(days, 28)))
        mase = f"{data['mase']:.2f}" if data["mase"] is not None else "-"
        click.echo(f"{name}（{data['unit']}）  {data['method']}  MASE {mase}" + (f"  {data['note']}" if data["note"] else ""))
        for p in data["forecast"]:
            click.echo(f"  {p['date']}  {p['mean']:>8.1f}  [{p['lo']:.1f}, {p['hi']:.1f}]")
    points = current_points(svc)
    rows = [r for r in suggestions(svc, points) if not product or r["product"] == product]
    if rows:
        click.echo("\n补货建议：")
        for r in rows:
            click.echo(f"  {r['product']} @ {r['warehouse']}：现有 {r['on_hand']:g} {r['unit']}，{r['text']}")
