"""Customers and group preorder rounds: join (接龙), cancel, and ask how a round is going.

Missing pieces (which round, how much, which pickup point) are asked one at a time; the answers
come back here through the conversation state. The rules themselves live in bot/rounds.
"""
from __future__ import annotations

import re

from ..dialogue.registry import Turn, registry
from ..dialogue.words import YES_WORDS, bare
from ..models import Round
from ..nlu.numbers import CN_NUMBER, parse_quantity
from ..rounds import ledger
from ..rounds.joining import cancel, join
from ..rounds.notices import queue_notices
from ..rounds.opening import catalog_product
from ..rounds.render import group_text, progress
from ..rounds.ledger import money, qty

NUMBER_ANSWER = rf"(\d+(?:\.\d+)?半?|{CN_NUMBER})\s*[^\d\s]{{0,2}}"
ROUND_WORDS = re.compile(r"团|接龙|拼单|报名|凑单|预售|预订|预定")
ADD_WORDS = re.compile(r"再加|追加|加上|再来|再要")
MINE_ASKED = re.compile(r"我(?:都|一共)?(?:报|接|参加|跟|订|定|要)了|我的(?:接龙|团|跟团)|我报的|我接的")
NO_ROUNDS = "目前没有正在进行的团购接龙，有新团会第一时间通知大家哦。"


def _choose(turn: Turn, rounds: list, verb: str, quantity: float | None = None, unit: str | None = None) -> str:
    """`quantity`: the amount already said (「3斤」 before choosing), kept for the chosen round."""
    said = f"好的，{qty(quantity)}{unit or ''}。" if quantity is not None else ""
    lines = [f"{said}现在有 {len(rounds)} 个团，您要{verb}哪一个？"]
    lines += [f"{i}. {r.title}（{money(r.price_cents)}元/{r.unit}）" for i, r in enumerate(rounds, 1)]
    lines.append("回复序号即可。")
    kept = {"quantity": quantity} if quantity is not None else {}
    turn.state.topic = {"round_ids": [r.id for r in rounds]}
    return turn.ask("round", "\n".join(lines), accept=r"[1-9]", choices=[r.id for r in rounds], asked="round", **kept)


def _picked(turn: Turn, rounds: list):
    """The round the customer means: chosen by number, named by product, or the only one."""
    slots = turn.state.slots
    bare = turn.text.strip()
    if slots.get("asked") == "round" and bare.isdigit() and 0 < int(bare) <= len(slots.get("choices", [])):
        wanted = slots["choices"][int(bare) - 1]
        return next((r for r in rounds if r.id == wanted), None)
    if slots.get("round_id"):
        return next((r for r in rounds if r.id == slots["round_id"]), None)
    if len(rounds) == 1:
        return rounds[0]
    return next((r for r in rounds if r.id == turn.state.topic.get("round_id")), None)


def _rounds_for(turn: Turn, session) -> tuple[list, str | None]:
    product = turn.nlu.first("product") if turn.nlu else None
    product = product or turn.state.slots.get("product")
    return ledger.active_rounds(session, product), product


def _amounts(turn: Turn) -> list[tuple[float, str | None]]:
    """(quantity, unit) pairs in the order written: 「算我一个，两斤」 -> [(1, 个), (2, 斤)]."""
    pairs: list[tuple[float, str | None]] = []
    for e in (turn.nlu.entities if turn.nlu else []):
        if e.type == "quantity":
            pairs.append((e.value, None))
        elif e.type == "unit" and pairs and pairs[-1][1] is None:
            pairs[-1] = (pairs[-1][0], e.value)
    return pairs


def _quantity(turn: Turn, unit: str):
    """The amount in the round's unit; a figure of speech like 「算我一个」 is not one."""
    pairs = _amounts(turn)
    found = next((q for q, u in pairs if u == unit), None)
    if found is None:
        found = next((q for q, u in pairs if u is None), None)
    if found is None and turn.state.slots.get("asked") == "quantity":
        m = re.fullmatch(NUMBER_ANSWER, turn.text.strip())
        found = parse_quantity(m.group(1)) if m else None
    return found if found is not None else turn.state.slots.get("quantity")


def _pickup(turn: Turn, points: list[str]) -> str | None:
    bare = turn.text.strip()
    if turn.state.slots.get("asked") == "pickup" and bare.isdigit() and 0 < int(bare) <= len(points):
        return points[int(bare) - 1]
    for point in points:
        short = re.sub(r"(自提点|自提|点)$", "", point)
        if point in turn.text or (short and short in turn.text):
            return point
    return turn.state.slots.get("pickup")


@registry.intent("preorder_join")
def preorder_join(turn: Turn) -> str:
    svc = turn.services
    with svc.db.session() as s:
        rounds, product = _rounds_for(turn, s)
        openid_entries = {r.id: ledger.entry_of(s, r.id, turn.openid) for r in rounds}
    if not rounds:
        turn.state.clear()
        return f"目前没有{product}的团购在进行。" if product else NO_ROUNDS
    r = _picked(turn, rounds)
    if r is None:
        units = {x.unit for x in rounds}
        said = next(((q, u) for q, u in _amounts(turn) if u in units), None)  # 「+1」 alone: not yet an amount
        return _choose(turn, rounds, "参加", *(said or (turn.state.slots.get("quantity"), None)))
    quantity = _quantity(turn, r.unit)
    others = [u for _, u in _amounts(turn) if u and u != r.unit and u != "个"]
    if quantity is None and others:
        turn.state.clear()
        return f"「{r.title}」按{r.unit}接龙，请告诉我要几{r.unit}。"
    mine = openid_entries.get(r.id)
    limit = f"（每人限{qty(r.per_person_max)}{r.unit}）" if r.per_person_max else ""
    if quantity is None:
        return turn.ask("quantity", f"「{r.title}」{money(r.price_cents)}元/{r.unit}，请问您要几{r.unit}？{limit}",
                        accept=NUMBER_ANSWER, round_id=r.id, asked="quantity")
    points = list(r.pickup_points or [])
    pickup = _pickup(turn, points) or (mine.pickup_point if mine else None)
    if len(points) > 1 and pickup is None:
        options = "\n".join(f"{i}. {p}" for i, p in enumerate(points, 1))
        return turn.ask("pickup", f"请问在哪里自提？\n{options}\n回复序号或名称即可。",
                        accept=r"[1-9]|" + "|".join(re.escape(p.removesuffix("自提点")) + "(自提点)?" for p in points),
                        round_id=r.id, quantity=quantity, asked="pickup")
    turn.state.clear()
    turn.state.topic = {"round_id": r.id}
    out = join(svc.db, r.id, turn.openid, quantity, pickup, request_key=turn.incoming.dedup_key,
               add=bool(ADD_WORDS.search(turn.text)))
    if out.notices:
        queue_notices(svc, r.id)
    return _joined_answer(r, out)


def _joined_answer(r, out) -> str:
    if out.outcome in ("refused", "need_pickup"):
        return out.reason
    where = f"，{out.pickup}" if out.pickup else ("，送货上门" if r.delivery else "")
    due = money(round(out.quantity * r.price_cents))
    line = f"跟团号 {out.seq}，{r.product} {qty(out.quantity)}{r.unit}{where}，应付 {due} 元。"
    r.status = out.round_status or r.status  # detached snapshot: show the status this join left
    now = progress(r, out.totals)
    if out.status == "waitlisted":
        left = max((r.cap or 0) - out.totals.total_quantity, 0)
        room = f"目前只剩 {qty(left)}{r.unit}，" if left > 0 else "名额已满，"
        return (f"「{r.title}」{room}您已排入候补：{line}有人退出时按顺序递补，递补成功会通知您。"
                f"\n{now}")
    if out.outcome == "updated":
        head = f"已把您的数量从 {qty(out.previous)}{r.unit} 改为 {qty(out.quantity)}{r.unit}。"
    else:
        head = "接龙成功！" if out.outcome == "joined" else "您已经接龙过了，信息没有变化。"
    tail = "\n🎉 刚刚成团！成团通知稍后发给每位团友。" if out.confirmed_now else ""
    return f"{head}{line}\n{now}{tail}"


def scanned_round(turn: Turn, round_id: int) -> str:
    """Someone scanned a round's QR code: show the round and ask how much, as if they had typed
    「接龙」 for it, so their next message (「3」「3斤 西湖」) joins."""
    svc = turn.services
    with svc.db.session() as s:
        r = s.get(Round, round_id)
        live = r is not None and any(x.id == round_id for x in ledger.active_rounds(s, r.product))
        t = ledger.totals(s, round_id) if r is not None else None
        mine = ledger.entry_of(s, round_id, turn.openid) if live else None
    if r is None:
        return "这个团购二维码已失效。" + NO_ROUNDS
    if not live:
        word = ledger.STATUS_WORDS.get(r.status, "") if r.status not in ledger.ACTIVE else "已过截止时间"
        return f"「{r.title}」{word}，不能再接龙了。发「接龙」看看正在进行的团。"
    turn.state.clear()
    turn.intent = "preorder_join"
    lines = [f"【{r.title}】{money(r.price_cents)}元/{r.unit}", progress(r, t) + f"，{t.participants} 人已跟团"]
    if mine is not None and mine.status in ("joined", "waitlisted"):
        lines.append(f"您已接龙：跟团号 {mine.seq}，{qty(mine.quantity)}{r.unit}；回复新的数量可以修改。")
    points = list(r.pickup_points or [])
    if len(points) > 1:
        lines.append("自提点：" + "、".join(points) + f"（可以和数量一起回复，如「3{r.unit} {points[0].removesuffix('自提点')}」）")
    limit = f"（每人限{qty(r.per_person_max)}{r.unit}）" if r.per_person_max else ""
    lines.append(f"要几{r.unit}？{limit}直接回复数量即可。")
    return turn.ask("quantity", "\n".join(lines), accept=NUMBER_ANSWER, round_id=r.id, asked="quantity")


@registry.intent("preorder_cancel")
def preorder_cancel(turn: Turn) -> str:
    svc = turn.services
    if turn.state.slots.get("asked") == "cancel_confirm":
        return _confirmed_cancel(turn)
    product = turn.nlu.first("product") if turn.nlu else None
    with svc.db.session() as s:
        mine = [(e, r) for e, r in ledger.my_entries(s, turn.openid) if r.status in ledger.ACTIVE]
    if product:
        mine = [(e, r) for e, r in mine if r.product == product]
    rounds = [r for _, r in mine]
    named = bool(product) or ROUND_WORDS.search(turn.text) is not None
    if not rounds:
        turn.state.clear()
        if not named:  # 「算了 不用了」: nothing to cancel, and no round was named
            return "好的，那先不用了。还有什么可以帮您？"
        return f"您目前没有参加{product or ''}的团购接龙，不需要取消。"
    r = _picked(turn, rounds)
    if r is None:
        return _choose(turn, rounds, "取消")
    if not named and turn.state.slots.get("asked") != "round":
        # 「算了 不用了」 may answer something else entirely: a place in a round is not given up on a guess.
        e = next(e for e, x in mine if x.id == r.id)
        return turn.ask("confirm", f"要取消您在「{r.title}」的接龙（{qty(e.quantity)}{r.unit}）吗？"
                                   "回复「确认」取消，回复其他内容则保留。",
                        round_id=r.id, asked="cancel_confirm")
    return _cancel(turn, r)


def _confirmed_cancel(turn: Turn) -> str:
    rid = turn.state.slots.get("round_id")
    turn.state.clear()
    if bare(turn.text) not in YES_WORDS | {"确认", "确认取消", "取消", "是的取消"}:
        return "好的，接龙为您保留。还有什么可以帮您？"
    with turn.services.db.session() as s:
        r = s.get(Round, rid)
    return _cancel(turn, r) if r is not None else NO_ROUNDS


def _cancel(turn: Turn, r) -> str:
    svc = turn.services
    turn.state.clear()
    out = cancel(svc.db, r.id, turn.openid)
    if out.outcome != "cancelled":
        return out.reason
    if out.promoted:
        queue_notices(svc, r.id)
    return f"已取消您在「{r.title}」的接龙（跟团号 {out.seq}，{qty(out.quantity)}{r.unit}）。\n{progress(r, out.totals)}"


@registry.intent("preorder_status")
def preorder_status(turn: Turn) -> str:
    svc = turn.services
    product = turn.nlu.first("product") if turn.nlu else None
    with svc.db.session() as s:
        rounds = ledger.active_rounds(s, product)
        mine = {r.id: e for e, r in ledger.my_entries(s, turn.openid, ("joined", "waitlisted", "cancelled"))}
        extra = [r for e, r in ledger.my_entries(s, turn.openid) if r.id not in {x.id for x in rounds}
                 and (not product or r.product == product)]
        views = [(r, ledger.totals(s, r.id)) for r in rounds + extra]
    turn.state.clear()
    if not views:
        return f"目前没有{product}的团购在进行。" if product else NO_ROUNDS
    if MINE_ASKED.search(turn.text or ""):  # 「我报了几斤来着」: their own places, not every round
        views = [(r, t) for r, t in views if r.id in mine and mine[r.id].status != "cancelled"] or views
    if len(views) == 1:
        turn.state.topic = {"round_id": views[0][0].id}
    blocks = []
    for r, t in views:
        lines = [f"【{r.title}】{money(r.price_cents)}元/{r.unit}", progress(r, t) + f"，{t.participants} 人已跟团"
                 + (f"，{t.waitlisted} 人候补" if t.waitlisted else "")]
        e = mine.get(r.id)
        if e is not None and e.status != "cancelled":
            state = "候补中" if e.status == "waitlisted" else "已跟团"
            where = f"，{e.pickup_point}" if e.pickup_point else ""
            lines.append(f"您：跟团号 {e.seq}，{qty(e.quantity)}{r.unit}{where}，{state}，"
                         f"应付 {money(round(e.quantity * r.price_cents))} 元")
        elif r.status in ledger.ACTIVE:
            lines.append("您还没有参加，发「接龙 2" + r.unit + r.product + "」即可报名。")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


ROSTER = ("接龙名单", "团购名单")


def _customer(turn: Turn) -> bool:
    from .rounds_merchant import merchant  # the merchant's 接龙名单 (full detail) is theirs

    return not merchant(turn)


@registry.command("round_roster", *ROSTER, allowed=_customer)
def round_roster(turn: Turn) -> str:
    """A customer's 「接龙名单 [商品|#团号]」: the list the group would paste, names masked (王*),
    with the same progress the console shows, so nobody copies lists by hand."""
    arg = turn.text
    for p in ROSTER:
        arg = arg.removeprefix(p)
    arg = arg.strip(" :：")
    turn.state.clear()
    with turn.services.db.session() as s:
        if m := re.fullmatch(r"#?(\d+)", arg):
            found = s.get(Round, int(m.group(1)))
            rounds = [found] if found is not None else []
        else:
            product = catalog_product(s, arg) if arg else None
            rounds = ledger.active_rounds(s, product.name if product else None) if (product or not arg) else []
        views = [ledger.view(s, r.id, with_entries=True) for r in rounds]
    if not views:
        return f"没有找到「{arg}」的团，发「接龙名单」看所有进行中的团。" if arg else NO_ROUNDS
    return "\n\n".join(group_text(v) for v in views)
