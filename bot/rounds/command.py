"""The merchant's one-line 开团 message, read by rules (merchants write it the same way every time):

  开团 草莓 22元/斤 20斤起 上限50斤 每人限5斤 周五20点截止 自提:西湖,滨江
"""
from __future__ import annotations

import datetime as dt
import re

from ..nlu.numbers import CN_NUMBER, parse_quantity
from .. import clock
from .opening import RoundSpec

FORMAT = "开团格式：开团 草莓 22元/斤 20斤起 上限50斤 每人限5斤 周五20点截止 自提:西湖,滨江"
# The wording merchants see, the same in the chat and on the console's form.
PROBLEMS_HEAD = "这条开团消息还差点信息："
CONFIRM_HEAD = "请确认团购信息："
REFUSED_HEAD = "没能开团："


def problems_text(problems: list[str]) -> str:
    return PROBLEMS_HEAD + "；".join(problems) + "。"


def opened_text(r) -> str:
    return f"已开团：「{r.title}」（团号 #{r.id}）。"


def catalog_lookup(session):
    """parse_open's product_lookup over the catalog: name or alias -> (name, unit, price_cents)."""
    from .opening import catalog_product

    def lookup(name: str):
        product = catalog_product(session, name)
        return (product.name, product.unit, product.price_cents) if product else None
    return lookup


NUM = rf"(\d+(?:\.\d+)?|{CN_NUMBER})"
PRICE = re.compile(r"(\d+(?:\.\d+)?)\s*元\s*/\s*([^\s\d/，,]{1,3})")
MIN = re.compile(rf"(?:满|最少|至少)?{NUM}\s*([^\s\d]{{0,2}}?)\s*(?:起|成团|开团)")
MIN_PEOPLE = re.compile(r"(\d+)\s*人(?:起|成团)")
CAP = re.compile(rf"(?<!每人)(?:上限|限量|最多|封顶|限)\s*{NUM}")  # 「限50斤」; 「每人限5斤」 is PER_PERSON
PER_PERSON = re.compile(rf"每人(?:限购?|最多)\s*{NUM}")
PICKUP = re.compile(r"自提\s*[:：]\s*([^\s]+)")
DELIVERY = re.compile(r"送货上门|配送|包邮")
DESCRIPTION = re.compile(r"(?:说明|备注)\s*[:：]\s*(.+)$")
TITLE = re.compile(r"(?:标题|名称)\s*[:：]\s*([^\s]+)")
# 「每斤18元」「18元一斤」「18块/斤」: the ways a merchant writes a price besides 「18元/斤」.
PRICE_EACH = re.compile(r"每\s*([^\s\d/，,元块]{1,2}?)\s*(\d+(?:\.\d+)?)\s*(?:元|块)")
PRICE_PER = re.compile(r"(\d+(?:\.\d+)?)\s*(?:元|块)钱?\s*(?:一|每|1)\s*([^\s\d/，,]{1,2}?)(?=[\s，,]|$)")
DEADLINE = re.compile(
    r"(?:(今天|今晚|明天|明晚|后天)|(?:周|星期|礼拜)([一二三四五六日天])|(?:(?:(\d{4})\s*年\s*)?(\d{1,2})月(\d{1,2})[日号]))"
    r"\s*(早上|上午|中午|下午|傍晚|晚上)?"
    r"\s*(?:(\d{1,2})(?:[:：](\d{2})|点(半|(\d{1,2})分?)?))?\s*(?:截止|截单|结束)?")
AFTERNOON = {"下午", "傍晚", "晚上"}
WEEKDAY = {c: i for i, c in enumerate("一二三四五六日")} | {"天": 6}


def _number(text: str) -> float | None:
    return parse_quantity(text)


def parse_deadline(text: str, now: dt.datetime | None = None) -> dt.datetime | None:
    """Local words to a UTC time: 周五20点 is the coming Friday (next week's if today is Friday and past)."""
    m = DEADLINE.search(text)
    if not m:
        return None
    now = clock.to_local(now or clock.now())
    rel, weekday, year, month, day, part, hour, minute, half_or_min, minutes = m.groups()
    if rel:
        date = now.date() + dt.timedelta(days={"今天": 0, "今晚": 0, "明天": 1, "明晚": 1, "后天": 2}[rel])
    elif weekday:
        date = now.date() + dt.timedelta(days=(WEEKDAY[weekday] - now.weekday()) % 7)
    else:
        try:
            date = dt.date(int(year) if year else now.year, int(month), int(day))
        except ValueError:
            return None
        if date < now.date() and not year:  # 「1月5日」 in December is next January; 「2020年1月5日」 is not
            date = date.replace(year=now.year + 1)
    h = int(hour) if hour else (20 if rel in ("今晚", "明晚") else 23)
    mi = int(minute) if minute else 30 if half_or_min == "半" else int(minutes) if minutes else 0 if hour else 59
    if (rel in ("今晚", "明晚") or part in AFTERNOON) and h < 12 or part == "中午" and h < 6:
        h += 12  # 「周六晚上8点」 is 20:00
    if not (0 <= h <= 23 and 0 <= mi <= 59):
        return None
    when = dt.datetime.combine(date, dt.time(h, mi), tzinfo=clock.zone())
    if weekday and when <= now:
        when += dt.timedelta(days=7)
    return clock.to_utc_naive(when)


def _price(body: str) -> tuple[re.Match | None, float, str]:
    """(the match, yuan, unit) of the first price written in any of the usual ways."""
    m = PRICE.search(body)
    if m:
        return m, float(m.group(1)), m.group(2)
    m = PRICE_EACH.search(body)
    if m:
        return m, float(m.group(2)), m.group(1)
    m = PRICE_PER.search(body)
    if m:
        return m, float(m.group(1)), m.group(2)
    return None, 0.0, ""


def parse_open(text: str, product_lookup, now: dt.datetime | None = None) -> tuple[RoundSpec | None, list[str]]:
    """(spec, problems). product_lookup(name) -> (catalog name, unit, price_cents) or None."""
    body = re.sub(r"^\s*开团\s*", "", text)
    description = DESCRIPTION.search(body)
    if description:
        body = body[:description.start()]
    words = body.split()
    if not words or re.match(r"\d", words[0]):
        return None, [FORMAT]
    name = words[0]
    known = product_lookup(name)
    price, amount, price_unit = _price(body)
    unit = price_unit or (known[1] if known else "")
    price_cents = round(amount * 100) if price else (known[2] if known else 0)
    problems = []
    if known is None:
        problems.append(f"商品「{name}」不在商品目录里，请先添加商品或换个名字")
    rest = body[:price.start()] + " " + body[price.end():] if price else body
    minimum = None
    for m in MIN.finditer(rest):
        if m.group(2) in ("", unit):
            minimum = _number(m.group(1))
            break
    cap = CAP.search(rest)
    per = PER_PERSON.search(rest)
    people = MIN_PEOPLE.search(rest)
    pickup = PICKUP.search(body)
    points = []
    if pickup:
        for p in re.split(r"[,，、/]", pickup.group(1)):
            p = p.strip()
            if p:
                points.append(p if p.endswith(("点", "店", "站")) else p + "自提点")
    deadline = parse_deadline(rest, now)
    if minimum is None:
        problems.append("没看到成团数量（例如「20斤起」）")
    if deadline is None:
        problems.append("没看到截止时间（例如「周五20点截止」）")
    title = TITLE.search(body)
    spec = RoundSpec(product=known[0] if known else name, unit=unit, price_cents=price_cents,
                     min_total=minimum or 0, deadline=deadline or dt.datetime.min,
                     cap=_number(cap.group(1)) if cap else None,
                     per_person_max=_number(per.group(1)) if per else None,
                     min_participants=int(people.group(1)) if people else None,
                     pickup_points=points, delivery=bool(DELIVERY.search(body)),
                     description=description.group(1).strip() if description else None,
                     title=title.group(1) if title else None)
    if not problems:
        problems = spec.problems(now)
    return spec, problems


FORM_FIELDS = ("product", "price", "unit", "min_total", "cap", "per_person_max", "min_participants",
               "deadline", "pickup", "delivery", "description")


def compose_open(form) -> str:
    """The console's 开团 form as the chat message it stands for, so both go through parse_open
    and read the same rules: 商品 22元/斤 20斤起 上限50斤 每人限5斤 3人成团 周五20点截止 自提:西湖,滨江."""
    def get(key: str) -> str:
        return re.sub(r"\s+", " ", str(form.get(key) or "")).strip()

    unit = get("unit").replace(" ", "")
    parts = ["开团", get("product").replace(" ", "")]
    if get("price"):
        parts.append(f"{get('price').replace(' ', '').removesuffix('元')}元/{unit}" if unit else f"{get('price')}元")
    if get("min_total"):
        parts.append(f"{get('min_total').replace(' ', '')}{unit}起")
    if get("cap"):
        parts.append(f"上限{get('cap').replace(' ', '')}")
    if get("per_person_max"):
        parts.append(f"每人限{get('per_person_max').replace(' ', '')}")
    if get("min_participants"):
        parts.append(f"{get('min_participants').replace(' ', '')}人成团")
    if get("deadline"):
        parts.append(re.sub(r"(截止|截单|结束)$", "", get("deadline").replace(" ", "")) + "截止")
    if get("pickup"):
        parts.append("自提:" + re.sub(r"\s*[,，、/]\s*", ",", get("pickup")).replace(" ", ","))
    if form.get("delivery"):
        parts.append("送货上门")
    if get("description"):
        parts.append("说明:" + get("description"))
    return " ".join(p for p in parts if p)
