"""From a neutral message to an answer: events and media by kind, text through the NLU, with
pending questions, clarification below the confidence threshold and 「算了」 to start over."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from ..nlu.normalize import normalize
from .incoming import Incoming
from .intents import LABELS
from .registry import Turn, registry

log = logging.getLogger(__name__)
CANCEL_WORDS = {"算了", "取消", "算了吧", "不用了", "不要了", "没事了", "重新来"}
_PUNCT = re.compile(r"[\s,.!?;:~，。！？；：、…～]+")
CHOICE_NUMBERS = {"1": 0, "2": 1, "3": 2, "一": 0, "二": 1, "三": 2}
# Replies that only make sense as the answer to the question just asked (「好的」 reads as a
# greeting to the model): with a question pending they never switch the conversation elsewhere.
SHORT_ANSWERS = {"好", "好的", "好啊", "要", "要的", "需要", "可以", "行", "嗯", "嗯嗯", "是", "是的", "对",
                 "ok", "不", "不用", "不要", "不需要", "不了", *CHOICE_NUMBERS}


@dataclass
class Outcome:
    answer: str
    intent: str | None = None
    confidence: float | None = None
    entities: list = field(default_factory=list)


def respond(incoming: Incoming, services, timeout: float | None = None) -> Outcome:
    if incoming.kind == "event":
        turn = Turn(incoming, services, services.states.load(incoming.openid))
        return Outcome(registry.for_event(incoming.event)(turn), intent=f"event:{incoming.event}")
    if not incoming.has_text:
        turn = Turn(incoming, services, services.states.load(incoming.openid))
        return Outcome(registry.for_kind(incoming.kind)(turn))
    return _respond_text(incoming, services, timeout)


def _respond_text(incoming: Incoming, services, timeout: float | None) -> Outcome:
    state = services.states.load(incoming.openid)
    text = normalize(incoming.text)
    bare = _PUNCT.sub("", text)
    if bare in CANCEL_WORDS and state.pending:
        state.clear()
        services.states.save(incoming.openid, state)
        return Outcome("好的，已取消。还有什么可以帮您？", intent="cancel")

    forced = None
    pending = state.pending or {}
    if "clarify" in pending:
        state.pending = None
        if bare in CHOICE_NUMBERS and CHOICE_NUMBERS[bare] < len(pending["clarify"]):
            forced = pending["clarify"][CHOICE_NUMBERS[bare]]
            text = pending.get("text") or text
        elif pending.get("text"):
            _observe("clarify_abandoned", Turn(incoming, services, state, pending["text"]))
        pending = {}

    if not forced and registry.commands:
        commanded = _command(incoming, services, state, text, pending)
        if commanded is not None:
            return commanded

    nlu = services.understanding.parse(text, timeout=timeout)
    turn = Turn(incoming, services, state, text, nlu)
    cfg = services.config
    confident = nlu.confidence >= cfg.NLU_THRESHOLD and _margin(nlu) >= cfg.NLU_MARGIN

    if not forced and not pending:
        for interceptor in registry.interceptors:
            answer = interceptor(turn, confident)
            if answer is not None:
                services.states.save(incoming.openid, state)
                return Outcome(answer, turn.intent or interceptor.__name__, nlu.confidence,
                               [e.as_dict() for e in nlu.entities])

    if forced:
        intent = forced
    elif pending.get("intent"):
        accepted = bool(pending.get("accept")) and re.fullmatch(pending["accept"], bare) is not None
        # Leaving a pending question takes clearer evidence than starting a conversation: a bare
        # 「西湖」 answering "which pickup point?" must not become a greeting at 0.36.
        switching = not accepted and confident and nlu.confidence >= cfg.NLU_SWITCH_THRESHOLD \
            and nlu.intent not in (pending["intent"], "out_of_scope") \
            and nlu.first(pending.get("slot", "")) is None and bare.lower() not in SHORT_ANSWERS
        if switching:
            state.clear()
            intent = nlu.intent
        else:
            intent = pending["intent"]
            state.pending = None
    elif confident or nlu.intent == "out_of_scope" and nlu.confidence >= cfg.NLU_THRESHOLD:
        intent = nlu.intent
    else:
        answer = _clarify(turn)
        services.states.save(incoming.openid, state)
        return Outcome(answer, "clarify", nlu.confidence, [e.as_dict() for e in nlu.entities])

    turn.intent = intent
    answer = registry.for_intent(intent)(turn)
    services.states.save(incoming.openid, state)
    _observe(intent, turn)
    return Outcome(answer, intent, nlu.confidence, [e.as_dict() for e in nlu.entities])


def _observe(name: str, turn: Turn) -> None:
    for observer in registry.observers.get(name, []):
        try:
            observer(turn)
        except Exception:
            log.exception("observer %s failed for %s", observer.__name__, name)


def _command(incoming: Incoming, services, state, text: str, pending: dict) -> Outcome | None:
    """Rule-read commands (see Registry.command) answer without the NLU; None: not a command."""
    turn = Turn(incoming, services, state, text)
    name = registry.match_command(turn, pending.get("intent"))
    if name is None:
        return None
    turn.intent = name
    if pending.get("intent") == name:
        state.pending = None
    answer = registry.intents[name](turn)
    if answer is None:
        if pending.get("intent") == name:
            state.clear()
        return None
    services.states.save(incoming.openid, state)
    return Outcome(answer, name)


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
