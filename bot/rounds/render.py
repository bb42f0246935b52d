"""Words and files made from real entries only: progress, the 接龙 list, CSV and pickup lists."""
from __future__ import annotations

import io

from ..clock import say_deadline, to_local
from ..infra import csvsafe
from .ledger import ENTRY_WORDS, STATUS_WORDS, RoundView, Totals, money, qty


def progress(r, t: Totals) -> str:
    """「已凑 15/20 斤，还差 5 斤成团，周五 20:00 截止」"""
    head = f"已凑 {qty(t.total_quantity)}/{qty(r.min_total)} {r.unit}"
    need_people = (r.min_participants or 0) - t.participants
    if r.status == "open":
        short = r.min_total - t.total_quantity
        gaps = ([f"{qty(short)} {r.unit}"] if short > 0 else []) + ([f"{need_people} 人"] if need_people > 0 else [])
        head += f"，还差 {'、'.join(gaps)}成团" if gaps else ""
    elif r.status == "confirmed":
        head += "，已成团"
    else:
        head += f"，{STATUS_WORDS[r.status]}"
    if r.cap is not None and r.status in ("open", "confirmed"):
        left = max(r.cap - t.total_quantity, 0)
        head += f"（上限 {qty(r.cap)} {r.unit}，{'已满' if left <= 0 else f'还剩 {qty(left)} {r.unit}'}）"
    if r.status in ("open", "confirmed"):
        head += f"，{say_deadline(r.deadline)} 截止"
    return head


def mask(name: str | None) -> str:
    """王丽 -> 王*, 欧阳娜娜 -> 欧***: the group sees who, not the full name."""
    if not name:
        return "微信用户"
    return name[0] + "*" * max(len(name) - 1, 1)


def _name(v: RoundView, e) -> str | None:
    return v.names.get(e.customer_id) if e.customer_id else None


def _where(v: RoundView, e) -> str:
    return e.pickup_point or ("送货上门" if v.round.delivery else "")


def group_text(v: RoundView) -> str:
    """Ready to paste into the WeChat group: 「1. 王* 3斤 西湖自提点」."""
    r = v.round
    lines = [f"【{r.title}】{money(r.price_cents)}元/{r.unit}", progress(r, v.totals)]
    joined = [e for e in v.entries if e.status == "joined"]
    waiting = [e for e in v.entries if e.status == "waitlisted"]
    lines += [f"{e.seq}. {mask(_name(v, e))} {qty(e.quantity)}{r.unit} {_where(v, e)}".rstrip() for e in joined]
    if not joined:
        lines.append("（还没有人接龙）")
    if waiting:
        lines.append("候补：")
        lines += [f"{e.seq}. {mask(_name(v, e))} {qty(e.quantity)}{r.unit}" for e in waiting]
    return "\n".join(lines)


def pickup_lists(v: RoundView) -> str:
    r = v.round
    by_point: dict[str, list] = {}
    for e in v.entries:
        if e.status == "joined":
            by_point.setdefault(_where(v, e) or "未指定", []).append(e)
    if not by_point:
        return f"【{r.title}】还没有人接龙，暂无取货名单。"
    parts = []
    for point, entries in by_point.items():
        total = sum(e.quantity for e in entries)
        lines = [f"【{point}】{r.title}：{len(entries)} 人，共 {qty(total)}{r.unit}"]
        lines += [f"{e.seq}. {_name(v, e) or '微信用户'} {qty(e.quantity)}{r.unit}" for e in entries]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


CSV_HEADER = ["跟团号", "顾客", "openid", "数量", "单位", "自提点", "应付(元)", "状态", "接龙时间", "更新时间"]


def entries_csv(v: RoundView) -> str:
    r = v.round
    out = io.StringIO()
    writer = csvsafe.writer(out)
    writer.writerow(CSV_HEADER)
    for e in v.entries:
        writer.writerow([e.seq, _name(v, e) or "", e.openid, qty(e.quantity), r.unit, _where(v, e),
                         money(round(e.quantity * r.price_cents)), ENTRY_WORDS[e.status],
                         f"{to_local(e.created_at):%Y-%m-%d %H:%M}", f"{to_local(e.updated_at):%Y-%m-%d %H:%M}"])
    return out.getvalue()


def round_json(v: RoundView, entries: bool = False, history: list | None = None) -> dict:
    r, t = v.round, v.totals
    data = {
        "id": r.id, "title": r.title, "product": r.product, "unit": r.unit,
        "price": money(r.price_cents), "price_cents": r.price_cents,
        "min_total": r.min_total, "min_participants": r.min_participants, "cap": r.cap,
        "per_person_max": r.per_person_max, "deadline": to_local(r.deadline).isoformat(),
        "status": r.status, "pickup_points": list(r.pickup_points or []), "delivery": r.delivery,
        "description": r.description, "allow_cancel_after_confirm": r.allow_cancel_after_confirm,
        "total_quantity": t.total_quantity, "participants": t.participants, "waitlisted": t.waitlisted,
        "confirmed_at": to_local(r.confirmed_at).isoformat() if r.confirmed_at else None,
    }
    if entries:
        data["entries"] = [{"seq": e.seq, "name": _name(v, e), "openid": e.openid, "quantity": e.quantity,
                            "pickup_point": e.pickup_point, "status": e.status,
                            "amount": money(round(e.quantity * r.price_cents)),
                            "created_at": to_local(e.created_at).isoformat(),
                            "updated_at": to_local(e.updated_at).isoformat()} for e in v.entries]
    if history is not None:
        data["history"] = history
    return data
