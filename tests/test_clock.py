"""The shop's one clock: its day starts at Asia/Shanghai midnight (16:00 UTC), and everything that
says or counts "today" follows it, at 23:50 and at 00:10 shop time, across a year's end."""
import datetime as dt

from bot import clock
from bot.clock import frozen, shifted
from bot.demo import seed
from bot.models import MessageLog
from bot.shop import wording
from bot.tickets.reports import today_numbers

NEW_YEARS_EVE = dt.datetime(2030, 12, 31, 23, 50)  # shop-local: 15:50 UTC
NEW_YEAR = dt.datetime(2031, 1, 1, 0, 10)  # shop-local: 16:10 UTC, still 31 Dec in UTC


def test_the_shop_day_turns_at_local_midnight_not_utc():
    with frozen(NEW_YEARS_EVE):
        assert clock.today() == dt.date(2030, 12, 31)
        assert clock.utcnow() == dt.datetime(2030, 12, 31, 15, 50)
    with frozen(NEW_YEAR):
        assert clock.utcnow().date() == dt.date(2030, 12, 31)  # UTC has not turned yet
        assert clock.today() == dt.date(2031, 1, 1)
        assert clock.local_midnight(clock.today()) == dt.datetime(2030, 12, 31, 16, 0)


def test_frozen_clock_moves_only_when_told_and_shifted_clock_runs():
    with frozen(NEW_YEARS_EVE) as c:
        first = clock.now()
        assert clock.now() == first
        c.tick(20 * 60)
        assert clock.today() == dt.date(2031, 1, 1)
    with shifted(NEW_YEARS_EVE):
        assert abs((clock.now() - first).total_seconds()) < 5
    assert clock.now().year != 2030  # restored


def test_words_for_times_use_shop_days():
    eta = clock.to_utc_naive(dt.datetime(2031, 1, 1, 18, 0))
    with frozen(NEW_YEARS_EVE):
        assert wording.when(eta) == "1月1日（明天） 18:00"
        assert clock.say_deadline(eta) == "明天 18:00"
    with frozen(NEW_YEAR):
        assert wording.when(eta) == "1月1日（今天） 18:00"
        assert clock.say_deadline(eta) == "今天 18:00"


def test_todays_numbers_count_from_local_midnight(app):
    svc = app.extensions["xiaoer"]
    with svc.db.session() as s:
        for at in (NEW_YEARS_EVE, NEW_YEAR):
            s.add(MessageLog(openid="o-clock", msg_type="text", dedup_key=f"clock-{at:%H%M}",
                             status="answered", created_at=clock.to_utc_naive(at)))
    with frozen(NEW_YEAR + dt.timedelta(minutes=10)), app.app_context():
        assert today_numbers(svc.db)["messages_today"] == 1  # counted from UTC midnight it would be 2
    with frozen(dt.datetime(2031, 1, 1, 23, 55)), app.app_context():  # 15:55 UTC, still "today" locally
        assert today_numbers(svc.db)["messages_today"] == 1


def test_demo_data_and_a_chat_follow_the_clock(app, sim):
    """Seeded deadlines and ETAs are relative to the clock; the webhook's replay window too."""
    with shifted(NEW_YEARS_EVE):
        seed(app.extensions["xiaoer"])
        answer = sim.say("o-demo-alice", "DD20261101001 到哪了")
        assert "1月1日（明天） 18:00" in answer, answer
        rounds = sim.say("o-demo-alice", "现在有什么团购")
        assert "丹东草莓 第3期" in rounds and "周五 23:50 截止" in rounds, rounds  # 3 Jan 2031, three days on
