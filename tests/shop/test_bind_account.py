"""bind_account: phone plus one of the customer's order ids, both must match; lockout after 5."""
from sqlalchemy import select

from bot.handlers.account import LOCKED
from bot.models import CustomerOpenid
from tests.helpers import chat, run_jobs


def _bound_to(app, openid):
    with app.extensions["xiaoer"].db.session() as s:
        link = s.execute(select(CustomerOpenid).where(CustomerOpenid.openid == openid)).scalar()
        return link.customer.member_id if link else None


def test_binding_in_one_message_then_orders_are_visible(shop_app):
    say = chat(shop_app)
    answer = say("o-alice-phone2", "手机号13800000001 订单号DD20261101001")
    assert "绑定成功" in answer and "138****0001" in answer and "13800000001" not in answer
    assert _bound_to(shop_app, "o-alice-phone2") == "M0001"
    assert "DD20261101001" in say("o-alice-phone2", "我的订单到哪了")


def test_binding_over_several_turns(shop_app):
    say = chat(shop_app)
    assert "请先发手机号" in say("o-new", "绑定账号")
    assert "订单号" in say("o-new", "13800000002")
    assert "绑定成功" in say("o-new", "DD20261118003")
    assert _bound_to(shop_app, "o-new") == "M0002"


def test_phone_and_someone_elses_order_do_not_bind(shop_app):
    answer = chat(shop_app)("o-mallory", "手机号13800000002 订单号DD20261101001")
    assert "对不上" in answer and "还能试 4 次" in answer
    assert _bound_to(shop_app, "o-mallory") is None


def test_five_wrong_tries_lock_binding_even_for_right_data(build):
    app = build("sql")
    say = chat(app)
    for left in (4, 3, 2, 1):
        assert f"还能试 {left} 次" in say("o-guess", f"手机号1380000001{left} 订单号DD20261101001")
    assert say("o-guess", "手机号13900000000 订单号DD20261101001") == LOCKED
    assert say("o-guess", "手机号13800000001 订单号DD20261101001") == LOCKED
    assert _bound_to(app, "o-guess") is None
    assert "绑定成功" in say("o-other", "手机号13800000001 订单号DD20261101001")  # per openid


def test_lockout_is_shared_across_processes(make_app, real_redis_url, wechat):
    from bot.demo import seed
    first = make_app(REDIS_URL=real_redis_url, BIND_MAX_FAILURES=2)
    second = make_app(REDIS_URL=real_redis_url, BIND_MAX_FAILURES=2)
    seed(first.extensions["xiaoer"])
    assert "还能试 1 次" in chat(first)("o-guess2", "手机号13800000009 订单号DD20261101001")
    assert chat(second)("o-guess2", "手机号13800000008 订单号DD20261101001") == LOCKED
    assert chat(first)("o-guess2", "手机号13800000001 订单号DD20261101001") == LOCKED


def test_binding_keeps_no_phone_number_in_the_conversation_state(shop_app):
    """The state lives 30 minutes in the store: it holds the number's keyed hash and 138****0002 only."""
    say = chat(shop_app)
    assert "订单号" in say("o-new", "绑定账号 13800000002")
    state = shop_app.extensions["xiaoer"].store.get("conv:o-new")
    assert state and "13800000002" not in state and "138****0002" in state
    answer = say("o-new", "DD20261118003")
    assert "绑定成功" in answer and "138****0002" in answer
    assert _bound_to(shop_app, "o-new") == "M0002"


def test_binding_tells_nothing_about_the_accounts_already_bound(shop_app, wechat):
    """Alice's member account is bound on o-demo-alice: binding another WeChat account to it names
    neither that account nor her, and sends the old account nothing."""
    answer = chat(shop_app)("o-alice-phone2", "手机号13800000001 订单号DD20261101001")
    assert "绑定成功" in answer
    for secret in ("o-demo-alice", "王丽", "王*", "已绑定", "其他微信"):
        assert secret not in answer
    run_jobs(shop_app)
    assert wechat.texts_to("o-demo-alice") == []
