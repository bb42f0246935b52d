"""The in-process engine and a real `rasa run` server give the same answers on the same model."""
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from bot.nlu import RemoteRasa, Understanding
from bot.nlu.evaluation import catalog_aliases
from tests.helpers import free_port

pytestmark = pytest.mark.timeless  # NLU answers do not depend on the date: not repeated under moved clocks

TOKEN = "parity-token"
MESSAGES = ["我的订单DD20261101001到哪了", "草莓还有货吗", "接龙两斤丹东草莓", "收到的牛奶漏了，要退款",
            "你好呀", "手机13800000001绑定一下", "今天天气怎么样", "希望草莓再甜一点", "我要3箱纯牛奶",
            "團購什麼時候到😀", "转人工", "取消我的接龙"]


def _start_rasa(model_file, port: int, log_path: Path) -> subprocess.Popen:
    log = open(log_path, "a")
    rasa = Path(sys.executable).parent / "rasa"
    proc = subprocess.Popen([str(rasa), "run", "--enable-api", "--auth-token", TOKEN, "-m", str(model_file),
                             "--port", str(port), "-i", "127.0.0.1"], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 240
    while True:
        assert proc.poll() is None, f"rasa run exited; see {log_path}"
        try:
            if requests.get(f"{url}/status", params={"token": TOKEN}, timeout=2).ok:
                return proc
        except requests.RequestException:
            pass
        assert time.monotonic() < deadline, f"rasa run did not come up; see {log_path}"
        time.sleep(1)


class RasaServer:
    """A real `rasa run` process that a test may stop and start again on the same port."""

    def __init__(self, model_file, log_path: Path) -> None:
        self.model_file, self.log_path, self.port = model_file, log_path, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = _start_rasa(model_file, self.port, log_path)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(30)

    def start(self) -> None:
        self.proc = _start_rasa(self.model_file, self.port, self.log_path)


@pytest.fixture(scope="session")
def rasa_server(model_file, tmp_path_factory):
    server = RasaServer(model_file, tmp_path_factory.mktemp("rasa") / "rasa.log")
    yield server
    server.stop()


def test_in_process_and_server_agree(nlu_engine, rasa_server):
    aliases = catalog_aliases()
    local = Understanding(nlu_engine, aliases)
    remote_engine = RemoteRasa(rasa_server.url, TOKEN, timeout=30)
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


def test_webhook_on_a_rasa_server_survives_it_going_down_and_coming_back(make_app, rasa_server):
    """RASA_URL set: answers come from the server; while it is down customers get a polite answer
    and every message is kept; when it is back the same process answers again, no restart."""
    from sqlalchemy import select

    from bot.models import MessageLog
    from bot.wechat.simulator import Simulator

    from tests.helpers import APP_ID, TOKEN as WECHAT_TOKEN, flask_transport
    app = make_app(RASA_URL=rasa_server.url, RASA_TOKEN=TOKEN)
    sim = Simulator(WECHAT_TOKEN, APP_ID, None, post=flask_transport(app))
    assert "欢迎" in sim.say("o-rasa", "你好")
    rasa_server.stop()
    try:
        assert "消息已记录" in sim.say("o-rasa", "我的草莓坏了")
        assert app.test_client().get("/healthz").status_code == 503
    finally:
        rasa_server.start()
    assert "不客气" in sim.say("o-rasa", "谢谢你")
    with app.extensions["xiaoer"].db.session() as s:
        rows = s.execute(select(MessageLog).where(MessageLog.openid == "o-rasa").order_by(MessageLog.id)).scalars().all()
    assert [r.status for r in rows] == ["answered", "failed", "answered"]
    assert rows[1].text == "我的草莓坏了" and "NluUnavailable" in rows[1].error
