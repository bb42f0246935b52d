"""The customer's plain words on an open ticket go through Core (bot/tickets/chat.py): the rows they
leave are the ones service.add_customer_message leaves, and anything else is left to it."""
import pytest
from sqlalchemy import select, text

from bot.models import Ticket, TicketEvent, TicketMessage
from bot.tickets import chat, service


def _open(services, openid: str, text: str = "收到的鸡蛋碎了好几个", kind: str = "complaint") -> str:
    with services.db.session() as s:
        return service.create(s, services.config, openid, text, kind).number


def _trail(services, number: str):
    """The ticket's state and what was written for it, without ids and times."""
    with services.db.session() as s:
        t = s.execute(select(Ticket).where(Ticket.number == number)).scalar_one()
        messages = [(m.direction, m.kind, m.text, m.media_id, m.media_url, m.author, m.recipient, m.delivery)
                    for m in s.execute(select(TicketMessage).where(TicketMessage.ticket_id == t.id)
                                       .order_by(TicketMessage.id)).scalars()]
        events = [(e.actor, e.action, e.detail) for e in s.execute(
            select(TicketEvent).where(TicketEvent.ticket_id == t.id).order_by(TicketEvent.id)).scalars()]
        stamps = (t.last_customer_at, t.updated_at, t.created_at)
        return (t.state, t.category, t.priority, t.order_no, t.product), messages, events, stamps


def test_plain_words_leave_what_the_orm_path_leaves(services):
    a, b = _open(services, "o-core"), _open(services, "o-orm")
    noted = chat.add_words(services.db, "o-core", "还有两个也裂了")
    with services.db.session() as s:
        service.add_customer_message(s, services.config, service.open_ticket_for(s, "o-orm"), "还有两个也裂了")
    assert noted is not None and noted.number == a
    core, orm = _trail(services, a), _trail(services, b)
    assert core[:3] == orm[:3]
    assert core[2][-1] == ("customer", "message", None) and core[1][-1][2] == "还有两个也裂了"
    last_customer_at, updated_at, created_at = core[3]
    assert created_at <= last_customer_at <= updated_at  # the customer's words stamp the ticket
    with services.db.engine.connect() as conn:  # encrypted at rest on this path too
        stored = conn.execute(text("SELECT m.text FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id "
                                   "WHERE t.number = :n ORDER BY m.id DESC LIMIT 1"), {"n": a}).scalar()
    assert stored and "裂" not in stored


@pytest.mark.parametrize("state", ["pending_customer", "resolved"])
def test_a_ticket_the_words_would_move_is_left_to_the_orm(services, state):
    number = _open(services, "o-move")
    with services.db.session() as s:
        t = s.execute(select(Ticket).where(Ticket.number == number)).scalar_one()
        service.set_state(s, services.config, t, state, "tester")
    before = _trail(services, number)
    assert chat.add_words(services.db, "o-move", "还有两个也裂了") is None
    assert _trail(services, number) == before  # nothing written


def test_words_that_reclassify_or_link_are_left_to_the_orm(services):
    number = _open(services, "o-other", "我要退货")  # category 其他, priority normal
    before = _trail(services, number)
    assert chat.add_words(services.db, "o-other", "草莓全烂了 一股酒味") is None  # names the problem
    assert chat.add_words(services.db, "o-other", "就是这一单", order_no="DD20261101001") is None
    assert chat.add_words(services.db, "o-other", "就是草莓", product="丹东草莓") is None
    assert _trail(services, number) == before
    assert chat.add_words(services.db, "o-other", "在吗") is not None  # says nothing new


def test_kinds_and_strangers(services):
    number = _open(services, "o-handoff", "转人工", kind="handoff")
    assert chat.add_words(services.db, "o-handoff", "在吗", kinds=("complaint",)) is None
    assert chat.add_words(services.db, "o-handoff", "在吗").number == number
    assert chat.add_words(services.db, "o-nobody", "在吗") is None
