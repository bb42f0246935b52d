"""Where one webhook message's time goes, in process: per-step timings and a cProfile.

Builds the real app (SQLite file or DATABASE_URL, in-process store or REDIS_URL, the trained
model), then sends the bench's encrypted texts through Flask's WSGI entry one at a time and, with
`--threads 8`, from 8 threads at once. Each step of the request path is timed by wrapping the
object that does it (the wrappers only measure), so the table names the real functions:

    .venv/bin/python bench/webhook_profile.py [--messages 600] [--threads 1] [--cprofile out.prof]
"""
from __future__ import annotations

import argparse
import collections
import concurrent.futures as cf
import cProfile
import functools
import pstats
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import AES_KEY, APP_ID, ROOT, TOKEN  # noqa: E402
from bench.webhook import TEXTS  # noqa: E402

TIMES: dict[str, list[float]] = collections.defaultdict(list)
_lock = threading.Lock()


def timed(name: str, fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            elapsed = time.perf_counter() - started
            with _lock:
                TIMES[name].append(elapsed)
    return wrapper


def instrument(svc) -> None:
    """Wrap the steps of the request path on this app's objects (and the registry's interceptors)."""
    from bot.dialogue import pipeline
    from bot.dialogue.registry import registry

    for obj, attr, name in [
        (svc.codec, "decode", "codec.decode (signature, AES, XML)"),
        (svc.codec, "encode", "codec.encode (reply XML, AES)"),
        (svc.reply_window, "handle", "reply_window.handle (all below)"),
        (svc.store, "set_nx", "store.set_nx (dedup)"),
        (svc.recorder, "received", "message_log insert"),
        (svc.recorder, "answered", "message_log update"),
        (svc.limiter, "hit", "rate limit"),
        (svc.states, "load", "state load"),
        (svc.states, "save", "state save"),
        (svc, "understand", "NLU parse (normalised text)"),
        (svc.metrics, "message", "metrics"),
        (svc.reply_window, "_run", "reply_window._run (handler thread)"),
        (svc.reply_window, "_remember", "dedup answer stored"),
    ]:
        setattr(obj, attr, timed(name, getattr(obj, attr)))
    pipeline.respond = timed("respond (dialogue, all of it)", pipeline.respond)
    svc.reply_window.respond = lambda msg: pipeline.respond(msg, svc, timeout=svc.config.NLU_WAIT)
    for lst in (registry._early_interceptors, registry._late_interceptors):
        lst[:] = [timed(f"interceptor {f.__name__}", f) for f in lst]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages", type=int, default=600)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--database", default=None)
    ap.add_argument("--redis", default=None)
    ap.add_argument("--cprofile", default=None, help="write a cProfile of the timed run here (and print its top)")
    args = ap.parse_args()

    import os

    from bot import create_app
    from bot.infra.migrate import upgrade
    from bot.nlu.training import train
    from bot.wechat.simulator import Simulator, message_xml

    model, _ = train(ROOT / "models")
    work = Path(tempfile.mkdtemp(prefix="xiaoer-profile-"))
    db = args.database or f"sqlite:///{work / 'p.sqlite3'}"
    upgrade(db)
    os.environ.update({"WECHAT_TOKEN": TOKEN, "WECHAT_APP_ID": APP_ID, "WECHAT_AES_KEY": AES_KEY})
    app = create_app({"DATABASE_URL": db, "MODEL_PATH": str(model), "INSTANCE_PATH": str(work),
                      **({"REDIS_URL": args.redis} if args.redis else {})})
    svc = app.extensions["xiaoer"]
    svc.start(background=False)
    client_local = threading.local()

    def post(query: dict, body: bytes):
        client = getattr(client_local, "c", None) or app.test_client()
        client_local.c = client
        r = client.post("/wechat", query_string=query, data=body, content_type="text/xml")
        return r.status_code, r.get_data(as_text=True)

    sim = Simulator(TOKEN, APP_ID, AES_KEY, post=post)
    run = int(time.time())

    def one(i: int) -> float:
        xml = message_xml(f"o-prof-{i % 200}", "text", Content=TEXTS[i % len(TEXTS)], msg_id=run * 10**5 + i)
        started = time.perf_counter()
        status, _, answer = sim.deliver(xml)
        assert status == 200 and answer, (status, answer)
        return time.perf_counter() - started

    for i in range(40):
        one(90000 + i)
    instrument(svc)
    profiler = cProfile.Profile() if args.cprofile else None
    if profiler:
        profiler.enable()
    started = time.perf_counter()
    if args.threads == 1:
        total = [one(i) for i in range(args.messages)]
    else:
        with cf.ThreadPoolExecutor(args.threads) as pool:
            total = list(pool.map(one, range(args.messages)))
    wall = time.perf_counter() - started
    if profiler:
        profiler.disable()
        profiler.dump_stats(args.cprofile)

    def p50(xs):
        return sorted(xs)[len(xs) // 2] * 1000

    print(f"{args.messages} messages, {args.threads} thread(s), {db.split(':')[0]}, "
          f"{'Redis' if args.redis else 'in-process store'}: {args.messages / wall:.0f} msg/s in process")
    print(f"{'step':45s} {'calls/msg':>9s} {'p50 ms':>8s} {'mean ms':>8s} {'ms/msg':>8s}")
    print(f"{'whole request (test client + simulator)':45s} {1:9.2f} {p50(total):8.2f} "
          f"{sum(total) / len(total) * 1000:8.2f} {sum(total) / len(total) * 1000:8.2f}")
    for name, xs in sorted(TIMES.items(), key=lambda kv: -sum(kv[1])):
        print(f"{name:45s} {len(xs) / args.messages:9.2f} {p50(xs):8.2f} {sum(xs) / len(xs) * 1000:8.2f} "
              f"{sum(xs) / args.messages * 1000:8.2f}")
    if profiler:
        pstats.Stats(args.cprofile).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()
