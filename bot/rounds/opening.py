"""A round's terms, checked the same way whether they came from a merchant's chat message or the API."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field

from sqlalchemy import select

from ..clock import utcnow
from ..models import Product, Round
from ..clock import iso_local, say_deadline, to_local, to_utc_naive
from .ledger import audit, money, qty


def _stored(moment: dt.datetime) -> dt.datetime:
    """Naive UTC as stored; an aware time (a parser's local "now") is converted."""
    return to_utc_naive(moment) if moment.tzinfo else moment


# Beyond these a number is a slip of the keyboard (and past the columns' range: a 500, not a round).
MAX_PRICE_CENTS = 100_000 * 100  # 10 万元 per unit
MAX_QUANTITY = 1_000_000
MAX_PEOPLE = 10_000


@dataclass
class RoundSpec:
    product: str
    unit: str
    price_cents: int
    min_total: float
    deadline: dt.datetime  # UTC, naive
    cap: float | None = None
    per_person_max: float | None = None
    min_participants: int | None = None
    pickup_points: list[str] = field(default_factory=list)
    delivery: bool = False
    description: str | None = None
    title: str | None = None
    allow_cancel_after_confirm: bool = False

    def problems(self, now: dt.datetime | None = None) -> list[str]:
        p = []
        if not self.product:
            p.append("缺少商品名")
        if not self.unit:
            p.append("缺少单位（斤、箱、份…）")
        if self.price_cents is None or self.price_cents <= 0:
            p.append("价格要大于 0")
        elif self.price_cents > MAX_PRICE_CENTS:
            p.append(f"价格最多 {MAX_PRICE_CENTS // 100} 元")
        if self.min_total is None or self.min_total <= 0:
            p.append("成团数量要大于 0")
        if any(q is not None and q > MAX_QUANTITY for q in (self.min_total, self.cap, self.per_person_max)):
            p.append(f"数量最多 {MAX_QUANTITY}")
        if self.cap is not None and self.min_total is not None and self.cap < self.min_total:
            p.append("上限不能小于成团数量")
        if self.per_person_max is not None and self.per_person_max <= 0:
            p.append("每人限购要大于 0")
        if self.min_participants is not None and self.min_participants < 1:
            p.append("成团人数至少 1 人")
        elif self.min_participants is not None and self.min_participants > MAX_PEOPLE:
            p.append(f"成团人数最多 {MAX_PEOPLE} 人")
        if self.deadline is None or self.deadline <= _stored(now or utcnow()):
            p.append("截止时间要在将来")
        if not self.pickup_points and not self.delivery:
            p.append("请写自提点（自提:西湖,滨江）或「送货上门」")
        return p

    def as_json(self) -> dict:
        data = asdict(self)
        data["deadline"] = iso_local(self.deadline)
        return data

    @classmethod
    def from_json(cls, data: dict) -> "RoundSpec":
        data = dict(data)
        data["deadline"] = to_utc_naive(dt.datetime.fromisoformat(data["deadline"]))
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})

    def describe(self) -> str:
        lines = [f"商品：{self.product}（{money(self.price_cents)} 元/{self.unit}）",
                 f"成团：满 {qty(self.min_total)}{self.unit}"
                 + (f"且 {self.min_participants} 人" if self.min_participants else ""),
                 f"上限：{qty(self.cap) + self.unit if self.cap is not None else '不限'}",
                 f"每人限：{qty(self.per_person_max) + self.unit if self.per_person_max is not None else '不限'}",
                 f"截止：{say_deadline(self.deadline)}（{to_local(self.deadline):%m月%d日 %H:%M}）",
                 "取货：" + ("、".join(self.pickup_points) if self.pickup_points else "")
                 + ("（也可送货上门）" if self.delivery and self.pickup_points else "送货上门" if self.delivery else "")]
        if self.description:
            lines.append(f"说明：{self.description}")
        return "\n".join(lines)


def catalog_product(session, name: str) -> Product | None:
    """The catalog product a merchant means by a name or alias (草莓 -> 丹东草莓)."""
    for product in session.execute(select(Product)).scalars():
        if name == product.name or name in (product.aliases or []):
            return product
    return None


def next_title(session, product: str) -> str:
    titles = session.execute(select(Round.title).where(Round.product == product)).scalars().all()
    periods = [int(m.group(1)) for t in titles if (m := re.search(r"第(\d+)期", t))]
    return f"{product} 第{max(periods, default=len(titles)) + 1}期"


def create_round(db, spec: RoundSpec, actor: str) -> Round:
    """Caller has checked spec.problems(); the round goes live at once."""
    with db.session() as s:
        r = Round(title=spec.title or next_title(s, spec.product), product=spec.product, unit=spec.unit,
                  price_cents=spec.price_cents, min_total=spec.min_total, min_participants=spec.min_participants,
                  cap=spec.cap, per_person_max=spec.per_person_max, deadline=spec.deadline,
                  pickup_points=spec.pickup_points, delivery=spec.delivery, description=spec.description,
                  allow_cancel_after_confirm=spec.allow_cancel_after_confirm, status="open", created_by=actor)
        s.add(r)
        s.flush()
        audit(s, r, "opened", actor, **spec.as_json())
        return r
