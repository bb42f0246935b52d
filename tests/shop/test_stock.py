"""stock_query: per warehouse, front first; few left; out of stock with restock and notification;
「薯片」 asks which; unknown products get the closest catalog names."""
import pytest
from sqlalchemy import select

from bot.models import StockWatch
from bot.shop.sql_commerce import SqlCommerce
from tests.helpers import chat, run_jobs


def test_plenty_lists_front_warehouse_first(shop_app):
    answer = chat(shop_app)("o-demo-alice", "草莓还有吗")
    lines = answer.splitlines()
    assert lines[0] == "丹东草莓（25元/斤）："
    assert lines[1] == "· 西湖前置仓：有货，充足" and lines[2] == "· 杭州中心仓：有货，充足"


def test_only_a_few_left(shop_app):
    assert "· 西湖前置仓：仅剩 5 把" in chat(shop_app)("o-demo-alice", "雨伞还有吗")


def test_front_out_central_in(shop_app):
    answer = chat(shop_app)("o-demo-alice", "鸡蛋还有吗")
    assert "· 西湖前置仓：暂时缺货" in answer and "· 杭州中心仓：有货，充足" in answer
    assert "中心仓发货" in answer


def test_out_of_stock_gives_restock_date_and_offers_to_notify(shop_app):
    say = chat(shop_app)
    answer = say("o-demo-alice", "玫瑰皂有货吗")
    assert "玫瑰手工皂暂时缺货" in answer and "到货" in answer and "通知您吗" in answer
    assert "一到货我就发消息通知您" in say("o-demo-alice", "好的")
    with shop_app.extensions["xiaoer"].db.session() as s:
        watches = s.execute(select(StockWatch)).scalars().all()
    assert [(w.openid, w.product, w.notified_at) for w in watches] == [("o-demo-alice", "玫瑰手工皂", None)]


def test_ambiguous_chips_asks_which_then_answers(shop_app):
    say = chat(shop_app)
    question = say("o-demo-alice", "薯片有货吗")
    assert "1. 原味薯片" in question and "2. 番茄味薯片" in question
    assert say("o-demo-alice", "2").startswith("番茄味薯片（6元/包）")
    say("o-demo-alice", "薯片有货吗")
    assert say("o-demo-alice", "原味的").startswith("原味薯片（6元/包）")


@pytest.mark.parametrize("text,expect", [("榴莲还有吗", "没有找到「榴莲」"), ("雨衣还有吗", "折叠雨伞")])
def test_unknown_product_offers_closest_names(shop_app, text, expect):
    answer = chat(shop_app)("o-demo-alice", text)
    assert expect in answer and "您是不是想找" in answer


def test_back_in_stock_notifies_watchers_once_through_the_worker(build, wechat):
    app = build("sql")
    svc = app.extensions["xiaoer"]
    say = chat(app)
    say("o-demo-alice", "防晒衣还有吗")  # 0 at the front warehouse but 25 in the centre: not out
    say("o-demo-bob", "玫瑰皂还有吗")
    say("o-demo-bob", "要")
    from bot.shop.restock import stock_changed
    commerce = SqlCommerce(svc.db)
    stock_changed(svc, "玫瑰手工皂", *commerce.set_stock("玫瑰手工皂", "西湖前置仓", 12))
    run_jobs(svc)
    run_jobs(svc)
    assert len(wechat.texts_to("o-demo-bob")) == 1 and "玫瑰手工皂到货啦" in wechat.texts_to("o-demo-bob")[0]
    stock_changed(svc, "玫瑰手工皂", *commerce.set_stock("玫瑰手工皂", "杭州中心仓", 5))  # still in: no news
    svc.queue.enqueue("check_restock", None)  # a sweep finds nothing left to tell
    run_jobs(svc)
    assert len(wechat.texts_to("o-demo-bob")) == 1 and wechat.texts_to("o-demo-alice") == []


def test_goods_we_do_not_sell_are_named_as_said_and_kept_for_the_merchant(shop_app):
    """「你们家的车厘子有没有」 names 「车厘子」 (not 「家车厘子」); 「那什么时候有」 next gets an
    honest answer instead of a search for 「那什么时候有」; the merchant sees what was asked for."""
    from bot.models import UnansweredQuestion

    say = chat(shop_app)
    first = say("o-demo-alice", "你们家的车厘子有没有")
    assert "没有找到「车厘子」" in first and "记下" in first
    later = say("o-demo-alice", "那什么时候有")
    assert "「车厘子」店里暂时没有在卖" in later and "那什么时候有" not in later
    say("o-demo-alice", "你们家的车厘子有没有")
    notify = say("o-demo-alice", "有了通知我一下")
    assert "「车厘子」店里暂时没有在卖" in notify and "有通知我" not in notify
    with shop_app.extensions["xiaoer"].db.session() as s:
        kept = s.execute(select(UnansweredQuestion.text, UnansweredQuestion.reason)).all()
    assert kept == [("你们家的车厘子有没有", "unknown_product")] * 2  # each time asked: demand counts


def test_a_shared_suffix_is_no_likeness():
    from bot.handlers.stock import closest

    catalog = [("赣南脐橙", ["橙子"]), ("陶瓷杯", ["杯子"]), ("丹东草莓", ["草莓"])]
    assert closest("车厘子", catalog) == []
    assert closest("草莓干", catalog) == ["丹东草莓"]


@pytest.mark.parametrize("text,price", [("草莓什么价", "丹东草莓（25元/斤）"), ("鸡蛋多少钱一斤", "散养土鸡蛋（12元/斤）")])
def test_a_price_question_naming_a_product_gets_its_price(shop_app, text, price):
    """The committed model calls these out_of_scope at 0.3 (it asked 「您是想：1. 参加团购接龙…」)."""
    assert chat(shop_app)("o-demo-alice", text).startswith(price)


def test_deals_are_not_searched_for_as_a_product(shop_app):
    answer = chat(shop_app)("o-demo-alice", "有没有优惠")
    assert "积分兑换" in answer and "没有找到" not in answer
