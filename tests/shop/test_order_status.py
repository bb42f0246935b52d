"""order_status through the real webhook, on the SQL store and the HTTP order system alike."""
import datetime as dt

from bot import clock
from bot.models import Customer, CustomerOpenid, Order, OrderItem, OrderRequest, Product, utcnow
from bot.shop.wording import NOT_FOUND
from tests.helpers import chat


def test_order_with_id_shows_status_timeline_carrier_and_eta(shop_app):
    answer = chat(shop_app)("o-demo-alice", "DD20261101001到哪了")
    assert "订单 DD20261101001" in answer and "丹东草莓 3斤" in answer
    assert "状态：运输中" in answer and "顺丰 SF1234567890" in answer
    assert "预计送达：" in answer and "（明天） 18:00" in answer
    steps = [line for line in answer.splitlines() if line.startswith("· ")]
    assert [s.split(" ", 3)[-1].split("（")[0] for s in steps] == ["已下单", "已打包", "已从杭州中心仓发出", "运输中"]
    assert all(":" in s for s in steps)  # every step has its time


def test_without_id_lists_recent_orders_newest_first_at_most_three(shop_app):
    svc = shop_app.extensions["xiaoer"]
    with svc.db.session() as s:  # two more orders for alice: four in all, the newest two these
        alice = s.query(Customer).filter_by(member_id="M0001").one()
        milk = s.query(Product).filter_by(name="纯牛奶").one()
        for no, hours in (("DD20261120004", 3), ("DD20261121005", 1)):
            s.add(Order(order_no=no, customer=alice, status="已付款，待发货",
                        created_at=dt.datetime.utcnow() - dt.timedelta(hours=hours),
                        items=[OrderItem(product=milk, quantity=2, price_cents=6000)]))
    answer = chat(shop_app)("o-demo-alice", "我的订单到哪了")
    listed = [line.split(" ")[1] for line in answer.splitlines() if line[:2] in ("1.", "2.", "3.", "4.")]
    assert listed == ["DD20261121005", "DD20261120004", "DD20261101001"]


def test_bound_customer_without_orders_is_asked_and_the_next_message_answers(shop_app):
    svc = shop_app.extensions["xiaoer"]
    with svc.db.session() as s:
        s.add(Customer(member_id="M0009", name="赵敏", role="customer", openids=[CustomerOpenid(openid="o-zhao")]))
    say = chat(shop_app)
    assert "还没有查到订单" in say("o-zhao", "我的订单到哪了")
    assert say("o-zhao", "DD20261101001") == NOT_FOUND.format(no="DD20261101001")  # slot filled, not hers


def test_stranger_is_asked_for_the_id_and_gets_the_not_found_answer(shop_app):
    say = chat(shop_app)
    question = say("o-stranger", "我的订单到哪了")
    assert "订单号" in question and "绑定账号" in question
    assert say("o-stranger", "DD20261101001") == NOT_FOUND.format(no="DD20261101001")


def test_someone_elses_order_reads_exactly_like_a_missing_one(shop_app):
    say = chat(shop_app)
    others = say("o-demo-bob", "DD20261101001到哪了")
    missing = say("o-demo-bob", "DD20269999999到哪了")
    assert others.replace("DD20261101001", "X") == missing.replace("DD20269999999", "X")
    assert "丹东草莓" not in others and "顺丰" not in others
    assert "待发货" in say("o-demo-bob", "DD20261118003到哪了")  # his own order he does see


def test_order_lookups_are_rate_limited_per_openid(build):
    app = build("sql", ORDER_LOOKUP_LIMIT=3)
    say = chat(app)
    with clock.frozen(clock.now()):  # the windows are fixed slots: lookups straddling a slot's end reset
        for i in range(3):
            assert "状态" in say("o-demo-alice", "DD20261101001到哪了")
        assert "太频繁" in say("o-demo-alice", "DD20261101001到哪了")
        assert "太频繁" in say("o-demo-alice", "DD20261115002到哪了")
        assert "状态" in say("o-demo-bob", "DD20261118003到哪了")  # another openid has its own budget


def test_rate_limit_is_shared_across_processes(make_app, real_redis_url, wechat):
    """Two app instances on one Redis: lookups in one count in the other."""
    from bot.demo import seed
    first = make_app(REDIS_URL=real_redis_url, ORDER_LOOKUP_LIMIT=2)
    second = make_app(REDIS_URL=real_redis_url, ORDER_LOOKUP_LIMIT=2)  # (each new app empties the database)
    seed(first.extensions["xiaoer"])
    with clock.frozen(clock.now()):  # one fixed slot for every lookup, as above
        assert "状态" in chat(first)("o-demo-alice", "DD20261101001到哪了")
        assert "状态" in chat(second)("o-demo-alice", "DD20261101001到哪了")
        assert "太频繁" in chat(first)("o-demo-alice", "DD20261101001到哪了")


def test_the_listed_orders_answer_to_their_numbers(shop_app):
    say = chat(shop_app)
    assert "回复序号" in say("o-demo-alice", "我的订单到哪了")
    detail = say("o-demo-alice", "1")
    assert "订单 DD20261101001" in detail and "状态：运输中" in detail
    say("o-demo-alice", "我的订单到哪了")
    assert "订单 DD20261115002" in say("o-demo-alice", "第二个")


def test_a_reply_that_picks_nothing_does_not_list_the_orders_again(shop_app):
    say = chat(shop_app)
    say("o-demo-alice", "我的订单到哪了")
    answer = say("o-demo-alice", "好的")
    assert "DD2026" not in answer and "订单号" in answer
    assert "1. DD" in say("o-demo-alice", "我的订单到哪了")  # asking again lists them again


def test_urging_with_one_order_on_its_way_urges_that_order(shop_app):
    svc = shop_app.extensions["xiaoer"]
    answer = chat(shop_app)("o-demo-alice", "催一下")  # alice: one order in transit, one signed for
    assert "订单 DD20261101001" in answer and "已帮您催促" in answer
    with svc.db.session() as s:
        kinds = [r.kind for r in s.query(OrderRequest).all()]
    assert kinds == ["hurry"]


def test_urging_first_then_picking_from_the_list_still_urges(shop_app):
    svc = shop_app.extensions["xiaoer"]
    with svc.db.session() as s:  # a second order on its way: the list is shown first
        alice = s.query(Customer).filter_by(member_id="M0001").one()
        milk = s.query(Product).filter_by(name="纯牛奶").one()
        s.add(Order(order_no="DD20261120004", customer=alice, status="已付款，待发货",
                    created_at=utcnow() - dt.timedelta(hours=1),
                    items=[OrderItem(product=milk, quantity=2, price_cents=6000)]))
    say = chat(shop_app)
    assert "回复序号" in say("o-demo-alice", "能不能快点发货 急用")
    assert "已帮您催促" in say("o-demo-alice", "1")
