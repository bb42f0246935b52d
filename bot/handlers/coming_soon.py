"""Intents whose capability has not landed yet answer honestly instead of pretending."""
from __future__ import annotations

from ..dialogue.registry import Turn, registry

COMING = {
    "order_status": "订单查询功能即将上线，目前请发「人工」由客服帮您查询。",
    "stock_query": "库存查询功能即将上线，目前请发「人工」由客服帮您查询。",
    "complaint": "很抱歉给您带来不便！投诉登记功能即将上线，请发「人工」，客服会优先处理。",
    "preorder_join": "团购接龙功能即将上线，敬请期待。",
    "preorder_cancel": "团购接龙功能即将上线，敬请期待。",
    "preorder_status": "团购接龙功能即将上线，敬请期待。",
    "feedback": "谢谢您的建议！意见整理功能即将上线，您的话我们已经记下了。",
    "bind_account": "账号绑定功能即将上线，敬请期待。",
}


def _coming(turn: Turn) -> str:
    return COMING[turn.intent or ""]


for _intent in COMING:
    if _intent not in registry.intents:
        registry.intent(_intent)(_coming)
