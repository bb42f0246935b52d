"""What staff do to tickets, shared by the console's forms and the JSON API: the queue's filters
and one action on one ticket (claim, assign, note, reply, canned, state, resolve, merge, resend)."""
from __future__ import annotations

from sqlalchemy import select

from ..models import CannedReply, StaffUser, Ticket, utcnow
from ..models.staff import WRITE_ROLES
from ..models.tickets import CATEGORIES, PRIORITIES, STATES
from . import service

ACTIONS = {"claim", "assign", "note", "reply", "canned", "state", "resolve", "merge", "resend"}


def filtered(s, args, me: StaffUser | None = None):
    """Tickets matching the queue's filters."""
    query = select(Ticket).where(Ticket.merged_into_id.is_(None)).order_by(Ticket.id.desc())
    for name, allowed in (("state", STATES), ("priority", PRIORITIES), ("category", CATEGORIES)):
        value = args.get(name)
        if value:
            if value not in allowed:
                raise service.TicketError(f"{name} 只能是：{', '.join(allowed)}")
            query = query.where(getattr(Ticket, name) == value)
    assignee = args.get("assignee")
    if assignee == "none":
        query = query.where(Ticket.assignee_id.is_(None))
    elif assignee:
        name = me.username if assignee == "me" and me else assignee
        query = query.join(StaffUser, Ticket.assignee_id == StaffUser.id).where(StaffUser.username == name)
    tickets = list(s.execute(query.limit(500)).scalars())
    if args.get("overdue") in ("1", "true", "yes"):
        now = utcnow()
        tickets = [t for t in tickets if service.is_overdue(t, now)]
    return tickets


def perform(s, config, t: Ticket, action: str, form, actor: str, me: StaffUser | None) -> int | None:
    """One action on one ticket, shared by console and API; returns a message id to send, if any."""
    if t.merged_into_id and action not in ("note",):
        raise service.TicketError(f"工单 {t.number} 已合并到其他工单，请在那里处理。")
    if action == "claim":
        if me is None:
            raise service.TicketError("认领需要指定员工。")
        service.claim(s, t, me, actor)
    elif action == "assign":
        if me is not None and me.role != "admin":
            raise service.TicketError("只有管理员可以把工单指派给别人；您可以「认领」给自己。")
        user = s.execute(select(StaffUser).where(StaffUser.username == (form.get("assignee") or ""),
                                                 StaffUser.active.is_(True))).scalar()
        if user is None or user.role not in WRITE_ROLES:
            raise service.TicketError("请选择一位管理员或客服。")
        service.claim(s, t, user, actor)
    elif action == "note":
        service.add_note(s, t, actor, form.get("text", ""))
    elif action in ("reply", "canned"):
        text = form.get("text", "")
        if action == "canned":
            canned = s.get(CannedReply, int(form.get("canned_id") or 0)) if (form.get("canned_id") or "").isdigit() else None
            if canned is None:
                raise service.TicketError("请选择一条快捷回复。")
            text = canned.text
        return service.add_reply(s, config, t, actor, text, author_id=me.id if me else None).id
    elif action == "state":
        service.set_state(s, config, t, form.get("state", ""), actor)
    elif action == "resolve":
        return service.resolve(s, config, t, actor).id
    elif action == "merge":
        target = s.execute(select(Ticket).where(Ticket.number == (form.get("target") or "").strip())).scalar()
        if target is None:
            raise service.TicketError("找不到要合并进去的工单号。")
        service.merge(s, config, t, target, actor)
    elif action == "resend":
        failed = [m for m in t.messages if m.direction == "out" and m.delivery == "failed"]
        if not failed:
            raise service.TicketError("没有发送失败的消息。")
        failed[-1].delivery = "queued"
        service.audit(s, t, actor, "resend", message_id=failed[-1].id)
        return failed[-1].id
    return None
