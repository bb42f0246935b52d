"""`flask --app bot customers export|erase OPENID`: a customer's copy of their data, and its erasure."""
from __future__ import annotations

import getpass

import click
from flask.cli import AppGroup

from ..current import current_services

customers_cli = AppGroup("customers", help="A customer's data: a copy (export) or its erasure (erase).")


@customers_cli.command("export")
@click.argument("openid")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="file to write (default: stdout)")
def export_command(openid: str, output: str | None) -> None:
    """Everything held about the customer of OPENID (all their bound openids), as JSON."""
    from .erasure import export_json

    text = export_json(current_services(), openid.strip())
    if output:
        with open(output, "w", encoding="utf-8") as f:
            f.write(text + "\n")
        click.echo(f"written to {output}", err=True)
    else:
        click.echo(text)


@customers_cli.command("erase")
@click.argument("openid")
@click.option("--by", "erased_by", default=None, help="who asks for it, for the audit row (default: your login name)")
@click.option("--yes", is_flag=True, help="do not ask for confirmation")
def erase_command(openid: str, erased_by: str | None, yes: bool) -> None:
    """Delete every row and store key about the customer of OPENID; records who did it and how many rows."""
    from .erasure import erase

    if not yes:
        click.confirm(f"Erase everything held about {openid} and the openids bound with it? This cannot be undone",
                      abort=True)
    result = erase(current_services(), openid.strip(), erased_by or getpass.getuser())
    total = sum(result["rows"].values())
    detail = ", ".join(f"{n} {table}" for table, n in sorted(result["rows"].items())) or "nothing in the database"
    click.echo(f"erased {total} rows ({detail}) and {result['store_keys']} store keys; audit #{result['audit_id']}")
