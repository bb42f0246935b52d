"""Load against the `make prod` stack: N signed and encrypted messages with a realistic mix of
intents at concurrency C, then a comparison of what was sent with the message log.

Reports throughput, p50/p95/p99, errors (non-200 or no valid reply), duplicates processed
(handlings beyond one per message, from the shared metrics) and messages lost (sent but not in
message_log, or never answered). `--deliveries 3` is the retry storm: every message is delivered
three times at once, as WeChat does when we are slow; each must still be handled exactly once.

    .venv/bin/python bench/load.py [--messages 10000] [--concurrency 32] [--deliveries 1]
        [--database-url postgresql://postgres@127.0.0.1:5432/xiaoer_wt8] [--redis-url redis://127.0.0.1:6379/8]
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import AES_KEY, APP_ID, TOKEN, ms, percentiles  # noqa: E402
from bot.wechat.simulator import Simulator, message_xml  # noqa: E402

# (weight, text): roughly what a fruit shop's account receives on a promotion day
MIX = [(14, "你好"), (12, "我的订单到哪了"), (6, "DD20261101001 到哪了"), (10, "草莓还有吗"), (5, "鸡蛋还有货吗"),
       (8, "接龙 2斤草莓"), (4, "接龙名单"), (6, "收到的鸡蛋碎了好几个"), (5, "希望晚上七点后送"), (4, "草莓很甜，下次还买"),
       (6, "转人工"), (8, "谢谢"), (4, "你能做什么"), (3, "今天天气怎么样"), (3, "苹果什么时候补货"), (2, "取消接龙")]
TEXTS = [t for w, t in MIX for _ in range(w)]


def plan(n: int, openids: int, seed: int = 8) -> list[tuple[str, str, int]]:
    rng = random.Random(seed)
    base = int(time.time() * 1000) % 10**9 * 1000
    return [(f"o-load-{rng.randrange(openids)}", rng.choice(TEXTS), base + i) for i in range(n)]


class Load:
    def __init__(self, url: str, concurrency: int, deliveries: int = 1) -> None:
        self.sims = threading.local()
        self.url, self.concurrency, self.deliveries = url, concurrency, deliveries
        self.latencies: list[float] = []
        self.errors: Counter = Counter()
        self.deferred = 0
        self.mismatched = 0
        self._lock = threading.Lock()

    def _sim(self) -> Simulator:
        if not hasattr(self.sims, "sim"):
            self.sims.sim = Simulator(TOKEN, APP_ID, AES_KEY, url=self.url + "/wechat")
        return self.sims.sim

    def deliver(self, item) -> str | None:
        openid, text, msg_id = item
        xml = message_xml(openid, "text", Content=text, msg_id=msg_id)
        started = time.perf_counter()
        try:
            status, body, answer = self._sim().deliver(xml)
        except Exception as exc:  # connection refused, timeout: an error WeChat would see
            with self._lock:
                self.errors[exc.__class__.__name__] += 1
            return "<error>"
        elapsed = time.perf_counter() - started
        with self._lock:
            self.latencies.append(elapsed)
            if status != 200:
                self.errors[f"HTTP {status}"] += 1
                return "<error>"
            if answer is None:
                self.deferred += 1
        return answer

    def one_message(self, item) -> None:
        if self.deliveries == 1:
            self.deliver(item)
            return
        with cf.ThreadPoolExecutor(self.deliveries) as pool:  # WeChat's retries arrive while we work
            answers = list(pool.map(self.deliver, [item] * self.deliveries))
        answered = {a for a in answers if a not in (None, "<error>")}
        if len(answered) > 1:
            with self._lock:
                self.mismatched += 1

    def run(self, items, duration: float | None = None) -> float:
        """As fast as the concurrency allows, or spread evenly over `duration` seconds."""
        started = time.perf_counter()
        workers = max(self.concurrency // self.deliveries, 1)
        with cf.ThreadPoolExecutor(workers) as pool:
            if duration is None:
                list(pool.map(self.one_message, items))
            else:
                futures = []
                for i, item in enumerate(items):
                    time.sleep(max(started + duration * i / len(items) - time.perf_counter(), 0))
                    futures.append(pool.submit(self.one_message, item))
                [f.result() for f in futures]
        return time.perf_counter() - started


def handled_count(redis_url: str) -> float:
    import redis

    raw = redis.Redis.from_url(redis_url, decode_responses=True).hget("metrics", "xiaoer_requests_total|kind=text")
    return float(raw or 0)


def verify(database_url: str, items, wait: float = 60) -> dict:
    """What the message log holds for what was sent (waits for spool replays and late answers)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url, future=True)
    keys = {f"{openid}:m:{msg_id}" for openid, _, msg_id in items}
    deadline = time.monotonic() + wait
    while True:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT dedup_key, status, delivery FROM message_log WHERE openid LIKE 'o-load-%'")).all()
        found = {r[0]: r for r in rows if r[0] in keys}
        unanswered = [k for k, r in found.items() if r[1] == "received"]
        if (len(found) == len(keys) and not unanswered) or time.monotonic() > deadline:
            break
        time.sleep(1)
    engine.dispose()
    statuses = Counter(r[1] for r in found.values())
    deliveries = Counter(r[2] for r in found.values())
    return {"lost": len(keys) - len(found), "unanswered": len(unanswered), "statuses": dict(statuses),
            "deliveries": dict(deliveries)}


def report(title: str, load: Load, wall: float, n: int, handled: float, check: dict) -> None:
    lat = percentiles(load.latencies) if load.latencies else {"p50": 0, "p95": 0, "p99": 0, "max": 0}
    requests_sent = n * load.deliveries
    print(f"== {title}")
    print(f"  {n} messages x {load.deliveries} deliveries = {requests_sent} requests in {wall:.1f} s: "
          f"{requests_sent / wall:.1f} requests/s, {n / wall:.1f} messages/s")
    print(f"  latency p50 {ms(lat['p50'])}  p95 {ms(lat['p95'])}  p99 {ms(lat['p99'])}  max {ms(lat['max'])}")
    print(f"  errors {sum(load.errors.values())} {dict(load.errors) or ''}; answered later (success reply) "
          f"{load.deferred}; differing answers to one message {load.mismatched}")
    print(f"  duplicates processed {int(handled - n)} (handled {int(handled)} for {n} messages); lost {check['lost']}; "
          f"never answered {check['unanswered']}; log statuses {check['statuses']}; deliveries {check['deliveries']}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages", type=int, default=10000)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--deliveries", type=int, default=1, help="3 = retry storm")
    ap.add_argument("--openids", type=int, default=2000)
    ap.add_argument("--web-workers", type=int, default=2)
    ap.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/xiaoer_wt8")
    ap.add_argument("--redis-url", default="redis://127.0.0.1:6379/8")
    args = ap.parse_args()

    import redis
    from sqlalchemy import create_engine, text

    from bench.stack import ProdStack

    admin = create_engine(args.database_url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as conn:
        db = args.database_url.rsplit("/", 1)[1]
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname=:d"), {"d": db}).first():
            conn.execute(text(f'CREATE DATABASE "{db}"'))
    redis.Redis.from_url(args.redis_url).flushdb()
    work = Path(tempfile.mkdtemp(prefix="xiaoer-load-"))
    stack = ProdStack(args.database_url, args.redis_url, work, web_workers=args.web_workers).start()
    try:
        with create_engine(args.database_url, future=True).begin() as conn:
            conn.execute(text("DELETE FROM message_log WHERE openid LIKE 'o-load-%'"))
        Load(stack.url, 8).run(plan(100, 50, seed=1))  # warm-up, not counted
        items = plan(args.messages, args.openids)
        load = Load(stack.url, args.concurrency, args.deliveries)
        before = handled_count(args.redis_url)
        wall = load.run(items)
        check = verify(args.database_url, items)
        handled = handled_count(args.redis_url) - before
    finally:
        stack.stop()
    title = "retry storm" if args.deliveries > 1 else "load"
    report(f"{title}: make prod stack ({args.web_workers} gunicorn workers x 16 threads, 1 RQ worker), "
           f"PostgreSQL + Redis, concurrency {args.concurrency}", load, wall, args.messages, handled, check)


if __name__ == "__main__":
    main()
