"""Growing delays after failed console logins, instead of locking the account.

A hard lockout (15 minutes after 5 failures) let anyone lock any staff member out by typing their
username five times. Here failures are counted per (username, client address): after a few free
tries each further failure doubles the wait before the next try from that address (1 s, 2 s, 4 s...
up to 15 minutes), so a guesser slows down while the staff member at another address is not
affected; the per-account and per-address rate limits (auth._login_allowed) cap guessing spread
over many addresses. Unknown usernames count exactly like real ones, so the wait reveals nothing
about which accounts exist. Counts live in the shared store (all workers); a read-then-write race
between two workers at worst loses one count."""
from __future__ import annotations

import hashlib
import json
import logging
import math

from .. import clock
from ..infra.store import StoreUnavailable

log = logging.getLogger(__name__)
FREE_FAILURES = 2  # the third failure in a row starts the delays
MAX_DELAY = 15 * 60
FORGET_AFTER = 3600  # an hour without failures and the count starts again


def _key(username: str, address: str | None) -> str:
    raw = f"{username.strip().lower()[:64]}\0{address or ''}".encode("utf-8", "surrogateescape")
    return "login-fail:" + hashlib.sha256(raw).hexdigest()


def _read(store, key: str) -> dict:
    try:
        raw = store.get(key)
    except StoreUnavailable as exc:  # the rate limits still hold (they degrade the same way)
        log.warning("login delays unavailable: %s", exc)
        return {}
    try:
        return json.loads(raw) if raw else {}
    except ValueError:
        return {}


def wait_seconds(store, username: str, address: str | None) -> int:
    """Seconds before this address may try this username again (0: now)."""
    remaining = _read(store, _key(username, address)).get("until", 0) - clock.timestamp()
    return math.ceil(remaining) if remaining > 0 else 0


def failed(store, username: str, address: str | None) -> int:
    """Count a failure; the delay it imposes, in seconds."""
    key = _key(username, address)
    count = int(_read(store, key).get("n", 0)) + 1
    delay = 0 if count <= FREE_FAILURES else min(2 ** (count - FREE_FAILURES - 1), MAX_DELAY)
    try:
        store.set(key, json.dumps({"n": count, "until": clock.timestamp() + delay}), FORGET_AFTER + delay)
    except StoreUnavailable as exc:
        log.warning("login delay not stored: %s", exc)
    return delay


def succeeded(store, username: str, address: str | None) -> None:
    try:
        store.delete(_key(username, address))
    except StoreUnavailable:
        pass
