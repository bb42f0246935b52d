"""The pipeline on its own: clauses, aspects, sentiment with negation/degree, wishes, masking, quality."""
import pytest

from bot.demo import PRODUCTS
from bot.feedback.analysis import ProductMatcher, analyze
from bot.feedback.clauses import split_clauses
from bot.feedback.privacy import customer_key, mask
from bot.feedback.quality import aspect_quality
from bot.feedback.suggestions import delivery_preference
from bot.models import configure_data_key

pytestmark = pytest.mark.timeless  # pure text analysis: no date or time of day enters it

DATA = __import__("pathlib").Path(__file__).resolve().parent.parent / "data"
MATCHER = ProductMatcher([(name, aliases) for name, aliases, *_ in PRODUCTS])


def test_cup_pretty_but_heavy_gives_two_records():
    records = analyze("这款杯子好看但太沉", MATCHER).records()
    assert [(r["product"], r["aspect"], r["sentiment"]) for r in records] == [
        ("陶瓷杯", "appearance", "positive"), ("陶瓷杯", "weight", "negative")]


def test_clauses_split_on_punctuation_and_contrast_words():
    assert split_clauses("苹果很甜，就是个头小了点。不过包装好") == ["苹果很甜，", "个头小了点。", "包装好"]
    assert split_clauses("不但小，而且酸") == ["不但小，", "而且酸"]


@pytest.mark.parametrize("text,aspect,sentiment", [
    ("草莓不太甜", "taste", "negative"), ("草莓挺甜的", "taste", "positive"), ("牛奶有点淡", "taste", "negative"),
    ("不咸", "taste", "positive"), ("物流太慢了", "delivery", "negative"), ("送货超快", "delivery", "positive"),
    ("价格偏贵", "price", "negative"), ("不贵", "price", "positive"), ("个头太小", "size", "negative"),
    ("包装很精致", "packaging", "positive"), ("客服态度很好", "service", "positive"), ("水果一点都不新鲜", "freshness", "negative"),
    ("没有一个烂的", "freshness", "positive"), ("口感没有上次的好", "taste", "negative"),
])
def test_aspect_and_sentiment_with_negation_and_degree(text, aspect, sentiment):
    records = analyze(text).records()
    assert (records[0]["aspect"], records[0]["sentiment"]) == (aspect, sentiment)


@pytest.mark.parametrize("text,suggestion", [
    ("希望生鲜能晚上七点后送", "希望生鲜能晚上七点后送"), ("建议多出小包装", "建议多出小包装"),
    ("要是能送货上门就好了", "要是能送货上门就好了"), ("能不能多一些进口水果", "能不能多一些进口水果"),
    ("苹果很甜", None),
])
def test_suggestions(text, suggestion):
    found = [f.suggestion for f in analyze(text).findings if f.suggestion]
    assert (found[0] if found else None) == suggestion


def test_a_wish_is_not_praise_and_inherits_the_aspect_it_follows():
    analysis = analyze("薯片有点咸，建议少放点盐")
    assert [(r["aspect"], r["sentiment"], r["suggestion"]) for r in analysis.records()] == [
        ("taste", "negative", None), ("taste", "neutral", "建议少放点盐")]
    assert analyze("要是能送货上门就好了").sentiment == "neutral"


@pytest.mark.parametrize("text,preference", [
    ("希望晚上七点后送", "after 19:00"), ("能不能早上8点前送到", "before 08:00"), ("下午三点到五点送货最好", "15:00-17:00"),
    ("希望周末配送", "weekend"), ("晚上七点后我在家", None),
])
def test_delivery_preference(text, preference):
    assert delivery_preference(text) == preference


def test_incident_is_noticed():
    assert analyze("鸡蛋碎了好几个").incident and not analyze("鸡蛋很新鲜").incident


def test_masking_removes_personal_details():
    text = "我叫王丽，电话13800000001，送到杭州市西湖区文三路100号3栋201室，订单DD20261101001，顺丰SF1234567890，王先生签收"
    masked = mask(text, ("王丽",))
    for secret in ("王丽", "13800000001", "文三路", "100号", "DD20261101001", "SF1234567890", "王先生"):
        assert secret not in masked
    assert "[电话]" in masked and "[订单号]" in masked and "[地址]" in masked


def test_customer_key_is_keyed_and_stable():
    configure_data_key("k1")
    a = customer_key("M0001")
    assert a == customer_key("M0001") and a != customer_key("M0002") and "M0001" not in a
    configure_data_key("k2")
    assert customer_key("M0001") != a


def test_aspect_precision_recall_on_retail_clauses():
    """301 clauses about shampoo, clothes, water heaters, tablets, phones, computers, shoes, books,
    hotels, furniture and small appliances, written and labelled for this test (none from the shared data)."""
    q = aspect_quality(DATA / "aspect_clauses_retail.csv", column="clause")
    assert q["precision"] >= 0.88 and q["recall"] >= 0.82, q
    for code in ("quality", "function", "smell", "installation", "comfort", "content", "location", "hygiene"):
        tp, fp, fn = q["per_aspect"][code]
        assert tp > fn, (code, q["per_aspect"][code])


@pytest.mark.parametrize("text,aspects", [
    ("安装费太坑了", ["installation", "price"]), ("洗完头发很顺滑", ["function"]), ("做工粗糙，线头很多", ["quality"]),
    ("有一股刺鼻的化学味", ["smell"]), ("尺码偏小", ["size"]), ("用了一个月就坏了", ["quality"]),
    ("苹果坏了好几个", ["freshness"]), ("送货师傅很辛苦", ["delivery"]),
])
def test_retail_aspects(text, aspects):
    assert analyze(text).aspects == aspects
