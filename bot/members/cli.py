"""`flask --app bot members ...`: show a member, adjust points, edit rewards, link a unionid, merge."""
from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from ..current import current_services
from ..models import Customer, Reward
from . import points, rewards
from .identity import MemberError, link_identity, merge

members_cli = AppGroup("members", help="Members: points, rewards, identities, merges.")


def _member(s, member_id: str) -> Customer:
    customer = s.execute(select(Customer).where(Customer.member_id == member_id)).scalar()
    if customer is None:
        raise click.ClickException(f"没有会员 {member_id}")
    return customer


@members_cli.command("points")
@click.argument("member_id")
@click.argument("delta", type=int, required=False)
@click.option("--reason", help="why (required with DELTA; stays on the ledger)")
@click.option("--by", "actor", default="cli", show_default=True)
def points_command(member_id: str, delta: int | None, reason: str | None, actor: str) -> None:
    """Show a member's balance and latest changes, or adjust it by DELTA with --reason."""
    svc = current_services()
    try:
        with svc.db.session() as s:
            customer = _member(s, member_id)
            if delta is not None:
                points.adjust(s, svc.config, customer.id, delta, reason, actor)
            summary = points.summary(s, customer.id, recent=10)
    except points.PointsError as exc:
        raise click.ClickException(str(exc))
    click.echo(f"{member_id}: {summary.balance} points")
    for e in summary.recent:
        click.echo(f"  {e.created_at:%Y-%m-%d %H:%M} {e.delta:+d} {e.reason} ({e.actor or ''})")


@members_cli.command("reward")
@click.argument("name")
@click.argument("cost", type=int)
@click.option("--stock", type=int, default=None, help="how many can be taken (omit: unlimited)")
@click.option("--disable", is_flag=True, help="withdraw it from the list")
def reward_command(name: str, cost: int, stock: int | None, disable: bool) -> None:
    """Add or change a reward: NAME costs COST points (e.g. 「5 元无门槛券」 200 --stock 50)."""
    try:
        with current_services().db.session() as s:
            rewards.save(s, name, cost, stock, enabled=not disable)
    except rewards.RewardError as exc:
        raise click.ClickException(str(exc))
    click.echo(f"reward {name}: {cost} points, stock {'unlimited' if stock is None else stock}"
               + (" (disabled)" if disable else ""))


@members_cli.command("rewards")
def rewards_command() -> None:
    """The rewards list."""
    with current_services().db.session() as s:
        for r in s.execute(select(Reward).order_by(Reward.points, Reward.id)).scalars():
            click.echo(f"{r.id}\t{r.name}\t{r.points}\t{'∞' if r.stock is None else r.stock}\t"
                       f"{'on' if r.enabled else 'off'}")


@members_cli.command("link")
@click.argument("openid")
@click.argument("unionid")
@click.option("--appid", default=None)
def link_command(openid: str, unionid: str, appid: str | None) -> None:
    """Record OPENID's UNIONID: it joins (or is merged with) the member that has that unionid."""
    try:
        with current_services().db.session() as s:
            member = link_identity(s, openid, unionid, appid, actor="cli").member_id
    except MemberError as exc:
        raise click.ClickException(str(exc))
    click.echo(f"{openid} -> member {member}")


@members_cli.command("merge")
@click.argument("keep")
@click.argument("other")
@click.option("--reason", default=None)
@click.option("--by", "actor", default="cli", show_default=True)
def merge_command(keep: str, other: str, reason: str | None, actor: str) -> None:
    """Two members are one person: everything of OTHER moves to KEEP (audited)."""
    try:
        with current_services().db.session() as s:
            moved = merge(s, keep, other, actor, reason)
    except MemberError as exc:
        raise click.ClickException(str(exc))
    click.echo(f"merged {other} into {keep}: " + ", ".join(f"{v} {k}" for k, v in moved.items()))
