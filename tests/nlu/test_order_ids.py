"""ORDER_ID_PATTERN: the merchant's order-number format, wherever order ids are read."""
import json
import os
import subprocess
import sys

import pytest

from bot.config import ROOT
from bot.nlu import Understanding
from bot.nlu.entities import order_id_regex, postprocess
from bot.nlu.result import Entity, NluResult
from bot.shop import pushes


def _ids(text: str, pattern: str | None = None, intent: str = "order_status", entities=()) -> tuple[list, list]:
    result = postprocess(NluResult(text, intent, 0.9, entities=list(entities)), {}, order_id_regex(pattern))
    return result.all("order_id"), result.all("phone")


@pytest.mark.parametrize("text, order_ids, phones", [
    ("DD20261203017到哪了", ["DD20261203017"], []),
    ("dd20261203017 到哪了", ["DD20261203017"], []),
    ("2603158846217这个单发了没", ["2603158846217"], []),             # 13 digits: a platform order
    ("查下订单260112345678901234", ["260112345678901234"], []),        # 18 digits
    ("1234567890到了吗", ["1234567890"], []),                         # 10 digits, the shortest
    ("123456789到了吗", [], []),                                      # 9 digits: not an order number
    ("123456789012345678901到了吗", [], []),                          # 21 digits: too long
    ("AB2603158846217", [], []),                                     # part of a longer token
    ("我手机13812345678查下单", [], ["13812345678"]),                 # a mobile number is a phone
    ("订单号13812345678到哪了", ["13812345678"], []),                  # ...unless order words precede it
    ("单号：13812345678", ["13812345678"], []),
])
def test_default_pattern_accepts_our_ids_and_platform_numbers(text, order_ids, phones):
    assert _ids(text) == (order_ids, phones)


def test_a_merchant_pattern_replaces_the_default():
    assert _ids("jd12345678 到哪了", r"JD\d{8}") == (["JD12345678"], [])
    assert _ids("DD20261203017 到哪了", r"JD\d{8}") == ([], [])
    assert _ids("2603158846217 到哪了", r"JD\d{8}") == ([], [])


def test_model_entities_outside_the_pattern_are_dropped():
    crf = [Entity("order_id", "XY123", "XY123", 0, 5, "CRFEntityExtractor")]
    assert _ids("XY123 到哪了", entities=crf) == ([], [])
    model_phone = [Entity("phone", "13812345678", "13812345678", 3, 14, "RegexEntityExtractor")]
    assert _ids("订单号13812345678", entities=model_phone) == (["13812345678"], [])


def test_a_phone_found_inside_a_longer_platform_number_is_not_a_phone():
    """Rasa's regex (no word boundaries) reports 15338472910 inside 20261115338472910."""
    model_phone = [Entity("phone", "15338472910", "15338472910", 6, 17, "RegexEntityExtractor")]
    assert _ids("20261115338472910 帮查下物流", entities=model_phone) == (["20261115338472910"], [])
    at_start = [Entity("phone", "13812345678", "13812345678", 0, 11, "RegexEntityExtractor")]
    assert _ids("138123456780到哪了", entities=at_start) == (["138123456780"], [])
    alone = [Entity("phone", "13812345678", "13812345678", 2, 13, "RegexEntityExtractor")]
    assert _ids("手机13812345678", entities=alone) == ([], ["13812345678"])


def test_the_app_reads_the_pattern_from_config(make_app):
    app = make_app(ORDER_ID_PATTERN=r"JD\d{8}")
    nlu = app.extensions["xiaoer"].understanding.parse("帮我查下JD12345678到哪了")
    assert nlu.first("order_id") == "JD12345678"
    default = make_app().extensions["xiaoer"].understanding.parse("帮我查下订单260112345678901234")
    assert default.first("order_id") == "260112345678901234"


def test_an_invalid_pattern_stops_the_app_with_a_clear_message():
    env = {**os.environ, "ORDER_ID_PATTERN": "DD(\\d{11}"}
    out = subprocess.run([sys.executable, "-c", "from bot.config import Config; Config()"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode != 0 and "ORDER_ID_PATTERN must be a regular expression" in out.stderr


def _body(order_id: str) -> bytes:
    return json.dumps({"event_id": "e1", "order_id": order_id, "status": "已发货", "step": "已发货"}).encode()


def test_order_pushes_follow_the_pattern():
    assert pushes.parse(_body("DD20261101001")).order_no == "DD20261101001"
    assert pushes.parse(_body("260112345678901234")).order_no == "260112345678901234"
    assert pushes.parse(_body("jd12345678"), r"JD\d{8}").order_no == "JD12345678"
    with pytest.raises(ValueError, match="ORDER_ID_PATTERN"):
        pushes.parse(_body("DD20261101001"), r"JD\d{8}")
    with pytest.raises(ValueError):
        pushes.parse(_body("12345"))


def test_understanding_defaults_to_the_default_pattern(nlu_engine):
    assert Understanding(nlu_engine).parse("订单3748291056627到哪了").first("order_id") == "3748291056627"
