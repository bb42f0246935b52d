"""Feedback on goods the fruit-and-dairy lexicon was not written for (issue 15, second pass): general
retail opinion words with negation, a fee on top of the price, the whole review read beside its
clauses, and figures on 156 reviews of six other kinds of goods written for this file."""
import csv
from collections import Counter
from pathlib import Path

import pytest

from bot.feedback.analysis import REVIEW_WEIGHT, analyze
from bot.feedback.learned import LinearModel, using
from bot.feedback.sentiment import rule_score

pytestmark = pytest.mark.timeless  # pure text analysis: no date or time of day enters it

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.mark.parametrize("text, sentiment", [
    ("手机一点也不卡", "positive"),           # 不卡: praise that is itself a negation
    ("用了一周就开始卡顿", "negative"),
    ("充电挺快的，也不怎么发热", "positive"),
    ("洗了两次就起球了", "negative"),
    ("屏幕漏光很严重", "negative"),
    ("激活查了没问题，放心", "positive"),
    ("安装师傅很专业，装得很整齐，还把垃圾带走了", "positive"),  # 垃圾 here is rubbish, not a verdict
])
def test_general_retail_words(text, sentiment):
    assert analyze(text).sentiment == sentiment


@pytest.mark.parametrize("clause", ["材料费收了我四百多", "支架和管子都要另外付钱", "送货师傅非要收上楼费", "安装师傅乱收费"])
def test_money_asked_beyond_the_price_is_a_complaint_the_model_cannot_undo(clause):
    score, turned = rule_score(clause)
    assert score < 0 and turned


def test_praised_product_with_an_angry_fee_clause_leans_negative():
    """The water-heater case: 「东西不错」 and a bill nobody mentioned before; customers label these negative."""
    assert analyze("热水器本身还行，但是安装费太坑了，材料费收了我四百多").sentiment == "negative"
    assert analyze("东西不错，可是安装师傅乱收费，不给钱就不装").sentiment == "negative"
    assert rule_score("免安装费")[0] == 0  # no charge is not a complaint


def test_whole_message_counts_beside_its_clauses():
    """The model reads the whole message once more at REVIEW_WEIGHT (what it says of a review as a
    whole carried over best to unseen categories); a single clause the rules turned around (不贵)
    keeps the rules' direction, since the whole is then that clause's n-grams again."""
    model = LinearModel({"空洞": -3.0, "好": 1.0, "贵": -2.0}, 0.0, {})
    with using(model):
        review = analyze("纸张好，内容空洞")
        assert review.whole == pytest.approx(-2.0)
        clauses = sum(f.score for f in review.findings)
        assert review.score == pytest.approx(clauses + REVIEW_WEIGHT * -2.0)
        single = analyze("不贵")
        assert single.whole == 0.0 and single.sentiment == "positive"


def test_written_reviews_of_other_goods():
    """156 reviews (shampoo, clothes, water heaters, phones, tablets, computers; 13 positive and 13
    negative each) written for this test. Optimistic: the general lexicon was written by the same
    person in the same session. Measured 0.968 sentiment, 0.910 with an aspect (0.878 and 0.699
    before the general lexicon and weak clauses leaning the review's way); floors a little under."""
    rows = list(csv.DictReader(open(DATA / "reviews_other_goods_156.csv", encoding="utf-8")))
    assert len(rows) == 156 and Counter(r["label"] for r in rows) == {"0": 78, "1": 78}
    results = [analyze(r["review"]) for r in rows]
    right = sum(a.sentiment == ("positive" if r["label"] == "1" else "negative") for a, r in zip(results, rows))
    found = sum(bool(a.aspects) for a in results)
    assert right / len(rows) >= 0.94, right / len(rows)
    assert found / len(rows) >= 0.88, found / len(rows)


def test_a_weak_clause_takes_the_reviews_verdict_for_its_aspect():
    """「电梯里也有信号」 is too weak to judge alone; in a review that praises, it is praise of the signal.
    A weak clause whose n-grams lean faintly against the review (充电口松的 read as faintly positive in
    a complaint) is filed under the review's verdict too: its lean is noise, the review is not."""
    model = LinearModel({"信号": 0.3, "好": 2.0, "松": 0.2, "断": -3.0}, 0.0, {})
    with using(model):
        praise = analyze("电梯里也有信号，很好")
        assert praise.sentiment == "positive"
        assert {"aspect": "function", "sentiment": "positive"}.items() <= praise.records()[0].items()
        complaint = analyze("充电口松的，一碰就断")
        assert complaint.sentiment == "negative"
        loose = [r for r in complaint.records() if r["text"] == "充电口松的"]
        assert loose and all(r["sentiment"] == "negative" for r in loose)
        # a clause with no evidence at all (a hedge) still makes no record
        assert all(r["text"] != "不知道好不好用" for r in analyze("不知道好不好用，信号很好").records())


@pytest.mark.parametrize("clause", ["洗了以后头皮屑少了", "用了半个月头皮不痒了", "坐久了腰也不疼了", "这款喷了以后就不会忽冷忽热"])
def test_a_complaint_that_eased_is_relief(clause):
    """Cosmetics and appliances are praised for what they cure: 掉发少了 is not a shortage, 不痒了 not itching."""
    score, turned = rule_score(clause)
    assert score > 0 and turned


@pytest.mark.parametrize("text", ["冰箱用了一周就不制冷了", "电量掉得特别快", "车载充电器插上去没反应", "衣服起球很快"])
def test_failures_in_use_and_fast_wear_are_complaints(text):
    """A failure phrase is a complaint by itself, and 快 after wear (掉电快, 起球快) is not quick delivery."""
    assert rule_score(text)[0] < 0
    assert analyze(text).sentiment == "negative"


def test_hair_is_a_subject_of_shampoo_not_a_foreign_body():
    assert rule_score("头发洗完很柔顺")[0] > 0
    assert rule_score("汤里吃出头发")[0] < 0


@pytest.mark.parametrize("text, sentiment", [
    ("风扇噪音很小", "positive"), ("晚上开着一点都不吵", "positive"), ("隔壁装修太吵了", "negative"),
    ("出差带着也方便", "positive"),                 # 出差 is a trip, not 差
    ("售后响应速度有待提高", "negative"), ("说明书写得空洞，没什么用", "negative"),
    ("试穿了一下，不大喜欢", "negative"), ("宣传的功能名不副实", "negative"),
])
def test_lukewarm_verdicts_and_noise_of_any_goods(text, sentiment):
    assert analyze(text).sentiment == sentiment


@pytest.mark.parametrize("name, floor", [("reviews_other_goods_b_64.csv", 0.94), ("reviews_other_goods_c_172.csv", 0.94)])
def test_second_writers_reviews_of_other_goods(name, floor):
    """Two more sets of reviews of goods we do not sell (phones to mops), written by a second person in
    customers' register (issue 15, third pass). First runs: 0.891 (64) and 0.924 (172); the rules were then
    grown on their misses, so they guard the general retail words rather than measure the unseen."""
    rows = list(csv.DictReader(open(DATA / name, encoding="utf-8")))
    assert abs(sum(r["label"] == "1" for r in rows) - len(rows) / 2) <= 4
    right = sum(analyze(r["review"]).sentiment == ("positive" if r["label"] == "1" else "negative") for r in rows)
    assert right / len(rows) >= floor, right / len(rows)


def test_third_writers_reviews_of_the_judges_kinds_of_goods():
    """72 reviews of shampoo, clothes, water heaters, tablets, phones and computers (6 + 6 per kind),
    written for the fourth pass of issue 15 before anything was run on them. First run: sentiment
    0.972, aspect found 0.986 (main before the fourth pass: 0.972, 0.958). Not tuned on since."""
    rows = list(csv.DictReader(open(DATA / "reviews_other_goods_d_72.csv", encoding="utf-8")))
    assert Counter(r["label"] for r in rows) == {"1": 36, "0": 36}
    results = [analyze(r["review"]) for r in rows]
    right = sum(a.sentiment == ("positive" if r["label"] == "1" else "negative") for a, r in zip(results, rows))
    assert right / len(rows) >= 0.95, right / len(rows)
    assert sum(bool(a.aspects) for a in results) / len(rows) >= 0.95


@pytest.mark.parametrize("text, aspect", [
    ("这种黑心企业的东西再也不买了", "brand"),
    ("一直支持国货，这个厂家很良心", "brand"),
    ("配料表里一堆添加剂，不敢给孩子喝", "safety"),
    ("面霜擦了两天脸上开始闷痘", "safety"),
    ("酒店设备太陈旧了", "quality"),
    ("书里全是说教，没什么意义", "content"),
    ("地方太偏，打车都难", "location"),
    ("耳机蓝牙老是断，接口也松", "function"),
])
def test_mined_aspects_of_goods_and_makers(text, aspect):
    """Reviews that found no aspect talked about the maker (抵制, 无良企业), health (添加剂, 过敏) and
    things every kind of goods or place has (设备, 接口, 说教): the mined lists of the fourth pass."""
    assert aspect in analyze(text).aspects


@pytest.mark.parametrize("text, wrong", [("和图片相差太远，很失望", "location"), ("祝您身体健康，欢迎再次光临", "safety"),
                                         ("系统广告太多了", "brand"), ("冷冻的饺子到了都化了", "function")])
def test_mined_words_that_look_like_an_aspect_but_are_not(text, wrong):
    assert wrong not in analyze(text).aspects


@pytest.mark.parametrize("clause", ["对学生没有太大帮助", "书并没有什么大帮助", "没有想象中好", "内容实在没意思", "不太理想",
                                    "一丁点甜都没有", "没一个是好的", "毫无意义", "期望值太高了"])
def test_lukewarm_verdicts_are_complaints(clause):
    """The promise was bigger than the thing, for any goods: 没有太大帮助 is not help, 没有想象中好 not praise,
    and 一丁点甜都没有 puts its negation after the word."""
    assert rule_score(clause)[0] < 0


@pytest.mark.parametrize("clause", ["一个坏的也没有", "一个烂的都没有"])
def test_none_at_all_of_a_fault_is_relief(clause):
    score, turned = rule_score(clause)
    assert score > 0 and turned


def test_a_summing_up_clause_outweighs_a_list_of_faults():
    """「总的来说还可以」 after two small faults: the summary is the verdict."""
    model = LinearModel({"小": -1.0, "旧": -1.0, "还可以": 1.5}, 0.0, {})
    with using(model):
        assert analyze("房间小，设施旧，总的来说还可以").sentiment == "positive"
        assert analyze("房间小，设施旧，总的来说，还可以").sentiment == "positive"
        assert analyze("房间小，设施旧，还可以").sentiment == "negative"


def test_a_long_review_whose_clauses_all_hedge_is_judged_by_its_whole():
    """不知道 silences a clause; a long review made of one such clause still says something, a short
    chat hedge does not."""
    model = LinearModel({"逻辑": -2.0, "好": 1.0}, 0.0, {})
    with using(model):
        assert analyze("不知道作者想说什么整本书的逻辑乱七八糟").sentiment == "negative"
        assert analyze("不知道好不好").sentiment == "neutral"
    # 不知道为什么 complains rather than waits
    assert analyze("不知道为什么多扣了30块钱").sentiment == "negative"
