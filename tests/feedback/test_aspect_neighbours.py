"""Aspect words found as nearest neighbours in the word vectors (issue 15, seventh pass): the words of
places, meals, books, rooms and makers that sit beside the listed ones (位于 beside 地理位置, 午餐 beside
早餐, 主人公 beside 故事) name the same aspect; the readings that only look like them (有点距离 is a
shortfall, 定位于 an audience, 大有文章 a hidden motive) name none. Clauses written for this test."""
import pytest

from bot.feedback import lexicon
from bot.feedback.aspects import find_aspects

pytestmark = pytest.mark.timeless  # pure text analysis


@pytest.mark.parametrize("clause, aspect", [
    ("宾馆位于老城区，走两步就是步行街", "location"),
    ("离高铁站大概二十分钟车程", "location"),
    ("午餐和晚餐都是自助餐，菜肴一般", "taste"),
    ("办理退房手续等了半小时", "service"),
    ("那个小姑娘很贴心", "service"),
    ("主人公太窝囊了", "content"),
    ("全书就讲述了一件事", "content"),
    ("房费又涨了", "price"),
    ("浴巾上有污迹，被褥也潮", "hygiene"),
    ("墙纸都脱落了", "quality"),
    ("房间无线经常断", "function"),
    ("隔壁的说话声听得一清二楚", "comfort"),
    ("跟照片完全两样", "appearance"),
    ("这家集团毫无诚信可言", "brand"),
])
def test_neighbour_words_name_their_aspect(clause, aspect):
    assert aspect in find_aspects(clause)


@pytest.mark.parametrize("clause, wrong", [
    ("和预期的还是有点距离", "location"),
    ("这本书定位于初中生", "location"),
    ("这里面大有文章", "content"),
    ("天下没有免费午餐", "taste"),
])
def test_look_alikes_do_not(clause, wrong):
    assert wrong not in find_aspects(clause)


def test_neighbour_lists_keep_the_existing_codes():
    """New words are filed under codes that already exist; no code was added or renamed."""
    for table in (lexicon.ASPECT_NOUNS_NEIGHBOURS, lexicon.ASPECT_WORDS_NEIGHBOURS):
        assert set(table) <= set(lexicon.ASPECTS) - {"other"}
    assert lexicon.ASPECTS[:10] == ("appearance", "taste", "freshness", "size", "weight", "packaging", "delivery",
                                   "price", "service", "other")
