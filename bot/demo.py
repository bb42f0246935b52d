"""Demo data seeded by `make run` (idempotent): the contract listed in the README."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from . import clock
from .forecast.demo_history import seed_history
from .models import Customer, CustomerOpenid, FaqEntry, Order, OrderItem, Product, Round, ShipmentEvent, Stock, Warehouse

# name, aliases, unit, price, stock (西湖前置仓, 杭州中心仓), restock in days
PRODUCTS = [
    ("丹东草莓", ["草莓"], "斤", "25", (30, 120), None),
    ("散养土鸡蛋", ["土鸡蛋", "鸡蛋"], "斤", "12", (0, 80), None),
    ("赣南脐橙", ["脐橙", "橙子"], "斤", "8", (50, 300), None),
    ("红富士苹果", ["苹果"], "斤", "7", (40, 200), None),
    ("纯牛奶", ["牛奶"], "箱", "60", (10, 40), None),
    ("原味薯片", ["薯片"], "包", "6", (100, 0), None),
    ("番茄味薯片", [], "包", "6", (80, 0), None),
    ("玫瑰手工皂", ["玫瑰皂", "手工皂"], "块", "18", (0, 0), 7),
    ("牙膏", [], "支", "15", (20, 60), None),
    ("抽纸", ["纸巾"], "提", "20", (15, 90), None),
    ("折叠雨伞", ["雨伞"], "把", "39", (5, 30), None),
    ("防晒衣", [], "件", "89", (0, 25), None),
    ("陶瓷杯", ["杯子"], "个", "35", (8, 20), None),
]


def seed_products(session) -> int:
    existing = set(session.execute(select(Product.name)).scalars())
    added = 0
    for name, aliases, unit, price, _stock, _restock in PRODUCTS:
        if name not in existing:
            session.add(Product(name=name, aliases=aliases, unit=unit, price_cents=int(Decimal(price) * 100)))
            added += 1
    return added


# openid, member id, name, phone, role
CUSTOMERS = [
    ("o-demo-alice", "M0001", "王丽", "13800000001", "customer"),
    ("o-demo-bob", "M0002", "李强", "13800000002", "customer"),
    ("o-demo-merchant", "M0003", "陈姐", None, "merchant"),
]
WAREHOUSES = [("西湖前置仓", "front", 0), ("杭州中心仓", "central", 1)]


def seed_customers(session) -> int:
    added = 0
    for openid, member_id, name, phone, role in CUSTOMERS:
        if session.execute(select(Customer).where(Customer.member_id == member_id)).scalar() is None:
            customer = Customer(member_id=member_id, name=name, role=role)
            customer.set_phone(phone)
            customer.openids.append(CustomerOpenid(openid=openid))
            session.add(customer)
            added += 1
    return added


def seed_stock(session) -> int:
    houses = {}
    for name, kind, priority in WAREHOUSES:
        house = session.execute(select(Warehouse).where(Warehouse.name == name)).scalar()
        if house is None:
            house = Warehouse(name=name, kind=kind, priority=priority)
            session.add(house)
        houses[name] = house
    session.flush()
    added = 0
    today = clock.today()
    for name, _aliases, _unit, _price, (front, central), restock in PRODUCTS:
        product = session.execute(select(Product).where(Product.name == name)).scalar_one()
        for house, qty in ((houses["西湖前置仓"], front), (houses["杭州中心仓"], central)):
            exists = session.execute(select(Stock).where(Stock.product_id == product.id,
                                                         Stock.warehouse_id == house.id)).scalar()
            if exists is None:
                session.add(Stock(product=product, warehouse=house, quantity=qty,
                                  restock_date=today + dt.timedelta(days=restock) if restock else None))
                added += 1
    return added


def seed_orders(session) -> int:
    now = clock.utcnow().replace(microsecond=0)
    # "ETA tomorrow": 18:00 tomorrow in the shop's time, stored as naive UTC like every other time.
    tomorrow_evening = clock.to_utc_naive(dt.datetime.combine(clock.today() + dt.timedelta(days=1), dt.time(18)))
    orders = [
        ("DD20261101001", "M0001", [("丹东草莓", 3)], "运输中", "顺丰", "SF1234567890", tomorrow_evening,
         [("已下单", None, 50), ("已打包", "杭州中心仓", 44), ("已从杭州中心仓发出", "杭州中心仓", 24),
          ("运输中", "杭州转运中心", 6)]),
        ("DD20261115002", "M0001", [("陶瓷杯", 1)], "已签收", "中通", "ZT9876543210", None,
         [("已下单", None, 120), ("已打包", "西湖前置仓", 118), ("运输中", "杭州西湖区", 100), ("已签收", "杭州西湖区", 96)]),
        ("DD20261118003", "M0002", [("纯牛奶", 1)], "已付款，待发货", None, None, None, [("已下单", None, 30)]),
    ]
    added = 0
    for order_no, member_id, items, status, carrier, tracking, eta, steps in orders:
        if session.execute(select(Order).where(Order.order_no == order_no)).scalar() is not None:
            continue
        customer = session.execute(select(Customer).where(Customer.member_id == member_id)).scalar_one()
        order = Order(order_no=order_no, customer=customer, status=status, carrier=carrier, tracking_no=tracking,
                      eta=eta, created_at=now - dt.timedelta(hours=steps[0][2]))
        for name, qty in items:
            product = session.execute(select(Product).where(Product.name == name)).scalar_one()
            order.items.append(OrderItem(product=product, quantity=qty, price_cents=product.price_cents))
        for step, location, hours_ago in steps:
            order.events.append(ShipmentEvent(step=step, location=location, happened_at=now - dt.timedelta(hours=hours_ago)))
        session.add(order)
        added += 1
    return added


def seed_points(session, config) -> int:
    """Alice's points from her signed-for order, as the order push would have awarded them (the
    same source key, so a later push of that order awards nothing twice)."""
    from .members import points

    added = 0
    for order in session.execute(select(Order).where(Order.status == "已签收")).scalars():
        total = sum(round(i.quantity * i.price_cents) for i in order.items)
        earned = int(total / 100 * config.POINTS_PER_YUAN)
        signed = order.events[-1].happened_at if order.events else order.created_at
        if earned > 0 and points.change(session, order.customer_id, earned, "earn", f"订单 {order.order_no} 签收",
                                        source=f"order:{order.order_no}", expire_days=config.POINTS_EXPIRE_DAYS,
                                        now=signed) is not None:
            added += 1
    return added


# name, points, stock (None: unlimited)
REWARDS = [("5 元无门槛券", 200, 50), ("10 元满减券（满 59 可用）", 350, 20), ("丹东草莓 1 斤", 500, 5)]


def seed_rewards(session) -> int:
    from .members import rewards
    from .models import Reward

    existing = set(session.execute(select(Reward.name)).scalars())
    for name, cost, stock in REWARDS:
        if name not in existing:
            rewards.save(session, name, cost, stock)
    return len([n for n, _, _ in REWARDS if n not in existing])


# title, product, unit, price, minimum, cap, per person, days to deadline, pickup points
ROUNDS = [
    ("丹东草莓 第3期", "丹东草莓", "斤", "22", 20, 50, 5, 3, ["西湖自提点", "滨江自提点"]),
    ("散养土鸡蛋 拼单", "散养土鸡蛋", "斤", "10", 30, None, 10, 5, ["西湖自提点", "滨江自提点"]),
]


def seed_rounds(session) -> int:
    """Open and empty: no invented participants, the progress customers see is real."""
    now = clock.utcnow().replace(second=0, microsecond=0)
    added = 0
    for title, product, unit, price, minimum, cap, per_person, days, points in ROUNDS:
        if session.execute(select(Round).where(Round.title == title)).scalar() is None:
            session.add(Round(title=title, product=product, unit=unit, price_cents=int(Decimal(price) * 100),
                              min_total=minimum, cap=cap, per_person_max=per_person,
                              deadline=now + dt.timedelta(days=days), pickup_points=points, status="open",
                              created_by="demo"))
            added += 1
    return added


def seed(services) -> dict:
    with services.db.session() as s:
        counts = {"products": seed_products(s)}
        s.flush()
        counts["customers"] = seed_customers(s)
        counts["stock rows"] = seed_stock(s)
        s.flush()
        counts["orders"] = seed_orders(s)
        s.flush()
        counts["points entries"] = seed_points(s, services.config)
        counts["rewards"] = seed_rewards(s)
        counts["preorder rounds"] = seed_rounds(s)
        counts["days of demand history"] = seed_history(s)
        counts["staff accounts"] = seed_staff(s)
        counts["canned replies"] = seed_canned(s)
        counts["faq entries"] = seed_faq(s)
        seed_facts(s)
    services.refresh_catalog()
    return counts


# The demo console login (README): never use these outside a local demo.
DEMO_STAFF = [("admin", "xiaoer-admin-2026", "admin", "管理员")]
CANNED = [
    ("道歉并核实", "非常抱歉给您带来不好的体验！我们已经在核实，请您稍等，处理结果会第一时间告诉您。"),
    ("补发", "核实清楚了，我们会为您免费补发，今天安排发出，到时把快递单号发给您。"),
    ("退款", "已为您申请全额退款，款项 1-3 个工作日原路退回，请注意查收。"),
]


def seed_staff(session) -> int:
    from .console.auth import hash_password
    from .models import StaffUser

    added = 0
    for username, password, role, name in DEMO_STAFF:
        if session.execute(select(StaffUser).where(StaffUser.username == username)).scalar() is None:
            session.add(StaffUser(username=username, password_hash=hash_password(password), role=role,
                                  display_name=name))
            added += 1
    return added


def seed_canned(session) -> int:
    from .models import CannedReply

    existing = set(session.execute(select(CannedReply.title)).scalars())
    fresh = [CannedReply(title=t, text=x) for t, x in CANNED if t not in existing]
    session.add_all(fresh)
    return len(fresh)


# What a fruit shop is asked every day (README: the merchant edits them at /console/faq)
FAQ = [
    ("运费多少", ["邮费怎么算", "包邮吗", "满多少包邮"], "杭州市区满 49 元包邮，不满收 6 元运费；外地按重量计算，下单页会显示。"),
    ("配送范围和时间", ["送哪些地方", "几点送到", "能送到我们小区吗"],
     "杭州主城区下午 4 点前下单当晚送达，余杭、萧山次日达，其他地区走顺丰冷链。"),
    ("收到坏果怎么办", ["坏果包赔吗", "烂了能退吗"], "签收 24 小时内拍照发给我们，坏果按斤数包赔，可以退款也可以下次补发。"),
    ("能开发票吗", ["发票怎么开", "可以开专票吗"], "可以开电子普通发票，3 个工作日内发到您邮箱。要开的话直接说「我要开发票」，我会问您抬头和税号。"),
    ("收货地址填错了能改吗", ["地址还能改吗", "下单后能改地址吗"], "发货前可以改：直接告诉我「地址改成……」，我来登记；已经发货的需要联系快递改派。"),
    ("营业时间", ["客服几点上班", "你们几点关门"], "门店和客服每天 9:00-21:00 在线，晚上的消息我们第二天一早回复。"),
    ("自提点在哪", ["可以自提吗", "自提地址"], "自提点在西湖区文三路 88 号一楼（店小二鲜果），每天 9:00-21:00 可以取货。"),
    ("怎么付款", ["支持哪些支付方式", "能货到付款吗"], "支持微信支付；团购接龙在成团后统一付款，暂不支持货到付款。"),
    ("水果怎么保存", ["草莓怎么放", "要放冰箱吗"], "草莓蓝莓请冷藏、尽快吃完，吃之前再洗；香蕉芒果常温放，别放冰箱。"),
    ("水果产地是哪", ["是哪里产的", "产地在哪"], "丹东草莓产自辽宁丹东，阳光玫瑰来自云南，纯牛奶来自内蒙古牧场；每个商品页写着产地。"),
    ("可以退换吗", ["能退货吗", "不想要了能退吗"], "生鲜签收后不支持无理由退货；有质量问题 24 小时内拍照联系客服，包退包换。"),
]


def seed_faq(session) -> int:
    from .faq import entries

    existing = {q for q in session.execute(select(FaqEntry.question)).scalars()}
    added = 0
    for question, variants, answer in FAQ:
        if question not in existing:
            entries.add(session, question, variants, answer, by="demo")
            added += 1
    return added


FACTS = {
    "丹东草莓": {"origin": "辽宁丹东", "spec": "每盒约 1 斤，单果 20-30 克", "taste": "香甜多汁，微酸",
                 "storage": "冷藏 0-4℃，吃之前再洗", "shelf_life": "冷藏 2-3 天"},
    "纯牛奶": {"origin": "内蒙古呼伦贝尔牧场", "spec": "250ml x 12 盒/箱", "storage": "常温避光，开盒后冷藏当天喝完",
              "shelf_life": "常温 6 个月"},
    "散养土鸡蛋": {"origin": "浙江安吉山区散养", "spec": "每斤约 9-10 枚", "storage": "冷藏，大头朝上",
                  "shelf_life": "冷藏 30 天"},
    "赣南脐橙": {"origin": "江西赣州", "taste": "甜度 13 度左右，汁多", "shelf_life": "常温阴凉处 15 天"},
}


def seed_facts(session) -> None:
    """Only where the merchant has written nothing yet: a re-seed never overwrites their facts."""
    for name, facts in FACTS.items():
        product = session.execute(select(Product).where(Product.name == name)).scalar_one_or_none()
        if product is not None and not product.facts:
            product.facts = dict(facts)
