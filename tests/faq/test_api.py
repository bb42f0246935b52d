"""/api/faq and /api/unanswered, the CSV import/export, and a change reaching another app's
cache (another process: nothing shared but the database) without a restart."""
import time

from sqlalchemy import func, select

from bot.demo import seed
from bot.models import FaqEntry, UnansweredQuestion
from bot.wechat.simulator import Simulator
from tests.helpers import APP_ID, TOKEN, flask_transport

AUTH = {"Authorization": "Bearer test-api-token"}
ENTRY = {"question": "能开发票吗", "variants": ["要发票", "开票怎么弄"], "answer": "可以开电子普通发票。"}


def test_crud_and_reasons_for_bad_input(app):
    c = app.test_client()
    assert c.get("/api/faq").status_code == 401
    r = c.post("/api/faq", json=ENTRY, headers=AUTH)
    assert r.status_code == 201
    entry_id = r.get_json()["id"]
    items = c.get("/api/faq", headers=AUTH).get_json()["items"]
    assert [(i["id"], i["question"], i["variants"], i["answer"], i["enabled"]) for i in items] == \
        [(entry_id, "能开发票吗", ["要发票", "开票怎么弄"], "可以开电子普通发票。", True)]
    for bad, reason in [({**ENTRY, "question": " "}, "标准问题不能为空"), ({**ENTRY, "question": "x", "answer": ""}, "答案不能为空"),
                        ({**ENTRY, "question": "y", "answer": "长" * 2001}, "答案太长"), (ENTRY, "已经有这个问题了"),
                        ({**ENTRY, "question": "z", "variants": 5}, "variants")]:
        r = c.post("/api/faq", json=bad, headers=AUTH)
        assert r.status_code == 400 and reason in r.get_json()["error"], (bad, r.get_json())
    assert c.post("/api/faq", data="not json", headers=AUTH).status_code == 400
    r = c.put(f"/api/faq/{entry_id}", json={"answer": "可以，电子发票。", "enabled": False}, headers=AUTH)
    assert r.status_code == 200 and r.get_json()["answer"] == "可以，电子发票。" and r.get_json()["enabled"] is False
    assert c.put("/api/faq/9999", json={"answer": "a"}, headers=AUTH).status_code == 404
    assert c.delete(f"/api/faq/{entry_id}", headers=AUTH).status_code == 204
    assert c.get("/api/faq", headers=AUTH).get_json()["items"] == []


def test_taught_answer_disabled_entry_and_numbered_choice(make_app):
    # Every match below the answer score, so the unsure path's numbered choices show
    app = make_app(FAQ_ANSWER_SCORE=0.99, FAQ_SUGGEST_SCORE=0.1)
    sim = Simulator(TOKEN, APP_ID, None, post=flask_transport(app))
    c = app.test_client()
    first = c.post("/api/faq", json=ENTRY, headers=AUTH).get_json()["id"]
    assert sim.say("o-faq-1", "开票怎么弄呀") == "可以开电子普通发票。"
    c.put(f"/api/faq/{first}", json={"enabled": False}, headers=AUTH)
    assert "可以开电子普通发票" not in sim.say("o-faq-1", "开票怎么弄呀")
    c.put(f"/api/faq/{first}", json={"enabled": True}, headers=AUTH)
    c.post("/api/faq", json={"question": "会员卡怎么办理", "variants": ["会员卡在哪办"],
                             "answer": "会员卡在门店前台办理。"}, headers=AUTH)
    c.post("/api/faq", json={"question": "储值卡怎么办理", "variants": ["储值卡在哪办"],
                             "answer": "储值卡充 200 元起，在门店办理。"}, headers=AUTH)
    reply = sim.say("o-faq-2", "卡怎么办理")  # out_of_scope to the model, two entries equally close
    assert reply.startswith("您是不是想问") and "1. " in reply and "2. " in reply, reply
    number = next(line.split(".")[0] for line in reply.splitlines() if "储值卡" in line)
    assert sim.say("o-faq-2", number) == "储值卡充 200 元起，在门店办理。"


def test_another_app_sees_a_change_within_seconds(make_app, sim):
    writer = make_app(FAQ_REFRESH_SECONDS=1.0)
    reader = make_app(FAQ_REFRESH_SECONDS=1.0)  # its own cache, as another process would have
    reader_faq = reader.extensions["xiaoer"].faq
    assert reader_faq.match("可以开票不") == []
    writer.test_client().post("/api/faq", json=ENTRY, headers=AUTH)
    started = time.monotonic()
    while not reader_faq.match("可以开票不") and time.monotonic() - started < 5:
        time.sleep(0.1)
    assert reader_faq.match("可以开票不")[0].entry.question == "能开发票吗"
    print(f"\nanother app answers from the new entry after {time.monotonic() - started:.1f} s")


def test_unanswered_questions_are_kept_masked_and_grouped(app, sim, services):
    for i, text in enumerate(["收旧手机吗", "旧手机收吗 13912345678", "旧手机你们收吗", "今天天气怎么样"]):
        sim.say(f"o-un-{i}", text)
    groups = app.test_client().get("/api/unanswered", headers=AUTH).get_json()["groups"]
    assert groups[0]["count"] == 3, groups
    assert all("手机" in e for e in groups[0]["examples"])
    assert not any("13912345678" in e for g in groups for e in g["examples"])
    with services.db.session() as s:
        assert s.execute(select(func.count(UnansweredQuestion.id))).scalar() == 4


def test_csv_import_is_all_or_nothing_and_export_round_trips(app, tmp_path, services):
    runner = app.test_cli_runner()
    bad = tmp_path / "bad.csv"
    bad.write_text("question,variants,answer\n运费多少,邮费|包邮吗,满49包邮\n自提点在哪,,\n", encoding="utf-8")
    out = runner.invoke(args=["faq", "import", str(bad)])
    assert out.exit_code != 0 and "第 3 行" in out.output and "答案不能为空" in out.output
    with services.db.session() as s:
        assert s.execute(select(func.count(FaqEntry.id))).scalar() == 0
    good = tmp_path / "good.csv"
    good.write_text("question,variants,answer\n运费多少,邮费|包邮吗,满49包邮\n自提点在哪,自取,文三路88号\n",
                    encoding="utf-8")
    assert "2 added" in runner.invoke(args=["faq", "import", str(good)]).output
    assert "0 added, 0 updated" in runner.invoke(args=["faq", "import", str(good)]).output
    exported = tmp_path / "out.csv"
    runner.invoke(args=["faq", "export", str(exported)])
    assert exported.read_text(encoding="utf-8") == good.read_text(encoding="utf-8")


def test_a_stock_question_about_nothing_we_sell_can_be_a_shop_question(app, sim, services):
    seed(services)
    app.test_client().post("/api/faq", json={"question": "周末送货吗", "variants": ["周六周日配送吗"],
                                             "answer": "周末照常配送。"}, headers=AUTH)
    assert sim.say("o-faq-weekend", "你们周末也送货吗") == "周末照常配送。"
    assert "丹东草莓" in sim.say("o-faq-weekend", "草莓还有货吗")  # a product we sell stays a stock question


def test_what_counts_as_unsure_for_the_faq(services):
    from bot.dialogue.incoming import Incoming
    from bot.dialogue.registry import Turn
    from bot.dialogue.state import ConversationState
    from bot.handlers.faq import _unsure
    from bot.nlu.result import Entity, NluResult

    seed(services)
    services.refresh_catalog()

    def turn(intent, *entities, text="x"):
        return Turn(Incoming(openid="o", kind="text", text=text), services, ConversationState(), text,
                    NluResult(text, intent, 0.9, [(intent, 0.9)], list(entities)))

    assert _unsure(turn("stock_query"), True)  # no product at all
    assert _unsure(turn("stock_query", Entity("product", "周末送货")), True)  # not one we sell
    assert not _unsure(turn("stock_query", Entity("product", "丹东草莓")), True)
    mine = "我那单到哪了"
    assert not _unsure(turn("order_status", text=mine), True) and _unsure(turn("order_status", text=mine), False)
    # about an order, but naming none: a question about delivery in general
    assert _unsure(turn("order_status", text="寄到苏州一般要几天"), True)
    assert not _unsure(turn("order_change", text="地址改成公司"), True)
    assert _unsure(turn("order_change", text="把你们店的位置发我"), True)
    assert not _unsure(turn("complaint", text="草莓烂了三个"), True)
    assert _unsure(turn("complaint", text="万一快递弄坏了谁负责"), True)
    assert _unsure(turn("out_of_scope"), True)
