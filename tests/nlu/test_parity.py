"""The in-process engine and a real `rasa run` server give the same answers on the same model."""
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from bot.nlu import RemoteRasa, Understanding
from bot.nlu.evaluation import catalog_aliases

TOKEN = "parity-token"
MESSAGES = ["我的订单DD20261101001到哪了", "草莓还有货吗", "接龙两斤丹东草莓", "收到的牛奶漏了，要退款",
            "你好呀", "手机13800000001绑定一下", "今天天气怎么样", "希望草莓再甜一点", "我要3箱纯牛奶",
            "團購什麼時候到😀", "转人工", "取消我的接龙"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def rasa_server(model_file, tmp_path_factory):
    port = _free_port()
    log = open(tmp_path_factory.mktemp("rasa") / "rasa.log", "w")
    rasa = Path(sys.executable).parent / "rasa"
    proc = subprocess.Popen([str(rasa), "run", "--enable-api", "--auth-token", TOKEN, "-m", str(model_file),
                             "--port", str(port), "-i", "127.0.0.1"], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 240
    try:
        while True:
            assert proc.poll() is None, f"rasa run exited; see {log.name}"
            try:
                if requests.get(f"{url}/status", params={"token": TOKEN}, timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            assert time.monotonic() < deadline, f"rasa run did not come up; see {log.name}"
            time.sleep(1)
        yield url
    finally:
        proc.terminate()
        proc.wait(30)
        log.close()


def test_in_process_and_server_agree(nlu_engine, rasa_server):
    aliases = catalog_aliases()
    local = Understanding(nlu_engine, aliases)
    remote_engine = RemoteRasa(rasa_server, TOKEN, timeout=30)
    assert remote_engine.ready
    remote = Understanding(remote_engine, aliases)
    for text in MESSAGES:
        a, b = local.parse(text), remote.parse(text, timeout=30)
        assert a.intent == b.intent, text
        assert a.confidence == pytest.approx(b.confidence, abs=1e-6), text
        assert [(n, pytest.approx(s, abs=1e-6)) for n, s in a.ranking] == b.ranking, text
        assert [(e.type, e.value, e.start, e.end) for e in a.entities] == \
               [(e.type, e.value, e.start, e.end) for e in b.entities], text
    assert local.parse("我的订单DD20261101001到哪了").first("order_id") == "DD20261101001"
