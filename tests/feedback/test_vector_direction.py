"""The learned model's word-vector direction (issue 15, seventh pass): a review's mean word vector read
along a direction fitted with the training categories' topics projected out, so it judges words no
category taught through their neighbours and never judges a review by which goods it is about. The
rows below are written for this test."""
import json

import numpy as np
import pytest

from bot.feedback import learned
from bot.feedback.analysis import analyze
from bot.feedback.learned import LinearModel, mean_vector
from bot.feedback.training import fit, vector_direction
from bot.vectors import word_vectors

pytestmark = pytest.mark.timeless  # pure text analysis

# Two kinds of goods, each with praise and complaints in its own words; the fruit reviews are mostly
# praise and the hotel reviews mostly complaints, so the topic alone would predict the label.
FRUIT = [("水果", 1, t) for t in ("苹果很甜很脆，满意", "橙子新鲜多汁，好吃", "葡萄很甜，喜欢", "梨子水分足，满意",
                                  "香蕉好吃，还会再买", "草莓新鲜，很满意")] + [("水果", 0, "苹果烂了好几个，失望")]
HOTEL = [("酒店", 0, t) for t in ("房间很脏，服务差，失望", "前台态度恶劣，很失望", "床单有污渍，糟糕",
                                  "隔音差，吵得睡不着，失望", "卫生差，再也不住", "早餐难吃，服务差")] + [("酒店", 1, "房间干净，服务好，满意")]


@pytest.fixture(scope="module")
def wv():
    return word_vectors()


def test_the_direction_cannot_tell_the_categories_apart(wv):
    rows = FRUIT + HOTEL
    w = np.array(vector_direction(rows, np.ones(len(rows))))
    fruit = np.mean([mean_vector(t, wv) for _, _, t in FRUIT], axis=0)
    hotel = np.mean([mean_vector(t, wv) for _, _, t in HOTEL], axis=0)
    centre = np.mean([mean_vector(t, wv) for _, _, t in rows], axis=0)
    assert abs(float((fruit - centre) @ w)) < 1e-4 and abs(float((hotel - centre) @ w)) < 1e-4  # weights kept to 5 decimals
    # and it still reads tone: praise and complaint words fall on opposite sides
    assert float(mean_vector("满意", wv) @ w) > 0 > float(mean_vector("失望", wv) @ w)


def test_the_direction_round_trips_and_scores_whole_messages(tmp_path):
    model = fit(FRUIT + HOTEL)
    assert model.vector_weights and len(model.vector_weights) == word_vectors().dim
    path = tmp_path / "m.json"
    path.write_text(json.dumps(model.to_json(), ensure_ascii=False))
    back = LinearModel.from_json(json.loads(path.read_text()))
    assert back.vector_score("非常满意") == pytest.approx(model.vector_score("非常满意"), abs=1e-4)
    assert back.vector_score("非常满意") > 0 > back.vector_score("太失望了")
    assert back.vector_score("😀") == 0.0  # no word of the vocabulary: no evidence


def test_a_model_without_a_direction_scores_nothing_by_vectors():
    assert LinearModel({"好": 1.0}, 0.0, {}).vector_score("非常满意") == 0.0
    assert "vector_weights" not in LinearModel({"好": 1.0}, 0.0, {}).to_json()


def test_the_shipped_model_carries_a_direction_and_analysis_uses_it():
    model = learned.load(learned.MODEL_FILE)
    assert model.vector_weights and len(model.vector_weights) == word_vectors().dim
    analysis = analyze("这本书内容平庸，翻译生硬，读了一半就放下了")
    assert analysis.vector < 0 and analysis.sentiment == "negative"


def test_a_short_message_is_left_to_the_rules_and_ngrams():
    """The mean vector of a few words is their topic: 噪音 sits beside complaints, 噪音很小 is praise."""
    analysis = analyze("风扇噪音很小")
    assert analysis.vector == 0.0 and analysis.sentiment == "positive"
    assert learned.model().vector_score("风扇噪音很小") < 0  # what it would have added
