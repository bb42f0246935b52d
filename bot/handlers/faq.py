"""The merchant's FAQ in the conversation: answers, numbered choices, and the questions nobody
answered, kept for the merchant to teach (see bot/faq)."""
from __future__ import annotations

import re

from ..dialogue.registry import Turn, registry
from ..faq import facts, policy, unanswered
from ..faq.answers import CHOICE, NUMBERS, asks, choices_text, decide, unsure as nlu_unsure
from ..models import FaqEntry

def _matches(turn: Turn):
    """One FAQ match per message: the interceptor and the policy after an act read the same list."""
    cached = turn.meta.get("faq_matches")
    if cached is None or cached[0] != turn.text:
        cached = turn.meta["faq_matches"] = (turn.text, turn.services.faq.match(turn.text))
    return cached[1]


def _reply(turn: Turn, unsure: bool) -> str | None:
    cfg = turn.services.config
    nlu = turn.nlu
    decision = decide(_matches(turn), unsure, cfg.FAQ_ANSWER_SCORE, cfg.FAQ_SUGGEST_SCORE,
                      nlu.intent if nlu else None, nlu.confidence if nlu else 0.0, cfg.FAQ_NLU_MARGIN,
                      asks(turn.text))
    if decision is None:
        return None
    kind, found = decision
    if kind == "answer":
        turn.intent = "faq"
        turn.meta["faq_entry"] = found.entry.id
        return found.entry.reply
    turn.intent = CHOICE
    return turn.ask("choice", choices_text(found), accept="[1-3一二三]", faq_choices=[m.entry.id for m in found])


@registry.intercept(last=True, while_pending=True)
def product_fact(turn: Turn, confident: bool) -> str | None:
    """「草莓甜不甜」: a question form naming a catalog product answers from its facts, whatever
    intent the NLU guessed; a fact the merchant has not written is said so and kept for them."""
    key = facts.asked(turn.text)
    if key is None:
        return None
    with turn.services.db.session() as s:
        product = facts.product_named(s, turn.text, turn.entity("product"))
        if product is None:
            return None
        reply, name = facts.answer(product, key), product.name
        if reply is None:
            unanswered.record(s, turn.text, "no_product_fact")
    turn.intent = "product_info"
    turn.state.topic = {"product": name}
    if reply is None:
        return f"{name}的{facts.FACTS[key][0]}店家还没有写，我已经记下来请店家补充。着急的话发「人工」找客服。"
    return reply


@registry.intercept(last=True, while_pending=True)
def faq_answer(turn: Turn, confident: bool) -> str | None:
    return _reply(turn, _unsure(turn, confident))


@registry.intercept(last=True, while_pending=True)
def product_card(turn: Turn, confident: bool) -> str | None:
    """A question about a product we sell that the model cannot place (out_of_scope, or unsure) and
    no FAQ entry takes: the product's written facts. Asked after the FAQ had its chance."""
    nlu = turn.nlu
    if nlu is None or (confident and nlu.intent != "out_of_scope") or not facts.is_question(turn.text):
        return None
    with turn.services.db.session() as s:
        product = facts.product_named(s, turn.text, turn.entity("product"))
        reply = facts.card(product) if product is not None else None
        if reply is None:
            return None
        name = product.name
        unanswered.record(s, turn.text, "product_card")  # answered in general: the merchant may write the exact fact
    turn.intent = "product_info"
    turn.state.topic = {"product": name}
    return f"{reply}\n想知道价格和库存，发「{name}还有吗」。"


def _unsure(turn: Turn, confident: bool) -> bool:
    return nlu_unsure(turn.nlu, confident, turn.services.understanding.product_aliases)


@registry.follow(*policy.LEADS)
def merchant_policy(turn: Turn, answer: str) -> str:
    """A shop's agent who files the ticket also says how the shop handles such a case: the customer
    should not have to ask again to learn the merchant's rule (bot/faq/policy.py)."""
    svc = turn.services
    entry = policy.beside(turn.intent, turn.text, _matches(turn), svc.config.FAQ_POLICY_SCORE)
    if entry is None or entry.answer in answer:
        return answer
    turn.meta["faq_policy"] = entry.id
    return policy.with_policy(turn.intent, answer, entry)


@registry.intent(CHOICE)
def faq_choice(turn: Turn) -> str:
    ids = turn.state.slots.pop("faq_choices", [])
    picked = NUMBERS.get(re.sub(r"\W", "", turn.text))
    if picked is not None and picked < len(ids):
        with turn.services.db.session() as s:
            entry = s.get(FaqEntry, ids[picked])
            if entry is not None and entry.enabled:
                return f"{entry.answer}\n{entry.link}" if entry.link else entry.answer
    return _reply(turn, unsure=True) or registry.for_intent("out_of_scope")(turn)


@registry.observe("out_of_scope", "clarify_abandoned")
def keep_unanswered(turn: Turn) -> None:
    reason = "clarify_abandoned" if turn.intent is None else "out_of_scope"
    with turn.services.db.session() as s:
        unanswered.record(s, turn.text, reason)
