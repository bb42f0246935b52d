"""「我的积分」 (points_query) and 「积分兑换」 (points_redeem: the list → a number → 确认 → a code)."""
from __future__ import annotations

from ..clock import to_local
from ..dialogue.registry import Turn, registry
from ..dialogue.words import YES_WORDS, bare
from ..members import points, rewards
from ..members.identity import member_for_openid

NO_MEMBER = ("您还没有积分记录。绑定会员后，签收订单、收货评价、参加成团的接龙都能攒积分："
             "发「绑定账号」开始。")
CONFIRM_WORDS = YES_WORDS | {"确认", "确定", "兑换", "确认兑换", "换"}
SIGN = {True: "+", False: ""}


def _day(moment) -> str:
    local = to_local(moment)
    return f"{local.year}年{local.month}月{local.day}日"


def describe(summary: points.Summary) -> str:
    lines = [f"您当前有 {summary.balance} 积分。"]
    if summary.recent:
        lines.append("最近变动：")
        for e in summary.recent:
            local = to_local(e.created_at)
            lines.append(f"· {local.month}月{local.day}日 {SIGN[e.delta > 0]}{e.delta} {e.reason}")
    if summary.expiring:
        when, amount = summary.expiring[0]
        lines.append(f"最早一笔 {amount} 积分将在 {_day(when)} 到期" +
                     (f"，之后还有 {sum(a for _, a in summary.expiring[1:])} 积分陆续到期。" if len(summary.expiring) > 1 else "。"))
    lines.append("发「积分兑换」看看能换什么。")
    return "\n".join(lines)


@registry.intent("points_query")
def points_query(turn: Turn) -> str:
    with turn.services.db.session() as s:
        customer = member_for_openid(s, turn.openid)
        if customer is None:
            return NO_MEMBER
        return describe(points.summary(s, customer.id))


@registry.intent("points_redeem")
def points_redeem(turn: Turn) -> str:
    slots, answer = turn.state.slots, bare(turn.text)
    with turn.services.db.session() as s:
        customer = member_for_openid(s, turn.openid)
        if customer is None:  # 「积分能干嘛」 from someone with none yet: what points buy is the answer
            turn.state.clear()
            offered = rewards.available(s)
            if not offered:
                return NO_MEMBER
            listed = "\n".join(f"· {r.name}（{r.points} 积分）" for r in offered)
            return f"积分可以兑换：\n{listed}\n{NO_MEMBER}"
        if slots.get("asked") == "confirm":
            reward_id = slots.get("reward_id")
            turn.state.clear()
            if answer.lower() not in CONFIRM_WORDS:
                return "好的，这次先不兑换，积分给您留着。"
            try:
                done = rewards.redeem(s, customer.id, reward_id, turn.openid)
            except points.PointsError as exc:
                return str(exc)
            balance = s.get(type(customer), customer.id).points_balance
            return (f"兑换成功！「{done.reward_name}」的兑换码：{done.code}\n"
                    f"用掉 {done.points} 积分，还剩 {balance} 积分。下单或到店时出示兑换码即可使用。")
        balance = points.summary(s, customer.id).balance
        choices = rewards.available(s)
        if slots.get("asked") == "reward":
            ids = slots.get("choices", [])
            picked = int(answer) if answer.isdigit() and 0 < int(answer) <= len(ids) else None
            chosen = next((r for r in choices if picked and r.id == ids[picked - 1]), None)
            if chosen is None:
                turn.state.clear()
                return "没有这个序号的奖品（或刚刚兑完了）。再发「积分兑换」重新看看吧。"
            if chosen.points > balance:
                turn.state.clear()
                return f"积分不足：「{chosen.name}」需要 {chosen.points} 积分，您现在有 {balance} 积分。"
            turn.state.clear()
            return turn.ask("confirm", f"确认用 {chosen.points} 积分兑换「{chosen.name}」吗？回复「确认」兑换，"
                            "回复「取消」作罢。", accept=r"确认|确定|兑换|确认兑换|好的?|是的?|可以|嗯+|换|不.*",
                            reward_id=chosen.id, asked="confirm")
        if not choices:
            turn.state.clear()
            return f"您当前有 {balance} 积分。暂时没有可兑换的奖品，上新了会告诉大家。"
        cheapest = min(r.points for r in choices)
        if balance < cheapest:  # a numbered list to choose from that all answer 「积分不足」 helps no one
            turn.state.clear()
            listed = "\n".join(f"· {r.name}（{r.points} 积分）" for r in choices)
            return (f"您当前有 {balance} 积分，还差 {cheapest - balance} 积分就能兑换第一个奖品：\n{listed}\n"
                    "签收订单、收货评价、参加成团的接龙都能攒积分。")
        lines = [f"您当前有 {balance} 积分，可以兑换："]
        for i, r in enumerate(choices, 1):
            left = "" if r.stock is None else f"，剩 {r.stock} 份"
            lines.append(f"{i}. {r.name}（{r.points} 积分{left}）")
        lines.append("回复序号选择要兑换的奖品。")
        return turn.ask("reward", "\n".join(lines), accept=r"\d{1,2}", choices=[r.id for r in choices],
                        asked="reward")
