"""「我的积分」 and 「积分兑换」 in chat, through the real webhook and the real model."""
from __future__ import annotations

from sqlalchemy import select

from bot.models import Customer, Redemption, Reward
from tests.helpers import chat

from .conftest import api_headers


def test_my_points_as_alice_on_fresh_demo_data(app, demo):
    answer = chat(app)("o-demo-alice", "我的积分")
    assert "您当前有 35 积分" in answer
    assert "+35 订单 DD20261115002 签收" in answer and "到期" in answer


def test_a_stranger_is_told_how_to_earn_points(app, demo):
    assert "绑定账号" in chat(app)("o-stranger", "查一下积分")


def test_a_stranger_asking_what_points_buy_sees_the_rewards_and_how_to_start(app, demo):
    answer = chat(app)("o-stranger", "积分可以换什么")
    assert "积分可以兑换" in answer and "5 元无门槛券（200 积分）" in answer and "绑定账号" in answer


def test_redeem_by_number_and_confirm_issues_a_code_once(app, demo):
    say = chat(app)
    client = app.test_client()
    assert client.post("/api/members/M0001/points", json={"delta": 200, "reason": "活动赠送"},
                       headers=api_headers()).status_code == 201
    listing = say("o-demo-alice", "积分兑换")
    assert "您当前有 235 积分" in listing and "1. 5 元无门槛券（200 积分，剩 50 份）" in listing
    assert "确认用 200 积分兑换「5 元无门槛券」" in say("o-demo-alice", "1")
    done = say("o-demo-alice", "确认")
    assert "兑换成功" in done and "还剩 35 积分" in done
    with app.extensions["xiaoer"].db.session() as s:
        codes = s.execute(select(Redemption.code)).scalars().all()
        assert len(codes) == 1 and codes[0] in done
        assert s.execute(select(Reward.stock).where(Reward.name == "5 元无门槛券")).scalar() == 49
        assert s.execute(select(Customer.points_balance).where(Customer.member_id == "M0001")).scalar() == 35
    profile = client.get("/api/members/M0001", headers=api_headers()).get_json()
    assert profile["points"] == 35 and profile["redemptions"][0]["code"] == codes[0]


def test_not_enough_points_and_declining_spend_nothing(app, demo):
    say = chat(app)
    short = say("o-demo-alice", "积分兑换")  # 35 points, the cheapest reward 200: no list to choose from
    assert "还差 165 积分" in short and "回复序号" not in short
    app.test_client().post("/api/members/M0001/points", json={"delta": 200, "reason": "x"}, headers=api_headers())
    assert "回复序号" in say("o-demo-alice", "积分兑换")
    assert "积分不足" in say("o-demo-alice", "2") and "您当前有 235 积分" in say("o-demo-alice", "我的积分")
    app.test_client().post("/api/members/M0001/points", json={"delta": 300, "reason": "x"}, headers=api_headers())
    say("o-demo-alice", "积分兑换")
    say("o-demo-alice", "3")
    assert "先不兑换" in say("o-demo-alice", "不要")
    assert "您当前有 535 积分" in say("o-demo-alice", "我的积分")


def test_a_reward_out_of_stock_is_said_so(app, demo):
    say = chat(app)
    app.test_client().post("/api/members/M0001/points", json={"delta": 1000, "reason": "x"}, headers=api_headers())
    say("o-demo-alice", "积分兑换")
    say("o-demo-alice", "1")
    with app.extensions["xiaoer"].db.session() as s:
        s.execute(select(Reward).where(Reward.name == "5 元无门槛券")).scalar_one().stock = 0
    assert "已经兑完了" in say("o-demo-alice", "确认")
