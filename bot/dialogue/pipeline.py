"""From a neutral message to an answer, as one pipeline run in a fixed order.

Events and media go to their handler by kind. Text goes through the steps in order:
cancel (「算了」) → the pending question (a clarification's number) → a merchant's command (read
by rule) → understand (the NLU) → intercept (an open ticket, a rating) → handle (the intent's
handler, a pending question's answer, or a clarification). The conversation state is loaded once
before the steps and saved once, in a `finally`; the text is normalised once.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from ..nlu.normalize import normalize
from . import acts
from .incoming import Incoming
from .intents import LABELS
from .registry import Turn, registry
from .words import CANCEL_WORDS, CHOICE_NUMBERS, NO_WORDS, YES_WORDS, bare

log = logging.getLogger(__name__)
# Replies that only make sense as the answer to the question just asked (「好的」 reads as a
# greeting to the model): with a question pending they never switch the conversation elsewhere.
SHORT_ANSWERS = YES_WORDS | NO_WORDS | set(CHOICE_NUMBERS)


@dataclass
class Outcome:
    answer: str
    intent: str | None = None
    confidence: float | None = None
    entities: list = field(default_factory=list)


@dataclass
class _Text:
    """What the steps share for one text message."""

    turn: Turn
    bare: str
    pending: dict  # the question pending when the message arrived ({} after a clarification)
    forced: str | None = None  # the intent a clarification's number chose
    started: bool = False  # chosen from a menu: the intent starts with no words (as a click does)
    confident: bool = False

    def outcome(self, answer: str, intent: str | None) -> Outcome:
        nlu = self.turn.nlu
        if nlu is None:  # a menu choice: nothing was parsed
            return Outcome(answer, intent)
        return Outcome(answer, intent, nlu.confidence, [e.as_dict() for e in nlu.entities])


def respond(incoming: Incoming, services, timeout: float | None = None) -> Outcome:
    """The one entry point: `timeout` is how long the NLU may be waited for."""
    state = services.states.load(incoming.openid)
    try:
        if incoming.kind == "event":
            turn = Turn(incoming, services, state)
            return Outcome(registry.for_event(incoming.event)(turn), intent=f"event:{incoming.event}")
        if not incoming.has_text:
            return Outcome(registry.for_kind(incoming.kind)(Turn(incoming, services, state)))
        text = normalize(incoming.text)
        step = _Text(Turn(incoming, services, state, text), bare(text), dict(state.pending or {}))
        return _not_again(step, _converse(step, timeout))
    finally:
        services.states.save(incoming.openid, state)


WAY_OUT = "找不到也没关系：发「人工」让客服帮您，或者回复「算了」先不办。"


def _not_again(step: _Text, outcome: Outcome) -> Outcome:
    """The same question asked again (the customer did not have the answer, or said something we
    could not use): from the second repeat on, the answer also says how to get out of it, so a
    customer is never stuck in a loop of 「请把订单号发给我」."""
    asked, before = step.turn.state.pending or {}, step.pending
    if not before.get("intent") or (asked.get("intent"), asked.get("slot")) != (before["intent"], before.get("slot")):
        return outcome
    asked["times"] = before.get("times", 1) + 1
    if asked["times"] >= 3 and WAY_OUT not in outcome.answer:
        outcome.answer = f"{outcome.answer}\n{WAY_OUT}"
    return outcome


def _converse(step: _Text, timeout: float | None) -> Outcome:
    if step.bare in CANCEL_WORDS and step.turn.state.pending and not _cancel_is_the_answer(step.pending):
        step.turn.state.clear()
        return Outcome("好的，已取消。还有什么可以帮您？", intent="cancel")
    _answer_clarification(step)
    if step.forced and step.started:
        return _start(step)
    if not step.forced and registry.commands:
        commanded = _merchant_command(step)
        if commanded is not None:
            return commanded
    _understand(step, timeout)
    if not step.forced and not step.pending:
        intercepted = _intercept(step)
        if intercepted is not None:
            return intercepted
    elif not step.forced and _asks_something_else(step):
        intercepted = _intercept(step, registry.while_pending, leaving=True)
        if intercepted is not None:
            return intercepted
    return _handle(step)


# Questions whose answer is an identifier or a number: a message carrying none of it, that an
# FAQ entry or a product fact answers, is a new question. Free-text questions (what went wrong,
# an invoice title, a suggestion) keep whatever comes next.
STRUCTURED_SLOTS = frozenset({"order_id", "phone", "quantity", "product"})
# 「我不知道」「找不到啊」 answer the question (badly): the question stays, and so does its way out
NON_ANSWER = re.compile(r"不知道|不记得|记不得|记不清|忘了|忘记|找不到|找不着|没有|不清楚|查不到|看不到|不会")


def _asks_something_else(step: _Text) -> bool:
    pending, turn = step.pending, step.turn
    if pending.get("slot") not in STRUCTURED_SLOTS or turn.nlu is None:
        return False
    if pending.get("accept") and re.fullmatch(pending["accept"], step.bare):
        return False
    return turn.nlu.first(pending["slot"]) is None and step.bare.lower() not in SHORT_ANSWERS


def _cancel_is_the_answer(pending: dict) -> bool:
    """「要取消您的接龙吗？」: there 「取消」 says yes, it does not drop the question."""
    return pending.get("intent") == "preorder_cancel" and pending.get("slot") == "confirm"


def _answer_clarification(step: _Text) -> None:
    """A number answering 「您是想：1. … 2. …」 chooses the intent for the text asked about."""
    if "clarify" not in step.pending:
        return
    choices, turn = step.pending["clarify"], step.turn
    turn.state.pending = None
    if step.pending.get("start") and any(awaits(turn) for awaits in registry.awaiting):
        step.pending = {}  # a rating or receipt question came after the menu: the number is for it
        return
    if step.bare in CHOICE_NUMBERS and CHOICE_NUMBERS[step.bare] < len(choices):
        step.forced = choices[CHOICE_NUMBERS[step.bare]]
        step.started = bool(step.pending.get("start"))
        turn.text = "" if step.started else step.pending.get("text") or turn.text
    elif step.pending.get("text"):  # the customer left the question: what they first asked went unanswered
        _observe("clarify_abandoned", Turn(turn.incoming, turn.services, turn.state, step.pending["text"]))
    step.pending = {}


def _start(step: _Text) -> Outcome:
    """A menu line chosen by its number starts the intent with no words, as a menu click does."""
    turn = step.turn
    turn.intent = step.forced
    return step.outcome(registry.for_intent(step.forced)(turn), step.forced)


def _merchant_command(step: _Text) -> Outcome | None:
    """Rule-read commands (see Registry.command) answer without the NLU; None: not a command."""
    turn, pending_intent = step.turn, step.pending.get("intent")
    name = registry.match_command(turn, pending_intent)
    if name is None:
        return None
    turn.intent = name
    if pending_intent == name:
        turn.state.pending = None
    answer = registry.intents[name](turn)
    if answer is not None:
        return Outcome(answer, name)
    if pending_intent == name:
        turn.state.clear()
    turn.intent, turn.meta = None, {}
    return None


def _understand(step: _Text, timeout: float | None) -> None:
    turn = step.turn
    cfg = turn.services.config
    nlu = turn.services.understand(turn.text, timeout=timeout)
    turn.nlu = nlu = acts.resolve(nlu, turn.text, turn.services.understanding, timeout, cfg.NLU_THRESHOLD,
                                  turn.state.topic)
    step.confident = nlu.confidence >= cfg.NLU_THRESHOLD and _margin(nlu) >= cfg.NLU_MARGIN


def _intercept(step: _Text, interceptors=None, leaving: bool = False) -> Outcome | None:
    """`leaving`: a question is pending and this message may leave it; it stays pending unless
    an interceptor answers (and may ask its own question)."""
    state = step.turn.state
    waiting, slots = (state.pending, dict(state.slots)) if leaving else (None, None)
    if leaving:
        state.clear()
    for interceptor in registry.interceptors if interceptors is None else interceptors:
        answer = interceptor(step.turn, step.confident)
        if answer is not None:
            return step.outcome(answer, step.turn.intent or interceptor.__name__)
    if leaving:
        state.pending, state.slots = waiting, slots
    return None


def _handle(step: _Text) -> Outcome:
    turn, pending = step.turn, step.pending
    intent = step.forced or (_answered_or_switched(step) if pending.get("intent") else None)
    if intent is None:
        nlu, cfg = turn.nlu, turn.services.config
        if step.confident or nlu.intent == "out_of_scope" and nlu.confidence >= cfg.NLU_THRESHOLD:
            intent = nlu.intent
        else:
            return step.outcome(_clarify(turn), "clarify")
    turn.intent = intent
    answer = acts.follow_up(turn, registry.for_intent(intent)(turn))
    if not step.forced and intent != pending.get("intent") and turn.intent == intent:  # started by this message
        for follower in registry.followers.get(intent, []):
            answer = follower(turn, answer)
    _observe(intent, turn)
    return step.outcome(answer, intent)


def _observe(name: str, turn: Turn) -> None:
    for observer in registry.observers.get(name, []):
        try:
            observer(turn)
        except Exception:
            log.exception("observer %s failed for %s", observer.__name__, name)


def _answered_or_switched(step: _Text) -> str:
    """The pending question's intent takes the message, unless the customer clearly changed the subject.

    Leaving a pending question takes clearer evidence than starting a conversation: a bare
    「西湖」 answering "which pickup point?" must not become a greeting at 0.36. A question that
    waits for an identifier or a number is different: a message with none of it is no answer, so
    asking it again would only repeat ourselves (「积分能干嘛」 after 「请把订单号发给我」)."""
    turn, pending, nlu = step.turn, step.pending, step.turn.nlu
    accepted = bool(pending.get("accept")) and re.fullmatch(pending["accept"], step.bare) is not None
    structured = pending.get("slot") in STRUCTURED_SLOTS and NON_ANSWER.search(step.bare) is None
    cfg = turn.services.config
    bar = cfg.NLU_SWITCH_STRUCTURED if structured else cfg.NLU_SWITCH_THRESHOLD
    switching = not accepted and step.confident and nlu.confidence >= bar \
        and nlu.intent not in (pending["intent"], "out_of_scope") \
        and nlu.first(pending.get("slot", "")) is None and step.bare.lower() not in SHORT_ANSWERS
    if switching:
        turn.state.clear()
        return nlu.intent
    turn.state.pending = None
    return pending["intent"]


def _margin(nlu) -> float:
    scores = [score for _, score in nlu.ranking[:2]]
    return scores[0] - scores[1] if len(scores) == 2 else 1.0


def _clarify(turn: Turn) -> str:
    choices = [name for name, _ in turn.nlu.ranking if name in LABELS and name != "out_of_scope"][:3]
    if not choices:
        return "抱歉，我没太明白。您可以问我订单物流、商品库存、团购接龙，或者说「人工」找客服。"
    turn.state.pending = {"clarify": choices, "text": turn.text}
    lines = ["抱歉，我没太确定您的意思，您是想："]
    lines += [f"{i}. {LABELS[name]}" for i, name in enumerate(choices, 1)]
    lines.append("回复数字即可，或者换个说法告诉我。")
    return "\n".join(lines)
