"""The merchant's one-line 开团 message and its deadline words, read by rules."""
import datetime as dt

import pytest

from bot.clock import to_local, zone
from bot.rounds.command import parse_deadline, parse_open

LOCAL = zone()
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=LOCAL)  # a Monday, long past: every check takes this now


def lookup(name):
    return {"草莓": ("丹东草莓", "斤", 2500), "牛奶": ("纯牛奶", "箱", 6000)}.get(name)


def test_full_command():
    spec, problems = parse_open("开团 草莓 22元/斤 20斤起 上限50斤 每人限5斤 周五20点截止 自提:西湖,滨江", lookup, NOW)
    assert problems == []
    assert (spec.product, spec.unit, spec.price_cents, spec.min_total, spec.cap, spec.per_person_max) == \
        ("丹东草莓", "斤", 2200, 20, 50, 5)
    assert spec.pickup_points == ["西湖自提点", "滨江自提点"]
    assert to_local(spec.deadline) == dt.datetime(2026, 11, 27, 20, 0, tzinfo=LOCAL)


@pytest.mark.parametrize("words,expected", [
    ("周五20点截止", (11, 27, 20, 0)), ("明天18:30截止", (11, 24, 18, 30)), ("今晚8点截止", (11, 23, 20, 0)),
    ("12月1日20点半截止", (12, 1, 20, 30)), ("周一9点截止", (11, 30, 9, 0)), ("后天截止", (11, 25, 23, 59)),
])
def test_deadline_words(words, expected):
    when = to_local(parse_deadline(words, NOW))
    assert (when.month, when.day, when.hour, when.minute) == expected


@pytest.mark.parametrize("text,problem", [
    ("开团 火星土豆 5元/斤 10斤起 周五截止 自提:西湖", "不在商品目录"),
    ("开团 草莓 22元/斤 周五20点截止 自提:西湖", "成团数量"),
    ("开团 草莓 22元/斤 20斤起 自提:西湖", "截止时间"),
    ("开团 草莓 22元/斤 20斤起 上限10斤 周五20点截止 自提:西湖", "上限不能小于"),
    ("开团 草莓 22元/斤 20斤起 周五20点截止", "自提点"),
    ("开团", "开团格式"),
])
def test_incomplete_commands_say_what_is_missing(text, problem):
    _, problems = parse_open(text, lookup, NOW)
    assert any(problem in p for p in problems), problems


def test_units_and_people_and_delivery():
    spec, problems = parse_open("开团 牛奶 55元/箱 10箱起 3人成团 明天20点截止 送货上门 说明: 整箱配送", lookup, NOW)
    assert problems == []
    assert (spec.unit, spec.price_cents, spec.min_total, spec.min_participants, spec.delivery, spec.description) == \
        ("箱", 5500, 10, 3, True, "整箱配送")


@pytest.mark.parametrize("text,unit,cents,minimum,cap,per,hour", [
    ("开团 草莓 每斤18元 满30斤成团 限50斤 每人限5斤 周六晚上8点截止 自提:西湖", "斤", 1800, 30, 50, 5, 20),
    ("开团 草莓 18元一斤 30斤起 上限50斤 周六下午3点半截止 自提:西湖", "斤", 1800, 30, 50, None, 15),
    ("开团 草莓 18块一箱 10箱起 每人最多2箱 周六中午12点截止 送货上门", "箱", 1800, 10, None, 2, 12),
])
def test_open_reads_the_ways_merchants_write_prices_caps_and_times(text, unit, cents, minimum, cap, per, hour):
    """「每斤18元」「18元一斤」, 「满30斤成团」, 「限50斤」 (not 「每人限5斤」), 「周六晚上8点」 = 20:00."""
    import datetime as dt

    from bot import clock
    from bot.rounds.command import parse_open

    now = dt.datetime(2026, 12, 1, 4, 0)  # Tuesday noon in Shanghai
    spec, problems = parse_open(text, lambda name: ("丹东草莓", "斤", 2500), now)
    assert problems == []
    assert (spec.unit, spec.price_cents, spec.min_total, spec.cap, spec.per_person_max) == (unit, cents, minimum, cap, per)
    local = clock.to_local(spec.deadline.replace(tzinfo=dt.timezone.utc))
    assert (local.weekday(), local.hour) == (5, hour)


@pytest.mark.parametrize("words,expected", [
    ("2027年1月5日20点截止", (2027, 1, 5, 20, 0)),
    ("1月5日20点截止", (2027, 1, 5, 20, 0)),  # no year: the coming 1月5日
    ("2026年12月1日20:00截止", (2026, 12, 1, 20, 0)),
])
def test_a_written_year_is_kept(words, expected):
    when = to_local(parse_deadline(words, NOW))
    assert (when.year, when.month, when.day, when.hour, when.minute) == expected


def test_a_deadline_in_a_past_year_is_refused_not_moved_to_next_year():
    """「2020年1月1日」 used to open a round closing on the coming 1 January, the year dropped unseen."""
    _, problems = parse_open("开团 草莓 22元/斤 20斤起 2020年1月1日20:00截止 自提:西湖", lookup, NOW)
    assert any("截止时间要在将来" in p for p in problems)
