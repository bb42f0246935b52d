"""A customer who asks for a person gets one: a hand-off ticket staff work in the console."""
from __future__ import annotations

from ..dialogue.registry import Turn, registry
from ..tickets import chat, service


@registry.intent("human_handoff")
def human_handoff(turn: Turn) -> str:
    from .tickets import IN_QUEUE, promise

    noted = chat.add_words(turn.services.db, turn.openid, turn.incoming.text)  # the plain case, on Core
    if noted is not None:
        return IN_QUEUE.format(noted.number)
    with turn.services.db.session() as s:
        ticket = service.open_ticket_for(s, turn.openid)
        if ticket is not None:
            service.add_customer_message(s, turn.services.config, ticket, turn.incoming.text)
            return IN_QUEUE.format(ticket.number)
        ticket = service.create(s, turn.services.config, turn.openid, turn.incoming.text or turn.text, "handoff",
                                turn.entity("order_id"), turn.entity("product"))
        return (f"已为您转接人工客服，工单号 {ticket.number}。{promise(turn, ticket)}"
                "您可以先把问题和订单号发给我，客服上线后会直接看到。")
