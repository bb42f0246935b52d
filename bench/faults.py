"""Faults injected into the `make prod` stack under load, and what each did to the customers.

Private Redis and PostgreSQL instances (restarting them disturbs nobody else), the reference
order server (integrations/reference_order_server.py) as the order system and the local WeChat
API stand-in (tests/fakes/wechat_server.py). Per fault: a load of N messages runs while the fault
is injected and removed; then the report checks no 500s (or other non-200) went to WeChat, no
message was lost (every one is in message_log and was answered or apologised for), late answers
were delivered or their refusal recorded, and a probe batch afterwards is answered normally by the
same processes (recovery without a restart).

The crash phases (`gunicorn-kill`, `rq-kill`, `restart`) kill processes instead: a gunicorn worker
(SIGKILL, twice), the RQ worker with the job it is running (SIGKILL, then a new worker), and the
whole `make prod` stack (SIGTERM to every process, then started again). The client plays WeChat:
a delivery without an answer in 5 s is tried again, three tries in all. Per phase: messages sent,
messages with no answer and no apology recorded (must be 0) and customer-service messages sent
twice (must be 0); see `crash_check`.

    .venv/bin/python bench/faults.py [--messages 600] [--concurrency 16] [--only redis,postgres,...]
    .venv/bin/python bench/faults.py --only gunicorn-kill,rq-kill,restart --messages 300
"""
from __future__ import annotations

import argparse
import json
import signal
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import AES_KEY, APP_ID, TOKEN  # noqa: E402
from bench.load import Load, plan, verify  # noqa: E402
from bench.stack import DATA_KEY, PrivatePostgres, PrivateRedis, ProdStack, RasaProcess, WorkerProcess  # noqa: E402

CRASHES = ("gunicorn-kill", "rq-kill", "restart")

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
    ap.add_argument("--orders", choices=("http", "sql"), default="http",
                    help="http: orders behind the reference order server (dialogues on the handler pool); "
                         "sql: orders in the SQL store (dialogues inline on the request's thread)")
    ap.add_argument("--only", default="redis,postgres,order-down,order-slow,wechat,rasa," + ",".join(CRASHES))
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
    extra = {"ORDER_SYSTEM_URL": orders.url, "WECHAT_API_BASE": wechat.url,
             "WECHAT_APP_SECRET": "bench-secret-0123456789abcdefghij", "ANSWER_BUDGET": "1.5"}
    if args.orders == "sql":
        del extra["ORDER_SYSTEM_URL"]
    stack = ProdStack(pg.url, redis_server.url, work, web_workers=2, extra=extra)
    results = []
    try:
        if any(k in wanted for k in CRASHES):
            crash_phases(wanted, pg.url, redis_server.url, work, extra, orders, wechat, args)
        if not any(k in wanted for k in ("redis", "postgres", "order-down", "order-slow", "wechat", "rasa")):
            return
        stack.start()
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


class WeChatRetries:
    """WeChat's side of a crash: a delivery without an answer in 5 s (a broken connection, a refused
    one, a timeout or a non-200) is tried again with a fresh nonce and timestamp, three tries in
    all; a 200 ends it (`success` too). What the customer saw is kept per MsgId."""

    def __init__(self, url: str, concurrency: int) -> None:
        import requests

        from bot.wechat.simulator import Simulator

        self.concurrency = concurrency
        self.outcomes: dict[int, str] = {}  # answer text | "success" | "unreached"
        self.tries = Counter()
        self._local = threading.local()
        self._new = lambda: Simulator(TOKEN, APP_ID, AES_KEY, post=self._post_with(requests.Session(), url + "/wechat"))

    @staticmethod
    def _post_with(session, url):
        def post(query: dict, body: bytes):
            r = session.post(url, params=query, data=body, timeout=5, headers={"Content-Type": "text/xml"})
            return r.status_code, r.text
        return post

    def deliver(self, item) -> None:
        from bot.wechat.simulator import message_xml

        openid, text, msg_id = item
        sim = getattr(self._local, "sim", None) or setattr(self._local, "sim", self._new()) or self._local.sim
        xml = message_xml(openid, "text", Content=text, msg_id=msg_id)
        outcome = "unreached"
        for attempt in range(3):
            self.tries[attempt + 1] += 1
            try:
                status, _, answer = sim.deliver(xml)
            except Exception:
                status, answer = None, None
                self._local.sim = sim = self._new()
            if status == 200:
                outcome = answer or "success"
                break
            time.sleep(1)
        self.outcomes[msg_id] = outcome

    def run(self, items, duration: float) -> None:
        import concurrent.futures as cf

        started = time.perf_counter()
        with cf.ThreadPoolExecutor(self.concurrency) as pool:
            futures = []
            for i, item in enumerate(items):
                time.sleep(max(started + duration * i / len(items) - time.perf_counter(), 0))
                futures.append(pool.submit(self.deliver, item))
            [f.result() for f in futures]


def crash_check(db_url: str, redis_url: str, items, outcomes: dict, cs_sent, wait: float) -> dict:
    """After a crash: waits (up to `wait` s) until no message of the phase is still `received` or
    waiting for its delivery, then counts
    - lost: the message reached us (a row, or a 200 on some try) and the customer got nothing (no
      passive answer, no customer-service message recorded as sent) and no refusal was recorded;
    - duplicates: customer-service messages received by (the stand-in of) WeChat beyond what the
      log says was sent (per openid and text), plus first parts both given passively and sent;
    - missing: parts the log counts as sent that WeChat never received (a sender killed mid-call)."""
    import redis
    from sqlalchemy import create_engine, text

    from bot.dialogue.replies import split_text
    from bot.models import configure_data_key

    configure_data_key(DATA_KEY)  # the key ProdStack gives the stack (the answers are encrypted with it)
    engine = create_engine(db_url, future=True)
    keys = {f"{openid}:m:{msg_id}": (openid, msg_id) for openid, _, msg_id in items}
    deadline = time.monotonic() + wait
    while True:
        with engine.connect() as conn:
            rows = {r[0]: r for r in conn.execute(text(
                "SELECT dedup_key, status, delivery, answer, attempts FROM message_log WHERE openid LIKE 'o-load-%'"))
                if r[0] in keys}
        pending = [k for k, r in rows.items() if r[1] == "received" or r[2] in ("queued", "passive+queued")]
        if not pending or time.monotonic() > deadline:
            break
        time.sleep(2)
    time.sleep(5)  # a delivery records its row after its last part: let the last calls land
    engine.dispose()
    from bot.models.base import _Keys

    store = redis.Redis.from_url(redis_url, decode_responses=True)
    expected, lost, overlap, unreached = Counter(), [], 0, 0
    for key, (openid, msg_id) in keys.items():
        row, seen = rows.get(key), outcomes.get(msg_id, "unreached")
        passive = seen not in ("success", "unreached")
        if row is None:
            if seen == "unreached":
                unreached += 1
            elif not passive:
                lost.append(key)
            continue
        answer = _Keys.fernet.decrypt(row[3].encode()).decode() if row[3] else None
        parts = split_text(answer) if answer else []
        delivery = row[2] or ""
        first_passive = store.get(f"sent:delivered:{key}:{openid}:0") == "passive"
        if delivery == "customer_service":
            expected.update((openid, p) for p in (parts[1:] if first_passive else parts))
            overlap += passive and not first_passive
        elif delivery == "passive+customer_service":
            expected.update((openid, p) for p in parts[1:])
        if not (passive or delivery.endswith("customer_service") or delivery == "failed"):
            lost.append(key)
    got = Counter((m["touser"], m["text"]["content"]) for m in cs_sent() if m.get("touser", "").startswith("o-load-"))
    return {"sent": len(keys), "recorded": len(rows), "unreached": unreached, "lost": len(lost),
            "lost_keys": lost[:5], "duplicates": sum((got - expected).values()) + overlap,
            "missing": sum((expected - got).values()), "pending_at_end": len(pending),
            "recovered": sum(1 for r in rows.values() if r[4]), "cs_sent": sum(got.values()),
            "answered_passively": sum(1 for k, (o, m) in keys.items() if outcomes.get(m, "unreached")
                                      not in ("success", "unreached"))}


def crash_phases(wanted, db_url: str, redis_url: str, work: Path, extra: dict, orders, wechat, args) -> None:
    """The three crash phases, each under load. The worker runs beside the web processes (honcho
    would stop the stack when it dies) for the first two; the restart uses `make prod`'s layout."""
    n, conc = args.messages, args.concurrency
    results = []

    def run(name, stack, inject, duration, seed, slow_orders=False):
        items = plan(n, 300, seed=seed)
        client = WeChatRetries(stack.url, conc)
        before = len(wechat.received["message/custom/send"])
        orders.delay = 1.8 if slow_orders else 0.0
        runner = threading.Thread(target=client.run, args=(items, duration))
        runner.start()
        inject()
        runner.join()
        orders.delay = 0.0
        check = crash_check(db_url, redis_url, items, client.outcomes,
                            lambda: wechat.received["message/custom/send"][before:], wait=420)
        check.update(name=name, tries=dict(client.tries))
        results.append(check)
        print_crash(check)

    if "gunicorn-kill" in wanted or "rq-kill" in wanted:
        web = ProdStack(db_url, redis_url, work, web_workers=2, extra=extra, processes=("web",)).start()
        worker = WorkerProcess(web.env, work / "worker.log").start()
        try:
            if "gunicorn-kill" in wanted:
                def kill_web():
                    for _ in range(2):
                        time.sleep(6)
                        victim = web.gunicorn_workers()[0]
                        os.kill(victim, signal.SIGKILL)
                        print(f"  SIGKILL gunicorn worker {victim}", flush=True)
                run("SIGKILL of a gunicorn worker, twice (the master starts new ones)", web, kill_web, 24, 2001)
            if "rq-kill" in wanted:
                def kill_worker():
                    import redis

                    time.sleep(8)
                    running = redis.Redis.from_url(redis_url).zcard  # RQ's started-job registry
                    deadline = time.monotonic() + 10
                    while not running("rq:wip:xiaoer") and time.monotonic() < deadline:
                        time.sleep(0.005)
                    busy = running("rq:wip:xiaoer")
                    worker.kill(signal.SIGKILL)
                    print(f"  SIGKILL RQ worker and its work horse ({busy} job(s) running); a new worker in 3 s",
                          flush=True)
                    time.sleep(3)
                    worker.start()
                run("SIGKILL of the RQ worker mid-job (order system slow: late answers queued)", web, kill_worker, 24,
                    2002, slow_orders=True)
        finally:
            worker.stop()
            web.stop()
    if "restart" in wanted:
        full = ProdStack(db_url, redis_url, work, web_workers=2, extra=extra).start()
        try:
            def restart():
                time.sleep(6)
                started = time.monotonic()
                full.stop()
                print(f"  make prod stopped by SIGTERM in {time.monotonic() - started:.1f} s", flush=True)
                full.start()
                print(f"  make prod back after {time.monotonic() - started:.1f} s", flush=True)
            run("restart of make prod (SIGTERM to every process, then started again)", full, restart, 30, 2003)
        finally:
            full.stop()
    print(json.dumps(results, ensure_ascii=False))
    bad = [r["name"] for r in results if r["lost"] or r["duplicates"]]
    print("CRASHES: NO MESSAGE LOST, NONE SENT TWICE" if not bad else f"CRASH PROBLEMS: {bad}")


def print_crash(r: dict) -> None:
    print(f"== {r['name']}")
    print(f"  {r['sent']} messages sent ({r['recorded']} recorded; {r['unreached']} never reached the service in "
          f"three tries: WeChat shows its error); tries {r['tries']}")
    print(f"  no answer and no apology recorded: {r['lost']} {r['lost_keys'] or ''}; duplicates sent: {r['duplicates']}; "
          f"parts claimed but not received: {r['missing']}")
    print(f"  answered passively {r['answered_passively']}; customer-service messages {r['cs_sent']}; "
          f"taken over by recovery {r['recovered']}; still pending at the end {r['pending_at_end']}", flush=True)


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
