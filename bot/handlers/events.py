"""Follow, unfollow, menu clicks, scans and location reports."""
from __future__ import annotations

from ..dialogue.registry import Turn, registry
from ..models import Subscriber, utcnow
from ..rounds.share import round_of_scene
from .rounds import scanned_round
from .smalltalk import CAPABILITIES, with_menu

# Menu keys (menu.json) name the intent they start, so a click and a typed question meet one handler.
MENU_PREFIX = "intent:"


def _subscriber(session, openid: str) -> Subscriber:
    sub = session.get(Subscriber, openid)
    if sub is None:
        sub = Subscriber(openid=openid)
        session.add(sub)
    return sub


@registry.event("subscribe", "subscribe_scan")
def subscribe(turn: Turn) -> str:
    scene = turn.incoming.event_key if turn.incoming.event == "subscribe_scan" else None
    with turn.services.db.session() as s:
        sub = _subscriber(s, turn.openid)
        sub.subscribed, sub.subscribed_at, sub.scene = True, utcnow(), scene or sub.scene
    invited = _round_invitation(turn, scene)
    return "感谢关注！" + invited if invited else with_menu(turn, "感谢关注！" + CAPABILITIES)


@registry.event("unsubscribe")
def unsubscribe(turn: Turn) -> str:
    with turn.services.db.session() as s:
        sub = _subscriber(s, turn.openid)
        sub.subscribed, sub.unsubscribed_at = False, utcnow()
    return ""  # WeChat shows nothing to someone who left; the record is what matters


@registry.event("scan")
def scan(turn: Turn) -> str:
    invited = _round_invitation(turn, turn.incoming.event_key)
    return "欢迎回来！" + invited if invited else with_menu(turn, "欢迎回来！" + CAPABILITIES)


def _round_invitation(turn: Turn, scene: str | None) -> str | None:
    """A round's QR code (scene round-<id>): the round and 「要几斤？」, so the next message joins."""
    round_id = round_of_scene(scene)
    return scanned_round(turn, round_id) if round_id is not None else None


@registry.event("location")
def location_event(turn: Turn) -> str:
    with turn.services.db.session() as s:
        _subscriber(s, turn.openid).last_location = turn.incoming.extra
    return ""


@registry.event("click")
def click(turn: Turn) -> str:
    key = turn.incoming.event_key or ""
    intent = key[len(MENU_PREFIX):] if key.startswith(MENU_PREFIX) else key
    if intent not in registry.intents:
        return "这个菜单暂时不可用，发「帮助」看看我能做什么。"
    turn.intent = intent
    return registry.intents[intent](turn)  # a question it asks is saved by the pipeline


@registry.event("view", "*")
def other_event(turn: Turn) -> str:
    return ""
