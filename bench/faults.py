"""Faults injected into the `make prod` stack under load, and what each did to the customers.

Private Redis and PostgreSQL instances (restarting them disturbs nobody else), the reference
order server (integrations/reference_order_server.py) as the order system and the local WeChat
API stand-in (tests/fakes/wechat_server.py). Per fault: a load of N messages runs while the fault
is injected and removed; then the report checks no 500s (or other non-200) went to WeChat, no
message was lost (every one is in message_log and was answered or apologised for), late answers
were delivered or their refusal recorded, and a probe batch afterwards is answered normally by the
same processes (recovery without a restart).

    .venv/bin/python bench/faults.py [--messages 600] [--concurrency 16] [--only redis,postgres,...]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load import Load, plan, verify  # noqa: E402
from bench.stack import PrivatePostgres, PrivateRedis, ProdStack, RasaProcess  # noqa: E402

APOLOGY_MARKS = ("抱歉", "暂时", "人工")


def phase(name: str, stack, db_url: str, n: int, concurrency: int, inject, restore, hold: float, seed: int) -> dict:
    items = plan(n, 300, seed=seed)
    load = Load(stack.url, concurrency)
    runner = threading.Thread(target=load.run, args=(items, hold + 6))  # before, during and after
    runner.start()
    time.sleep(2)
    inject()
    time.sleep(hold)
    restore()
    runner.join()
    probe_items = plan(40, 40, seed=seed + 1000)
    probe = Load(stack.url, 8)
    answers = [probe.deliver(i) for i in probe_items]
    check = verify(db_url, items + probe_items, wait=90)
    apologies = sum(1 for a in answers if a and a.startswith("抱歉"))
    return {"name": name, "sent": n, "errors": dict(load.errors), "non200": sum(load.errors.values()),
            "deferred": load.deferred, "check": check, "probe_ok": sum(1 for a in answers if a and a != "<error>"),
            "probe_apologies": apologies, "probe_n": len(probe_items)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages", type=int, default=600)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--only", default="redis,postgres,order-down,order-slow,wechat,rasa")
    args = ap.parse_args()
    wanted = args.only.split(",")

    from sqlalchemy import create_engine, text

    from bot.infra.db import Database
    from bot.infra.migrate import upgrade
    from integrations.reference_order_server import ReferenceOrderServer
    from bot.shop.sql_commerce import SqlCommerce
    from tests.fakes.wechat_server import FakeWeChat

    work = Path(tempfile.mkdtemp(prefix="xiaoer-faults-"))
    redis_server, pg = PrivateRedis().start(), PrivatePostgres().start()
    upgrade(pg.url)
    from bot import create_app
    from bot.demo import seed as seed_demo
    seed_demo(create_app({"DATABASE_URL": pg.url, "INSTANCE_PATH": str(work)}).extensions["xiaoer"])
    orders = ReferenceOrderServer(SqlCommerce(Database(pg.url))).start()
    wechat = FakeWeChat().start()
    stack = ProdStack(pg.url, redis_server.url, work, web_workers=2, extra={
        "ORDER_SYSTEM_URL": orders.url, "WECHAT_API_BASE": wechat.url,
        "WECHAT_APP_SECRET": "bench-secret-0123456789abcdefghij", "ANSWER_BUDGET": "1.5"}).start()
    results = []
    try:
        plans = {
            "redis": ("Redis restarted (killed, down 3 s, started empty)", redis_server.stop, redis_server.start, 3),
            "postgres": ("PostgreSQL restarted (immediate stop, down 4 s)", pg.stop, pg.start, 4),
            "order-down": ("order system down (HTTP 503 for 6 s)", lambda: setattr(orders, "fail_with", 503),
                           lambda: setattr(orders, "fail_with", None), 6),
            "order-slow": ("order system slow (1.8 s per call for 8 s; answer budget 1.5 s)",
                           lambda: setattr(orders, "delay", 1.8), lambda: setattr(orders, "delay", 0.0), 8),
            "wechat": ("WeChat API answering 40001, 45015, 45047 and 503 while late answers go out "
                       "(order system slow meanwhile)", lambda: (setattr(orders, "delay", 1.8), wechat.fail(
                           "message/custom/send", 40001, 40001, 45015, 45015, 45047, 45047, ("http", 503),
                           ("http", 503), ("http", 502), 40001)), lambda: setattr(orders, "delay", 0.0), 8),
        }
        for i, key in enumerate(k for k in plans if k in wanted):
            title, inject, restore, hold = plans[key]
            sent_before = len(wechat.received["message/custom/send"])
            result = phase(title, stack, pg.url, args.messages, args.concurrency, inject, restore, hold, seed=100 + i)
            result["cs_sent"] = len(wechat.received["message/custom/send"]) - sent_before
            results.append(result)
            print_result(result)
        if "rasa" in wanted:
            results.append(rasa_phase(stack, pg.url, redis_server.url, work, orders, wechat, args))
        print(f"order system calls {orders.requests}; WeChat tokens issued {len(wechat.tokens_issued)}; "
              f"scripted WeChat errors left unused {sum(len(v) for v in wechat.scripted.values())}")
        with create_engine(pg.url, future=True).connect() as conn:
            errors = Counter(r[0].split(":")[0] for r in conn.execute(text(
                "SELECT delivery_error FROM message_log WHERE delivery_error IS NOT NULL")).all())
        print(f"recorded delivery refusals by WeChat code: {dict(errors)}")
    finally:
        stack.stop()
        orders.stop()
        wechat.stop()
        redis_server.stop()
        pg.destroy()
    bad = [r["name"] for r in results if r["non200"] or r["check"]["lost"] or r["check"]["unanswered"]
           or r["probe_ok"] != r["probe_n"]]
    print("ALL FAULTS HANDLED" if not bad else f"PROBLEMS: {bad}")


def rasa_phase(main_stack, db_url: str, redis_url: str, work: Path, orders, wechat, args) -> dict:
    """A second stack whose web workers parse through a Rasa server (RASA_URL); the server is killed
    under load and started again. Customers get a polite answer meanwhile, every message is kept,
    and the same web processes answer normally once it is back."""
    main_stack.stop()
    rasa = RasaProcess("bench-rasa-token-0123456789abcdef", work).start()
    stack = ProdStack(db_url, redis_url, work, web_workers=2, extra={
        "RASA_URL": rasa.url, "RASA_TOKEN": "bench-rasa-token-0123456789abcdef", "ORDER_SYSTEM_URL": orders.url,
        "WECHAT_API_BASE": wechat.url, "WECHAT_APP_SECRET": "bench-secret-0123456789abcdefghij",
        "ANSWER_BUDGET": "1.5"}).start()
    try:
        result = phase("Rasa NLU server down (killed for 5 s, then started again on the same port)", stack, db_url,
                       args.messages, args.concurrency, rasa.stop, rasa.start, 5, seed=900)
        print_result(result)
        return result
    finally:
        stack.stop()
        rasa.stop()


def print_result(r: dict) -> None:
    c = r["check"]
    print(f"== {r['name']}")
    print(f"  {r['sent']} messages: non-200 to WeChat {r['non200']} {r['errors'] or ''}; answered later {r['deferred']}; "
          f"lost {c['lost']}; never answered {c['unanswered']}")
    print(f"  log statuses {c['statuses']}; deliveries {c['deliveries']}; customer-service messages sent {r.get('cs_sent', '?')}")
    print(f"  recovery probe (same processes, after the fault): {r['probe_ok']}/{r['probe_n']} answered, "
          f"{r['probe_apologies']} of them apologies")


if __name__ == "__main__":
    main()
