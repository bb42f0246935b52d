"""`flask --app bot faq import FILE.csv | export [FILE]`: the merchant's spreadsheet in and out."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from ..current import current_services
from . import entries

faq_cli = AppGroup("faq", help="The merchant's FAQ (问答库): import and export CSV (question,variants,answer).")


@faq_cli.command("import")
@click.argument("path", type=click.Path(dir_okay=False))
def import_command(path: str) -> None:
    """Add or update entries from a CSV file; nothing is saved if any row is wrong."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise click.ClickException(f"cannot read {path}: {exc.strerror}")
    svc = current_services()
    try:
        with svc.db.session() as s:
            added, updated = entries.import_csv(s, data)
    except entries.FaqError as exc:
        raise click.ClickException(str(exc))
    click.echo(f"imported {path}: {added} added, {updated} updated")


@faq_cli.command("export")
@click.argument("path", required=False, type=click.Path(dir_okay=False))
def export_command(path: str | None) -> None:
    """Every entry as CSV, to PATH or to standard output."""
    with current_services().db.session() as s:
        text = entries.export_csv(s)
    if path:
        Path(path).write_text(text, encoding="utf-8")
        click.echo(f"exported to {path}")
    else:
        click.echo(text, nl=False)
