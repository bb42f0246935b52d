"""Category and priority of a complaint, and their labels for staff.

Both come from the feedback clause analysis (bot/feedback/complaints.py), so a complaint and a
feedback record about the same words agree. Health and safety come first (urgent); damaged, missing
and wrong items are high.
"""
from __future__ import annotations

from ..feedback import complaints

HIGH_CATEGORIES = complaints.HIGH_CATEGORIES
CATEGORY_LABELS = {
    "quality": "商品质量", "freshness": "不新鲜", "shortage": "缺斤少两", "wrong_item": "发错货",
    "damaged": "破损", "delivery": "配送问题", "staff_attitude": "服务态度", "group_organiser": "团长问题", "installation": "安装问题",
    "other": "其他", "handoff": "转人工", "order_change": "改订单/催单", "invoice": "开发票",
}
PRIORITY_LABELS = {"urgent": "紧急", "high": "高", "normal": "普通"}
STATE_LABELS = {"new": "新建", "open": "处理中", "pending_customer": "等待顾客", "resolved": "已解决", "closed": "已关闭"}


def category_of(text: str) -> str:
    return complaints.category(complaints.analyze(text))


def priority_of(text: str, category: str) -> str:
    return complaints.priority(text, category)
