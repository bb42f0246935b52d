"""Posts about a maker rather than its goods (issue 15, sixth pass): buyers judge a maker's advertising,
sponsorships, PR and fortunes, fear for their health, and boycott or stand by it by name. These are
the reviews of an unseen category (the shared 蒙牛 rows) that found no aspect; the words are any
maker's, none of them a dairy word, and none of the names below is a real brand."""
import pytest

from bot.feedback.analysis import analyze
from bot.feedback.aspects import find_aspects

pytestmark = pytest.mark.timeless  # pure text analysis


@pytest.mark.parametrize("text, aspect", [
    ("那家的广告拍得太恶心了", "brand"),
    ("赞助了半个娱乐圈，东西却越做越差", "brand"),
    ("公关做得再好也救不了它", "brand"),
    ("这种造假的厂早该倒闭", "brand"),
    ("出了这种事，再也不敢给孩子喝了", "safety"),
    ("天天喝这个等于慢性自杀", "safety"),
    ("这是在毒害下一代", "safety"),
])
def test_a_makers_conduct_and_fortunes_are_its_brand_and_fear_is_safety(text, aspect):
    assert aspect in analyze(text).aspects


@pytest.mark.parametrize("clause, aspects", [
    ("继续支持青禾果园", ["brand"]), ("早不用红星了", ["brand"]), ("谁再买青禾谁是傻子", ["brand"]), ("别喝三禾", ["brand"]),
    ("支持一下", []), ("支持支持", []), ("千万别买小的", ["size"]), ("支持正版", []),
])
def test_standing_by_or_leaving_a_maker_needs_a_name_after_the_verb(clause, aspects):
    """支持 alone, 别买 of a size or 支持正版 name no maker; a name after the verb does."""
    assert find_aspects(clause) == aspects


def test_the_softwares_ads_are_how_it_works_not_its_makers_advertising():
    assert find_aspects("手机老是弹广告") == ["function"]
    assert "brand" not in analyze("系统广告太多了").aspects
