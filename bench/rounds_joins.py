"""Joins per second on one capped round: N customers join at once from several processes, each
with a thread per customer, against real PostgreSQL. Used by tests/rounds/test_load.py too.

    .venv/bin/python bench/rounds_joins.py [--url postgresql://postgres@127.0.0.1:5432/DB] [--joins 200]

The run uses its own schema (`rounds_bench`) in that database and drops it afterwards.
"""
from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing as mp
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text  # noqa: E402

PICKUPS = ["西湖自提点", "滨江自提点"]
CONNECTIONS_PER_PROCESS = 4


def schema_url(base: str, schema: str) -> str:
    """The same database with `schema` first on the search path, created fresh."""
    engine = create_engine(base, future=True)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


def drop_schema(base: str, schema: str) -> None:
    engine = create_engine(base, future=True)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def make_round(url: str, cap: float, per_person: float, minimum: float) -> int:
    from bot.infra.db import Database
    from bot.infra.migrate import upgrade
    from bot.models import Round, configure_data_key, utcnow

    upgrade(url)
    configure_data_key("bench")
    db = Database(url)
    with db.session() as s:
        r = Round(title="压测团", product="丹东草莓", unit="斤", price_cents=2200, min_total=minimum, cap=cap,
                  per_person_max=per_person, deadline=utcnow() + dt.timedelta(days=1), pickup_points=PICKUPS,
                  status="open")
        s.add(r)
        s.flush()
        rid = r.id
    db.engine.dispose()
    return rid


def _process(url: str, round_id: int, requests: list[tuple[str, float]], start_at: float, results) -> None:
    from bot.infra.db import Database
    from bot.models import configure_data_key
    from bot.rounds.joining import join

    configure_data_key("bench")
    # Like a web worker: a few connections per process (PostgreSQL allows ~100 in all); requests queue.
    db = Database(url, pool_size=CONNECTIONS_PER_PROCESS, max_overflow=0, pool_timeout=60)

    def one(req):
        openid, quantity = req
        try:
            out = join(db, round_id, openid, quantity, PICKUPS[hash(openid) % 2], request_key=f"load:{openid}")
            return openid, quantity, out.outcome, out.seq, out.reason
        except Exception as exc:  # reported, and the test fails on it
            return openid, quantity, "error", None, f"{exc.__class__.__name__}: {exc}"

    time.sleep(max(start_at - time.time(), 0))
    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        results.put(list(pool.map(one, requests)))
    db.engine.dispose()


def run_load(url: str, round_id: int, requests: list[tuple[str, float]], processes: int) -> tuple[list, float]:
    """All requests at once, spread over processes; returns (results, seconds from start to last answer)."""
    ctx = mp.get_context("spawn")
    results = ctx.Queue()
    start_at = time.time() + 3 + processes * 0.5  # every process imported and waiting
    chunks = [requests[i::processes] for i in range(processes)]
    procs = [ctx.Process(target=_process, args=(url, round_id, chunk, start_at, results)) for chunk in chunks]
    for p in procs:
        p.start()
    collected = []
    for _ in procs:
        collected += results.get(timeout=120)
    elapsed = time.time() - start_at
    for p in procs:
        p.join(30)
    return collected, elapsed


def mixed_requests(n: int) -> list[tuple[str, float]]:
    """1-5 斤 mostly; every 7th asks for 6 (over the per-person limit of 5) and must be refused."""
    return [(f"o-load-{i:04d}", 6 if i % 7 == 6 else 1 + i % 5) for i in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = os.environ.get("DATABASE_URL", "")
    parser.add_argument("--url", default=default if default.startswith("postgresql") else
                        "postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--joins", type=int, default=200)
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--cap", type=float, default=50)
    args = parser.parse_args()
    url = schema_url(args.url, "rounds_bench")
    try:
        for cap in (args.cap, None):
            rid = make_round(url, cap, 5, 20) if cap else make_round(url, None, 5, 20)
            results, seconds = run_load(url, rid, mixed_requests(args.joins), args.processes)
            counts = {k: sum(1 for r in results if r[2] == k) for k in ("joined", "waitlisted", "refused", "error")}
            print(f"cap={cap}: {args.joins} concurrent joins from {args.processes} processes in {seconds:.2f} s "
                  f"= {args.joins / seconds:.0f} joins/s; {counts}")
    finally:
        drop_schema(args.url, "rounds_bench")


if __name__ == "__main__":
    main()
