"""Hot reload: a new model file is noticed by a running engine and swapped in while requests keep
being answered; `flask --app bot nlu reload` makes that happen for the newest model."""
import os
import shutil
import threading
import time

import pytest

from bot.nlu import LocalRasa, Understanding
from tests.helpers import wait_for

pytestmark = pytest.mark.timeless  # NLU answers do not depend on the date: not repeated under moved clocks

MESSAGES = ["我的订单到哪了", "草莓还有货吗", "接龙两斤草莓", "收到的牛奶漏了，要退款", "你好"]


def _newer_than(path, other):
    """Newest by mtime, measured from the other file's own mtime: the file system stamps copies
    with the machine's time, which a moved test clock (faketime) does not share."""
    stamp = other.stat().st_mtime + 5
    os.utime(path, (stamp, stamp))


def _hammer(understanding, stop, answers, errors):
    i = 0
    while not stop.is_set():
        try:
            result = understanding.parse(MESSAGES[i % len(MESSAGES)], timeout=5)
            assert result.intent and result.confidence > 0
            answers.append(result.intent)
        except Exception as exc:  # any failure during the swap is the bug this test is for
            errors.append(repr(exc))
        i += 1


def test_new_model_file_is_swapped_in_without_failing_requests(model_file, tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    first = shutil.copy(model_file, models / "nlu-first.tar.gz")
    engine = LocalRasa(str(models), watch_interval=0.2)
    engine.start(background=False)
    understanding = Understanding(engine)
    stop, answers, errors = threading.Event(), [], []
    threads = [threading.Thread(target=_hammer, args=(understanding, stop, answers, errors)) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        wait_for(lambda: len(answers) > 20, timeout=120)
        second = models / "nlu-second.tar.gz"
        shutil.copy(model_file, second)
        _newer_than(second, first)
        before = len(answers)
        wait_for(lambda: engine.model == second, timeout=180, interval=0.2)
        wait_for(lambda: len(answers) > before + 20, timeout=120)
    finally:
        stop.set()
        for t in threads:
            t.join()
        engine.stop()
    assert not errors, errors[:5]
    assert engine.model.name == "nlu-second.tar.gz" and first.exists()
    assert understanding.parse("我的订单到哪了").intent == "order_status"


def test_broken_model_file_is_not_swapped_in(model_file, tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    good = shutil.copy(model_file, models / "nlu-good.tar.gz")
    engine = LocalRasa(str(models), watch_interval=0.1)
    engine.start(background=False)
    broken = models / "nlu-broken.tar.gz"
    broken.write_bytes(b"not a model")
    _newer_than(broken, good)
    time.sleep(1.0)
    engine.stop()
    assert str(engine.model) == str(good)
    assert engine.parse("你好").intent == "greet"


def test_reload_command_makes_the_running_app_serve_the_newest_model(make_app, model_file, tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    served = shutil.copy(model_file, models / "nlu-a.tar.gz")
    app = make_app(MODEL_PATH=str(models), NLU_WATCH_INTERVAL=0.2)
    engine = app.extensions["xiaoer"].engine
    before = engine._current[2]
    assert before == (str(served.resolve()), served.stat().st_mtime_ns)
    out = app.test_cli_runner().invoke(args=["nlu", "reload"])
    assert out.exit_code == 0, out.output
    assert "nlu-a.tar.gz loads" in out.output
    wait_for(lambda: engine._current[2] == (str(served.resolve()), served.stat().st_mtime_ns),
             timeout=180, interval=0.2)
    engine.stop()
    assert engine._current[2] != before
    assert engine.parse("你好").intent == "greet"


def test_concurrent_parses_match_sequential_ones(nlu_engine):
    """Web threads share one model; the CRF tagger is stateful, so parses must not interleave."""
    understanding = Understanding(nlu_engine)
    expected = {t: (r.intent, r.confidence, [(e.type, e.start, e.end) for e in r.entities])
                for t in MESSAGES for r in [understanding.parse(t)]}
    seen, errors = [], []

    def work():
        for i in range(60):
            text = MESSAGES[i % len(MESSAGES)]
            try:
                r = understanding.parse(text)
                seen.append((text, (r.intent, r.confidence, [(e.type, e.start, e.end) for e in r.entities])))
            except Exception as exc:
                errors.append(repr(exc))

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    assert len(seen) == 360 and all(expected[text] == got for text, got in seen)
