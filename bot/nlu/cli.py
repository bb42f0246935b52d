"""`flask --app bot nlu ...`: train, evaluate, sync the catalog and reload the model."""
from __future__ import annotations

import json
import time

import click
from flask.cli import AppGroup

from ..current import current_services

nlu_cli = AppGroup("nlu", help="Train, sync and reload the NLU model.")


@nlu_cli.command("train")
@click.option("--force", is_flag=True, help="Train even if a model for this data exists.")
def nlu_train(force: bool) -> None:
    """Train when nlu_data/ changed since the last model (compared by hash)."""
    from .training import train

    path, seconds = train(current_services().config.MODEL_PATH, force=force)
    if seconds is None:
        click.echo(f"NLU model is up to date: {path.name}")
    else:
        click.echo(f"trained {path.name} in {seconds:.1f} s")


@nlu_cli.command("sync-catalog")
def nlu_sync_catalog() -> None:
    """Write product lookup, synonyms and the jieba dictionary from the catalog."""
    from .catalog_sync import write_catalog

    changed = write_catalog(current_services().catalog())
    click.echo("catalog written; retrain with `make train`" if changed else "catalog unchanged")


def _understanding():
    """The app's own NLU path, started in this process; catalog aliases from the database, or from
    the generated catalog.yml when the database has no catalog yet."""
    from .evaluation import catalog_aliases

    svc = current_services()
    svc.start(background=False)
    if not svc.engine.ready:
        raise click.ClickException(svc.engine.error or "NLU not ready")
    if not svc.understanding.product_aliases:
        svc.understanding.product_aliases = catalog_aliases()
    return svc.understanding


@nlu_cli.command("eval")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True,
              help="One JSON object (accuracy, macro_f1, per_intent, entities, errors, confusion).")
@click.option("--errors", "show_errors", is_flag=True,
              help="List every miss: text, gold and predicted intent, confidence, entity differences.")
def nlu_eval(path: str, as_json: bool, show_errors: bool) -> None:
    """Evaluate a Rasa-format NLU YAML file through the bot's full NLU path."""
    from .evaluation import confusion, format_misses, format_report, load_examples, misses, predict, score

    predictions = predict(_understanding(), load_examples(path))
    report = score(predictions)
    if as_json:
        entities = {t: {k: v[k] for k in ("precision", "recall", "f1")} for t, v in report["entities"].items()}
        click.echo(json.dumps({"accuracy": report["accuracy"], "macro_f1": report["macro_f1"],
                               "per_intent": report["per_intent"], "entities": entities,
                               "errors": misses(predictions), "confusion": confusion(predictions)},
                              ensure_ascii=False))
        return
    click.echo(format_report(report))
    if show_errors:
        click.echo("\n" + format_misses(misses(predictions)))


@nlu_cli.command("reviews")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--sample", type=int, default=None, help="Route a fixed random sample instead of every review.")
@click.option("--seed", type=int, default=7, show_default=True)
def nlu_reviews(path: str, sample: int | None, seed: int) -> None:
    """Share of a review CSV (a `review` column) routed to feedback or complaint, and where the rest went."""
    from .reviews import load_reviews, route

    click.echo(json.dumps(route(_understanding(), load_reviews(path, sample=sample, seed=seed)), ensure_ascii=False))


@nlu_cli.command("reload")
def nlu_reload() -> None:
    """Make running bots serve the newest model: a Rasa server is told to load it (PUT /model);
    in-process models are checked here first, then the file is touched so every web process's
    watcher (NLU_WATCH_INTERVAL) swaps it in without a restart."""
    import os

    import requests

    from ..infra.redact import redact
    from . import latest_model
    from .engines import _load_agent

    cfg = current_services().config
    model = latest_model(cfg.MODEL_PATH)
    if model is None:
        raise click.ClickException(f"no model under {cfg.MODEL_PATH}: run `make train`")
    if cfg.RASA_URL:
        try:
            r = requests.put(f"{cfg.RASA_URL.rstrip('/')}/model",
                             params={"token": cfg.RASA_TOKEN} if cfg.RASA_TOKEN else {},
                             json={"model_file": str(model.resolve())}, timeout=120)
        except requests.RequestException as exc:  # its message holds the URL with ?token=
            raise click.ClickException(redact(f"Rasa server unreachable: {exc}", cfg.RASA_TOKEN)) from None
        if not r.ok:
            raise click.ClickException(redact(f"Rasa server refused {model.name}: {r.status_code} {r.text[:200]}",
                                              cfg.RASA_TOKEN))
        click.echo(f"Rasa server now serves {model.name}")
        return
    started = time.monotonic()
    _load_agent(model)  # a model that does not load is not announced to the web processes
    os.utime(model)
    click.echo(f"{model.name} loads ({time.monotonic() - started:.1f} s); web processes swap it in "
               f"within {cfg.NLU_WATCH_INTERVAL:g} s")
