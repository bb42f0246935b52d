"""Complaints by chat: a ticket with category, priority and SLA promise in one reply; the
customer's further words and photos join that ticket; a resolved ticket asks for a 1-5 score.

The image handler registered here wraps media.image explicitly (attach to the ticket, else that
plain answer); the registry refuses a second handler for a kind, so nothing depends on load order.
"""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import bindparam, or_, select

from ..dialogue.registry import Turn, registry
from ..infra.prepared import Prepared
from ..faq.answers import decide, unsure
from ..models import Ticket, utcnow
from ..tickets import chat, service
from ..tickets.classify import CATEGORY_LABELS, PRIORITY_LABELS
from .media import image as plain_image

# Confident intents the bot answers itself even while a ticket is open (the words still join it).
SELF_SERVICE = {"order_status", "stock_query", "preorder_join", "preorder_cancel", "preorder_status",
                "bind_account", "points_query", "points_redeem", "help", "greet", "thanks", "goodbye",
                "order_change", "invoice"}
IN_QUEUE = "您的工单 {} 已在人工客服队列中，请稍候，客服会直接在这里回复您。"
_SCORE = re.compile(r"^\s*([1-5])\s*(分|星)?\s*[。.!！]?\s*$")
_SCORE_WORDS = {"非常满意": 5, "满意": 4, "一般": 3, "不满意": 2, "非常不满意": 1}


def promise(turn: Turn, ticket: Ticket) -> str:
    hours = service.business_hours(turn.services.config)
    first = hours.describe_local(ticket.first_response_due_at)
    done = hours.describe_local(ticket.sla_due_at)
    return f"客服会在{first}前联系您，{done}前给出处理结果。"


ASK_COMPLAINT = "请直接说说遇到了什么问题（比如「草莓压坏了好几个」），有订单号或照片也可以一起发，我马上登记。"


# 「我要投诉」「有问题 找售后」: a complaint announced, not yet said. A ticket of category 其他 with
# those words is no use to staff; asking gets the problem in the customer's next message.
ANNOUNCED_ONLY = re.compile(r"(?:我|要|想|需要|得|申请|一下|下|你们|您们|店家|商家|老板|客服|售后|投诉|举报|"
                            r"有|个|点|问题|了|啊|呀|吧|呢|哈|的|[\s,.!?，。！？~～])+")


@registry.intent("complaint")
def complaint(turn: Turn) -> str:
    if not turn.text.strip() or ANNOUNCED_ONLY.fullmatch(turn.text.strip()):  # a menu click, or no problem said yet
        return turn.ask("details", ASK_COMPLAINT)
    cfg, order_no, product = turn.services.config, turn.entity("order_id"), turn.entity("product")
    noted = chat.add_words(turn.services.db, turn.openid, turn.incoming.text, order_no, product, ("complaint",))
    if noted is not None:  # more words on the open complaint, changing nothing else (on Core)
        known = _known_answer(turn)
        if known:
            return f"{known}\n（这条也已补充到您的工单 {noted.number}。）"
        return f"已补充到您的工单 {noted.number}。客服会尽快处理，有照片也可以直接发过来。"
    with turn.services.db.session() as s:
        ticket = service.open_ticket_for(s, turn.openid, ("complaint",))
        if ticket is not None:  # the answer to our follow-up question, or more words on the same problem
            service.add_customer_message(s, cfg, ticket, turn.incoming.text)
            added = _link(s, ticket, order_no, product)
            known = None if added else _known_answer(turn)
            if known:
                return f"{known}\n（这条也已补充到您的工单 {ticket.number}。）"
            return (f"已把订单 {ticket.order_no} 记到工单 {ticket.number}。" if added else
                    f"已补充到您的工单 {ticket.number}。") + "客服会尽快处理，有照片也可以直接发过来。"
        ticket = service.create(s, cfg, turn.openid, turn.incoming.text or turn.text, "complaint", order_no, product)
        lines = [f"非常抱歉给您带来不好的体验！已为您登记投诉，工单号 {ticket.number}"
                 f"（{CATEGORY_LABELS[ticket.category]}，{PRIORITY_LABELS[ticket.priority]}优先级）。"]
        if ticket.priority == "urgent":
            lines.append("涉及食品安全或健康，我们已按紧急处理；如身体不适请先就医，并保留剩余商品和包装。")
        lines.append(promise(turn, ticket))
        number, has_order = ticket.number, bool(ticket.order_no)
    if not has_order:
        lines.append("请回复订单号（如 DD20261101001）方便我们核实；有照片的话也可以直接发过来。")
        return turn.ask("order_id", "\n".join(lines))
    lines.append(f"已关联订单 {order_no}。有照片的话可以直接发过来，会附到工单 {number}。")
    return "\n".join(lines)


def _link(s, ticket: Ticket, order_no, product) -> bool:
    added = False
    if order_no and not ticket.order_no:
        ticket.order_no = str(order_no)
        service.audit(s, ticket, "customer", "linked_order", order_no=ticket.order_no)
        added = True
    if product and not ticket.product:
        ticket.product = str(product)
    return added


def _score(text: str) -> int | None:
    match = _SCORE.match(text)
    if match:
        return int(match.group(1))
    return _SCORE_WORDS.get(text.strip(" 。.!！"))


_ANY_TICKET = Prepared(select(Ticket.id).where(Ticket.openid == bindparam("openid")).limit(1))


@registry.intercept
def ticket_conversation(turn: Turn, confident: bool) -> str | None:
    cfg, text = turn.services.config, turn.incoming.text or turn.text
    intent = turn.nlu.intent if turn.nlu and confident else None
    # Most customers never had a ticket: one indexed look-up spares them the three below on
    # every message (they sit on the webhook's hot path). A prepared statement on the driver's
    # connection: issue 17 measured an ORM session's set-up and commit at most of this check's 0.5 ms,
    # and Core's execution context at half of what was left.
    if not _ANY_TICKET.exists(turn.services.db.engine, {"openid": turn.openid}):
        return None
    # A score (「5」「满意」) is read first: only then is a rating looked for (most words are no score,
    # and the look-up was a third of this interceptor's time, issue 17).
    score = _score(text)
    if score is not None:
        with turn.services.db.session() as s:
            rated = _awaiting_score(s, turn.openid)
            if rated is not None:
                service.record_csat(s, rated, score)
                return f"感谢您的评分（{score} 分）！" + ("我们会继续改进。" if score <= 3 else "期待再次为您服务。")
    order_no, product = turn.entity("order_id"), turn.entity("product")
    noted = chat.add_words(turn.services.db, turn.openid, text, order_no, product)  # the plain case, on Core
    if noted is not None:
        number = noted.number
    else:
        with turn.services.db.session() as s:
            ticket = service.open_ticket_for(s, turn.openid)
            if ticket is None:
                ticket = service.recently_resolved(s, turn.openid)
                if ticket is None or intent in SELF_SERVICE:
                    return None  # nothing open, or a question the bot answers (no reopening for 「谢谢」)
                service.add_customer_message(s, cfg, ticket, text)
                _link(s, ticket, order_no, product)
                return f"您的工单 {ticket.number} 已重新打开，客服会尽快跟进。"
            service.add_customer_message(s, cfg, ticket, text)
            _link(s, ticket, order_no, product)
            number = ticket.number
    if intent in SELF_SERVICE:
        return None  # also on the ticket, but the bot can answer this one itself
    if intent == "human_handoff":  # 「转人工」: the person is what they asked for, not "noted"
        return IN_QUEUE.format(number)
    known = _known_answer(turn)
    if known:  # 「照片怎么发」: staff would answer the same; the customer need not wait for them
        return f"{known}\n（这条也已补充到您的工单 {number}。）"
    return f"已补充到您的工单 {number}，客服会看到并尽快回复您。"


PHOTO_HOW = re.compile(r"(照片|图片|相片|视频|截图).{0,4}(怎么|咋|如何|在哪|哪里).{0,3}(发|传|上传|给)|"
                       r"(怎么|咋|如何).{0,3}(发|传|上传)(照片|图片|相片|视频|截图)")
PHOTO_ANSWER = "直接在这个聊天框点右下角的「+」，选「相册」或「拍摄」发过来就行，会自动附到工单上。"


def _known_answer(turn: Turn) -> str | None:
    """What the bot can answer itself on an open ticket: how to send photos, or the merchant's FAQ
    when it is sure (only its strict threshold: this customer is talking to staff)."""
    if PHOTO_HOW.search(turn.text):
        return PHOTO_ANSWER
    cfg, nlu = turn.services.config, turn.nlu
    confident = nlu is not None and nlu.confidence >= cfg.NLU_THRESHOLD
    doubt = unsure(nlu, confident, turn.services.understanding.product_aliases.values())
    decision = decide(turn.services.faq.match(turn.text), doubt, cfg.FAQ_ANSWER_SCORE, cfg.FAQ_SUGGEST_SCORE,
                      nlu.intent if nlu else None, nlu.confidence if nlu else 0.0, cfg.FAQ_NLU_MARGIN)
    if decision is None or decision[0] != "answer":
        return None
    return decision[1].entry.reply


# A resolved or closed ticket whose 1-5 score was asked for (within the reopen window) and not given.
_RATING_ASKED = (Ticket.openid == bindparam("openid"), or_(Ticket.state == "resolved", Ticket.state == "closed"),
                 Ticket.csat_asked_at >= bindparam("since"), Ticket.csat_score.is_(None))
_AWAITING_SCORE = select(Ticket).where(*_RATING_ASKED).order_by(Ticket.id.desc())
_ANY_AWAITING_SCORE = Prepared(select(Ticket.id).where(*_RATING_ASKED).limit(1))


@registry.awaits_number
def rating_asked(turn: Turn) -> bool:
    # Only whether one exists: a prepared statement, not an ORM session (issue 17).
    return _ANY_AWAITING_SCORE.exists(turn.services.db.engine, {"openid": turn.openid,
                                                                "since": utcnow() - service.REOPEN_WINDOW})


def _awaiting_score(s, openid: str) -> Ticket | None:
    return s.execute(_AWAITING_SCORE, {"openid": openid, "since": utcnow() - service.REOPEN_WINDOW}).scalars().first()


@registry.kind("image")
def image(turn: Turn) -> str:
    """Photos sent within PHOTO_WINDOW of the customer's last words on an open ticket attach to it."""
    window = dt.timedelta(seconds=turn.services.config.PHOTO_WINDOW)
    with turn.services.db.session() as s:
        ticket = service.open_ticket_for(s, turn.openid)
        if ticket is not None and utcnow() - (ticket.last_customer_at or ticket.created_at) <= window:
            service.add_customer_message(s, turn.services.config, ticket, None, kind="image",
                                         media_id=turn.incoming.media_id, media_url=turn.incoming.media_url)
            return f"照片已附到工单 {ticket.number}，客服处理时会一起查看。还有其他照片可以继续发。"
    return plain_image(turn)
