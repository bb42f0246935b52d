"""`flask --app bot shop ...`: staff commands for stock counts, restock notices and the reference
order system (for trying the HTTP integration locally)."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from ..current import current_services

shop_cli = AppGroup("shop", help="Orders and stock: counts, restock notices, reference order system.")


@shop_cli.command("set-stock")
@click.argument("product")
@click.argument("warehouse")
@click.argument("quantity", type=float)
def set_stock(product: str, warehouse: str, quantity: float) -> None:
    """Set PRODUCT's count at WAREHOUSE (embedded store); customers waiting for it are told."""
    from bot.shop.sql_commerce import SqlCommerce

    from .restock import stock_changed

    svc = current_services()
    try:
        before, after = SqlCommerce(svc.db).set_stock(product, warehouse, quantity)
    except (LookupError, ValueError) as exc:
        raise click.ClickException(str(exc))
    stock_changed(svc, product, before, after)
    click.echo(f"{product}: {before:g} -> {after:g} in all warehouses")
    if hasattr(svc.queue, "drain"):
        svc.queue.drain()


@shop_cli.command("check-restock")
def check_restock_command() -> None:
    """Tell every waiting customer whose product has stock again (run from cron with an HTTP system)."""
    from .restock import check_restock

    svc = current_services()
    told = check_restock(svc)
    if hasattr(svc.queue, "drain"):
        svc.queue.drain()
    click.echo(f"{told} customers told")


@shop_cli.command("reference-server")
@click.option("--port", default=5050, show_default=True)
@click.option("--token", default=None, help="Require this bearer token.")
def reference_server(port: int, token: str | None) -> None:
    """Serve the embedded store over the HTTP contract (integrations/README.md)."""
    from integrations.reference_order_server import ReferenceOrderServer
    from bot.shop.sql_commerce import SqlCommerce

    server = ReferenceOrderServer(SqlCommerce(current_services().db), token=token, port=port)
    click.echo(f"reference order system on {server.url} (Ctrl-C stops)")
    try:
        server.server.serve_forever()
    except KeyboardInterrupt:
        pass
