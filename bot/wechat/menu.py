"""The menu lives in menu.json in the repo; WeChat's limits are checked before publishing."""
from __future__ import annotations

import json


def _bytes(text: str) -> int:
    return len(text.encode())


def load_menu(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            menu = json.load(fh)
    except (OSError, ValueError) as exc:
        raise ValueError(f"cannot read menu file {path}: {exc}")
    return validate_menu(menu)


def validate_menu(menu: dict) -> dict:
    buttons = menu.get("button") if isinstance(menu, dict) else None
    if not buttons or len(buttons) > 3:
        raise ValueError("a menu has 1 to 3 top-level buttons")
    for b in buttons:
        if _bytes(b.get("name", "")) > 16 or not b.get("name"):
            raise ValueError(f"top-level button name {b.get('name')!r} must be 1-16 bytes")
        subs = b.get("sub_button") or []
        if len(subs) > 5:
            raise ValueError(f"button {b['name']!r} has more than 5 sub-buttons")
        for sb in subs or [b]:
            if sb is not b and (not sb.get("name") or _bytes(sb["name"]) > 60):
                raise ValueError(f"sub-button name {sb.get('name')!r} must be 1-60 bytes")
            if sb.get("type") == "click" and not 0 < _bytes(sb.get("key", "")) <= 128:
                raise ValueError(f"button {sb.get('name')!r}: key must be 1-128 bytes")
            if sb.get("type") == "view" and not sb.get("url"):
                raise ValueError(f"button {sb.get('name')!r}: a view button needs a url")
    return menu
