"""The merchant's own explanation beside an act the bot carries out, as a shop's agent gives it: a
customer who reports mouldy oranges gets the ticket *and* the shop's bad-fruit policy, one who says the
address is wrong gets the change recorded *and* how changes work. The act's handler answers first and
keeps its record; the entry's answer follows.

Only where the act and the entry are about the same thing (answers.AGREES: a complaint about the
goods themselves and the bad-fruit entry, an order change and the change-of-address entry, an invoice
request and the invoice entry), only when the customer starts the matter (a question on one already
under way, 「坏果的钱退了没」「发票开好了没」, is about that claim, not the policy), and not when the
message already does what the entry explains (「地址改成文一路100号」, 「抬头是个人」, 「照片发你了」): the
customer knows it. bench/faq_quality.md, ninth round."""
from __future__ import annotations

import re

from ..tickets.classify import category_of
from .answers import AGREES, entry_topics
from .forms import HAPPENED_YET, reports
from .matching import Entry, Match

# the acts an entry may follow, and how its answer is introduced
LEADS = {"complaint": "关于售后：", "order_change": "关于改地址：", "invoice": "关于开发票："}
# an order changed to be fetched instead of sent (「不用送了 我自己去拿」) is followed by where to fetch it;
# one already to be fetched (「自提的东西我晚点去拿」) is not: the customer knows where
ALSO = {"order_change": "自提"}
TOPIC_LEADS = {"自提": "关于自提："}
INSTEAD_OF_SENT = re.compile(r"(?:不用|不要|别|无需|不需要|用不着)再?(?:配送|派送|送货|送上门|送过来|送来|送|寄)|改(?:成|为)?自提")
# a complaint about the goods themselves (rotten, stale, crushed), not the delivery, the staff, a
# wrong or missing item: the bad-fruit policy covers only these (bot/tickets/classify.py)
GOODS_FAULTS = {"quality", "freshness", "damaged"}
# a matter already under way: a claim paid or waited for, a change made, an invoice received or wrong
UNDER_WAY = re.compile(r"上次|之前|还没(?:赔|退|处理|给|补)|[赔退]的?钱|赔款|赔偿款|[不别]用?要?.{0,3}赔|已经改|改好|办好|"
                       r"(?:照片|图片|视频|拍照|拍了).{0,3}(?:发|给|传)|(?:发|给|传)(?:你|您)?了?(?:照片|图片|视频)")
# the change itself given (「地址改成文一路100号」, 「换成滨江区」): the handler records it, nothing to explain
CHANGE_GIVEN = re.compile(r"(?:改到|改成|改为|换到|换成|送到|寄到)\S{2,}")
# (「需要公司抬头的票」 names a title without giving one)
TITLE_GIVEN = re.compile(r"抬头(?:是|为|写|开|[:：])?\s*(?![的吗么呢啊怎咋要])\S{2,}|个人|税号")
# a problem with an invoice already issued (「发票金额不对」「发票丢了」): not a request for one
INVOICE_TROUBLE = re.compile(r"不对|有误|错|丢|打不开|看不到|空白|重开|作废|红冲|收到")


def beside(intent: str | None, text: str, matches: list[Match], floor: float) -> Entry | None:
    """The entry whose answer belongs after `intent`'s reply to `text`, or None. `floor` is the least
    score (before the cut for a report: a report is what these acts are) the best match needs."""
    if intent not in LEADS or not matches:
        return None
    best = matches[0]
    named = entry_topics(best.entry.question, best.entry.variants)
    also = ALSO.get(intent) if INSTEAD_OF_SENT.search(text) else None
    topic = next((t for t in (AGREES[intent], also) if t in best.asked and t in named), None)
    if topic is None or best.told < floor:
        return None
    if HAPPENED_YET.search(text) or UNDER_WAY.search(text):
        return None
    if intent == "complaint" and category_of(text) not in GOODS_FAULTS:
        return None
    if intent == "order_change" and topic == AGREES[intent] and CHANGE_GIVEN.search(text):
        return None
    # an invoice request that tells what happened (「发票抬头写错了」「发票丢了」) is about one already issued
    if intent == "invoice" and (TITLE_GIVEN.search(text) or INVOICE_TROUBLE.search(text) or reports(text)):
        return None
    return best.entry


def with_policy(intent: str, reply: str, entry: Entry) -> str:
    """The act's reply, then the entry's answer in a paragraph of its own (WeChat's reply splitting
    cuts at line breaks first: a long answer goes out as a message of its own)."""
    also = ALSO.get(intent)
    lead = TOPIC_LEADS[also] if also and also in entry_topics(entry.question, entry.variants) else LEADS[intent]
    return f"{reply}\n\n{lead}{entry.reply}"
