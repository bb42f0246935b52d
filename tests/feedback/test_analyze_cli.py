"""`flask --app bot feedback analyze PATH --json`: one JSON line per review, then a summary; writes nothing."""
import json
from pathlib import Path

from sqlalchemy import func, select

from bot.feedback.cli import feedback_cli
from bot.models import FeedbackRecord

CSV = Path(__file__).resolve().parent.parent / "data" / "feedback_check.csv"


def run(app, *args):
    return app.test_cli_runner().invoke(feedback_cli, ["analyze", *args])


def test_json_lines_then_summary_and_nothing_written(app):
    result = run(app, str(CSV), "--json")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    reviews, summary = lines[:-1], lines[-1]
    assert [r["line"] for r in reviews] == list(range(2, 10))
    for r in reviews:
        assert set(r) == {"line", "category", "label", "sentiment", "aspects"}
        assert r["sentiment"] in ("positive", "negative", "neutral")
    assert reviews[0] == {"line": 2, "category": "洗发水", "label": 1, "sentiment": "positive",
                          "aspects": ["function", "smell"]}
    assert reviews[2]["sentiment"] == "negative" and "installation" in reviews[2]["aspects"]
    assert reviews[6]["label"] is None
    assert set(summary) == {"reviews", "sentiment_accuracy", "aspect_found", "neutral_share"}
    assert summary["reviews"] == 8
    labelled = [r for r in reviews if r["label"] is not None]
    right = sum(r["sentiment"] == ("positive" if r["label"] else "negative") for r in labelled)
    assert summary["sentiment_accuracy"] == round(right / 7, 4) and summary["sentiment_accuracy"] >= 6 / 7
    assert summary["aspect_found"] == round(sum(bool(r["aspects"]) for r in reviews) / 8, 4)
    assert summary["neutral_share"] == round(sum(r["sentiment"] == "neutral" for r in reviews) / 8, 4)
    with app.extensions["xiaoer"].db.session() as s:
        assert s.execute(select(func.count()).select_from(FeedbackRecord)).scalar() == 0


def test_plain_output_and_bad_rows(app, tmp_path):
    result = run(app, str(CSV))
    assert result.exit_code == 0 and "8 reviews: sentiment accuracy" in result.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("category,label,review\n衣服,2,很好\n衣服,1,很好看\n", encoding="utf-8")
    assert run(app, str(bad), "--json").exit_code != 0
    result = run(app, str(bad), "--json", "--skip-bad")
    assert result.exit_code == 0
    assert json.loads(result.stdout.splitlines()[-1])["reviews"] == 1
