"""Greeting, goodbye, thanks, help and the polite answer to things a shop cannot help with."""
from __future__ import annotations

import re

from ..dialogue.registry import Turn, registry
from ..dialogue.words import CHOICE_NUMBERS, bare

# The numbered menu of the greeting and of 「帮助」: a bare number answering it starts that intent
# as a menu click does (no words yet, so the handler asks what it needs).
MENU = (
    ("查订单和物流：发「我的订单到哪了」或订单号", "order_status"),
    ("查库存：发「草莓还有吗」", "stock_query"),
    ("团购接龙：发「接龙 3斤草莓」", "preorder_status"),
    ("投诉和售后：直接说遇到的问题", "complaint"),
    ("提建议：比如「希望晚上七点后送」", "feedback"),
    ("找人工客服：发「人工」", "human_handoff"),
)
CAPABILITIES = ("我是店小二，可以帮您：\n" + "\n".join(f"{i}. {line}" for i, (line, _) in enumerate(MENU, 1))
                + "\n回复数字也可以。")


def with_menu(turn: Turn, answer: str) -> str:
    """The answer that shows the menu keeps it open for one reply: 「1」 then means its first line."""
    turn.state.pending = {"clarify": [intent for _, intent in MENU], "start": True}
    return answer


@registry.intent("greet")
def greet(turn: Turn) -> str:
    return with_menu(turn, "您好，欢迎光临！" + CAPABILITIES)


@registry.intent("goodbye")
def goodbye(turn: Turn) -> str:
    return "好的，再见！有需要随时找我。"


@registry.intent("thanks")
def thanks(turn: Turn) -> str:
    return "不客气，能帮到您就好！还有别的需要吗？"


@registry.intent("help")
def help_(turn: Turn) -> str:
    return with_menu(turn, CAPABILITIES)


# 「你是机器人吗」: asked often and answered honestly. 「快点回复」「怎么不回」: a customer who waited.
ARE_YOU_A_BOT = re.compile(r"^(你|您)?(是|是不是|到底是)(个|一个)?(真人|人工|机器人|机器|ai|智能客服|自动回复)"
                           r"(吗|嘛|么|呀|啊|吧)?$|^(真人|机器人|人工|自动回复)(吗|嘛|么)$", re.I)
HURRY_ME = re.compile(r"^(快点|赶紧|快)?(回复|回我|回一下|回个话|理我|理一下)(一下)?(啊|呀|吧|好吗)?$|^(怎么|咋)(不|没人)(回|理|说话)")
# 「那就下单吧」「怎么下单」 with no product: the bot takes no orders itself (the shop page does); the
# model read these as goodbye. With a product (「我想买草莓」) the stock answer gives price and stock.
HOW_TO_ORDER = re.compile(r"^(?:好的?|那|那就|就|行|嗯|ok)*(要|想|帮我|给我|我要|我想)?(怎么|怎样|在哪|在哪里|哪里|去哪)?"
                          r"(下单|下个单|买|订|订购|购买)(呢|啊|吧|呀)?$", re.I)
BOT_ANSWER = "我是店小二，店里的智能客服，订单、库存、接龙、售后都可以直接问我；想找真人客服发「人工」，我马上帮您转。"
HERE_ANSWER = "在的在的！您直接说遇到的问题就行，我马上处理；想找真人客服发「人工」。"


@registry.intercept(last=True)
def about_me(turn: Turn, confident: bool) -> str | None:
    """Rule-read: the model has no intent for these and scattered them (out_of_scope, a clarify
    offering 告别/致谢). After the ticket interceptor: on an open ticket 「怎么不回」 is for staff."""
    text = bare(turn.text)
    if ARE_YOU_A_BOT.search(text):
        turn.intent = "help"
        return BOT_ANSWER
    if HURRY_ME.search(text):
        turn.intent = "greet"
        return HERE_ANSWER
    if HOW_TO_ORDER.search(text):
        turn.intent = "help"
        url = turn.services.config.SHOP_URL
        where = f"下单请打开 {url}，选好商品付款即可" if url else "下单请发「人工」，客服帮您登记"
        return f"{where}。想先问价格和库存，直接发商品名，比如「草莓还有吗」；团购接龙发「接龙 2斤草莓」。"
    return None


@registry.intercept(last=True)
def bare_number(turn: Turn, confident: bool) -> str | None:
    """A lone 「1」 with no list open is a menu choice made too late (a greeting long ago): show the
    menu again instead of guessing (the model reads a lone digit as anything, once as goodbye)."""
    if bare(turn.text) in CHOICE_NUMBERS:
        return with_menu(turn, "您是想选哪一项呢？" + CAPABILITIES)
    return None


@registry.intent("out_of_scope")
def out_of_scope(turn: Turn) -> str:
    return "这个问题我回答不了哦。我能帮您查订单、查库存、参加团购接龙、处理售后和记录建议；需要人工请发「人工」。"
