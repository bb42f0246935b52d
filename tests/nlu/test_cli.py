"""`flask --app bot nlu eval|sync-catalog` as a merchant runs them."""
import json

import pytest

from bot.demo import seed
from bot.nlu.catalog_sync import render_catalog
from bot.nlu.training import NLU_DIR

pytestmark = pytest.mark.timeless  # NLU answers do not depend on the date: not repeated under moved clocks

SMALL = """version: "3.1"
nlu:
- intent: preorder_join
  examples: |
    - 接龙[两](quantity)[斤](unit)[草莓](product)
    - 我也要[3](quantity)[箱](unit)[纯牛奶](product)
- intent: order_status
  examples: |
    - [DD20261101001](order_id)到哪了
- intent: complaint
  examples: |
    - 收到的[草莓](product)烂了一半，要退款
"""


def test_eval_json_has_the_fixed_keys(app, tmp_path):
    path = tmp_path / "small.yml"
    path.write_text(SMALL, encoding="utf-8")
    out = app.test_cli_runner().invoke(args=["nlu", "eval", str(path), "--json"])
    assert out.exit_code == 0, out.output
    report = json.loads(out.stdout)  # stdout is exactly one JSON object (warnings go to stderr)
    assert set(report) == {"accuracy", "macro_f1", "per_intent", "entities", "errors", "confusion"}
    assert set(report["per_intent"]) == {"preorder_join", "order_status", "complaint"}
    for v in report["per_intent"].values():
        assert set(v) == {"precision", "recall", "f1", "support"}
    assert report["per_intent"]["preorder_join"]["support"] == 2
    assert report["accuracy"] == 1.0 and report["macro_f1"] == 1.0
    # 两 -> 2 and 鸡蛋 -> its catalog name: compared as values, the way handlers use them
    assert report["entities"]["quantity"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert report["entities"]["order_id"]["f1"] == 1.0
    assert report["entities"]["product"]["f1"] == 1.0
    assert report["errors"] == []
    assert report["confusion"] == {"complaint": {"complaint": 1}, "order_status": {"order_status": 1},
                                   "preorder_join": {"preorder_join": 2}}


# Gold labels that are wrong on purpose, so the model's right answers show up as misses.
WRONG = """version: "3.1"
nlu:
- intent: stock_query
  examples: |
    - 接龙[两](quantity)[斤](unit)[草莓](product)
- intent: order_status
  examples: |
    - [DD20261101001](order_id)到哪了
    - 我的[牛奶](unit)到哪了
"""


def test_eval_errors_list_every_miss(app, tmp_path):
    path = tmp_path / "wrong.yml"
    path.write_text(WRONG, encoding="utf-8")
    runner = app.test_cli_runner()
    report = json.loads(runner.invoke(args=["nlu", "eval", str(path), "--json"]).stdout)
    errors = {e["text"]: e for e in report["errors"]}
    assert set(errors) == {"接龙两斤草莓", "我的牛奶到哪了"}
    miss = errors["接龙两斤草莓"]
    assert (miss["gold"], miss["predicted"]) == ("stock_query", "preorder_join")
    assert 0 < miss["confidence"] <= 1 and miss["missing_entities"] == [] and miss["extra_entities"] == []
    # the intent is right, the entities differ: 牛奶 is annotated as a unit, the bot finds a product
    milk = errors["我的牛奶到哪了"]
    assert milk["gold"] == milk["predicted"] == "order_status"
    assert milk["missing_entities"] == ["unit:牛奶"] and milk["extra_entities"] == ["product:纯牛奶"]
    assert report["confusion"]["stock_query"] == {"preorder_join": 1}

    out = runner.invoke(args=["nlu", "eval", str(path), "--errors"])
    assert out.exit_code == 0, out.output
    assert "misses (2)" in out.output and "接龙两斤草莓 | stock_query -> preorder_join (" in out.output
    assert "-unit:牛奶 +product:纯牛奶  (intent right)" in out.output
    plain = runner.invoke(args=["nlu", "eval", str(path)])
    assert "misses (" not in plain.output


def test_eval_text_report(app):
    out = app.test_cli_runner().invoke(args=["nlu", "eval", "tests/nlu/heldout.yml"])
    assert out.exit_code == 0, out.output
    assert "macro-F1" in out.output and "complaint" in out.output and "quantity" in out.output
    assert "confusions occurring more than once" in out.output


def test_committed_catalog_files_are_generated_from_the_demo_catalog(services):
    """What `nlu sync-catalog` would write for the seeded catalog is what the model was trained on."""
    seed(services)
    catalog, userdict = render_catalog(services.catalog())
    assert (NLU_DIR / "nlu" / "catalog.yml").read_text(encoding="utf-8") == catalog
    assert (NLU_DIR / "jieba" / "userdict.txt").read_text(encoding="utf-8") == userdict
