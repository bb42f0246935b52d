"""Webhook latency against bare NLU parse time, through the real HTTP server.

Sends N signed and encrypted text messages at concurrency C to a gunicorn process serving the
app, then in the same run times bare in-process parses of the same texts. Prints p50/p95/p99,
messages per second, the server's peak RSS and the webhook-to-parse p50 ratio and difference.
Targets (2 cores): webhook p50 within 3 ms of bare parse p50, p99 < 100 ms at C=8, RSS < 1.5 GB.

    .venv/bin/python bench/webhook.py [--messages 1000] [--concurrency 8]
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (AES_KEY, APP_ID, ROOT, TOKEN, KeepAliveTransport, ms, peak_rss_mb,  # noqa: E402
                          percentiles, start_server)
from bot.wechat.simulator import Simulator, message_xml  # noqa: E402

TEXTS = ["你好", "我的订单到哪了", "草莓还有吗", "接龙3斤草莓", "收到的鸡蛋碎了好几个", "希望晚上七点后送",
         "转人工", "谢谢", "你能做什么", "今天天气怎么样", "苹果什么时候补货", "取消接龙"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages", type=int, default=1000)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--workers", type=int, default=1, help="gunicorn worker processes (more than 1 needs --redis)")
    ap.add_argument("--database", default=None, help="DATABASE_URL (default: a fresh SQLite file)")
    ap.add_argument("--redis", default=None, help="REDIS_URL (default: the in-process store)")
    args = ap.parse_args()
    if args.workers > 1 and not args.redis:
        ap.error("several workers share dedup and state only through Redis: add --redis")

    from bot.infra.migrate import upgrade
    from bot.nlu import latest_model
    from bot.nlu.training import train

    model, _ = train(ROOT / "models")
    work = Path(tempfile.mkdtemp(prefix="xiaoer-bench-"))
    db = args.database or f"sqlite:///{work / 'bench.sqlite3'}"
    upgrade(db)
    env = {"DATABASE_URL": db, "MODEL_PATH": str(model), "INSTANCE_PATH": str(work)}
    if args.redis:
        import redis

        redis.Redis.from_url(args.redis).flushdb()
        env["REDIS_URL"] = args.redis
    proc, url = start_server(env, workers=args.workers, log=work / "server.log")
    try:
        sim = Simulator(TOKEN, APP_ID, AES_KEY, post=KeepAliveTransport(f"{url}/wechat"))
        for i in range(20):  # warm-up
            sim.say(f"o-warm-{i}", TEXTS[i % len(TEXTS)])

        def one(i: int) -> float:
            xml = message_xml(f"o-bench-{i % 200}", "text", Content=TEXTS[i % len(TEXTS)], msg_id=10**9 + i)
            started = time.perf_counter()
            status, _, answer = sim.deliver(xml)
            elapsed = time.perf_counter() - started
            if status != 200 or not answer:
                raise RuntimeError(f"message {i}: HTTP {status}, answer {answer!r}")
            return elapsed

        sequential = [one(i) for i in range(args.messages, args.messages + max(200, args.messages // 4))]
        started = time.perf_counter()
        with cf.ThreadPoolExecutor(args.concurrency) as pool:
            latencies = list(pool.map(one, range(args.messages)))
        wall = time.perf_counter() - started
        rss = peak_rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(10)

    from bot.nlu import LocalRasa, Understanding

    engine = LocalRasa(str(latest_model(model)))
    engine.start(background=False)
    nlu = Understanding(engine)
    for text in TEXTS:
        nlu.parse(text)
    parses = []
    for i in range(max(300, args.messages // 2)):
        t = time.perf_counter()
        nlu.parse(TEXTS[i % len(TEXTS)])
        parses.append(time.perf_counter() - t)

    web, seq, bare = percentiles(latencies), percentiles(sequential), percentiles(parses)
    print(f"model {model.name}; server: gunicorn, {args.workers} worker(s), 8 threads, "
          f"{db.split(':')[0]}, {'Redis' if args.redis else 'in-process store'}")
    print(f"webhook, {args.messages} encrypted messages at concurrency {args.concurrency}:")
    print(f"  p50 {ms(web['p50'])}  p95 {ms(web['p95'])}  p99 {ms(web['p99'])}  max {ms(web['max'])}")
    print(f"  throughput {args.messages / wall:.1f} messages/s; server peak RSS {rss:.0f} MB")
    print(f"webhook, {len(sequential)} messages one at a time: p50 {ms(seq['p50'])}  p95 {ms(seq['p95'])}  p99 {ms(seq['p99'])}")
    print(f"bare NLU parse (in-process, one at a time): p50 {ms(bare['p50'])}  p95 {ms(bare['p95'])}  p99 {ms(bare['p99'])}")
    print(f"webhook p50 (one at a time) - parse p50 = {ms(seq['p50'] - bare['p50'])} "
          f"(ratio {seq['p50'] / bare['p50']:.2f}x); target: within 3 ms")


if __name__ == "__main__":
    main()
