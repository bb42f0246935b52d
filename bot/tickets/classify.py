"""Category and priority from the customer's words: simple, explainable rules staff can trust.

Food safety and health come first (urgent); damaged, missing and wrong items are high.
"""
from __future__ import annotations

URGENT_WORDS = ("拉肚子", "腹泻", "过敏", "变质", "发霉", "霉变", "食物中毒", "中毒", "呕吐", "吐了", "肚子疼",
                "肚子痛", "住院", "医院", "异物", "虫子", "长虫", "有虫", "过期", "臭了", "发臭")
# Checked in order: the first category whose word appears wins.
CATEGORY_WORDS = [
    ("shortage", ("缺斤少两", "少秤", "短斤", "分量不足", "分量不够", "斤两不足", "少了", "少发", "漏发", "缺了", "没收到全", "少一")),
    ("wrong_item", ("发错", "错发", "不是我买的", "货不对版", "不是我要的", "送错", "寄错", "拿错")),
    ("damaged", ("破损", "破了", "碎了", "压坏", "压烂", "摔坏", "漏了", "坏掉", "烂了", "压扁", "包装破")),
    ("freshness", ("不新鲜", "变质", "发霉", "霉变", "臭了", "发臭", "蔫了", "软了", "过期", "烂果", "坏果")),
    ("delivery", ("快递", "物流", "配送", "送货", "没送到", "迟迟", "太慢", "还没到", "延误", "丢件", "签收")),
    ("staff_attitude", ("态度", "客服", "骂人", "不理人", "凶", "服务差", "不耐烦")),
    ("group_organiser", ("团长", "群主", "接龙", "拼团")),
    ("quality", ("质量", "难吃", "不好吃", "有问题", "味道", "假货", "劣质", "做工", "异味", "拉肚子", "过敏", "异物", "虫")),
]
HIGH_CATEGORIES = {"damaged", "shortage", "wrong_item"}
CATEGORY_LABELS = {
    "quality": "商品质量", "freshness": "不新鲜", "shortage": "缺斤少两", "wrong_item": "发错货",
    "damaged": "破损", "delivery": "配送问题", "staff_attitude": "服务态度", "group_organiser": "团长问题",
    "other": "其他", "handoff": "转人工", "order_change": "改订单/催单", "invoice": "开发票",
}
PRIORITY_LABELS = {"urgent": "紧急", "high": "高", "normal": "普通"}
STATE_LABELS = {"new": "新建", "open": "处理中", "pending_customer": "等待顾客", "resolved": "已解决", "closed": "已关闭"}


def category_of(text: str) -> str:
    for category, words in CATEGORY_WORDS:
        if any(word in text for word in words):
            return category
    return "other"


def priority_of(text: str, category: str) -> str:
    if any(word in text for word in URGENT_WORDS):
        return "urgent"
    return "high" if category in HIGH_CATEGORIES else "normal"
