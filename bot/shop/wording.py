"""How orders and stock are said to customers: plain Chinese, Beijing time, the detail that matters."""
from __future__ import annotations

import datetime as dt

from integrations.commerce import OrderInfo, StockInfo

from .. import clock

NOT_FOUND = ("没有查到订单 {no}。请核对订单号（在订单详情里可以复制）；"
             "如果是用别的手机号下的单，请先发「绑定账号」绑定后再查。")
UNAVAILABLE = "订单系统暂时连不上，请稍后再问我一次，或发「人工」让客服帮您查。"
STOCK_UNAVAILABLE = "库存系统暂时连不上，请稍后再问我一次，或发「人工」让客服帮您查。"
RATE_LIMITED = "您查询得太频繁了，请过几分钟再试。如需帮助可以发「人工」。"


def _day(day: dt.date, today: dt.date) -> str:
    label = {0: "今天", 1: "明天", 2: "后天", -1: "昨天"}.get((day - today).days)
    text = f"{day.month}月{day.day}日"
    return f"{text}（{label}）" if label else text


def when(moment: dt.datetime, now: dt.datetime | None = None) -> str:
    today = clock.local_today(now)
    at = clock.to_local(moment)
    return f"{_day(at.date(), today)} {at:%H:%M}"


def number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def money(cents: int) -> str:
    return f"{cents // 100}元" if cents % 100 == 0 else f"{cents / 100:.2f}".rstrip("0") + "元"


def items_line(order: OrderInfo) -> str:
    return "、".join(f"{i.product} {number(i.quantity)}{i.unit}" for i in order.items) or "（无商品明细）"


def order_detail(order: OrderInfo, now: dt.datetime | None = None) -> str:
    lines = [f"订单 {order.order_no}", f"商品：{items_line(order)}", f"状态：{order.status}"]
    if order.carrier or order.tracking_no:
        lines.append(f"物流：{order.carrier or ''} {order.tracking_no or ''}".rstrip())
    if order.eta:
        lines.append(f"预计送达：{when(order.eta, now)}")
    if order.timeline:
        lines.append("进度：")
        for step in sorted(order.timeline, key=lambda s: s.time):
            place = f"（{step.location}）" if step.location and step.location not in step.step else ""
            lines.append(f"· {when(step.time, now)} {step.step}{place}")
    return "\n".join(lines)


def order_list(orders: list[OrderInfo], now: dt.datetime | None = None) -> str:
    lines = ["您最近的订单（最新的在前）："]
    for i, order in enumerate(orders, 1):
        lines.append(f"{i}. {order.order_no} {items_line(order)}｜{order.status}（{when(order.created_at, now)} 下单）")
    lines.append("回复序号或订单号，可以看详细物流。")
    return "\n".join(lines)


def stock_answer(stock: StockInfo, low: float, today: dt.date) -> str:
    """Front warehouse first; plenty, 「仅剩 N 斤」, or out of stock with the restock date."""
    lines = [f"{stock.product}（{money(stock.price_cents)}/{stock.unit}）："]
    for w in stock.warehouses:
        if w.quantity <= 0:
            state = "暂时缺货" + (f"，预计 {_day(w.restock_date, today)} 到货" if w.restock_date else "")
        elif w.quantity <= low:
            state = f"仅剩 {number(w.quantity)} {stock.unit}"
        else:
            state = "有货，充足"
        lines.append(f"· {w.warehouse}：{state}")
    front = [w for w in stock.warehouses if w.kind == "front"]
    if front and all(w.quantity <= 0 for w in front) and stock.total > 0:
        lines.append("附近的前置仓暂时没货，可以从中心仓发货，送达会慢一些。")
    elif any(w.kind == "front" and w.quantity > 0 for w in stock.warehouses):
        lines.append("前置仓有货，下单后就近发货，最快当天送达。")
    return "\n".join(lines)


def out_of_stock(stock: StockInfo, today: dt.date) -> str:
    dates = sorted(w.restock_date for w in stock.warehouses if w.restock_date)
    arrival = f"预计 {_day(dates[0], today)} 到货" if dates else "到货时间还没确定"
    return (f"{stock.product}暂时缺货，{arrival}。\n"
            "需要到货时通知您吗？回复「好的」，一有货我就发消息告诉您。")


def back_in_stock(stock: StockInfo) -> str:
    where = next((w.warehouse for w in stock.warehouses if w.quantity > 0), "仓库")
    return f"您关注的{stock.product}到货啦（{where}有货，{money(stock.price_cents)}/{stock.unit}），需要的话尽快下单哦～"


def order_update(order_no: str, status: str, step: str, location: str | None) -> str:
    place = f"（{location}）" if location and location not in step else ""
    return f"您的订单 {order_no} 有新进度：{step}{place}。\n当前状态：{status}。发订单号可查看完整物流。"
