"""bot/nlu/rules.py: an order word turns a round cancellation into an order change; round words keep it."""
import pytest

from bot.nlu.result import Entity, NluResult
from bot.nlu.rules import refine

pytestmark = pytest.mark.timeless  # pure text analysis: no date or time of day enters it


def _cancel(text):
    return NluResult(text, "preorder_cancel", 0.7, [("preorder_cancel", 0.7), ("order_change", 0.2)],
                     [Entity("order_id", "DD20261101001")])


@pytest.mark.parametrize("text", ["下错单了 帮我取消", "订单取消了没有", "拍错了 能取消吗", "点错了 申请了退款 能撤回吗"])
def test_order_words_make_it_an_order_change(text):
    out = refine(_cancel(text))
    assert out.intent == "order_change"
    assert out.ranking[0] == ("order_change", 0.7)
    assert [n for n, _ in out.ranking].count("order_change") == 1
    assert out.entities and out.entities[0].value == "DD20261101001"


@pytest.mark.parametrize("text", ["还没发货的话帮我取消", "先不取消了", "取消不了了吗"])
def test_order_only_cues_make_it_an_order_change(text):
    assert refine(_cancel(text)).intent == "order_change"


@pytest.mark.parametrize("text", ["接龙不要了", "拼单的订单取消", "预售订单我要撤回", "我不要了"])
def test_round_cancellations_stay(text):
    assert refine(_cancel(text)).intent == "preorder_cancel"


def test_other_intents_untouched():
    r = NluResult("订单取消了没有", "order_status", 0.6, [("order_status", 0.6)])
    assert refine(r) is r


@pytest.mark.parametrize("text", ["显示签收了 东西没收到", "订单都完成了 我没拿到货", "物流说送达 我根本没见到"])
def test_signed_but_not_received_is_a_complaint(text):
    r = NluResult(text, "order_status", 0.8, [("order_status", 0.8), ("complaint", 0.1)])
    out = refine(r)
    assert out.intent == "complaint" and out.ranking[0] == ("complaint", 0.8)


@pytest.mark.parametrize("text", ["还没收到 到哪了", "签收了吗", "什么时候送达"])
def test_status_questions_stay(text):
    r = NluResult(text, "order_status", 0.8, [("order_status", 0.8)])
    assert refine(r).intent == "order_status"


def _read(text, intent, confidence=0.6):
    return NluResult(text, intent, confidence, [(intent, confidence), ("complaint", 0.2), ("out_of_scope", 0.1)])


@pytest.mark.parametrize("text, heard, meant", [
    # a price that fell after buying
    ("前天刚买 今天就降了三十", "order_change", "complaint"),
    ("能不能把差价退给我", "out_of_scope", "complaint"),
    # a fault in use, whatever the goods
    ("台灯插上电也不亮", "out_of_scope", "complaint"),
    ("水壶底下一直漏水", "feedback", "complaint"),
    # bargaining and questions asked before buying
    ("拿三箱能不能便宜点", "order_change", "out_of_scope"),
    ("两盒包邮吗", "order_change", "out_of_scope"),
    ("还没拍 想先问下几天能到", "order_status", "out_of_scope"),
    ("我们小区能送到吗", "order_change", "out_of_scope"),
    ("这个刷子是做什么用的", "complaint", "out_of_scope"),
    ("标签剪了还能退吗", "order_change", "out_of_scope"),
    ("电饭煲保修几年", "complaint", "out_of_scope"),
    # anger at a delivery, the invoice, praise, a parcel question
    ("物流也太慢了 一个星期了", "order_status", "complaint"),
    ("发票开成个人的了 帮我改成公司", "complaint", "invoice"),
    ("回头客了 五星好评", "out_of_scope", "feedback"),
    ("我那箱橙子何时能到呢", "feedback", "order_status"),
    ("快递什么时候派送", "preorder_status", "order_status"),
    # symptoms the feedback lexicon does not list, an exchange of goods received, anger at the service
    ("电视开机就黑屏", "stock_query", "complaint"),
    ("围巾洗一次就掉色", "out_of_scope", "complaint"),
    ("靴子偏小 想换大一码", "feedback", "complaint"),
    ("麻烦给我走个换货", "out_of_scope", "complaint"),
    ("问个事这么费劲", "out_of_scope", "complaint"),
    # where, to whom and when the order goes; urging it along
    ("收件人名字打错了 帮我改下", "complaint", "order_change"),
    ("送货时间改成下周二吧", "out_of_scope", "order_change"),
    ("那我拒收好了", "out_of_scope", "order_change"),
    ("帮忙催个单", "help", "order_status"),
    ("好的 快点吧", "feedback", "order_status"),
    ("台灯什么时候能送到", "stock_query", "order_status"),
    # compatibility and authenticity asked before buying
    ("这个充电头兼容安卓吗", "complaint", "out_of_scope"),
    ("保证是正品吗", "stock_query", "out_of_scope"),
    # an invoice the model took for points, a variant of the goods, thanks after a plain remark
    ("发票能换成专票吗", "points_redeem", "invoice"),
    ("能换个颜色吗 还没发货", "points_redeem", "order_change"),
    ("行 我等快递电话 谢谢啦", "feedback", "thanks"),
    ("这物流也太慢了", "feedback", "complaint"),
    # ordered by mistake or not wanted any more, nothing wrong with the goods; a later delivery
    ("尺码选错了 能改吗", "feedback", "order_change"),
    ("家里人已经买了 这单不要了", "complaint", "order_change"),
    ("送货能推迟到月底吗", "out_of_scope", "order_change"),
    # fetched instead of sent; fruit gone black or split
    ("不用送了 我到店里拿 店在哪", "order_status", "order_change"),
    ("不要配送 我自己过来拿", "out_of_scope", "order_change"),
    ("刚签收的香蕉全黑了", "feedback", "complaint"),
    ("送到的西瓜是裂开的", "out_of_scope", "complaint"),
])
def test_cue_families_correct_the_intents_they_are_confused_with(text, heard, meant):
    out = refine(_read(text, heard))
    assert out.intent == meant
    assert out.ranking[0] == (meant, 0.6)
    assert [n for n, _ in out.ranking].count(meant) == 1


@pytest.mark.parametrize("text, heard", [
    ("会不会漏水啊", "out_of_scope"),                 # only wondering whether it could fail
    ("路由器怎么重启", "out_of_scope"),                # how to use it, not a fault
    ("价格降了吗", "out_of_scope"),                    # asking about today's price
    ("这是什么东西 一股怪味", "complaint"),             # spoiled goods asked about
    ("我补差价 能发顺丰吗", "out_of_scope"),            # the customer pays the difference
    ("等降价了再买", "feedback"),                      # waiting for a drop is no complaint
    ("降价了我要两斤", "preorder_join"),                # a round's own business
    ("说好的包邮 怎么又收运费", "complaint"),            # a broken promise stays a complaint
    ("这单能不能送到楼上", "order_change"),              # the customer's own order
    ("收到的杯子有裂纹是什么情况", "complaint"),          # after buying: not a pre-sale question
    ("发票没给我开", "complaint"),                      # a missing invoice is a complaint
    ("我的退货好几天了还不退款", "complaint"),          # this customer's own return, not a rule
    ("好评 但是少了一个", "complaint"),                  # praise with something wrong
    ("团购的快递什么时候发", "preorder_status"),
    ("想买个新的 这个用两天就坏了", "complaint"),       # trouble with goods already bought
    ("我现在下单了 什么时候发", "order_status"),          # the round's delivery
    ("快递到哪了", "order_status"),
    ("有没有优惠", "stock_query"),                       # the stock handler answers with the deals
    ("要是用半年漏气怎么算", "out_of_scope"),            # a worry about later, not a fault now
    ("换货流程是什么", "out_of_scope"),                  # the rule of an exchange, asked in general
    ("地址写错了 快递送错地方了", "complaint"),          # the delivery went wrong: a complaint
    ("物流能再快一点就好了", "feedback"),                # a suggestion, not urging an order
    ("下一批苹果什么时候送到", "stock_query"),           # a restock
    ("买的耳机不是正品吧", "complaint"),                 # after buying: not a pre-sale question
    ("积分能换个券吗", "points_redeem"),                   # a points reward
    ("东西很好 谢谢", "feedback"),                        # praise closing with thanks stays feedback
    ("不太新鲜 谢谢", "feedback"),                        # an opinion, however it closes
    ("希望快递能快点 这次太慢了", "feedback"),             # a suggestion about the couriers
    ("发错货了 不要了", "complaint"),                      # something is wrong with what came
    ("质量太差 不想要了", "complaint"),
    ("送货时间太长了 水果都不新鲜了", "complaint"),       # a review about the delivery, not a change
    ("预约的送货时间准时到 很满意", "feedback"),
    ("厂家篡改生产日期 以后不买了", "complaint"),
    ("又买错口味了 难喝", "feedback"),                    # an opinion about a wrong purchase
    ("不用送货上门了 放驿站就行", "order_status"),        # not sent to the door, but not fetched either
    ("香蕉放冰箱会不会黑了", "out_of_scope"),              # only wondering
])
def test_cues_leave_the_model_alone_where_they_do_not_fit(text, heard):
    r = _read(text, heard)
    assert refine(r) is r
