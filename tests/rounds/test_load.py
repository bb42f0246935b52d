"""200 concurrent joins on one capped round from 8 processes, always on real PostgreSQL.

The database is DATABASE_URL when that is PostgreSQL, else POSTGRES_TEST_URL, else the `test`
database on 127.0.0.1; the test works in its own schema there (named for its process, so runs that
share the database do not drop each other's tables) and drops it afterwards."""
import os

import pytest
from sqlalchemy import create_engine, select

from bot.models import RoundEntry
from tests.helpers import drop_schema, make_round, mixed_requests, run_load, schema_url

SCHEMA = f"rounds_load_test_{os.getpid()}"
CAP = 50


@pytest.fixture
def pg_url():
    url = os.environ.get("DATABASE_URL", "")
    base = url if url.startswith("postgresql") else \
        os.environ.get("POSTGRES_TEST_URL", "postgresql://postgres@127.0.0.1:5432/test")
    yield schema_url(base, SCHEMA)
    drop_schema(base, SCHEMA)


def test_200_concurrent_joins_never_exceed_the_cap(pg_url):
    rid = make_round(pg_url, CAP, 5, 20)
    requests = mixed_requests(200)
    results, seconds = run_load(pg_url, rid, requests, processes=8)
    print(f"\n200 joins from 8 processes on PostgreSQL: {seconds:.2f} s, {200 / seconds:.0f} joins/s")

    assert sorted(r[0] for r in results) == sorted(o for o, _ in requests)  # every request answered
    outcomes = {r[0]: r for r in results}
    assert {r[2] for r in results} <= {"joined", "waitlisted", "refused"}, [r for r in results if r[2] == "error"]
    for openid, quantity, outcome, _, reason in results:
        if outcome == "refused":
            assert quantity > 5 and "每人限5斤" in reason
        else:
            assert quantity <= 5

    engine = create_engine(pg_url, future=True)
    with engine.connect() as conn:
        rows = conn.execute(select(RoundEntry.openid, RoundEntry.seq, RoundEntry.quantity, RoundEntry.status)
                            .where(RoundEntry.round_id == rid)).all()
    engine.dispose()
    joined = sum(q for _, _, q, s in rows if s == "joined")
    assert joined <= CAP
    assert joined >= CAP - 4  # it filled up: only requests bigger than what was left went to the waitlist
    assert sorted(seq for _, seq, _, _ in rows) == list(range(1, len(rows) + 1))  # dense, no duplicates
    assert len(rows) == sum(1 for r in results if r[2] in ("joined", "waitlisted"))  # nothing lost
    for openid, seq, quantity, status in rows:
        assert outcomes[openid][2] == status and outcomes[openid][3] == seq
