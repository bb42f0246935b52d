"""`flask --app bot feedback report|import`: the supply chain's view from the command line."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from ..current import current_services
from .queries import BadFilter, Filters

feedback_cli = AppGroup("feedback", help="Customer feedback records: reports, imports and checks.")


@feedback_cli.command("report")
@click.option("--product", default=None, help="Only this product.")
@click.option("--since", default=None, help="From this day (YYYY-MM-DD).")
@click.option("--until", default=None, help="Up to and including this day (YYYY-MM-DD).")
def report_command(product: str | None, since: str | None, until: str | None) -> None:
    """Counts, negative share and top suggestions per product and aspect."""
    from .reports import build_report, count_rows

    svc = current_services()
    try:
        filters = Filters.from_args({"product": product, "since": since, "until": until})
    except BadFilter as exc:
        raise click.BadParameter(str(exc))
    total = count_rows(svc, filters)
    if total == 0:
        click.echo("no feedback records yet")
        return
    with click.progressbar(length=total, label="reading records", file=click.get_text_stream("stderr")) as bar:
        report = build_report(svc, filters, progress=bar.update)
        bar.update(total - bar.pos)
    for p in report["products"]:
        click.echo(f"\n{p['product']}: {p['count']} records, {p['negative_share']:.0%} negative")
        for a in p["aspects"]:
            click.echo(f"  {a['aspect']:<11} {a['count']:>6}  +{a['positive']:<5} -{a['negative']:<5} "
                       f"neg {a['negative_share']:.0%}")
            for s in a["top_suggestions"]:
                click.echo(f"      suggestion ×{s['count']}: {s['text']}")


@feedback_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--skip-bad", is_flag=True, help="Import the good rows even if some rows are malformed.")
@click.option("--again", is_flag=True, help="Import a file that was imported before.")
def import_command(path: str, skip_bad: bool, again: bool) -> None:
    """Ingest reviews from a CSV file (category,label,review) through the feedback pipeline."""
    import time

    from .importer import ImportRefused, import_reviews, read_reviews
    from pathlib import Path

    svc = current_services()
    started = time.perf_counter()
    try:
        rows, _ = read_reviews(Path(path).read_bytes())
        with click.progressbar(length=len(rows), label="importing reviews",
                               file=click.get_text_stream("stderr")) as bar:
            result = import_reviews(svc, path, skip_bad=skip_bad, again=again, progress=bar.update)
            bar.update(len(rows) - bar.pos)
    except ImportRefused as exc:
        raise click.ClickException(str(exc))
    seconds = time.perf_counter() - started
    click.echo(f"imported {result.reviews} reviews as {result.records} records in {seconds:.1f} s")
    for problem in result.skipped:
        click.echo(f"skipped {problem}")


@feedback_cli.command("analyze")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line, then a summary line.")
@click.option("--skip-bad", is_flag=True, help="Analyse the good rows even if some rows are malformed.")
def analyze_command(path: str, as_json: bool, skip_bad: bool) -> None:
    """Sentiment and aspects of each review in a CSV (category,label,review); writes nothing."""
    import json
    from pathlib import Path

    from .check import Tally, analyse_rows
    from .importer import ImportRefused, read_labelled_reviews

    try:
        rows, problems = read_labelled_reviews(Path(path).read_bytes())
    except ImportRefused as exc:
        raise click.ClickException(str(exc))
    if problems and not skip_bad:
        raise click.ClickException(f"{len(problems)} bad rows (use --skip-bad to analyse the rest):\n  "
                                   + "\n  ".join(problems[:10]))
    tally = Tally()
    for result in analyse_rows(rows, tally):
        if as_json:
            click.echo(json.dumps(result, ensure_ascii=False))
        else:
            click.echo(f"line {result['line']:>6}  {result['sentiment']:<8} {','.join(result['aspects']) or '-'}")
    summary = tally.summary()
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False))
    else:
        accuracy = "n/a" if summary["sentiment_accuracy"] is None else f"{summary['sentiment_accuracy']:.3f}"
        click.echo(f"{summary['reviews']} reviews: sentiment accuracy {accuracy} (labelled rows), aspect found "
                   f"{summary['aspect_found']:.1%}, neutral {summary['neutral_share']:.1%}")
    for problem in problems:
        click.echo(f"skipped {problem}", err=True)
