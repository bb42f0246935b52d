"""WeChat's reply window: dedup of its retries, the 5-second rule and the message record, around
the dialogue (what was `bot/channel.py`).

The handler runs on a pool thread while the request waits at most the answer budget (renewing the
message's lease meanwhile), or, when it can wait on nothing but our own database and store, on the
request's thread itself (bot/wechat/inline.py). If the answer is late the request says `success` and the answer goes
out later as a customer-service message; a lock decides which path won so an answer is never sent
twice or lost.
"""
from __future__ import annotations

import json
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable

from bot.infra.store import StoreUnavailable

from ..dialogue.pipeline import Outcome
from ..dialogue.incoming import Incoming
from ..dialogue.replies import split_text
from ..nlu import NluUnavailable
from .inline import InlinePolicy
from .jobs import part_key

log = logging.getLogger(__name__)
APOLOGY = "抱歉，系统刚才出了点问题，您的消息已记录，我们会尽快处理。您也可以发「人工」联系客服。"
NOT_READY = "抱歉，小二暂时无法理解消息（正在维护），您的消息已记录，客服会尽快回复您。"
TOO_FAST = "您发得太快啦，小二有点跟不上～请稍等一分钟再发。您刚才的消息已记录，客服会看到的。"
_pool = ThreadPoolExecutor(max_workers=32, thread_name_prefix="handler")


@dataclass
class _Race:
    lock: threading.Lock = field(default_factory=threading.Lock)
    decided: threading.Event = field(default_factory=threading.Event)
    answer: str | None = None
    late: bool = False


@dataclass
class Delivered:
    answer: str | None  # None: reply `success`, the answer (if any) comes another way
    duplicate: bool = False
    deferred: bool = False


def converse(respond: Callable[[Incoming], Outcome], msg: Incoming, metrics) -> tuple[Outcome, str | None]:
    """The dialogue's answer, or the customer's apology and the error staff will read."""
    try:
        # The model may still be loading: wait for it; a late answer goes out by the late path.
        return respond(msg), None
    except NluUnavailable as exc:
        log.error("NLU unavailable for %s: %s", msg.dedup_key, exc)
        return Outcome(NOT_READY), f"NluUnavailable: {exc}"
    except Exception as exc:  # the customer gets an apology, staff get the traceback
        log.exception("handler failed for %s", msg.dedup_key)
        metrics.count("xiaoer_handler_errors_total")
        return Outcome(APOLOGY), f"{exc.__class__.__name__}: {exc}"


class ReplyWindow:
    """`respond(msg) -> Outcome` is the dialogue; the rest is what the window needs to keep its
    promises: the store (dedup), the message record, the rate limiter, metrics, the queue and the
    outbound path (whose idempotency keys decide between a passive reply and a message)."""

    def __init__(self, respond: Callable[[Incoming], Outcome], *, config, store, recorder, limiter, metrics,
                 queue, outbound, inline: InlinePolicy | None = None) -> None:
        self.respond, self.config, self.store = respond, config, store
        self.inline = inline
        self.recorder, self.limiter, self.metrics, self.queue = recorder, limiter, metrics, queue
        self.outbound = outbound

    def handle(self, msg: Incoming, started: float | None = None) -> Delivered:
        started = started or time.monotonic()
        deadline = started + self.config.ANSWER_BUDGET
        key = f"dedup:{msg.dedup_key}"
        try:
            first = self.store.set_nx(key, json.dumps({"s": "pending"}), self.config.DEDUP_TTL)
        except StoreUnavailable as exc:  # the message log's unique key still dedups below
            log.warning("dedup store unavailable for %s: %s", msg.dedup_key, exc)
            first = True
        if not first:
            self.metrics.count("xiaoer_dedup_hits_total")
            return self._first_answer(msg, key, deadline)
        record = self.recorder.received(msg)
        if record.duplicate:
            self.metrics.count("xiaoer_dedup_hits_total")
            delivered = self._on_file(msg)
            if delivered.answer is not None:
                self._remember(key, delivered.answer)
            else:
                self._set(key, {"s": "deferred"})
            return delivered
        row_id = record.ref
        if not self.limiter.hit(f"openid:{msg.openid}", self.config.message_limit):
            self.metrics.count("xiaoer_rate_limited_total")
            self.recorder.answered(row_id, intent=None, confidence=None, entities=None, answer=TOO_FAST,
                                  status="limited", error=None, delivery="passive", latency_ms=None)
            self._remember(key, TOO_FAST)
            return Delivered(TOO_FAST)
        race = _Race()
        held = self.recorder.hold(row_id, watch=False)  # this thread renews the lease while it waits
        if self.inline is not None and self.inline.allowed():
            return self._inline(msg, row_id, race, key, started, held)
        _pool.submit(self._run, msg, row_id, race, key, started, held)
        quarter = self.recorder.lease / 4
        while not race.decided.wait(max(min(deadline - time.monotonic(), quarter), 0)):
            if time.monotonic() >= deadline:
                break
            held.renew_due()
        with race.lock:
            if not race.decided.is_set():
                held.watch()  # the handler goes on without this thread: its lease needs another
                race.late = True
                self._set(key, {"s": "deferred"})
                self.metrics.count("xiaoer_deadline_fallbacks_total")
                return Delivered(None, deferred=True)
        return Delivered(race.answer)

    def _inline(self, msg: Incoming, row_id, race: "_Race", key: str, started: float, held) -> Delivered:
        """The dialogue on this thread: the same `_run`, so the record, dedup and later parts are as
        on the pool. Should it fail after the record was written, the message is left to recovery as
        a late one would be, and WeChat gets `success`."""
        began = time.monotonic()
        try:
            self._run(msg, row_id, race, key, started, held)
        except Exception:
            log.exception("inline dialogue failed for %s", msg.dedup_key)
            self.metrics.count("xiaoer_handler_errors_total")
            self._set(key, {"s": "deferred"})
            return Delivered(None, deferred=True)
        finally:
            self.inline.ran(time.monotonic() - began)
        return Delivered(race.answer)

    def _set(self, key: str, state: dict) -> None:
        try:
            self.store.set(key, json.dumps(state), self.config.DEDUP_TTL)
        except StoreUnavailable as exc:
            log.warning("dedup state not stored: %s", exc)

    def _remember(self, key: str, answer: str | None) -> None:
        self._set(key, {"s": "done", "reply": answer})

    def _first_answer(self, msg: Incoming, key: str, deadline: float) -> Delivered:
        """A retry: wait for the first delivery's outcome and give the same answer."""
        while True:
            try:
                raw = self.store.get(key)
            except StoreUnavailable:
                return self._on_file(msg)
            state = json.loads(raw) if raw else {"s": "gone"}
            if state["s"] == "done":
                return Delivered(state.get("reply") or None, duplicate=True)
            if state["s"] == "pending" and time.monotonic() < deadline:
                time.sleep(0.02)
                continue
            # Deferred, forgotten, or still pending at the deadline (its process may have died):
            # the message log knows whether an answer exists.
            return self._on_file(msg)

    def _on_file(self, msg: Incoming) -> Delivered:
        """A retry the store cannot answer, answered from the message log. An answer whose first part
        went (or was meant to go) passively is given again; one that goes out as customer-service
        messages is given passively only if its first part's idempotency key is still free, and the
        key then keeps the queued delivery from sending that part too."""
        found = self.recorder.on_file(msg.dedup_key)
        if found is None or not found.answer:
            return Delivered(None, duplicate=True, deferred=True)
        first = split_text(found.answer)[0]
        if (found.delivery or "passive").startswith("passive"):
            return Delivered(first, duplicate=True)
        try:
            free = self.outbound.reserve_passive(part_key(msg.dedup_key, msg.openid, 0))
        except StoreUnavailable:
            free = False
        return Delivered(first if free else None, duplicate=True, deferred=not free)

    def _run(self, msg: Incoming, row_id: int | None, race: _Race, key: str, started: float, held) -> None:
        try:
            outcome, error = converse(self.respond, msg, self.metrics)
            parts = split_text(outcome.answer) if outcome.answer else []
            latency = time.monotonic() - started
            with race.lock:
                late_already = race.late
            delivery = None
            if parts:
                delivery = "queued" if late_already else "passive+queued" if len(parts) > 1 else "passive"
            # Recorded before the answer is released: what the customer sees is always on file.
            ours = self.recorder.answered(row_id, intent=outcome.intent, confidence=outcome.confidence,
                                          entities=outcome.entities or None, answer=outcome.answer or None,
                                          status="failed" if error else "answered", error=error,
                                          delivery=delivery, latency_ms=round(latency * 1000, 2))
        finally:
            held.release()
        if not ours:  # another process took the message over (this one stalled past its lease)
            parts = []
        with race.lock:
            late = race.late
            if not late:
                race.answer = parts[0] if parts else None
                self._remember(key, race.answer) if ours else self._set(key, {"s": "deferred"})
                race.decided.set()
        self.metrics.message(msg.kind, outcome.intent, latency)
        if late and parts:
            if not late_already:
                self.recorder.delivery(row_id, "queued")
            self.queue.enqueue("deliver_text", row_id, msg.openid, parts, "customer_service", msg.dedup_key)
        elif len(parts) > 1:
            self.queue.enqueue("deliver_text", row_id, msg.openid, parts[1:], "passive+customer_service",
                              msg.dedup_key, 1)
