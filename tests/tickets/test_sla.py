"""Business-hours SLA clocks: nights and closed days do not count; the time zone is the shop's."""
import datetime as dt

import pytest

from bot.tickets.classify import category_of, priority_of
from bot.tickets.sla import BusinessHours, parse_targets

HOURS = BusinessHours("09:00-18:00", "12345")  # Mon-Fri


def utc(local: str) -> dt.datetime:
    """Local Shanghai time (UTC+8) as the naive UTC the database stores."""
    return dt.datetime.fromisoformat(local) - dt.timedelta(hours=8)


@pytest.mark.parametrize("start,hours,due", [
    ("2026-11-23 10:00", 1, "2026-11-23 11:00"),   # Monday, inside hours
    ("2026-11-23 17:30", 1, "2026-11-24 09:30"),   # runs over the night
    ("2026-11-23 23:00", 1, "2026-11-24 10:00"),   # after closing: starts next morning
    ("2026-11-27 17:00", 2, "2026-11-30 10:00"),   # Friday evening to Monday
    ("2026-11-28 12:00", 8, "2026-11-30 17:00"),   # Saturday: the clock waits for Monday
])
def test_add_business_time(start, hours, due):
    assert HOURS.add(utc(start), hours * 3600) == utc(due)


def test_between_counts_only_business_seconds():
    assert HOURS.between(utc("2026-11-27 17:00"), utc("2026-11-30 10:00")) == 2 * 3600
    assert HOURS.between(utc("2026-11-30 10:00"), utc("2026-11-27 17:00")) == 0


def test_bad_configuration_is_refused():
    with pytest.raises(ValueError):
        BusinessHours("18:00-09:00")
    with pytest.raises(ValueError):
        BusinessHours("09:00-18:00", days="")
    assert parse_targets("urgent=1/8,normal=8/48") == {"urgent": (1.0, 8.0), "normal": (8.0, 48.0)}


@pytest.mark.parametrize("text,category,priority", [
    ("吃了以后拉肚子", "quality", "urgent"), ("孩子过敏了", "quality", "urgent"), ("牛奶变质了", "freshness", "urgent"),
    ("面包发霉", "freshness", "urgent"), ("鸡蛋碎了", "damaged", "high"), ("少发了一箱", "shortage", "high"),
    ("缺斤少两", "shortage", "high"), ("发错货了", "wrong_item", "high"), ("快递太慢", "delivery", "normal"),
    ("客服态度很差", "staff_attitude", "normal"), ("团长不回消息", "group_organiser", "normal"),
    ("味道不对", "quality", "normal"), ("我不满意", "other", "normal"),
])
def test_category_and_priority_rules(text, category, priority):
    assert category_of(text) == category and priority_of(text, category) == priority
