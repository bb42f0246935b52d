"""Product facts: set through PUT /api/products/<name>/facts, answered in chat by question form
(「草莓甜不甜」), a missing fact said honestly and kept for the merchant."""
from sqlalchemy import select

from bot.demo import seed
from bot.models import UnansweredQuestion

AUTH = {"Authorization": "Bearer test-api-token"}


def test_facts_api_validates_and_the_chat_answers_from_them(app, sim, services):
    seed(services)
    c = app.test_client()
    assert c.put("/api/products/丹东草莓/facts", json={"taste": "很甜"}).status_code == 401
    r = c.put("/api/products/丹东草莓/facts", json={"taste": "香甜，几乎不酸", "origin": "辽宁丹东"}, headers=AUTH)
    assert r.status_code == 200 and r.get_json()["facts"]["taste"] == "香甜，几乎不酸"
    assert c.put("/api/products/丹东草莓/facts", json={"colour": "红"}, headers=AUTH).status_code == 400
    assert c.put("/api/products/丹东草莓/facts", json={"taste": "甜" * 501}, headers=AUTH).status_code == 400
    assert c.put("/api/products/不存在/facts", json={"taste": "甜"}, headers=AUTH).status_code == 404
    assert c.get("/api/products/丹东草莓/facts", headers=AUTH).get_json()["facts"]["taste"] == "香甜，几乎不酸"

    assert sim.say("o-fact", "草莓甜不甜") == "丹东草莓的口感：香甜，几乎不酸"
    assert sim.say("o-fact", "牛奶保质期多久") == "纯牛奶的保质期：常温 6 个月"  # seeded demo facts
    assert "浙江安吉" in sim.say("o-fact", "鸡蛋是哪里的")
    assert "草莓" in sim.say("o-fact", "草莓还有货吗") and "口感" not in sim.say("o-fact", "草莓还有货吗")

    missing = sim.say("o-fact", "牙膏是哪里产的")
    assert "还没有写" in missing and "牙膏" in missing
    with services.db.session() as s:
        kept = s.execute(select(UnansweredQuestion.text, UnansweredQuestion.reason)).all()
    assert ("牙膏是哪里产的", "no_product_fact") in kept
    r = c.put("/api/products/丹东草莓/facts", json={"taste": ""}, headers=AUTH)
    assert "taste" not in r.get_json()["facts"]


def test_an_opinion_naming_a_topic_is_not_a_question():
    from bot.faq.facts import asked

    assert asked("牛奶口感一般，有点淡") is None and asked("规格不对") is None
    assert asked("牛奶口感怎么样") == "taste" and asked("草莓甜不甜") == "taste"
    assert asked("保质期多久") == "shelf_life" and asked("鸡蛋是哪里的") == "origin"


def test_a_question_no_fact_form_foresaw_gets_the_product_card_and_the_topic_carries_on(sim, services):
    """「鸡蛋是散养的吗」 names a product and asks, but no fact's question form fits: what the merchant
    wrote on it answers (and the question is kept for them); 「多少钱一斤」「还有吗」 next are about eggs."""
    seed(services)
    card = sim.say("o-card", "你好 我想问下鸡蛋是散养的吗")
    assert card.startswith("散养土鸡蛋：") and "产地：浙江安吉山区散养" in card and "保质期：冷藏 30 天" in card
    with services.db.session() as s:
        kept = s.execute(select(UnansweredQuestion.text, UnansweredQuestion.reason)).all()
    assert ("你好 我想问下鸡蛋是散养的吗", "product_card") in kept
    price = sim.say("o-card", "多少钱一斤")
    assert "散养土鸡蛋" in price and "元" in price
    assert "散养土鸡蛋" in sim.say("o-card", "还有吗")
    assert "散养土鸡蛋" not in sim.say("o-other", "多少钱一斤")  # another customer has no topic
    assert "散养土鸡蛋：" not in sim.say("o-card", "鸡蛋坏了好几个 怎么办")  # a complaint stays one
