"""`flask --app bot ...` commands: database, demo data, NLU, chat, menu and the queue worker."""
from __future__ import annotations

import json
import time

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from .config import ROOT

db_cli = AppGroup("db", help="Database schema (Alembic).")
nlu_cli = AppGroup("nlu", help="Train, sync and reload the NLU model.")
menu_cli = AppGroup("menu", help="The official account's menu.")


def _svc():
    return current_app.extensions["xiaoer"]


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration to DATABASE_URL."""
    from .migrate import upgrade

    upgrade(_svc().config.DATABASE_URL)
    click.echo("database schema is up to date")


@click.command("seed")
def seed_command() -> None:
    """Add the demo data (safe to run again: nothing is duplicated)."""
    from .demo import seed

    counts = seed(_svc())
    click.echo("demo data: " + ", ".join(f"{v} new {k}" for k, v in counts.items()))


@nlu_cli.command("train")
@click.option("--force", is_flag=True, help="Train even if a model for this data exists.")
def nlu_train(force: bool) -> None:
    """Train when nlu_data/ changed since the last model (compared by hash)."""
    from .nlu.training import train

    path, seconds = train(_svc().config.MODEL_PATH, force=force)
    if seconds is None:
        click.echo(f"NLU model is up to date: {path.name}")
    else:
        click.echo(f"trained {path.name} in {seconds:.1f} s")


@nlu_cli.command("sync-catalog")
def nlu_sync_catalog() -> None:
    """Write product lookup, synonyms and the jieba dictionary from the catalog."""
    from .nlu.catalog_sync import write_catalog

    changed = write_catalog(_svc().catalog())
    click.echo("catalog written; retrain with `make train`" if changed else "catalog unchanged")


def _understanding():
    """The app's own NLU path, started in this process; catalog aliases from the database, or from
    the generated catalog.yml when the database has no catalog yet."""
    from .nlu.evaluation import catalog_aliases

    svc = _svc()
    svc.engine.start(background=False)
    if not svc.engine.ready:
        raise click.ClickException(svc.engine.error or "NLU not ready")
    if not svc.understanding.product_aliases:
        svc.understanding.product_aliases = catalog_aliases()
    return svc.understanding


@nlu_cli.command("eval")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="One JSON object (accuracy, macro_f1, per_intent, entities).")
def nlu_eval(path: str, as_json: bool) -> None:
    """Evaluate a Rasa-format NLU YAML file through the bot's full NLU path."""
    from .nlu.evaluation import evaluate, format_report

    report = evaluate(_understanding(), path)
    if as_json:
        entities = {t: {k: v[k] for k in ("precision", "recall", "f1")} for t, v in report["entities"].items()}
        click.echo(json.dumps({"accuracy": report["accuracy"], "macro_f1": report["macro_f1"],
                               "per_intent": report["per_intent"], "entities": entities}, ensure_ascii=False))
    else:
        click.echo(format_report(report))


@nlu_cli.command("reviews")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--sample", type=int, default=None, help="Route a fixed random sample instead of every review.")
@click.option("--seed", type=int, default=7, show_default=True)
def nlu_reviews(path: str, sample: int | None, seed: int) -> None:
    """Share of a review CSV (a `review` column) routed to feedback or complaint, and where the rest went."""
    from .nlu.reviews import load_reviews, route

    click.echo(json.dumps(route(_understanding(), load_reviews(path, sample=sample, seed=seed)), ensure_ascii=False))


@nlu_cli.command("reload")
def nlu_reload() -> None:
    """Make running bots serve the newest model: a Rasa server is told to load it (PUT /model);
    in-process models are checked here first, then the file is touched so every web process's
    watcher (NLU_WATCH_INTERVAL) swaps it in without a restart."""
    import os

    import requests

    from .nlu import latest_model
    from .nlu.engines import _load_agent

    cfg = _svc().config
    model = latest_model(cfg.MODEL_PATH)
    if model is None:
        raise click.ClickException(f"no model under {cfg.MODEL_PATH}: run `make train`")
    if cfg.RASA_URL:
        r = requests.put(f"{cfg.RASA_URL.rstrip('/')}/model", params={"token": cfg.RASA_TOKEN} if cfg.RASA_TOKEN else {},
                         json={"model_file": str(model.resolve())}, timeout=120)
        if not r.ok:
            raise click.ClickException(f"Rasa server refused {model.name}: {r.status_code} {r.text[:200]}")
        click.echo(f"Rasa server now serves {model.name}")
        return
    started = time.monotonic()
    _load_agent(model)  # a model that does not load is not announced to the web processes
    os.utime(model)
    click.echo(f"{model.name} loads ({time.monotonic() - started:.1f} s); web processes swap it in "
               f"within {cfg.NLU_WATCH_INTERVAL:g} s")


@click.command("chat")
@click.option("--openid", default="o-demo-alice", show_default=True)
@click.option("--url", default=None, help="Webhook URL (default http://HOST:PORT/wechat).")
def chat_command(openid: str, url: str | None) -> None:
    """Chat with the running bot through the real webhook, as WeChat would."""
    import os

    from .simulator import Simulator, chat

    cfg = _svc().config
    url = url or f"http://{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}/wechat"
    chat(Simulator(cfg.WECHAT_TOKEN, cfg.WECHAT_APP_ID, cfg.WECHAT_AES_KEY, url=url), openid)


@menu_cli.command("sync")
@click.option("--file", "path", default=str(ROOT / "menu.json"), show_default=True)
def menu_sync(path: str) -> None:
    """Validate menu.json and publish it with menu/create."""
    from .menu import load_menu

    try:
        menu = load_menu(path)
    except ValueError as exc:
        raise click.ClickException(str(exc))
    from integrations.wechat_api import WeChatError

    try:
        _svc().wechat.create_menu(menu)
    except WeChatError as exc:
        raise click.ClickException(f"WeChat refused the menu: {exc}")
    click.echo(f"menu published: {len(menu['button'])} buttons")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst: bool) -> None:
    """Run the RQ worker (needs REDIS_URL) with its scheduler."""
    svc = _svc()
    if not svc.config.REDIS_URL:
        raise click.ClickException("REDIS_URL is not set: without Redis, jobs run inside the web process")
    from rq import Worker

    from .jobs import WORKER_STARTUP
    from .keeper import keep, tick
    tick(svc, WORKER_STARTUP)
    keep(svc, WORKER_STARTUP)
    Worker([svc.queue.queue], connection=svc.queue.connection).work(burst=burst, with_scheduler=True)


def register(app: Flask) -> None:
    from .faq.cli import faq_cli
    from .feedback.cli import feedback_cli
    from .preorders.cli import rounds_cli
    from .shop.cli import shop_cli
    from .staff_cli import users_cli

    for command in (db_cli, nlu_cli, menu_cli, seed_command, chat_command, worker_command, rounds_cli,
                    users_cli, feedback_cli, shop_cli, faq_cli):
        app.cli.add_command(command)
