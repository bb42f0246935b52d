"""The fixed intent names (a contract with the NLU data and merchants' tools) and how we say them."""

LABELS = {
    "greet": "打招呼",
    "goodbye": "告别",
    "thanks": "致谢",
    "help": "了解我能做什么",
    "order_status": "查询订单和物流",
    "stock_query": "查询商品库存",
    "complaint": "投诉或售后问题",
    "preorder_join": "参加团购接龙",
    "preorder_cancel": "取消团购接龙",
    "preorder_status": "查看团购进度",
    "feedback": "提意见或建议",
    "human_handoff": "转人工客服",
    "bind_account": "绑定会员账号",
    "order_change": "修改订单（地址、时间、数量）",
    "invoice": "开发票",
    "points_query": "查询会员积分",
    "points_redeem": "积分兑换",
    "out_of_scope": "其他话题",
}
