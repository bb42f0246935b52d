"""Text normalisation, Chinese numerals and entity clean-up: the parts around the model."""
import pytest

from bot.nlu.entities import postprocess
from bot.nlu.normalize import normalize
from bot.nlu.numbers import cn_to_number, parse_quantity
from bot.nlu.result import Entity, NluResult

pytestmark = pytest.mark.timeless  # pure text analysis: no date or time of day enters it


@pytest.mark.parametrize("raw,expected", [
    ("請問訂單到哪了", "请问订单到哪了"),
    ("ＤＤ２０２６１１０１００１　到哪了？", "DD20261101001 到哪了?"),
    ("草莓还有吗😀😀", "草莓还有吗"),
    ("👍👍", "赞 赞"),  # emoji that carry an opinion become words: 「👍👍」 alone is praise
    ("物流超快😍", "物流超快 喜欢"),
    ("  你好 \n\t 在吗  ", "你好 在吗"),
    ("ab\x00c\x07", "abc"),
    ("", ""),
    ("/human_handoff", "human_handoff"),
    ("／不买了 / 再说", "不买了 / 再说"),
])
def test_normalize(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize("text,value", [
    ("两", 2), ("半", 0.5), ("十二", 12), ("一斤半"[:1], 1), ("二十", 20), ("一百零五", 105),
    ("三十五", 35), ("3", 3), ("2.5", 2.5), ("十", 10), ("一半", 0.5), ("两半", 2.5), ("多", None),
])
def test_chinese_numerals(text, value):
    assert cn_to_number(text) == value


def test_arabic_with_half():
    assert parse_quantity("3半") == 3.5


@pytest.mark.parametrize("text,quantity,unit", [
    ("给我留两斤草莓", 2, "斤"), ("半斤就行", 0.5, "斤"), ("要十二箱牛奶", 12, "箱"), ("接龙3斤", 3, "斤"),
    ("来1.5kg", 1.5, "kg"),
])
def test_quantity_and_unit_by_rule(text, quantity, unit):
    result = postprocess(NluResult(text, "preorder_join", 0.9))
    assert result.first("quantity") == quantity and result.first("unit") == unit


def test_order_id_and_phone_by_rule_and_model_values_tidied():
    text = "dd20261101001 手机13800000001"
    model = [Entity("quantity", "两", "两", None, None), Entity("order_id", "dd20261101001", "dd20261101001", 0, 13)]
    result = postprocess(NluResult(text, "bind_account", 0.9, entities=model))
    assert result.first("order_id") == "DD20261101001"
    assert result.first("phone") == "13800000001"
    assert result.first("quantity") == 2
    assert len(result.all("order_id")) == 1


def test_product_aliases_map_to_catalog_names_but_ambiguous_stay():
    aliases = {"丹东草莓": "丹东草莓", "草莓": "丹东草莓", "薯片": "薯片", "原味薯片": "原味薯片"}
    assert postprocess(NluResult("草莓还有吗", "stock_query", 0.9), aliases).first("product") == "丹东草莓"
    assert postprocess(NluResult("薯片有吗", "stock_query", 0.9), aliases).first("product") == "薯片"


def test_concurrent_parses_in_one_process_do_not_corrupt_the_entity_extractor(nlu_engine):
    """bench/load.py found CRF tagger errors under 16 threads; parses are serialised now."""
    import concurrent.futures as cf

    texts = ["接龙 2斤草莓", "DD20261101001 到哪了", "鸡蛋还有货吗", "收到的鸡蛋碎了好几个"] * 100
    with cf.ThreadPoolExecutor(16) as pool:
        results = list(pool.map(nlu_engine.parse, texts))
    assert len(results) == 400 and all(r.intent for r in results)


@pytest.mark.parametrize("text, intent, products", [
    ("充电宝充不进电", "complaint", ["充电宝"]),                  # not in the catalogue: the customer's word
    ("蓝牙耳机一边没声", "complaint", ["蓝牙耳机"]),              # the longest word, not 耳机
    ("有没有蜂蜜卖", "stock_query", ["蜂蜜"]),
    ("我想学做面包", "out_of_scope", []),                         # no product slot outside shop intents
    ("面膜过敏 还有数据线也坏了", "complaint", ["面膜", "数据线"]),
])
def test_goods_outside_the_catalogue_are_products_where_a_product_is_a_slot(text, intent, products):
    assert postprocess(NluResult(text, intent, 0.9), {}).all("product") == products


def test_the_models_or_the_catalogues_product_wins_over_the_goods_list():
    aliases = {"草莓": "丹东草莓"}
    assert postprocess(NluResult("草莓和芒果都烂了", "complaint", 0.9), aliases).all("product") == ["丹东草莓", "芒果"]
    model = [Entity("product", "红心火龙果", "红心火龙果", 0, 5)]
    assert postprocess(NluResult("红心火龙果坏了", "complaint", 0.9, entities=model), {}).all("product") == ["红心火龙果"]


@pytest.mark.parametrize("text", ["……", "？？？", "。。。", "...", "~~"])
def test_punctuation_alone_is_out_of_scope_without_asking_the_model(text):
    from bot.nlu import Understanding

    class NoModel:
        def parse(self, text, timeout=None):
            raise AssertionError("the model was asked")

    result = Understanding(NoModel()).parse(text)
    assert (result.intent, result.confidence) == ("out_of_scope", 0.0)
