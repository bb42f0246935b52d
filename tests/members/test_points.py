"""The points ledger: balance == the ledger's sum under concurrency, never negative; awards keyed by
their source event; expiry oldest first; staff adjustments through /api/members."""
from __future__ import annotations

import datetime as dt
import random
import threading

from sqlalchemy import func, select

from bot import clock
from bot.infra.db import Database
from bot.members import points, rewards
from bot.models import Customer, PointsEntry, Redemption, Reward

from .conftest import api_headers


def _member(svc, member_id="M0001") -> int:
    with svc.db.session() as s:
        return s.execute(select(Customer.id).where(Customer.member_id == member_id)).scalar_one()


def _ledger(svc, cid) -> tuple[int, int, int]:
    """(balance column, sum of deltas, sum of points left on earned rows)."""
    with svc.db.session() as s:
        balance = s.get(Customer, cid).points_balance
        total = s.execute(select(func.coalesce(func.sum(PointsEntry.delta), 0))
                          .where(PointsEntry.customer_id == cid)).scalar()
        left = s.execute(select(func.coalesce(func.sum(PointsEntry.remaining), 0))
                         .where(PointsEntry.customer_id == cid)).scalar()
        return balance, total, left


def test_50_parallel_awards_and_redemptions_keep_balance_equal_to_the_ledger(demo):
    svc = demo
    cid = _member(svc)
    # The app's pool (30 PostgreSQL connections, 5 s wait) is sized for the webhook; here 50 requests
    # wait on one member's lock at once, and a busy CI machine must not turn a wait into a failure.
    db = Database(svc.config.DATABASE_URL, pool_timeout=120)
    with svc.db.session() as s:
        reward_id = rewards.save(s, "测试券", 30, 8).id
        start = s.get(Customer, cid).points_balance
    plan = [("award", 20)] * 20 + [("spend", 25)] * 15 + [("redeem", 30)] * 15
    random.Random(18).shuffle(plan)
    barrier, outcomes, errors = threading.Barrier(len(plan)), [], []

    def run(i, kind, amount):
        barrier.wait(timeout=30)
        try:
            with db.session() as s:
                if kind == "award":
                    points.award(s, svc.config, cid, amount, f"并发奖励 {i}", f"test:{i}")
                elif kind == "spend":
                    points.change(s, cid, -amount, "spend", f"并发扣减 {i}")
                else:
                    rewards.redeem(s, cid, reward_id, "o-demo-alice")
            outcomes.append((kind, amount, "ok"))
        except points.PointsError as exc:  # not enough points, or the vouchers ran out
            outcomes.append((kind, amount, type(exc).__name__))
        except Exception as exc:  # pragma: no cover - shown in the assertion
            errors.append(repr(exc))

    threads = [threading.Thread(target=run, args=(i, k, a)) for i, (k, a) in enumerate(plan)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    db.engine.dispose()
    assert not errors, errors
    assert len(outcomes) == 50

    balance, total, left = _ledger(svc, cid)
    ok = [(k, a) for k, a, result in outcomes if result == "ok"]
    expected = start + sum(a if k == "award" else -a for k, a in ok)
    assert balance == total == left == expected and balance >= 0
    assert sum(1 for k, _ in ok if k == "award") == 20  # awards never fail
    with svc.db.session() as s:
        redeemed = s.execute(select(func.count(Redemption.id)).where(Redemption.reward_id == reward_id)).scalar()
        assert redeemed == sum(1 for k, _ in ok if k == "redeem") <= 8
        assert s.get(Reward, reward_id).stock == 8 - redeemed
        running = 0  # the balance after every row, in commit order, never went below zero
        for delta in s.execute(select(PointsEntry.delta).where(PointsEntry.customer_id == cid)
                               .order_by(PointsEntry.id)).scalars():
            running += delta
            assert running >= 0


def test_an_award_counts_once_per_source_and_zero_awards_nothing(demo):
    cid = _member(demo)
    with demo.db.session() as s:
        assert points.award(s, demo.config, cid, 10, "x", "order:DD1") is not None
    with demo.db.session() as s:
        assert points.award(s, demo.config, cid, 10, "x", "order:DD1") is None
        assert points.award(s, demo.config, cid, 0, "off", "feedback:DD1") is None
    balance, total, _ = _ledger(demo, cid)
    assert balance == total == 35 + 10


def test_points_expire_oldest_first_after_the_configured_days(demo):
    cid = _member(demo)
    start = clock.local_now().replace(tzinfo=None)
    with clock.frozen(start + dt.timedelta(days=10)):
        with demo.db.session() as s:
            points.award(s, demo.config, cid, 100, "later", "t:later")
    with clock.frozen(start + dt.timedelta(days=20)):
        with demo.db.session() as s:
            points.change(s, cid, -50, "spend", "spent")  # takes alice's seeded 35 first, then 15 of the 100
    with clock.frozen(start + dt.timedelta(days=10 + 366)):
        with demo.db.session() as s:
            summary = points.summary(s, cid)
    assert summary.balance == 0
    balance, total, left = _ledger(demo, cid)
    assert balance == total == left == 0
    with demo.db.session() as s:
        expired = s.execute(select(PointsEntry.delta).where(PointsEntry.kind == "expire")).scalars().all()
    assert expired == [-85]


def test_never_below_zero(demo):
    cid = _member(demo)
    with demo.db.session() as s:
        try:
            points.change(s, cid, -36, "spend", "too much")
            raise AssertionError("spent more than the balance")
        except points.NotEnoughPoints as exc:
            assert "积分不足" in str(exc)
    assert _ledger(demo, cid)[0] == 35


def test_api_profile_ledger_and_staff_adjustment(app, demo):
    client = app.test_client()
    assert client.get("/api/members/M0001").status_code == 401
    r = client.get("/api/members/M0001", headers=api_headers())
    assert r.status_code == 200
    body = r.get_json()
    assert body["points"] == 35 and body["id"] == "M0001" and body["phone"] == "138****0001"
    assert [i["openid"] for i in body["identities"]] == ["o-demo-alice"]

    r = client.get("/api/members/M0001/points", headers=api_headers())
    assert r.get_json()["balance"] == 35
    assert [(e["delta"], e["source"]) for e in r.get_json()["entries"]] == [(35, "order:DD20261115002")]

    r = client.post("/api/members/M0001/points", json={"delta": 100, "reason": "补偿坏果", "actor": "chen"},
                    headers=api_headers())
    assert r.status_code == 201 and r.get_json()["balance"] == 135
    assert r.get_json()["entry"]["actor"] == "api:chen" and r.get_json()["entry"]["reason"] == "补偿坏果"
    r = client.post("/api/members/M0001/points", json={"delta": -500, "reason": "误加"}, headers=api_headers())
    assert r.status_code == 409 and "积分不足" in r.get_json()["error"]
    for bad in ({"delta": 0, "reason": "x"}, {"delta": "5", "reason": "x"}, {"delta": 5}, {"delta": 5, "reason": " "},
                {"delta": True, "reason": "x"}, [1, 2], {"delta": 10 ** 9, "reason": "x"}):
        assert client.post("/api/members/M0001/points", json=bad, headers=api_headers()).status_code == 400, bad
    assert client.post("/api/members/M0001/points", data="{not json", headers=api_headers()).status_code == 400
    assert client.get("/api/members/M9999", headers=api_headers()).status_code == 404
    entries = client.get("/api/members/M0001/points", headers=api_headers()).get_json()["entries"]
    assert [e["delta"] for e in entries] == [100, 35]
