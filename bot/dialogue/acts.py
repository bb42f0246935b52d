"""Two acts in one message, as real customers write: 「哈喽 东西到了是坏的」, 「在吗 转人工」,
「东西坏了 另外那单到哪了」. The request wins over the greeting or thanks in front of it; a call for
a person in a short message is a hand-off; a complaint that also asks after the delivery gets the
ticket and the order's status in one answer.

Two hooks for the dialogue engine: `resolve` after the NLU (may replace its result) and `follow_up`
after the handler (may add to its answer). Neither costs anything for ordinary messages: the second
parse happens only when the model heard a greeting or thanks with more words after it.
"""
from __future__ import annotations

import re

from ..feedback.analysis import analyze
from ..nlu.result import Entity, NluResult

SMALLTALK = {"greet", "thanks", "goodbye"}
# Intents a call for a person may override: the model heard only the politeness, or nothing it knows.
OVERRIDABLE = SMALLTALK | {"help", "out_of_scope"}
_PUNCT = r"\s,.!?;:~，。！？；：、…～"
_POLITE = ("在吗|在么|在嘛|在不在|在不|在没|在否|在伐|在线吗|有人吗|有人在吗|有人没|有人不|你好呀?|您好|"
           "哈喽|哈罗|哈咯|嗨|hi|hello|hey|喂|亲亲|亲|老板娘|老板|掌柜的?|小二|店家|"
           "早上好|早安|中午好|下午好|晚上好|早|谢谢你?[啦呀哈亲]?|谢啦|多谢|感谢|辛苦了?|辛苦啦|麻烦了|好的|嗯嗯?|哦哦?")
LEADING_POLITE = re.compile(rf"^(?:(?:{_POLITE})[{_PUNCT}]*)+", re.I)
HANDOFF_WORD = re.compile(r"人工|真人|活人|客服")
# 「不用转人工」, 「你是真人吗」, and asking when the desk is open (「客服几点上班」, 「几点有人」): the
# shop's hours are an FAQ answer, not a request for a person now
NOT_A_CALL = re.compile(r"(不要|不用|不需要|别|不找|没)\s*转?\s*(人工|真人|客服)|是(不是)?\s*(真人|人工|机器人)"
                        r"|(人工|真人|客服).{0,4}(几点|什么时候|啥时候|上班|下班|上线|下线)"
                        r"|(几点|什么时候|啥时候).{0,4}(人工|真人|客服|有人)")
VOCATIVE = re.compile(rf"^客服[{_PUNCT}]*(你好|您好|早上好|下午好|晚上好|早)?[{_PUNCT}]*$")
# What may surround a pasted order number without making it anything but 「查这一单」.
ORDER_FILLER = re.compile(rf"[{_PUNCT}#]|订单号?|单号|编号|查询?|一下|帮我|帮忙|麻烦|这个|这单|我的|是|亲|你好|您好")
SHORT = 10  # characters without punctuation: 「在吗 转人工」, 「真人在吗」, 「客服呢」
# A complaint that also asks where the goods are, or is angry about the delivery itself.
ASKS_STATUS = re.compile(r"到哪|到了没|发货了?没|发了没|发没发|啥时候到|什么时候到|几时到|几天到|哪天到|"
                         r"还没到|怎么还不到|物流|快递.{0,4}慢|送.{0,3}慢|单号")
STATUS_PROMISE = "收到订单号后，我会把物流进度一并查给您。"


def _bare(text: str) -> str:
    return re.sub(rf"[{_PUNCT}]+", "", text)


def wants_person(text: str) -> bool:
    """「人工/真人/客服」 in a short message: 「在吗 转人工」, 「客服呢」, not 「不用转人工」 or
    「你是真人吗」, and not a greeting addressed to the service desk (「客服你好」)."""
    bare = _bare(text)
    return (len(bare) <= SHORT and HANDOFF_WORD.search(bare) is not None
            and NOT_A_CALL.search(bare) is None and VOCATIVE.match(text.strip()) is None)


def resolve(nlu: NluResult, text: str, understanding, timeout: float | None, threshold: float,
            topic: dict | None = None) -> NluResult:
    """The intent the customer's request carries, when the model only heard its polite opening.
    `topic`: what the conversation was just about (「多少钱一斤」 right after a question on eggs)."""
    if nlu.intent in OVERRIDABLE and wants_person(text):
        ranking = [("human_handoff", 1.0)] + [(n, s) for n, s in nlu.ranking if n != "human_handoff"]
        return NluResult(nlu.text, "human_handoff", 1.0, ranking, nlu.entities)
    if nlu.intent == "human_handoff" and NOT_A_CALL.search(_bare(text)):
        # 「不用转人工了 谢谢」 names a person only to decline one: the next intent the model saw.
        ranking = [(n, s) for n, s in nlu.ranking if n != "human_handoff"]
        if ranking:
            return NluResult(nlu.text, ranking[0][0], ranking[0][1], ranking, nlu.entities)
    if (nlu.intent != "order_status" or nlu.confidence < threshold) and _only_an_order_number(nlu, text):
        # A pasted 「DD20261101001」 or 「订单号：3920193847561234」: the model has no words to go on.
        ranking = [("order_status", 1.0)] + [(n, s) for n, s in nlu.ranking if n != "order_status"]
        return NluResult(nlu.text, "order_status", 1.0, ranking, nlu.entities)
    entities = nlu.entities
    if nlu.first("product") is None and (topic or {}).get("product") and PRICE_ASKED.search(text):
        entities = [*entities, Entity("product", topic["product"], extractor="topic")]
        nlu = NluResult(nlu.text, nlu.intent, nlu.confidence, nlu.ranking, entities)
    if nlu.intent != "stock_query" and _asks_a_price(nlu, text, understanding):
        # 「草莓什么价」「鸡蛋多少钱一斤」 (out_of_scope 0.3 in the committed model): the stock answer
        # starts with the price.
        ranking = [("stock_query", 1.0)] + [(n, s) for n, s in nlu.ranking if n != "stock_query"]
        return NluResult(nlu.text, "stock_query", 1.0, ranking, nlu.entities)
    if nlu.intent == "complaint" and _only_praise(text):
        # 「东西收到了 很新鲜 谢谢」 read as a complaint (0.46) would open a ticket for a happy customer.
        ranking = [("feedback", nlu.confidence)] + [(n, s) for n, s in nlu.ranking if n != "feedback"]
        return NluResult(nlu.text, "feedback", nlu.confidence, ranking, nlu.entities)
    if nlu.intent in {"thanks", "goodbye"} and _praises_goods(text):
        # 「东西收到了 很新鲜 谢谢」: the thanks closes a review of the goods; the review is the act.
        return nlu.read_as("feedback")
    if nlu.intent == "order_status" and _reports_incident(text):
        # 「牛奶到了是漏的 顺便问下我那单到哪了」: the complaint is the act; follow_up adds the status.
        ranking = [("complaint", nlu.confidence)] + [(n, s) for n, s in nlu.ranking if n != "complaint"]
        return NluResult(nlu.text, "complaint", nlu.confidence, ranking, nlu.entities)
    if nlu.intent not in SMALLTALK:
        return nlu
    opening = LEADING_POLITE.match(text)
    rest = text[opening.end():] if opening else ""
    if not opening or len(_bare(rest)) < 2:
        return nlu
    second = understanding.parse(rest, timeout=timeout)
    # 「谢谢啦 辛苦 拜拜」 ends the conversation: a goodbye after thanks is the act that counts.
    if second.intent in {"greet", "thanks", "out_of_scope", nlu.intent} or second.confidence < threshold:
        return nlu
    shift = opening.end()
    for e in second.entities:
        e.start = e.start + shift if e.start is not None else None
        e.end = e.end + shift if e.end is not None else None
    return NluResult(nlu.text, second.intent, second.confidence, second.ranking, second.entities)


def _only_an_order_number(nlu: NluResult, text: str) -> bool:
    spans = [(e.start, e.end) for e in nlu.entities if e.type == "order_id" and e.start is not None]
    if not spans:
        return False
    rest = "".join(text[a:b] for a, b in zip([0] + [end for _, end in spans], [start for start, _ in spans] + [len(text)]))
    return not ORDER_FILLER.sub("", rest)


PRAISE = 1.0  # every clause at least this positive (bot/feedback/sentiment.py's scale; 「很新鲜」 is ~9)


# Any of these and it is not taken for praise (sarcasm: 「真新鲜啊 新鲜到发霉了」): a complaint read
# as praise loses a ticket, praise read as a complaint only costs an apology.
TROUBLE = re.compile(r"坏|烂|霉|臭|馊|漏|破|碎|裂|少了|少发|漏发|缺|错|不对|投诉|退|赔|差|慢|变质|过期|虫|异物|"
                     r"拉肚子|腹泻|过敏|不新鲜|不好|没收到|还没到|怎么回事|什么情况|无语|垃圾|失望|骗|"
                     # fruit gone black, mouldy or limp (「刚签收的香蕉全黑了」 scores as praise in the review lexicon)
                     r"黑了|发黑|长毛|蔫|软烂")


PRICE_ASKED = re.compile(r"多少钱|什么价|啥价|价格|价钱|几块|几元|多少一|怎么卖|咋卖|贵不贵|卖多少")


def _asks_a_price(nlu: NluResult, text: str, understanding) -> bool:
    """A question of price naming a product we sell, and nothing else the model is sure of."""
    if nlu.intent in {"preorder_join", "preorder_status", "complaint", "feedback", "order_status"} \
            and nlu.confidence >= 0.5:
        return False
    if PRICE_ASKED.search(text) is None:  # most messages: no catalogue set built on the hot path
        return False
    return nlu.first("product") in set((getattr(understanding, "product_aliases", None) or {}).values())


def _only_praise(text: str) -> bool:
    """Every clause clearly positive and nothing gone wrong: praise, whatever words it shares with
    complaints (收到了, 东西, 快递)."""
    if TROUBLE.search(text):
        return False
    found = analyze(text)
    return bool(found.findings) and not found.incident and all(f.score >= PRAISE for f in found.findings)


def _praises_goods(text: str) -> bool:
    """Clear praise of the goods or their delivery beside the thanks, and nothing negative. Thanks
    to the staff (「谢谢老板 辛苦了」「服务很好 谢谢」) stays thanks."""
    if TROUBLE.search(text):
        return False
    found = analyze(text)
    if found.incident or any(f.score < 0 for f in found.findings):
        return False
    return any(f.score >= PRAISE and set(f.aspects) - {"service"} for f in found.findings)


def _reports_incident(text: str) -> bool:
    """Something went wrong with goods already received (rotten, leaking, broken, missing)."""
    return analyze(text).incident


def follow_up(turn, answer: str) -> str:
    """After a complaint's ticket: the order's status too, when the message asked for it."""
    if turn.intent != "complaint":
        return answer
    asked = ASKS_STATUS.search(turn.text or "") is not None
    waiting = turn.state.slots.pop("with_status", None) is not None
    if not (asked or waiting):
        return answer
    from .registry import registry

    pending = turn.state.pending
    turn.intent = "order_status"
    try:
        status = registry.for_intent("order_status")(turn)
    finally:
        turn.intent = "complaint"
    if turn.state.pending and turn.state.pending.get("intent") == "order_status":
        turn.state.pending = pending  # the complaint's question stays the one to answer
        if turn.state.slots.pop("listed", None) is not None:  # the orders, for the customer to name one
            turn.state.slots.pop("asked", None)
            return f"{answer}\n\n" + "\n".join(status.splitlines()[:-1])
        # The status needs an order number the complaint has just asked for: one question, not two.
        turn.state.slots["with_status"] = True
        return f"{answer}\n{STATUS_PROMISE}"
    return f"{answer}\n\n{status}"
