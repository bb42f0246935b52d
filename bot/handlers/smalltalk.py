"""Greeting, goodbye, thanks, help and the polite answer to things a shop cannot help with."""
from __future__ import annotations

from ..dialogue.registry import Turn, registry

CAPABILITIES = (
    "我是店小二，可以帮您：\n"
    "1. 查订单和物流：发「我的订单到哪了」或订单号\n"
    "2. 查库存：发「草莓还有吗」\n"
    "3. 团购接龙：发「接龙 3斤草莓」\n"
    "4. 投诉和售后：直接说遇到的问题\n"
    "5. 提建议：比如「希望晚上七点后送」\n"
    "6. 找人工客服：发「人工」"
)


@registry.intent("greet")
def greet(turn: Turn) -> str:
    return "您好，欢迎光临！" + CAPABILITIES


@registry.intent("goodbye")
def goodbye(turn: Turn) -> str:
    return "好的，再见！有需要随时找我。"


@registry.intent("thanks")
def thanks(turn: Turn) -> str:
    return "不客气，能帮到您就好！还有别的需要吗？"


@registry.intent("help")
def help_(turn: Turn) -> str:
    return CAPABILITIES


@registry.intent("out_of_scope")
def out_of_scope(turn: Turn) -> str:
    return "这个问题我回答不了哦。我能帮您查订单、查库存、参加团购接龙、处理售后和记录建议；需要人工请发「人工」。"
