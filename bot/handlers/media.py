"""Non-text messages: a short helpful reply; images and locations are kept on the message log."""
from __future__ import annotations

from ..dialogue.registry import Turn, registry


@registry.kind("voice")
def voice_unrecognised(turn: Turn) -> str:
    return "抱歉，没听清您的语音，麻烦打字告诉我，比如「草莓还有吗」。"


def image(turn: Turn) -> str:
    """Not registered here: handlers/tickets.py registers the image handler, which attaches photos
    to an open ticket and otherwise answers with this."""
    return "图片收到了，已为您保存。如果是商品问题，请再用文字描述一下情况（如订单号、哪里有问题），我马上登记处理。"


@registry.kind("location")
def location(turn: Turn) -> str:
    label = turn.incoming.extra.get("label") or "您的位置"
    return f"收到位置：{label}。配送范围和自提点请发「帮助」查看，或直接问我。"


@registry.kind("link")
def link(turn: Turn) -> str:
    return "链接收到了。请用文字告诉我您想了解什么，我来帮您。"


@registry.kind("video", "shortvideo")
def video(turn: Turn) -> str:
    return "视频收到了，已为您保存。请再用文字描述一下您的问题，我来帮您处理。"


@registry.kind("*")
def unknown(turn: Turn) -> str:
    return "这类消息我暂时还看不懂，请发文字给我，或发「帮助」看看我能做什么。"
