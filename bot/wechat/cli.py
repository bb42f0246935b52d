"""`flask --app bot chat` (talk to the running bot through the real webhook) and `menu sync`."""
from __future__ import annotations

import os

import click
from flask.cli import AppGroup

from ..config import ROOT
from ..current import current_services

menu_cli = AppGroup("menu", help="The official account's menu.")


@click.command("chat")
@click.option("--openid", default="o-demo-alice", show_default=True)
@click.option("--url", default=None, help="Webhook URL (default http://HOST:PORT/wechat).")
def chat_command(openid: str, url: str | None) -> None:
    """Chat with the running bot through the real webhook, as WeChat would."""
    from .simulator import Simulator, chat

    cfg = current_services().config
    url = url or f"http://{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}/wechat"
    chat(Simulator(cfg.WECHAT_TOKEN, cfg.WECHAT_APP_ID, cfg.WECHAT_AES_KEY, url=url), openid)


@menu_cli.command("sync")
@click.option("--file", "path", default=str(ROOT / "menu.json"), show_default=True)
def menu_sync(path: str) -> None:
    """Validate menu.json and publish it with menu/create."""
    from .api import WeChatError
    from .menu import load_menu

    try:
        menu = load_menu(path)
    except ValueError as exc:
        raise click.ClickException(str(exc))
    try:
        current_services().wechat.create_menu(menu)
    except WeChatError as exc:
        raise click.ClickException(f"WeChat refused the menu: {exc}")
    click.echo(f"menu published: {len(menu['button'])} buttons")


COMMANDS = (chat_command, menu_cli)
