"""`flask --app bot ...`: `seed` (demo data) here; every other group lives beside its feature
(db in bot/infra, nlu in bot/nlu, chat and menu in bot/wechat, worker in bot/worker, rounds,
users in bot/console, feedback, shop) and is added to the app by `register`."""
from __future__ import annotations

import click
from flask import Flask

from .current import current_services


@click.command("seed")
def seed_command() -> None:
    """Add the demo data (safe to run again: nothing is duplicated)."""
    from .demo import seed

    counts = seed(current_services())
    click.echo("demo data: " + ", ".join(f"{v} new {k}" for k, v in counts.items()))


def register(app: Flask) -> None:
    from .console.cli import users_cli
    from .faq.cli import faq_cli
    from .feedback.cli import feedback_cli
    from .forecast.cli import demand_cli
    from .infra.cli import db_cli
    from .members.cli import members_cli
    from .nlu.cli import nlu_cli
    from .privacy.cli import customers_cli
    from .rounds.cli import rounds_cli
    from .shop.cli import shop_cli
    from .wechat.cli import COMMANDS as wechat_commands
    from .worker.cli import worker_command

    for command in (db_cli, nlu_cli, seed_command, worker_command, *wechat_commands, rounds_cli,
                    users_cli, feedback_cli, shop_cli, faq_cli, customers_cli, members_cli, demand_cli):
        app.cli.add_command(command)
