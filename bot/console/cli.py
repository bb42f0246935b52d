"""`flask --app bot users create|set-password|logout-everywhere|list`: staff accounts for the console
(passwords are only stored hashed)."""
from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from ..current import current_services
from ..models import StaffUser
from ..models.staff import ROLES

users_cli = AppGroup("users", help="Staff accounts for the console.")
MIN_PASSWORD = 8


def create_user(db, username: str, password: str, role: str, display_name: str | None = None) -> StaffUser:
    from .auth import hash_password

    username = username.strip()
    if not username or len(username) > 64:
        raise ValueError("用户名不能为空，最长 64 个字符")
    if role not in ROLES:
        raise ValueError(f"角色只能是 {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"密码至少 {MIN_PASSWORD} 位")
    with db.session() as s:
        if s.execute(select(StaffUser).where(StaffUser.username == username)).scalar() is not None:
            raise ValueError(f"用户名 {username} 已存在")
        user = StaffUser(username=username, password_hash=hash_password(password), role=role,
                         display_name=display_name)
        s.add(user)
    return user


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), default="agent", show_default=True)
@click.option("--name", "display_name", default=None, help="Name shown in the console.")
@click.password_option(help="Prompted (hidden, twice) when not given.")
def create_command(username: str, role: str, display_name: str | None, password: str) -> None:
    """Create a console account."""
    try:
        create_user(current_services().db, username, password, role, display_name)
    except ValueError as exc:
        raise click.ClickException(str(exc))
    click.echo(f"created {role} account {username}")


@users_cli.command("set-password")
@click.argument("username")
@click.password_option(help="Prompted (hidden, twice) when not given.")
def set_password_command(username: str, password: str) -> None:
    """Give an account a new password; its open console sessions end."""
    from .auth import hash_password, revoke_sessions

    if len(password) < MIN_PASSWORD:
        raise click.ClickException(f"密码至少 {MIN_PASSWORD} 位")
    with current_services().db.session() as s:
        user = _user(s, username)
        user.password_hash = hash_password(password)
        revoke_sessions(user)
    click.echo(f"new password for {username}; its open sessions are logged out")


@users_cli.command("logout-everywhere")
@click.argument("username")
def logout_everywhere_command(username: str) -> None:
    """End every open console session of an account (a lost phone, a shared computer)."""
    from .auth import revoke_sessions

    with current_services().db.session() as s:
        revoke_sessions(_user(s, username))
    click.echo(f"every session of {username} is logged out")


def _user(s, username: str) -> StaffUser:
    user = s.execute(select(StaffUser).where(StaffUser.username == username)).scalar()
    if user is None:
        raise click.ClickException(f"没有账号 {username}")
    return user


@users_cli.command("list")
def list_command() -> None:
    """List console accounts and their roles."""
    with current_services().db.session() as s:
        for user in s.execute(select(StaffUser).order_by(StaffUser.username)).scalars():
            click.echo(f"{user.username}\t{user.role}\t{'active' if user.active else 'disabled'}")
