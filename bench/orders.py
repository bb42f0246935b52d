"""Order-status answer latency through the real webhook, for the embedded SQL store and the HTTP
order system (the reference server over the same data). Signed requests over real HTTP, as WeChat
sends them; prints milliseconds. Usage: .venv/bin/python bench/orders.py [N]"""
from __future__ import annotations

import logging
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from werkzeug.serving import make_server  # noqa: E402

from bot import create_app  # noqa: E402
from bot.demo import seed  # noqa: E402
from bot.infra.migrate import upgrade  # noqa: E402
from bot.wechat.simulator import Simulator, message_xml  # noqa: E402
from integrations.reference_order_server import ReferenceOrderServer  # noqa: E402
from bot.shop.sql_commerce import SqlCommerce  # noqa: E402

TOKEN = "bench-token"


def serve(wsgi) -> str:
    server = make_server("127.0.0.1", 0, wsgi, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def measure(fn, n: int) -> list[float]:
    for _ in range(3):
        fn()  # warm-up: model, pools, connections
    times = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def row(label: str, ms: list[float]) -> str:
    ms = sorted(ms)
    p95 = ms[max(int(len(ms) * 0.95) - 1, 0)]
    return f"{label:<44} {statistics.median(ms):>8.1f} {p95:>8.1f} {ms[-1]:>8.1f}"


def main(n: int) -> None:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    upgrade(url)
    base = {"DATABASE_URL": url, "WECHAT_TOKEN": TOKEN, "WECHAT_TOKEN_IS_DEV": False, "WECHAT_AES_KEY": None,
            "ORDER_LOOKUP_LIMIT": 10**6, "INSTANCE_PATH": tempfile.mkdtemp()}
    sql_app = create_app(base)
    svc = sql_app.extensions["xiaoer"]
    seed(svc)
    svc.engine.start(background=False)
    reference = ReferenceOrderServer(SqlCommerce(svc.db)).start()
    http_app = create_app({**base, "ORDER_SYSTEM_URL": reference.url})
    http_app.extensions["xiaoer"].engine.start(background=False)

    logging.disable(logging.WARNING)  # request logs would bury the numbers
    rows = [f"order-status latency, {n} requests each, ms (database {svc.db.engine.dialect.name}, "
            f"store {'redis' if svc.config.REDIS_URL else 'in-process'})",
            f"{'':<44} {'median':>8} {'p95':>8} {'max':>8}"]
    for label, app in (("sql", sql_app), ("http", http_app)):
        commerce = app.extensions["xiaoer"].commerce
        rows.append(row(f"{label}: interface call order()", measure(lambda: commerce.order("DD20261101001"), n)))
        sim = Simulator(TOKEN, url=serve(app) + "/wechat")

        def ask(text: str) -> None:
            status, _, answer = sim.deliver(message_xml("o-demo-alice", "text", Content=text))
            assert status == 200 and answer and ("状态" in answer or "最近的订单" in answer), answer
        rows.append(row(f"{label}: webhook 「DD20261101001到哪了」", measure(lambda: ask("DD20261101001到哪了"), n)))
        rows.append(row(f"{label}: webhook 「我的订单到哪了」", measure(lambda: ask("我的订单到哪了"), n)))
    reference.stop()
    print("\n".join(rows), flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
