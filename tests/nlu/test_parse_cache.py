"""The per-process parse cache (issue 17): a hit answers exactly what parsing again would, never
shares objects a caller may edit, and never answers from a model that has been replaced."""
import os
import shutil

import pytest

from bot.nlu import LocalRasa, Understanding

pytestmark = pytest.mark.timeless  # NLU answers do not depend on the date

TEXTS = ["我的订单到哪了", "接龙两斤草莓", "DD20261101001 到哪了", "绑定手机13800000001", "今天天气怎么样", "你好"]


def _plain(result):
    return (result.intent, result.confidence, result.ranking,
            [(e.type, e.value, e.text, e.start, e.end) for e in result.entities])


def test_a_cached_parse_is_the_parse(model_file):
    cached, uncached = LocalRasa(str(model_file)), LocalRasa(str(model_file), cache_size=0)
    for engine in (cached, uncached):
        engine.start(background=False)
    first = {t: _plain(cached.parse(t)) for t in TEXTS}
    hits = cached.cache.hits
    for text in TEXTS:  # second time round: from the cache, the same as a real parse
        assert _plain(cached.parse(text)) == first[text] == _plain(uncached.parse(text)), text
    assert cached.cache.hits == hits + len(TEXTS)
    assert uncached.cache.hits == 0


def test_postprocessing_one_answer_does_not_change_the_next(model_file):
    """postprocess rewrites entity values in place (「两」→ 2, order ids upper-cased)."""
    engine = LocalRasa(str(model_file))
    engine.start(background=False)
    nlu = Understanding(engine)
    a = nlu.parse("接龙两斤草莓")
    a.entities[0].value = "changed"
    b = nlu.parse("接龙两斤草莓")
    assert _plain(b) == _plain(Understanding(engine).parse("接龙两斤草莓"))
    assert all(e.value != "changed" for e in b.entities)


def test_a_new_model_is_never_answered_from_the_old_ones_entries(model_file, tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    first = shutil.copy(model_file, models / "nlu-a.tar.gz")
    engine = LocalRasa(str(models))
    engine.start(background=False)
    engine.parse("你好")
    second = shutil.copy(model_file, models / "nlu-b.tar.gz")
    os.utime(second, ns=(os.stat(first).st_mtime_ns + 10**9,) * 2)
    engine.reload()
    misses = engine.cache.misses
    assert engine.parse("你好").intent == "greet"
    assert engine.cache.misses == misses + 1  # parsed by the new model, not taken from the cache
