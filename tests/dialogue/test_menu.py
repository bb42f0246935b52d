"""The numbered menu of the greeting, 「帮助」 and a new follower: a number starts that line's intent
the way a menu click does, with no words yet, so nothing is recorded before the customer says it."""
import pytest
from sqlalchemy import select

from bot.models import FeedbackRecord, Ticket
from bot.wechat.simulator import message_xml


def _tickets(services, openid):
    with services.db.session() as s:
        return s.execute(select(Ticket).where(Ticket.openid == openid)).scalars().all()


def _click(sim, openid, key):
    return sim.deliver(message_xml(openid, "event", Event="CLICK", EventKey=key))[2]


def test_a_number_after_the_greeting_starts_that_line(sim):
    assert "回复数字" in sim.say("o-menu-1", "你好")
    assert "订单号" in sim.say("o-menu-1", "1")
    sim.say("o-menu-2", "你好")
    assert "哪个商品" in sim.say("o-menu-2", "２")  # a Chinese keyboard's full-width digit


def test_complaint_from_the_menu_asks_first_and_records_the_answer(sim, services):
    sim.say("o-menu-c", "在吗")  # a greeting in real customers' words
    assert "遇到了什么问题" in sim.say("o-menu-c", "4")
    assert _tickets(services, "o-menu-c") == []  # nothing to record yet
    answer = sim.say("o-menu-c", "草莓压坏了好几个")
    [ticket] = _tickets(services, "o-menu-c")
    assert ticket.kind == "complaint" and ticket.number in answer


def test_complaint_menu_click_opens_no_empty_ticket(sim, services):
    assert "遇到了什么问题" in _click(sim, "o-menu-k", "intent:complaint")
    assert _tickets(services, "o-menu-k") == []
    sim.say("o-menu-k", "牛奶是漏的，盒子都湿了")
    assert [t.kind for t in _tickets(services, "o-menu-k")] == ["complaint"]


def test_feedback_from_the_menu_records_only_the_words_that_follow(sim, services):
    sim.say("o-menu-f", "帮助")
    assert "建议" in sim.say("o-menu-f", "五")
    with services.db.session() as s:
        assert s.execute(select(FeedbackRecord)).scalars().all() == []
    sim.say("o-menu-f", "希望晚上七点后送")
    with services.db.session() as s:
        texts = [r.text for r in s.execute(select(FeedbackRecord)).scalars()]
    assert texts and all("七点" in t for t in texts)


@pytest.mark.parametrize("number", ["1", "3"])
def test_a_lone_number_with_no_list_open_shows_the_menu_not_a_guess(sim, number):
    answer = sim.say("o-menu-lone", number)
    assert "可以帮您" in answer and "再见" not in answer
    assert "人工" in sim.say("o-menu-lone", "6")


def test_a_new_follower_can_answer_the_welcome_by_number(sim, services):
    sim.deliver(message_xml("o-menu-sub", "event", Event="subscribe"))
    sim.say("o-menu-sub", "6")
    assert [t.kind for t in _tickets(services, "o-menu-sub")] == ["handoff"]


def test_stock_question_with_an_empty_catalogue_suggests_nothing_empty(sim):
    sim.say("o-menu-s", "帮助")
    sim.say("o-menu-s", "2")
    answer = sim.say("o-menu-s", "榴莲")
    assert "您是不是想找：？" not in answer and "榴莲" in answer


def test_a_rating_asked_after_the_menu_takes_the_number(sim, services):
    from bot.tickets import service

    sim.say("o-menu-rate", "你好")  # the menu, then staff resolve a ticket and ask for a score
    with services.db.session() as s:
        ticket = service.create(s, services.config, "o-menu-rate", "牛奶漏了", "complaint")
        s.flush()
        service.resolve(s, services.config, ticket, "agent")
    assert "感谢您的评分（4 分）" in sim.say("o-menu-rate", "4")
    with services.db.session() as s:
        assert [t.csat_score for t in s.execute(select(Ticket).where(Ticket.openid == "o-menu-rate")).scalars()] == [4]
