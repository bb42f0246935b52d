"""CSV injection: no cell of any CSV we write opens as a formula in a spreadsheet, and every writer
of CSV in the project goes through bot/infra/csvsafe.py."""
import csv
import io
import re

import pytest

from bot.config import ROOT
from bot.infra import csvsafe
from tests.helpers import round_id

AUTH = {"Authorization": "Bearer test-api-token"}
FORMULA = '=1+1+0*LEN("草莓太酸了")'


@pytest.mark.parametrize("text", ["=SUM(A1)", "+86 138", "-3+2", "@cmd", "\t=1", "\r=1", "'=1", "''-1", "=", "-"])
def test_dangerous_cells_are_text_and_read_back_unchanged(text):
    written = csvsafe.cell(text)
    assert written.startswith("'") and written[1:] == text
    assert csvsafe.restore(written) == text


@pytest.mark.parametrize("value", ["草莓", "a=b", "it's", "'quoted'", "", 3, -3, 2.5, None])
def test_harmless_cells_are_written_as_they_are(value):
    assert csvsafe.cell(value) == value
    if isinstance(value, str):
        assert csvsafe.restore(value) == value


def _cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text)) for c in row]


def _no_formula(text: str) -> None:
    cells = _cells(text)
    assert cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], cells


def test_feedback_exports_neutralise_formulas(app, services):
    from bot.console.cli import create_user
    from bot.demo import seed
    from bot.feedback.records import record_message
    from tests.helpers import login

    seed(services)
    record_message(services, FORMULA, "o-demo-alice")
    record_message(services, "@SUM(1+1)*cmd|' /C calc'!A0 牛奶太淡了", "o-demo-bob")
    exported = app.test_client().get("/api/feedback?format=csv", headers=AUTH).get_data(as_text=True)
    assert "'" + FORMULA in _cells(exported)
    _no_formula(exported)
    create_user(services.db, "merchant1", "correct-horse-9", "merchant")
    client, _ = login(app, "merchant1", "correct-horse-9")
    console = client.get("/console/feedback/export.csv").get_data(as_text=True)
    assert "'" + FORMULA in _cells(console)
    _no_formula(console)


def test_round_export_neutralises_a_customer_name(app, services):
    from bot.demo import seed
    from bot.models import Customer, CustomerOpenid
    from bot.rounds.joining import join

    svc = services
    seed(svc)
    with svc.db.session() as s:
        customer = Customer(member_id="M-EVIL", name='=HYPERLINK("http://evil.example","点我")')
        s.add(customer)
        s.flush()
        s.add(CustomerOpenid(openid="o-evil", customer_id=customer.id))
    rid = round_id(svc, "丹东草莓 第3期")
    assert join(svc.db, rid, "o-evil", 1, "西湖自提点").status == "joined"
    body = app.test_client().get(f"/api/rounds/{rid}/export", headers=AUTH).get_data(as_text=True)
    assert "'=HYPERLINK(\"http://evil.example\",\"点我\")" in _cells(body)
    _no_formula(body)


def test_faq_export_neutralises_and_round_trips(app, services, tmp_path):
    from bot.faq.entries import all_entries, export_csv, import_csv

    source = "question,variants,answer\n-减肥餐有吗,+低脂|@客服,=没有哦\n运费多少,邮费,满49包邮\n"
    with services.db.session() as s:
        assert import_csv(s, source.encode()) == (2, 0)
    with services.db.session() as s:
        exported = export_csv(s)
    _no_formula(exported)
    assert _cells(exported)[3:6] == ["'-减肥餐有吗", "'+低脂|@客服", "'=没有哦"]
    with services.db.session() as s:
        assert import_csv(s, exported.encode()) == (0, 0)  # our own export reads back unchanged
        assert [e.question for e in all_entries(s)] == ["-减肥餐有吗", "运费多少"]


WRITERS = re.compile(r"csv\.(?:writer|DictWriter)\s*\(")


def test_every_csv_writer_goes_through_the_shared_helper():
    """A new export that uses the csv module directly would bring formula injection back."""
    helper = ROOT / "bot" / "infra" / "csvsafe.py"
    offenders = [str(p.relative_to(ROOT)) for folder in ("bot", "integrations", "evals", "bench", "tools")
                 for p in sorted((ROOT / folder).rglob("*.py")) if p != helper and WRITERS.search(p.read_text("utf-8"))]
    assert offenders == []
