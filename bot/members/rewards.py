"""What points buy: the merchant's rewards list and redeeming one for a code.

A redemption locks the member (as every points change does) and the reward row, so two customers
taking the last voucher, or one customer redeeming twice at once, never oversell or overspend.
"""
from __future__ import annotations

import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..models import Redemption, Reward
from .points import PointsError, change

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud at a till
MAX_NUMBER = 1_000_000  # points or stock beyond this is a typo (and past the database column's range)


class RewardError(PointsError):
    """Out of stock, withdrawn, or bad input; the message is for the customer or staff."""


def available(s: Session) -> list[Reward]:
    """Rewards a customer can still take, cheapest first."""
    return list(s.execute(select(Reward).where(Reward.enabled.is_(True))
                          .where((Reward.stock.is_(None)) | (Reward.stock > 0))
                          .order_by(Reward.points, Reward.id)).scalars())


def save(s: Session, name: str, points, stock=None, enabled: bool = True) -> Reward:
    """Add or update one reward by name (the merchant's edit)."""
    name = (name or "").strip()
    if not name or len(name) > 64:
        raise RewardError("奖品名称不能为空，最多 64 个字。")
    if not isinstance(points, int) or isinstance(points, bool) or not 0 < points <= MAX_NUMBER:
        raise RewardError(f"所需积分必须是正整数，最多 {MAX_NUMBER}。")
    if stock is not None and (not isinstance(stock, int) or isinstance(stock, bool) or not 0 <= stock <= MAX_NUMBER):
        raise RewardError(f"库存必须是 0 到 {MAX_NUMBER} 的整数（不填表示不限）。")
    reward = s.execute(select(Reward).where(Reward.name == name)).scalar()
    if reward is None:
        reward = Reward(name=name)
        s.add(reward)
    reward.points, reward.stock, reward.enabled = points, stock, enabled
    s.flush()
    return reward


def redeem(s: Session, customer_id: int, reward_id: int, openid: str | None) -> Redemption:
    """Spend the points and take one from stock, in the caller's transaction; raises RewardError or
    NotEnoughPoints with the customer's answer in it."""
    s.execute(update(Reward).where(Reward.id == reward_id).values(stock=Reward.stock))  # the reward's lock
    reward = s.execute(select(Reward).where(Reward.id == reward_id)
                       .execution_options(populate_existing=True)).scalar_one_or_none()
    if reward is None or not reward.enabled:
        raise RewardError("这个奖品已下架，发「积分兑换」看看现在能换什么。")
    if reward.stock is not None and reward.stock <= 0:
        raise RewardError(f"「{reward.name}」已经兑完了，发「积分兑换」看看其他奖品。")
    code = "JF" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    entry = change(s, customer_id, -reward.points, "spend", f"兑换「{reward.name}」", source=f"redeem:{code}",
                   actor=openid or "system")
    if reward.stock is not None:
        reward.stock -= 1
    redemption = Redemption(customer_id=customer_id, openid=openid, reward_id=reward.id, reward_name=reward.name,
                            points=reward.points, code=code, entry_id=entry.id)
    s.add(redemption)
    s.flush()
    return redemption
