"""Complaint category and priority come from the feedback clause analysis: one reading of the words
for tickets and for the supply chain's records."""
import csv
from pathlib import Path

import pytest

from bot.feedback.analysis import analyze
from bot.tickets.classify import CATEGORY_LABELS, category_of, priority_of

pytestmark = pytest.mark.timeless  # pure text analysis: no date or time of day enters it

DATA = Path(__file__).resolve().parent.parent / "data"


def test_sour_milk_is_a_freshness_complaint_and_a_negative_freshness_record():
    text = "牛奶喝着有点酸，是不是坏了"
    assert category_of(text) == "freshness" and priority_of(text, "freshness") == "normal"
    records = analyze(text).records()
    assert ("freshness", "negative") in {(r["aspect"], r["sentiment"]) for r in records}
    assert all(r["sentiment"] == "negative" for r in records)


@pytest.mark.parametrize("text,category", [
    ("孩子喝了奶粉腹泻", "quality"), ("吃了以后过敏了", "quality"), ("面条里有异物", "quality"),
    ("牛奶变质了", "freshness"),
])
def test_safety_words_stay_urgent(text, category):
    assert (category_of(text), priority_of(text, category_of(text))) == (category, "urgent")


@pytest.mark.parametrize("text,category", [
    ("包装没有破损，但是牛奶是酸的", "quality"),       # praise of the box makes no damage ticket
    ("安装费太坑了，说好包安装的", "installation"),
    ("手机用了三天屏幕就失灵了", "quality"),
    ("配送员没打电话直接放门口", "delivery"),
    ("我要退款", "other"),
])
def test_categories_follow_the_clauses(text, category):
    assert category_of(text) == category


def test_near_expiry_is_not_urgent():
    assert priority_of("牛奶离过期只剩一天", "freshness") == "normal"
    assert priority_of("牛奶已经过期了", "freshness") == "urgent"


def test_every_category_has_a_label():
    labels = {c for c in CATEGORY_LABELS}
    for row in csv.DictReader(open(DATA / "complaints_100.csv", encoding="utf-8")):
        assert row["category"] in labels


def test_accuracy_on_written_complaints():
    """100 complaints written for this test in customers' register (fruit, dairy, clothes, phones,
    appliances, furniture...); measured 0.97 category, 1.00 priority."""
    rows = list(csv.DictReader(open(DATA / "complaints_100.csv", encoding="utf-8")))
    assert len(rows) == 100
    category = sum(category_of(r["text"]) == r["category"] for r in rows) / len(rows)
    priority = sum(priority_of(r["text"], category_of(r["text"])) == r["priority"] for r in rows) / len(rows)
    assert category >= 0.95 and priority >= 0.97, (category, priority)


def test_accuracy_on_complaints_written_after_the_rules():
    """30 more complaints, written after the rules were tuned on the 100 and never tuned on: the
    honest figure for new wording at the time (measured 0.63 category, 0.77 priority; 0.93 / 1.00
    after issue 15's second pass, which saw these misses)."""
    rows = list(csv.DictReader(open(DATA / "complaints_holdout_30.csv", encoding="utf-8")))
    category = sum(category_of(r["text"]) == r["category"] for r in rows) / len(rows)
    priority = sum(priority_of(r["text"], category_of(r["text"])) == r["priority"] for r in rows) / len(rows)
    assert category >= 0.9 and priority >= 0.95, (category, priority)


def _figures(name: str) -> tuple[float, float]:
    rows = list(csv.DictReader(open(DATA / name, encoding="utf-8")))
    cats = [category_of(r["text"]) for r in rows]
    category = sum(c == r["category"] for c, r in zip(cats, rows)) / len(rows)
    priority = sum(priority_of(r["text"], c) == r["priority"] for c, r in zip(cats, rows)) / len(rows)
    return category, priority


def test_accuracy_on_later_hold_outs():
    """Two more sets written for issue 15's second pass: 48 before the general vocabulary was
    written (first run 0.52 category, 0.75 priority; its misses were seen, so 0.90 / 0.94 after is
    optimistic) and 36 written before the vocabulary was finished and run once on it (first run
    0.67 / 0.75: the honest figure for new wording; 0.92 / 0.92 after its misses were fixed)."""
    category, priority = _figures("complaints_holdout_b_48.csv")
    assert category >= 0.85 and priority >= 0.9, (category, priority)
    category, priority = _figures("complaints_holdout_c_36.csv")
    assert category >= 0.85 and priority >= 0.88, (category, priority)


@pytest.mark.parametrize("text, category, priority", [
    ("路由器一直断网", "quality", "normal"),              # fails in use
    ("鼠标用了三天就没反应了", "quality", "normal"),
    ("吃了你们的烤肠一直拉稀", "quality", "urgent"),      # a symptom, not the word 腹泻
    ("买了两件只收到一件", "shortage", "high"),
    ("赠品没给", "shortage", "high"),
    ("耳机没有声音", "quality", "normal"),                # 没有 after a part is not a missing part
    ("衣服颜色发错了", "wrong_item", "high"),
    ("装热水器的师傅把墙打穿了", "installation", "normal"),  # the fitter, not the shop's staff
    ("物流信息一直没更新", "delivery", "normal"),
])
def test_general_complaint_vocabulary(text, category, priority):
    assert category_of(text) == category
    assert priority_of(text, category) == priority


def test_every_category_priority_and_state_has_a_label():
    """The console and the API show labels for whatever a ticket holds: a code added without one
    would break every page that lists such a ticket."""
    from bot.models.tickets import CATEGORIES, PRIORITIES, STATES
    from bot.tickets.classify import CATEGORY_LABELS, PRIORITY_LABELS, STATE_LABELS

    assert set(CATEGORIES) <= set(CATEGORY_LABELS)
    assert set(PRIORITIES) <= set(PRIORITY_LABELS) and set(STATES) <= set(STATE_LABELS)


def test_a_space_separates_a_bare_return_request_from_what_went_wrong():
    """「我要退货 这次的东西太差了」: the request is no complaint about staff; the goods are."""
    from bot.tickets.classify import category_of

    assert category_of("我要退货 这次的东西太差了") == "quality"
    assert category_of("我要退货") == "other"
    assert category_of("申请售后 客服态度太差") == "staff_attitude"


def test_heavy_goods_are_a_quality_remark_and_a_short_count_is_a_shortage():
    from bot.tickets.classify import category_of

    assert category_of("杯子好看 就是太沉") == "quality"
    assert category_of("分量不够") == "shortage"
    assert category_of("说好5斤的 到手4斤2两") == "shortage"
