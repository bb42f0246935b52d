"""Per-customer conversation state in the shared store, so any worker can take the next message."""
from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field

from bot.infra.store import StoreUnavailable

log = logging.getLogger(__name__)


@dataclass
class ConversationState:
    pending: dict | None = None  # {"intent": ..., "slot": ...} or {"clarify": [...], "text": ...}
    slots: dict = field(default_factory=dict)
    # What the customer was just talking about ({"round_id": 3}): outlives an answered question, so
    # 「草莓团还差多少」 then 「我报3斤」 needs no 「哪一个团？」. Expires with the state.
    topic: dict = field(default_factory=dict)

    def ask(self, intent: str, slot: str, accept: str | None = None, **slots) -> None:
        self.pending = {"intent": intent, "slot": slot}
        if accept:
            self.pending["accept"] = accept
        self.slots.update(slots)

    def clear(self) -> None:
        self.pending = None
        self.slots = {}


class StateStore:
    def __init__(self, store, ttl: int) -> None:
        self.store = store
        self.ttl = ttl

    def _key(self, openid: str) -> str:
        return f"conv:{openid}"

    def load(self, openid: str) -> ConversationState:
        """With the store down the customer starts afresh: a forgotten question beats no answer."""
        try:
            raw = self.store.get(self._key(openid))
        except StoreUnavailable as exc:
            log.warning("conversation state of %s unreadable: %s", openid, exc)
            return ConversationState()
        if not raw:
            return ConversationState()
        try:
            return ConversationState(**json.loads(raw))
        except (ValueError, TypeError):
            return ConversationState()

    def save(self, openid: str, state: ConversationState) -> None:
        try:
            if state.pending is None and not state.slots and not state.topic:
                self.store.delete(self._key(openid))
            else:
                self.store.set(self._key(openid), json.dumps(asdict(state), ensure_ascii=False), self.ttl)
        except StoreUnavailable as exc:
            log.warning("conversation state of %s not saved: %s", openid, exc)
