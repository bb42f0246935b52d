"""One member across identities: points for a round that succeeded go to a member made for a new
openid; binding that openid's phone merges it into the phone's member (points, round entries and
history follow, audited); a unionid seen on two members makes them one; `members` commands."""
from __future__ import annotations

from sqlalchemy import func, select

from bot.members import points
from bot.members.identity import MemberError, ensure_member, link_identity, merge
from bot.members.jobs import round_points
from bot.models import Customer, CustomerOpenid, MemberMerge, PointsEntry, RoundEntry
from bot.rounds.lifecycle import close_round
from tests.helpers import chat, round_id


def _balance(svc, member_id):
    with svc.db.session() as s:
        c = s.execute(select(Customer).where(Customer.member_id == member_id)).scalar_one()
        total = s.execute(select(func.coalesce(func.sum(PointsEntry.delta), 0))
                          .where(PointsEntry.customer_id == c.id)).scalar()
        assert total == c.points_balance
        return c.points_balance


def test_round_points_then_binding_merges_into_the_phone_member(app, demo):
    say, svc = chat(app), demo
    for openid in ("o-newcomer", "o-demo-alice", "o-demo-bob", "o-carol"):
        say(openid, "接龙 5斤草莓")
        say(openid, "1")
    rid = round_id(svc, "丹东草莓 第3期")
    assert close_round(svc.db, rid, "test").after == "closed"
    assert round_points(svc) == 4
    assert round_points(svc) == 0  # the next minute awards nothing twice
    with svc.db.session() as s:
        newcomer = s.get(CustomerOpenid, "o-newcomer").customer.member_id
    assert newcomer.startswith("W") and _balance(svc, newcomer) == 5
    assert _balance(svc, "M0001") == 35 + 5

    answer = say("o-newcomer", "手机号13800000002 订单号DD20261118003")  # the newcomer is bob on a new phone
    assert "绑定成功" in answer
    assert _balance(svc, "M0002") == 5 + 5 and _balance(svc, newcomer) == 0
    with svc.db.session() as s:
        bob = s.execute(select(Customer).where(Customer.member_id == "M0002")).scalar_one()
        assert sorted(o.openid for o in bob.openids) == ["o-demo-bob", "o-newcomer"]
        entry = s.execute(select(RoundEntry).where(RoundEntry.openid == "o-newcomer")).scalar_one()
        assert entry.customer_id in (None, bob.id)
        audit = s.execute(select(MemberMerge)).scalar_one()
        assert (audit.kept_member_id, audit.merged_member_id) == ("M0002", newcomer)
        assert audit.moved["points_entries"] == 1 and audit.moved["identities"] == 1
    assert "您当前有 10 积分" in say("o-newcomer", "我的积分")


def test_a_unionid_on_two_members_makes_them_one(demo):
    svc = demo
    with svc.db.session() as s:
        mini = ensure_member(s, "o-mini-program-alice", appid="wx-mini")
        points.award(s, svc.config, mini.id, 12, "小程序下单", "test:mini")
        mini_id = mini.member_id
    with svc.db.session() as s:
        link_identity(s, "o-demo-alice", "u-alice", "wx-test-appid")
    with svc.db.session() as s:
        assert link_identity(s, "o-mini-program-alice", "u-alice", "wx-mini").member_id == "M0001"
    assert _balance(svc, "M0001") == 35 + 12 and _balance(svc, mini_id) == 0
    with svc.db.session() as s:  # a third identity with the same unionid joins at once
        assert ensure_member(s, "o-other-account", "u-alice").member_id == "M0001"


def test_merge_refuses_nonsense(demo):
    with demo.db.session() as s:
        for keep, other in (("M0001", "M0001"), ("M0001", "M9999")):
            try:
                merge(s, keep, other, "test")
                raise AssertionError("merged")
            except MemberError:
                pass


def test_members_commands(app, demo):
    runner = app.test_cli_runner()
    r = runner.invoke(args=["members", "points", "M0001", "15", "--reason", "到店活动", "--by", "chen"])
    assert r.exit_code == 0 and "M0001: 50 points" in r.output and "+15 到店活动 (chen)" in r.output
    assert runner.invoke(args=["members", "points", "M0001", "-999", "--reason", "x"]).exit_code != 0
    assert runner.invoke(args=["members", "points", "M0001", "5"]).exit_code != 0  # no reason
    r = runner.invoke(args=["members", "reward", "牛奶一箱", "800", "--stock", "3"])
    assert r.exit_code == 0 and "牛奶一箱\t800\t3\ton" in runner.invoke(args=["members", "rewards"]).output
    assert runner.invoke(args=["members", "reward", "坏的", "0"]).exit_code != 0
    with demo.db.session() as s:
        ensure_member(s, "o-x")
        other = s.get(CustomerOpenid, "o-x").customer.member_id
    r = runner.invoke(args=["members", "merge", "M0002", other, "--reason", "同一人"])
    assert r.exit_code == 0 and "1 identities" in r.output
    assert runner.invoke(args=["members", "link", "o-demo-bob", "u-bob"]).exit_code == 0
