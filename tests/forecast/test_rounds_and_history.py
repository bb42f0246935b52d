"""Where the forecast meets the rest of the shop: orders and round joins counted on the shop's
day, the outlook on /api/rounds/<id> and in the merchant's 接龙名单 (never in what customers see),
and the `demand forecast` command."""
import datetime as dt

from sqlalchemy import select

from bot import clock
from bot.forecast.history import histories
from bot.models import Customer, Order, OrderItem, Product
from bot.rounds.joining import join
from bot.wechat.simulator import Simulator
from tests.helpers import APP_ID, TOKEN, flask_transport, round_id

AUTH = {"Authorization": "Bearer test-api-token"}
STRAWBERRY = "丹东草莓 第3期"


def test_orders_and_round_joins_count_on_the_shop_day(demo_app):
    svc = demo_app.extensions["xiaoer"]
    today = clock.today()
    yesterday = today - dt.timedelta(days=1)
    late = clock.to_utc_naive(dt.datetime.combine(yesterday, dt.time(23, 30)))  # 15:30 UTC: still yesterday here
    with svc.db.session() as s:
        before = {h.product: h for h in histories(s)}
    with svc.db.session() as s:
        alice = s.execute(select(Customer).where(Customer.phone_hash.isnot(None))).scalars().first()
        milk = s.execute(select(Product).where(Product.name == "纯牛奶")).scalar_one()
        order = Order(order_no="DD99999999901", customer_id=alice.id, status="已签收", created_at=late)
        s.add(order)
        s.flush()
        s.add(OrderItem(order_id=order.id, product_id=milk.id, quantity=3, price_cents=6000))
    rid = round_id(svc, STRAWBERRY)
    assert join(svc.db, rid, "o-demo-alice", 4, "西湖自提点", now=late).status == "joined"
    with svc.db.session() as s:
        after = {h.product: h for h in histories(s)}
    assert after["纯牛奶"].days[-1] == yesterday
    assert after["纯牛奶"].demand[-1] == before["纯牛奶"].demand[-1] + 3
    assert after["丹东草莓"].demand[-1] == before["丹东草莓"].demand[-1] + 4  # the join is demand known in advance


def test_round_outlook_in_the_api_and_for_the_merchant_only(demo_app):
    svc = demo_app.extensions["xiaoer"]
    rid = round_id(svc, STRAWBERRY)
    for openid, qty in [("o-demo-alice", 5), ("o-demo-bob", 4)]:
        assert join(svc.db, rid, openid, qty, "西湖自提点").status == "joined"
    data = demo_app.test_client().get(f"/api/rounds/{rid}", headers=AUTH).get_json()
    outlook = data["outlook"]
    assert set(outlook) >= {"probability", "expected_total"}
    assert 0 < outlook["probability"] < 1 and outlook["expected_total"] >= 9
    sim = Simulator(TOKEN, APP_ID, None, post=flask_transport(demo_app))
    listing = sim.say("o-demo-merchant", "接龙名单 草莓")
    assert "仅您可见" in listing and "概率约" in listing
    assert listing.index("仅您可见") > listing.index("2. 李*")  # below the list the merchant pastes
    status = sim.say("o-demo-alice", "草莓团凑够了吗")
    assert "已凑 9/20 斤" in status and "概率" not in status and "预计" not in status


def test_demand_forecast_command_prints_the_table(demo_app):
    result = demo_app.test_cli_runner().invoke(args=["demand", "forecast", "--product", "纯牛奶"])
    assert result.exit_code == 0, result.output
    assert "纯牛奶（箱）  ets  MASE" in result.output
    assert clock.today().isoformat() in result.output
    assert "补货建议" in result.output and "西湖前置仓" in result.output
    missing = demo_app.test_cli_runner().invoke(args=["demand", "forecast", "--product", "榴莲"])
    assert missing.exit_code != 0 and "no product named" in missing.output
