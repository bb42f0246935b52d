"""The answer to a receipt check (收货反馈): 「2分，草莓压坏了好几个」 becomes feedback records on the
order and its product, a ticket when the score is 1-2 or the words complain, and points once per
order. 「以后不用问了」 is remembered. Other questions pass by: the check waits for its answer."""
from __future__ import annotations

import logging
import re

from sqlalchemy import select, update

from ..dialogue.registry import Turn, registry
from ..feedback.privacy import customer_key
from ..feedback.records import record_message
from ..members import points
from ..members.receipt import any_awaiting, awaiting
from ..models import Customer, FeedbackRecord, ReceiptCheck, Ticket, utcnow
from ..tickets import service
from ..tickets.classify import CATEGORY_LABELS
from .tickets import promise

log = logging.getLogger(__name__)
_NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "满": 5}
_SCORE = re.compile(r"^\s*(?:打|给|评)?\s*([1-5一二两三四五满])\s*(分|星|颗星)?(?=$|[\s,，。.!！~～、；;：:]|[^\d])")
OPT_OUT = re.compile(r"(以后|下次|今后)?(都)?(不用|别|不要|无需|甭)(再)?(问|打扰|发)(了|啦|我)?|不想(再)?(被)?问")
SCORE_SENTIMENT = {1: "negative", 2: "negative", 3: "neutral", 4: "positive", 5: "positive"}


def read_score(text: str) -> tuple[int | None, str]:
    """(1-5 or None, the words after the score)."""
    match = _SCORE.match(text)
    if not match or (match.group(1) in "一二两三四五满" and not match.group(2)):
        return None, text.strip()
    value = match.group(1)
    score = int(value) if value.isdigit() else _NUMERALS[value]
    rest = text[match.end():].strip(" ，,。.!！~～、；;：:")
    return score, rest


@registry.awaits_number
def receipt_asked(turn: Turn) -> bool:
    if not any_awaiting(turn.services.db.engine, turn.openid):
        return False
    with turn.services.db.session() as s:
        return awaiting(s, turn.openid) is not None


@registry.intercept
def receipt_answer(turn: Turn, confident: bool) -> str | None:
    text = (turn.incoming.text or turn.text or "").strip()
    if not any_awaiting(turn.services.db.engine, turn.openid):
        return None
    with turn.services.db.session() as s:
        check = awaiting(s, turn.openid)
        if check is None or _rating_asked_later(s, turn.openid, check.asked_at):
            return None  # nothing asked, or a ticket's 1-5 question came after ours: that one is answered
        if OPT_OUT.search(text) and len(text) <= 20:
            check.status, check.answered_at = "declined", utcnow()
            customer = s.get(Customer, check.customer_id)
            if customer is not None:
                customer.receipt_opt_out = True
            return "好的，以后签收后不再问您了。有任何问题随时发消息给我。"
        score, rest = read_score(text)
        intent = turn.nlu.intent if turn.nlu and confident else None
        if score is None and intent not in ("feedback", "complaint"):
            return None  # another question: answered as usual, the check still waits
        named = turn.entity("order_id")
        if named and str(named).upper() != check.order_no:
            return None  # about another order: the complaint or feedback goes its usual way
        check_id = check.id
    return answer(turn, check_id, score, rest if score is not None else text, intent == "complaint")


def _rating_asked_later(s, openid: str, asked_at) -> bool:
    return s.execute(select(Ticket.id).where(Ticket.openid == openid, Ticket.csat_score.is_(None),
                                             Ticket.csat_asked_at > asked_at).limit(1)).first() is not None


def answer(turn: Turn, check_id: int, score: int | None, words: str, complaining: bool) -> str | None:
    svc, cfg = turn.services, turn.services.config
    with svc.db.session() as s:
        claimed = s.execute(update(ReceiptCheck).where(ReceiptCheck.id == check_id, ReceiptCheck.status == "asked")
                            .values(status="answered", rating=score, answered_at=utcnow())).rowcount
        if not claimed:
            return None  # answered a moment ago by the same customer's other message
        check = s.get(ReceiptCheck, check_id)
        order_no, product, customer_id = check.order_no, check.product, check.customer_id
    analysis = None
    if words:
        try:
            analysis = record_message(svc, words, turn.openid, "receipt", order_no=order_no, product=product)
        except Exception:
            log.exception("receipt answer for %s not analysed", order_no)
    with svc.db.session() as s:
        if analysis is None or not analysis.records():
            s.add(FeedbackRecord(message_key=f"receipt-{check_id}", source="receipt", product=product, aspect="other",
                                 sentiment=SCORE_SENTIMENT.get(score, "neutral"),
                                 message_sentiment=SCORE_SENTIMENT.get(score, "neutral"), score=float(score or 0),
                                 text=f"评分 {score} 分" if score else "（无文字）", order_no=order_no,
                                 customer_key=_customer_key(s, customer_id)))
        poor = (score is not None and score <= 2) or complaining or bool(
            analysis and analysis.sentiment == "negative" and analysis.incident)
        ticket = None
        if poor:
            said = turn.incoming.text or turn.text
            ticket = service.create(s, cfg, turn.openid, said, "complaint", order_no, product)
            s.get(ReceiptCheck, check_id).answer_ticket = ticket.number
        earned = points.award(s, cfg, customer_id, cfg.POINTS_FOR_FEEDBACK, f"订单 {order_no} 收货评价",
                              f"feedback:{order_no}") if customer_id else None
        lines = [f"谢谢您的评价{f'（{score} 分）' if score else ''}！"]
        if ticket is not None:
            lines.append(f"非常抱歉{product or '商品'}让您不满意，已为您登记售后工单 {ticket.number}"
                         f"（{CATEGORY_LABELS[ticket.category]}）。{promise(turn, ticket)}有照片可以直接发过来。")
        elif score is not None and score >= 4:
            lines.append("您满意就好，我们会继续保持。")
        else:
            lines.append("您的意见已转给采购和品控，我们会改进。")
        if earned is not None:
            lines.append(f"本次评价送您 {earned.delta} 积分，发「我的积分」可查看。")
    return "\n".join(lines)


def _customer_key(s, customer_id: int | None) -> str | None:
    customer = s.get(Customer, customer_id) if customer_id else None
    return customer_key(customer.member_id) if customer else None
