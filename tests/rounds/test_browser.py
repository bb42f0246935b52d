"""Rounds in a real browser (Playwright driving Debian's chromium, headless), at desktop size and at
390 × 844 (a phone): a merchant opens a round through the form, copies the group message, a customer
joins by scanning the round's QR code in the chat simulator, the round page shows the entry within
5 s, the merchant closes the round and exports the CSV; an agent sees the page read-only and a
viewer sees masked names; every console page fits a phone. Screenshots of every step are written
under artifacts/screenshots/ (gitignored)."""
import csv
import io
import time

import pytest
from playwright.sync_api import expect

from tests.helpers import Shots, browser_login, chat, round_id, serving

SIZES = {"desktop": {"viewport": {"width": 1280, "height": 900}},
         "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}}
STRAWBERRY = "丹东草莓 第3期"
# Tap targets a finger must hit: buttons, button-like links, form fields, the menu.
TAP_TARGETS = "button, a.button, input:not([type=hidden]), select, textarea, .nav a"


@pytest.fixture
def live_url(rounds_console):
    with serving(rounds_console) as base:
        yield base




def phone_problems(page) -> list[str]:
    """What breaks a 390 px screen: sideways scrolling, and tap targets under 40 px (a checkbox's
    target is its label, which toggles it)."""
    problems = []
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > 391:
        problems.append(f"{page.url}: page is {width} px wide")
    small = page.evaluate("""(selector) => Array.from(document.querySelectorAll(selector))
        .filter(el => el.offsetParent !== null)
        .map(el => (el.type === "checkbox" || el.type === "radio") && el.closest("label") ? el.closest("label") : el)
        .map(el => [el.outerHTML.slice(0, 80), el.getBoundingClientRect()])
        .filter(([_, r]) => r.height < 40 || r.width < 40)
        .map(([html, r]) => `${html} ${Math.round(r.width)}x${Math.round(r.height)}`)""", TAP_TARGETS)
    problems += [f"{page.url}: small tap target {s}" for s in small]
    return problems


@pytest.mark.parametrize("size", SIZES)
def test_merchant_runs_a_round_and_a_customer_joins_by_qr(rounds_console, live_url, browser, size):
    shots = Shots(f"rounds_{size}")
    phone = size == "phone"
    context = browser.new_context(locale="zh-CN", accept_downloads=True, **SIZES[size])
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_url)
    staff = context.new_page()
    browser_login(staff, live_url, "merchant1")
    staff.goto(live_url + "/console/rounds")
    expect(staff.get_by_test_id("round-card").first).to_contain_text("已凑 0/20 斤")
    shots.take(staff, "round-list")

    staff.get_by_test_id("open-round").click()
    staff.locator("[name=product]").fill("苹果")
    staff.locator("[name=min_total]").fill("5")
    staff.locator("[name=deadline]").fill("明天20点")  # at least 20 hours ahead, whatever the clock says
    staff.get_by_test_id("preview-button").click()
    expect(staff.get_by_test_id("problems")).to_contain_text("请写自提点（自提:西湖,滨江）或「送货上门」")  # the chat's words
    shots.take(staff, "form-problem")
    staff.locator("[name=cap]").fill("50")
    staff.locator("[name=per_person_max]").fill("5")
    staff.locator("[name=pickup]").fill("西湖，滨江")
    staff.get_by_test_id("preview-button").click()
    expect(staff.get_by_test_id("preview")).to_contain_text("商品：红富士苹果（7.00 元/斤）")
    expect(staff.get_by_test_id("preview")).to_contain_text("取货：西湖自提点、滨江自提点")
    shots.take(staff, "form-preview")
    staff.get_by_test_id("publish").click()
    expect(staff.locator(".flash.success")).to_contain_text("已开团：「红富士苹果 第1期」")
    rid = int(staff.url.rstrip("/").rsplit("/", 1)[1])
    expect(staff.get_by_role("img", name="二维码")).to_be_visible()  # visible at its set size before it loads:
    staff.wait_for_function("() => { const img = document.querySelector('img.qr');"  # wait for the PNG itself
                            " return img && img.complete && img.naturalWidth > 100; }", timeout=15000)
    shots.take(staff, "round-opened")

    staff.get_by_test_id("copy-share").click()
    expect(staff.locator("#copy-status")).to_have_text("已复制，去群里粘贴吧")
    copied = staff.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("【红富士苹果 第1期】7.00元/斤\n满5斤成团｜上限50斤｜每人限5斤\n截止：")
    assert "自提：西湖自提点、滨江自提点" in copied and "回复「接龙 数量」" in copied
    with staff.expect_download() as qr_download:
        staff.get_by_test_id("qr-download").click()
    assert open(qr_download.value.path(), "rb").read(8) == b"\x89PNG\r\n\x1a\n"

    customer_id = f"o-sim-apple-{size}"
    chat_page = context.new_page()  # the chat simulator, as the customer's WeChat
    chat_page.goto(live_url + staff.get_by_test_id("try-scan").get_attribute("href"))
    chat_page.get_by_label("顾客 openid").fill(customer_id)
    expect(chat_page.get_by_label("二维码场景")).to_have_value(f"round-{rid}")
    chat_page.get_by_test_id("scan").click()
    expect(chat_page.get_by_test_id("bubble-bot").last).to_contain_text("要几斤？", timeout=15000)
    expect(chat_page.get_by_test_id("bubble-bot").last).to_contain_text("【红富士苹果 第1期】")
    shots.take(chat_page, "customer-scans-qr")
    chat_page.get_by_label("消息").fill("5斤 滨江")
    chat_page.get_by_role("button", name="发送").click()
    expect(chat_page.get_by_test_id("bubble-bot").last).to_contain_text("接龙成功", timeout=15000)
    joined_at = time.monotonic()
    shots.take(chat_page, "customer-joined")

    staff.bring_to_front()
    entry = staff.get_by_test_id("entry").first
    expect(entry).to_contain_text("5斤", timeout=5000)  # the page refreshes itself: no reload
    (shots.dir / "timing.txt").write_text(f"join answered -> entry on the round page: "
                                          f"{time.monotonic() - joined_at:.1f} s\n")
    expect(entry).to_contain_text("滨江自提点")
    expect(staff.get_by_test_id("progress").first).to_contain_text("已凑 5/5 斤，已成团")
    expect(staff.get_by_test_id("pickup-sheet")).to_contain_text("滨江自提点：1 人，共 5斤")
    shots.take(staff, "entry-appears")

    staff.get_by_test_id("close").click()
    expect(staff.get_by_test_id("effect")).to_contain_text("截单后不再接受接龙")
    shots.take(staff, "close-confirmation")
    staff.get_by_test_id("confirm").click()
    expect(staff.locator(".flash.success")).to_contain_text(f"团 #{rid} 已截单")
    expect(staff.get_by_test_id("round-status").first).to_have_text("已截单")
    expect(staff.get_by_test_id("audit")).to_contain_text("截单 · console:merchant1")
    shots.take(staff, "closed")

    with staff.expect_download() as exported:
        staff.get_by_test_id("export").click()
    rows = list(csv.reader(io.StringIO(open(exported.value.path(), encoding="utf-8-sig").read())))
    assert rows[0][:3] == ["跟团号", "顾客", "openid"]
    assert rows[1][2:6] == [customer_id, "5", "斤", "滨江自提点"] and rows[1][7] == "已跟团"
    if phone:
        visited = ["/console/rounds", f"/console/rounds/{rid}", "/console/rounds/new", f"/console/rounds/{rid}/fulfil"]
        problems = []
        for path in visited:
            staff.goto(live_url + path)
            problems += phone_problems(staff)
        problems += phone_problems(chat_page)
        assert problems == []
    context.close()


@pytest.mark.parametrize("size", SIZES)
def test_agent_reads_and_viewer_sees_masked_names(rounds_console, live_url, browser, size):
    svc = rounds_console.extensions["xiaoer"]
    rid = round_id(svc, STRAWBERRY)
    say = chat(rounds_console)
    assert "接龙成功" in say("o-demo-alice", "接龙 3斤草莓 西湖")
    shots = Shots(f"rounds_roles_{size}")
    for role, name in (("agent", "王丽"), ("viewer", "王*")):
        context = browser.new_context(locale="zh-CN", **SIZES[size])
        page = context.new_page()
        browser_login(page, live_url, role + "1")
        page.goto(live_url + "/console/rounds")
        expect(page.get_by_test_id("open-round")).to_have_count(0)
        page.locator(f"[data-testid=round-card][data-round='{rid}'] a.title").click()
        expect(page.get_by_test_id("entry-name")).to_have_text(name)
        expect(page.get_by_test_id("read-only")).to_be_visible()
        for action in ("close", "cancel", "fulfil"):
            expect(page.get_by_test_id(action)).to_have_count(0)
        expect(page.get_by_test_id("export")).to_have_count(1 if role == "agent" else 0)
        expect(page.get_by_test_id("pickup-sheet")).to_contain_text(f"1. {name} 3斤")
        if size == "phone":
            assert phone_problems(page) == []
        shots.take(page, f"{role}-round-page")
        page.goto(f"{live_url}/console/rounds/{rid}/close")
        expect(page.locator("h1")).to_have_text("没有权限")
        context.close()


def test_every_console_page_fits_a_phone(rounds_console, live_url, browser):
    from bot.tickets import service

    svc = rounds_console.extensions["xiaoer"]
    with svc.db.session() as s:
        number = service.create(s, svc.config, "o-demo-alice", "牛奶变质了", order_no="DD20261101001").number
    rid = round_id(svc, STRAWBERRY)
    chat(rounds_console)("o-demo-bob", "接龙 2斤草莓 滨江")
    shots = Shots("phone_pages")
    page = browser.new_context(locale="zh-CN", **SIZES["phone"]).new_page()
    page.goto(live_url + "/console/login")
    problems = phone_problems(page)
    shots.take(page, "login")
    browser_login(page, live_url, "admin1")
    paths = ["/console/", "/console/tickets", f"/console/tickets/{number}", "/console/rounds",
             f"/console/rounds/{rid}", "/console/rounds/new", f"/console/rounds/{rid}/cancel",
             "/console/simulator", "/console/faq", "/console/unanswered", "/console/products",
             "/console/feedback", "/console/demand"]
    for path in paths:
        page.goto(live_url + path)
        expect(page.get_by_test_id("whoami")).to_be_visible()
        problems += phone_problems(page)
        shots.take(page, path.strip("/").replace("/", "-") or "home")
    assert problems == []
