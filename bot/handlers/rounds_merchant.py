"""Merchants run rounds from the chat: 开团 (shown back for confirmation first), 截团, 接龙名单,
自提单, 导出 and 团购列表. Read by rules before the NLU, and only from openids with the merchant role;
anyone else sending 「开团」 goes through the NLU like any other message."""
from __future__ import annotations

import re

from sqlalchemy import select

from ..dialogue.registry import Turn, registry
from ..forecast.outlook import outlook, say
from ..models import Round
from ..rounds import ledger
from ..rounds.command import CONFIRM_HEAD, FORMAT, REFUSED_HEAD, catalog_lookup, opened_text, parse_open, problems_text
from ..rounds.lifecycle import close_round
from ..rounds.notices import queue_notices
from ..rounds.opening import RoundSpec, catalog_product, create_round
from ..rounds.render import entries_csv, group_text, pickup_lists, progress

YES = re.compile(r"(确认|确定|好的?|是的?|可以|开团吧?|没问题|ok|OK)[!！。.]*")
HELP = (FORMAT + "\n"
        "其他命令：截团 草莓｜接龙名单 草莓｜自提单 草莓｜导出 草莓｜团购列表")


def merchant(turn: Turn) -> bool:
    with turn.services.db.session() as s:
        return ledger.is_merchant(s, turn.openid)


@registry.command("round_open", "开团", allowed=merchant)
def round_open(turn: Turn) -> str | None:
    svc = turn.services
    draft = turn.state.slots.get("draft")
    if not turn.text.startswith("开团"):
        if draft is None or not YES.fullmatch(turn.text.strip()):
            return None  # not an answer to the draft: dropped, the message goes to the NLU
        turn.state.clear()
        spec = RoundSpec.from_json(draft)
        problems = spec.problems()
        if problems:
            return REFUSED_HEAD + "；".join(problems) + "。请重新发开团消息。"
        r = create_round(svc.db, spec, turn.openid)
        return (opened_text(r) + f"顾客发「接龙 2{r.unit}{r.product}」即可报名；"
                f"发「接龙名单 #{r.id}」看名单。")
    with svc.db.session() as s:
        spec, problems = parse_open(turn.text, catalog_lookup(s))
    turn.state.clear()
    if problems:
        return problems_text(problems) + "\n" + HELP
    return turn.ask("confirm", f"{CONFIRM_HEAD}\n{spec.describe()}\n回复「确认」开团，回复「取消」作废。",
                    accept=YES.pattern, draft=spec.as_json())


def _target(session, arg: str) -> tuple[Round | None, str]:
    """The round a merchant means: 「#3」, a product name, or the only active round."""
    arg = arg.strip(" :：")
    if m := re.fullmatch(r"#?(\d+)", arg):
        r = session.get(Round, int(m.group(1)))
        return r, "" if r else f"没有团号 #{m.group(1)} 的团。"
    query = select(Round).order_by(Round.status.in_(ledger.ACTIVE).desc(), Round.created_at.desc(), Round.id.desc())
    if arg:
        product = catalog_product(session, arg)
        name = product.name if product else arg
        r = session.execute(query.where(Round.product == name)).scalars().first()
        return r, "" if r else f"没有找到「{arg}」的团。"
    active = ledger.active_rounds(session)
    if len(active) == 1:
        return active[0], ""
    if not active:
        return None, "目前没有进行中的团，请写团号，例如 #1。"
    return None, "有多个进行中的团，请写商品名或团号：" + "、".join(f"#{r.id} {r.title}" for r in active)


def _with_round(turn: Turn, prefixes: tuple[str, ...], render, entries: bool = True) -> str:
    arg = turn.text
    for p in prefixes:
        arg = arg.removeprefix(p)
    with turn.services.db.session() as s:
        r, problem = _target(s, arg)
        if r is None:
            return problem
        return render(ledger.view(s, r.id, with_entries=entries))


LIST = ("接龙名单", "团购名单")
PICKUP = ("自提单", "取货单", "自提名单")
EXPORT = ("导出",)


@registry.command("round_list", *LIST, allowed=merchant)
def round_list(turn: Turn) -> str:
    def render(v):
        text = group_text(v)
        guess = say(outlook(v.round, entries=v.entries), v.round.unit) if v.round.status == "open" else None
        # below the list the merchant pastes, and marked as theirs: an estimate, not a promise to customers
        return f"{text}\n——\n（仅您可见，请勿转发）{guess}" if guess else text
    return _with_round(turn, LIST, render)


@registry.command("round_pickup", *PICKUP, allowed=merchant)
def round_pickup(turn: Turn) -> str:
    return _with_round(turn, PICKUP, pickup_lists)


@registry.command("round_export", *EXPORT, allowed=merchant)
def round_export(turn: Turn) -> str:
    def render(v):
        return f"「{v.round.title}」接龙明细（CSV，可复制到表格；也可用 GET /api/rounds/{v.round.id}/export 下载）：\n" \
               + entries_csv(v)
    return _with_round(turn, EXPORT, render)


@registry.command("round_overview", "团购列表", "我的团", allowed=merchant)
def round_overview(turn: Turn) -> str:
    with turn.services.db.session() as s:
        rounds = list(s.execute(select(Round).order_by(Round.id.desc()).limit(10)).scalars())
        lines = [f"#{r.id} {r.title}：{progress(r, ledger.totals(s, r.id))}" for r in rounds]
    return "\n".join(lines) if lines else "还没有开过团。\n" + HELP


CLOSE = ("截团", "结束团", "关团")


@registry.command("round_close", *CLOSE, allowed=merchant)
def round_close(turn: Turn) -> str | None:
    svc = turn.services
    pending_id = turn.state.slots.get("close_id")
    if not turn.text.startswith(CLOSE):
        if pending_id is None or not YES.fullmatch(turn.text.strip()):
            return None
        turn.state.clear()
        done = close_round(svc.db, pending_id, turn.openid)
        if done is None:
            return "这个团已经结束了，无需再截团。"
        if done.notices:
            queue_notices(svc, pending_id)
        word = "已截单" if done.after == "closed" else "未成团，已取消"
        return f"团 #{pending_id} {word}，已通知 {done.notices} 位顾客。发「自提单 #{pending_id}」看取货名单。"
    arg = turn.text
    for p in CLOSE:
        arg = arg.removeprefix(p)
    with svc.db.session() as s:
        r, problem = _target(s, arg)
        if r is None:
            return problem
        if r.status not in ledger.ACTIVE:
            return f"「{r.title}」{ledger.STATUS_WORDS[r.status]}，无需再截团。"
        t = ledger.totals(s, r.id)
    effect = ("截单后不再接受接龙，并通知跟团顾客。" if ledger.reached(r, t)
              else f"还没成团（{progress(r, t)}），现在截团会取消整团并通知 {t.participants + t.waitlisted} 位顾客。")
    return turn.ask("confirm", f"确定提前截团「{r.title}」吗？{effect}\n回复「确认」继续，回复「取消」作罢。",
                    accept=YES.pattern, close_id=r.id)
