"""A signed query string is good for one body only.

In plaintext mode WeChat's signature covers the Token, timestamp and nonce but not the body, so
whoever reads one query string (a load balancer's access log) could post any body with it while
the timestamp is fresh. The first body seen with a (timestamp, nonce) pair is remembered for twice
the clock skew: the same body again is WeChat retrying (the reply window's dedup answers it), a
different one is refused."""
from __future__ import annotations

import hashlib
import logging

from ..infra.store import Store, StoreUnavailable

log = logging.getLogger(__name__)
DEFAULT_WINDOW = 300  # seconds, when the timestamp check is off (WECHAT_MAX_CLOCK_SKEW=0)


def same_body_as_first(store: Store, timestamp: str, nonce: str, body: bytes, max_skew: float) -> bool:
    """True for the first body with this (timestamp, nonce) and for the same body again."""
    digest = hashlib.sha256(body).hexdigest()
    key = "wx-nonce:" + hashlib.sha256(f"{timestamp}\0{nonce}".encode("utf-8", "surrogateescape")).hexdigest()
    try:
        if store.set_nx(key, digest, 2 * (max_skew or DEFAULT_WINDOW)):
            return True
        return store.get(key) == digest
    except StoreUnavailable as exc:  # the signature and timestamp checks still hold
        log.warning("nonce binding unavailable: %s", exc)
        return True
