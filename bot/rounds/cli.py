"""`flask --app bot rounds ...`: the deadline sweep by hand, plus list, export and close for staff."""
from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from ..current import current_services
from ..models import Round
from . import ledger
from .lifecycle import close_round, fulfil_round
from .notices import queue_notices
from .render import entries_csv, progress
from .sweep import run_sweep

rounds_cli = AppGroup("rounds", help="Group preorder rounds (团购接龙).")


def _drain(svc) -> None:
    """Without Redis the notices run on this process's threads: wait for them before exiting."""
    if hasattr(svc.queue, "drain"):
        svc.queue.drain(timeout=60)


@rounds_cli.command("sweep")
def sweep_command() -> None:
    """End rounds past their deadline (closed, or cancelled below the minimum) and notify."""
    svc = current_services()
    done = run_sweep(svc)
    for t in done:
        click.echo(f"round {t.round_id}: {t.before} -> {t.after}, {t.notices} notifications queued")
    click.echo(f"{len(done)} round(s) ended")
    _drain(svc)


@rounds_cli.command("list")
def list_command() -> None:
    """Every round with its progress."""
    with current_services().db.session() as s:
        for r in s.execute(select(Round).order_by(Round.id)).scalars():
            click.echo(f"#{r.id} [{r.status}] {r.title}: {progress(r, ledger.totals(s, r.id))}")


@rounds_cli.command("export")
@click.argument("round_id", type=int)
def export_command(round_id: int) -> None:
    """The round's entries as CSV on stdout."""
    with current_services().db.session() as s:
        v = ledger.view(s, round_id, with_entries=True)
        if v is None:
            raise click.ClickException(f"no round #{round_id}")
        click.echo(entries_csv(v), nl=False)


def _transition(round_id: int, change, refusal: str) -> None:
    svc = current_services()
    done = change(svc.db, round_id, "cli")
    if done is None:
        raise click.ClickException(f"round #{round_id} {refusal}")
    queue_notices(svc, round_id)
    click.echo(f"round {round_id}: {done.before} -> {done.after}, {done.notices} notifications queued")
    _drain(svc)


@rounds_cli.command("close")
@click.argument("round_id", type=int)
def close_command(round_id: int) -> None:
    """Close a round now (cancelled if it has not reached its minimum) and notify."""
    _transition(round_id, close_round, "does not exist or has already ended")


@rounds_cli.command("fulfil")
@click.argument("round_id", type=int)
def fulfil_command(round_id: int) -> None:
    """Mark a closed round's goods as arrived and tell every participant to collect."""
    _transition(round_id, fulfil_round, "does not exist or is not closed yet")
