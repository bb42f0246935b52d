"""The shipped sentiment model: loaded once at start-up, carries over to goods the lexicon never
listed, and keeps the rules' negation (不咸) and worry (是不是坏了)."""
import json

import pytest

from bot.feedback import learned
from bot.feedback.analysis import analyze
from bot.feedback.learned import LinearModel, features

pytestmark = pytest.mark.timeless  # pure text analysis: no date or time of day enters it


def test_features_are_distinct_character_ngrams():
    assert features("好吃") == {"好", "吃", "好吃"}
    assert features("") == set()


def test_model_round_trips_through_json(tmp_path):
    m = LinearModel({"好": 1.0, "差": -2.0}, -0.5, {"source": ["x"]})
    path = tmp_path / "m.json"
    path.write_text(json.dumps(m.to_json()))
    back = LinearModel.from_json(json.loads(path.read_text()))
    assert back.score("很好") == pytest.approx(0.5) and back.clause_score("很差差") == pytest.approx(-2.0)
    with pytest.raises(ValueError):
        LinearModel.from_json({**m.to_json(), "ngrams": [1, 2]})


def test_missing_file_means_rules_only(tmp_path):
    saved = learned.model()
    try:
        assert learned.load(tmp_path / "none.json").weights == {}
        assert analyze("草莓不太甜").sentiment == "negative"
    finally:
        learned._model = saved


def test_shipped_model_is_small_and_names_its_source():
    assert learned.MODEL_FILE.stat().st_size < 20_000_000
    meta = learned.load(learned.MODEL_FILE).meta
    assert set(meta["categories"]) == {"水果", "蒙牛", "书籍", "酒店"}
    assert "ChineseNlpCorpus" in (learned.MODEL_FILE.parent / "SOURCE.md").read_text()


def test_start_up_loads_the_model(make_app):
    learned._model = None
    make_app()
    assert learned._model is not None and len(learned._model.weights) > 10_000


@pytest.mark.parametrize("text,sentiment", [
    # goods the lexicon was not written for
    ("屏幕很清晰，运行流畅", "positive"), ("用了两天就卡顿，经常死机", "negative"),
    ("衣服做工粗糙，线头很多", "negative"), ("面料舒服，穿着很合身", "positive"),
    ("热水器用着还行，但是安装费太坑了，乱收费", "negative"), ("洗完头发很顺滑，味道也好闻", "positive"),
    # the rules still decide negation and worry
    ("不咸", "positive"), ("没有一个烂的", "positive"), ("牛奶喝着有点酸，是不是坏了", "negative"),
])
def test_sentiment_beyond_fruit(text, sentiment):
    assert analyze(text).sentiment == sentiment


def test_a_worried_question_about_spoilage_is_negative_per_clause():
    findings = analyze("牛奶喝着有点酸，是不是坏了").findings
    assert [f.sentiment for f in findings] == ["negative", "negative"]
