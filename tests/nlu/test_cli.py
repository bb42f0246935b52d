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
    assert set(report) == {"accuracy", "macro_f1", "per_intent", "entities"}
    assert set(report["per_intent"]) == {"preorder_join", "order_status", "complaint"}
    for v in report["per_intent"].values():
        assert set(v) == {"precision", "recall", "f1", "support"}
    assert report["per_intent"]["preorder_join"]["support"] == 2
    assert report["accuracy"] == 1.0 and report["macro_f1"] == 1.0
    # 两 -> 2 and 鸡蛋 -> its catalog name: compared as values, the way handlers use them
    assert report["entities"]["quantity"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert report["entities"]["order_id"]["f1"] == 1.0
    assert report["entities"]["product"]["f1"] == 1.0


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
