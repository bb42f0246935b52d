"""`flask --app bot db upgrade`: the database schema (Alembic)."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from ..current import current_services

db_cli = AppGroup("db", help="Database schema (Alembic).")


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration to DATABASE_URL."""
    from .migrate import upgrade

    upgrade(current_services().config.DATABASE_URL)
    click.echo("database schema is up to date")
