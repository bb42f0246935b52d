"""When the FAQ answers, in the order the issue sets: a close match answers even when the NLU has an
intent, if it is clearly surer than the NLU (the merchant's own wording beats our model); for a message the NLU calls
out_of_scope or is unsure of, a looser match answers, and two or three close entries are offered
as numbered choices, answered by their number like the bot's other clarifications."""
from __future__ import annotations

import re
from functools import lru_cache

from .matching import Match
from .words import WHEN, fold, topics

CHOICE = "faq_choice"
CLOSE = 0.08  # entries within this score of the best are "close" (bench/faq_quality.py)
NUMBERS = {"1": 0, "2": 1, "3": 2, "一": 0, "二": 1, "三": 2}


# A customer reporting a problem, asking for a person or signing up is doing something the FAQ must
# not talk them out of: when the NLU is sure of one of these, only a near-identical question wins.
ACTS = {"complaint", "human_handoff", "preorder_join", "preorder_cancel", "bind_account", "feedback",
        "order_change", "invoice"}
ACT_OVERRIDE = 0.8
# ...unless the customer asks it as a question: 「果子碰伤了你们负责不」 (complaint 0.79), 「收到不新鲜的 有售后
# 保障伐」 (complaint 0.89), 「收货后再结账可以伐」 (feedback 0.32) ask what the shop does. The act then
# competes like any other intent (score `margin` above the NLU's confidence), but a question that
# the merchant's entry plainly covers (ASKED_ACT_SCORE) wins however sure the model is of the act: the
# model learnt acts from statements and is sure of them for questions too. A statement
# (「上次的坏果还没赔」) keeps the rule above. bench/faq_quality.md, fourth and fifth rounds.
ASKED_ACT_SCORE = 0.7
# a direct question: a question particle (伐 is Wu for 吗, 咩 and 有冇/点样/得唔得 Cantonese), A-not-A, 「…不」 at the end
# (a vocative may follow: 「能开票不 老板」) or a clause's (「免邮不 买了三斤」), a question word, a polite ask (想了解/请问), a tag (可以吧).
# Narrower than forms.ASKING, which also counts wants (想/要) as asking: 「我要一个礼盒装的」 orders.
QUESTION = re.compile(r"[吗么嘛呢伐咩?？]|(?<=[\u4e00-\u9fff])(?<![还并也我你他她您])不(?=\s+\S)|(?:能|可以|行|会|有)[^\s不没]{0,6}[不没](?=\s)|想了解|想知道|想咨询|想问|请问|咨询一下|了解一下|(?:可以|行|能|是|对|的|没问题)吧\s*$|点样|系唔系|得唔得|可唔可以|有冇|[不没否](?:[亲呀啊哈呢嘞]|\s)*(?:老板娘?|亲亲?|客服|美女|小哥|掌柜)?\s*$|(.)[不没]\1|是否|能否|可否|有没有|能不能|可不可|"
                      r"怎|咋|啥|什么|哪|(?<!好)(?<![坏烂碎破伤裂霉]了)几(?!乎|个是|个都|个已经)|多少|多久|多会|多[长大高远早晚快贵重]|谁|如何|还是")


# An order question names the order (「我那单」, 「昨天买的」, 「还没到」; 了 as done, not 「到得了」 can), and a change to one names the
# change (「改」, 「取消」, 「晚点送」; 「下了单多久到」, 「晚上八点下的单啥时候送」 put an order as a condition): without any of these, 「发货到宁波几天」 is a question about delivery
# in general and 「门店地址发我一下」 one about the shop, which the model reads as about an order.
ABOUT_AN_ORDER = {
    "order_status": re.compile(r"我的|我那|我这|那单|这单|[一两二三几]单|订单|单号|单子|买的|(?<!点)(?<!今天)下的|拍的|订的|付了|已经|(?<![得不下])了|还没|"
                               r"没到|没收|没发|没送|到哪.?了|快递到哪|货到哪|物流|查|催|快点|尽快|\d{4,}"),
    "order_change": re.compile(r"改|换|更|变|取消|不要|别|加|减|推|延|提前|晚|早|\d{4,}"),
}
# 「晚上还有人在吗」 is no greeting but a question of hours: a greeting names no time (「晚上好」 aside)
WHEN_ASKED = re.compile(WHEN)
# 「要是有坏果咋办」 asks what would happen: no incident to open a ticket for
HYPOTHETICAL = re.compile(r"要是|万一|如果|假如|假设|的话|会不会|一般")


def unsure(nlu, confident: bool, known_products) -> bool:
    """The model is unsure, says out of scope, asks about stock of nothing we sell (「你们周末送货吗」
    reads as a stock question), about an order without naming one, or takes a hypothetical for a
    complaint: a shop question the model has no intent for."""
    if not confident or nlu is None or nlu.intent == "out_of_scope":
        return True
    if nlu.intent in ABOUT_AN_ORDER and ABOUT_AN_ORDER[nlu.intent].search(nlu.text or "") is None:
        return True
    if nlu.intent == "complaint" and HYPOTHETICAL.search(nlu.text or ""):
        return True
    if nlu.intent == "greet" and WHEN_ASKED.search(nlu.text or ""):
        return True
    if nlu.intent == "help" and topics(fold(nlu.text or "")):  # 「结账可以用哪些方式」 asks about the shop, not the bot
        return True
    return nlu.intent == "stock_query" and nlu.first("product") not in known_products


# a query typed as keywords (「客服在线时间」, 「支付方式」, 「退换流程」) asks as much as a question does
QUERY = re.compile(r"^\W*\w{0,10}(?:时间|方式|范围|费用|流程|规则|政策|标准|规定|安排)(?:是|是什么|是多少)?\W*$")


# An act whose entry is the merchant's own explanation of it: asked as a question (「付款后还能改送货地址不」,
# order_change 1.00), the model and the entry agree on what it is about, and the entry says how it works.
AGREES = {"order_change": "改地址", "invoice": "发票", "complaint": "坏果",
          # paying for a round asked (「接龙的钱什么时候交」, 「团购是先付还是成团再付」, preorder_status
          # 0.93-1.00) is the merchant's explanation of how paying works, not the state of one round
          "preorder_status": "支付"}
# what the message must name for the model and the entry to agree, where that is not the entry's topic
# itself: a complaint agrees with the bad-fruit entry only when it names the fault *and* asks what the
# shop does about it (「坏了几个能补吗」, 「果子坏了拍个照就行吗」), not when it vents in a question
# (「这么多坏的 难道便宜没好货吗」, a review) — matching.REMEDY
ASKED_FOR = {"complaint": "问售后"}


@lru_cache(maxsize=4096)
def entry_topics(question: str, variants: tuple[str, ...]) -> frozenset[str]:
    return frozenset(topics(fold("|".join([question, *variants]))))


# 「在吗」 in front calls for attention and asks nothing: 「在吗 收到的鸡蛋碎了好几个」 tells
CALLING = re.compile(r"^\W*(?:亲+|老板|你好|您好|哈喽|hello|hi)?\W*(?:在吗|在么|在不在|在不|有人吗|有人在吗)(?:亲|老板)?\W*")


def asks(text: str | None) -> bool:
    """The message is put as a question (see QUESTION) or typed as a query (QUERY): the customer asks
    what the shop does."""
    text = CALLING.sub("", text or "")
    return QUESTION.search(text) is not None or QUERY.search(text) is not None


def decide(matches: list[Match], unsure: bool, answer_score: float, suggest_score: float,
           intent: str | None = None, confidence: float = 0.0, margin: float = 0.0, asked: bool = False):
    """("answer", match) | ("choose", [matches]) | None.

    When the NLU is sure of another intent, the FAQ answers only with a score `margin` above the
    NLU's own confidence: two readings compete and the clearly surer one wins (「今天下单今天能到不」
    is order_status at 0.97 and stays so; 「在哪里取货」, a greeting at 0.36, is the pick-up entry).
    An act (ACTS) needs the whole message explained, unless it was `asked` as a question: then a
    score of ASKED_ACT_SCORE is always enough."""
    if not matches:
        return None
    best = matches[0]
    if not unsure and intent in ACTS:
        if (asked and AGREES.get(intent) in entry_topics(best.entry.question, best.entry.variants)
                and ASKED_FOR.get(intent, AGREES[intent]) in best.asked):
            return ("answer", best) if best.score >= answer_score else None
        if asked:
            return ("answer", best) if best.score >= max(answer_score, min(confidence + margin, ASKED_ACT_SCORE)) else None
        return ("answer", best) if best.whole >= ACT_OVERRIDE else None
    if not unsure:
        if (asked and AGREES.get(intent) in entry_topics(best.entry.question, best.entry.variants)
                and AGREES[intent] in best.asked):
            return ("answer", best) if best.score >= answer_score else None
        return ("answer", best) if best.score >= max(answer_score, confidence + margin) else None
    if best.score >= answer_score:
        return "answer", best
    if best.score < suggest_score:
        return None
    close = [m for m in matches[:3] if m.score >= suggest_score and best.score - m.score <= CLOSE]
    if len(close) >= 2:
        return "choose", close
    return "answer", best


def choices_text(matches: list[Match]) -> str:
    lines = ["您是不是想问："]
    lines += [f"{i}. {m.entry.question}" for i, m in enumerate(matches, 1)]
    lines.append("回复数字即可，或者换个说法告诉我。")
    return "\n".join(lines)
