"""Greeting, goodbye, thanks, help and the polite answer to things a shop cannot help with."""
from __future__ import annotations

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
