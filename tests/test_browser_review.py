"""The review app as the officer and the contractor use it: `planner serve`, headless Chromium.

One server for the module; the tests share its store and run in file order (read, accept, return, record).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from browser_support import ARTIFACTS, READY, Server, open_review, settled
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(demo_db_module: Path):
    # the demo already holds the seed's Tohoku event; the contractor records it here instead
    with sqlite3.connect(demo_db_module) as con:
        con.execute("DELETE FROM results")
    srv = Server(demo_db_module, demo_db_module.parent)
    yield srv
    srv.stop()


def shot(pg, name: str) -> None:
    """A screenshot of a main screen, for a person to look at (Voilà scrolls inside the page)."""
    ARTIFACTS.mkdir(exist_ok=True)
    height = pg.evaluate("() => document.querySelector('.pl-app').scrollHeight")
    size = pg.viewport_size
    pg.set_viewport_size({"width": size["width"], "height": min(max(height + 80, 600), 4000)})
    pg.screenshot(path=str(ARTIFACTS / f"review-{name}.png"))
    pg.set_viewport_size(size)


@pytest.mark.parametrize("who", ["", "key=1.wrong", "secretariat-kansai"])
def test_no_key_or_a_secretariats_key_sees_nothing(page, server, keys, who):  # noqa: F811
    page.goto(server.url(f"key={keys[who]}" if who in keys else who, notebook="review.ipynb"), timeout=READY)
    if who in keys:  # signed in, but a secretariat: the review app refuses
        box = page.locator(".pl-refusal")
        box.wait_for(timeout=READY)
        expect(box).to_contain_text("この画面を開けません")
    else:  # not signed in: the sign-in page, and no app at all
        page.locator("#key").wait_for(timeout=READY)
        assert "/login" in page.url and "1.wrong" not in page.url
    body = page.locator("body").inner_text()
    assert "コンソーシアム別の計画" not in body and "東北" not in body
    assert page.locator(".rv-open").count() == 0


def test_the_officer_reads_a_proposal_and_goes_on_to_the_next_plan_on_a_tablet(page, server, keys):  # noqa: F811
    page.set_viewport_size({"width": 820, "height": 1000})
    open_review(page, server, f"key={keys['officer']}")
    expect(page.locator(".rv-waiting")).to_contain_text("確認待ち")
    page.locator(".rv-row-tohoku .rv-open").click()
    expect(page.locator(".rv-plan-name")).to_have_text("東北コンソーシアム")
    details = page.locator(".rv-lines tr.rv-details").last
    expect(details).to_contain_text("内定後から入社1年目までの留学生を対象に")
    expect(details).to_be_visible()
    # the details sit under their line: the lines table is no wider than the page
    overflow = page.evaluate("() => { const e = document.querySelector('.rv-lines .rv-scroll');"
                             " return e.scrollWidth - e.clientWidth; }")
    assert overflow <= 2
    expect(page.locator(".rv-cmp-basis")).to_contain_text("最初の版1から版3（現在）")
    page.locator(".rv-next").click()
    expect(page.locator(".rv-plan-name")).to_have_text("北陸コンソーシアム")
    expect(page.locator(".rv-next-waiting")).to_have_text("次の確認待ち（東北コンソーシアム）")
    # by keyboard: the question takes the focus to its answer, and letting it go brings it back
    page.locator(".rv-accept").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".rv-confirm")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator(".rv-cancel")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".rv-accept")).to_be_focused()
    expect(page.locator(".rv-decision-note")).to_contain_text("取りやめました")
    expect(page.locator(".rv-plan-head")).to_contain_text("提出済み")


def test_officer_accepts_a_submitted_plan(page, server, keys):  # noqa: F811
    seconds = open_review(page, server, f"key={keys['officer']}")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "review-time-to-first-screen.txt").write_text(f"{seconds:.2f}\n")
    assert seconds < 30
    expect(page.locator(".rv-overview-row")).to_have_count(6)
    expect(page.locator(".rv-row-hokkaido")).to_contain_text("エラー 1")
    shot(page, "overview")
    page.locator(".rv-row-hokuriku .rv-open").click()
    expect(page.locator(".rv-plan-name")).to_have_text("北陸コンソーシアム")
    expect(page.locator(".rv-lines")).to_contain_text("北陸3県合同企業説明会")
    expect(page.locator(".rv-compare")).to_contain_text("4行目を追加")
    page.locator(".rv-comment textarea").fill("内容を確認しました。")
    page.locator(".rv-accept").click()
    expect(page.locator(".rv-question")).to_contain_text("北陸コンソーシアムの計画（版3）を承認します。よろしいですか？")
    expect(page.locator(".rv-question")).to_contain_text("コメント: 内容を確認しました。")
    expect(page.locator(".rv-plan-head")).to_contain_text("提出済み")  # nothing done yet
    page.locator(".rv-confirm").click()
    expect(page.locator(".rv-decision-note")).to_contain_text("承認しました")
    expect(page.locator(".rv-plan-head")).to_contain_text("承認済み")
    expect(page.locator(".rv-reopen")).to_be_visible()
    shot(page, "plan-accepted")
    page.get_by_role("button", name="計画一覧").click()
    expect(page.locator(".rv-row-hokuriku")).to_contain_text("承認済み")


def test_officer_returns_with_a_comment_the_secretariat_sees(browser, page, server, keys):  # noqa: F811
    open_review(page, server, f"key={keys['officer']}")
    page.locator(".rv-row-tohoku .rv-open").click()
    expect(page.locator(".rv-plan-name")).to_have_text("東北コンソーシアム")
    page.locator(".rv-return").click()  # without a comment: refused, said on screen
    expect(page.locator(".rv-decision-note")).to_contain_text("コメント")
    comment = "④のセミナーは2回とも5月です。1回を秋に移して再提出してください。"
    page.locator(".rv-comment textarea").fill(comment)
    page.locator(".rv-return").click()
    expect(page.locator(".rv-confirm")).to_have_text("差し戻しを確定")
    page.locator(".rv-confirm").click()
    expect(page.locator(".rv-decision-note")).to_contain_text("差し戻しました")

    secretariat = browser.new_page()
    try:
        secretariat.goto(server.url(f"key={keys['secretariat-tohoku']}"), timeout=READY)
        secretariat.locator(".pl-left-value").wait_for(timeout=READY)
        expect(secretariat.locator(".pl-status")).to_contain_text("差し戻し")
        expect(secretariat.locator(".pl-status")).to_contain_text(comment)
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        secretariat.screenshot(path=str(ARTIFACTS / "test_return_seen_by_secretariat.png"), full_page=True)
        raise
    finally:
        secretariat.close()


def test_contractor_records_the_tohoku_event_and_sees_it_delivered(page, server, keys):  # noqa: F811
    page.set_viewport_size({"width": 800, "height": 1000})  # a tablet
    open_review(page, server, f"key={keys['contractor']}&fy=2024")
    expect(page.locator(".rv-overview-row")).to_have_count(1)
    page.locator(".rv-row-tohoku .rv-open").click()
    expect(page.locator(".rv-plan-name")).to_have_text("東北コンソーシアム")
    assert page.locator(".rv-accept").count() == 0 or not page.locator(".rv-accept").is_visible()
    expect(page.locator(".rv-result-line select")).to_contain_text("地域の中堅・中小企業と外国人留学生との交流会")
    for field, value in (("dates", "2024-11-19"), ("venue", "TKPガーデンシティ仙台ホール30B"), ("companies", "18"),
                         ("company_staff", "37"), ("students", "64"), ("members", "34"),
                         ("very_satisfied", "33"), ("satisfied", "67"), ("dissatisfied", "0")):
        page.locator(f".rv-r-{field} input").fill(value)
    page.locator(".rv-record").click()
    expect(page.locator(".rv-record-note")).to_contain_text("1行目の実績を記録しました（参加者 135 名）")
    expect(page.locator(".rv-lines")).to_contain_text("参加者 135 名")
    overflow = page.evaluate("() => Math.max(...[...document.querySelectorAll('.pl-app')].map("
                             "e => e.scrollWidth - e.clientWidth))")
    assert overflow <= 2
    shot(page, "contractor-plan-tablet")

    page.get_by_role("button", name="計画と実績").click()
    table = page.locator(".rv-delivery-table")
    expect(table).to_contain_text("東北コンソーシアム", timeout=30_000)
    row = table.locator("tr", has_text="東北コンソーシアム")
    expect(row).to_contain_text("135")
    cells = [c.strip() for c in row.locator("td").all_inner_texts()]
    assert cells[1:] == ["7", "1", "135", "18", "37", "64", "34", "33%", "100%"]
    expect(table.locator("tr.rv-total")).to_contain_text("135")
    page.get_by_role("button", name="English").click()
    expect(table).to_contain_text("Tohoku")
    settled(page)
    # the wide table scrolls inside its box; the page's right edge, with the language buttons, stays in view
    right = page.evaluate("() => Math.max(...[...document.querySelectorAll('.pl-lang, .rv-nav, .pl-top')]"
                          ".map(e => e.getBoundingClientRect().right))")
    assert right <= 800
    shot(page, "delivery")
    page.get_by_role("button", name="English").click()
    expect(table).to_contain_text("Year total")
    # the choice is remembered for the contractor: back to Japanese for the tests after this one
    page.get_by_role("button", name="日本語").click()
    expect(table).to_contain_text("年度合計")


def test_contractor_picks_an_event_by_its_title_types_dates_and_counts_and_sees_what_is_left(
        page, server, keys):  # noqa: F811
    open_review(page, server, f"key={keys['contractor']}")
    page.locator(".rv-row-kyushu .rv-open").click()
    page.locator(".rv-result-line select option").first.wait_for(state="attached", timeout=READY)
    # the dropdown shows its spaces as no-break spaces
    options = [o.replace("\xa0", " ") for o in page.locator(".rv-result-line select option").all_inner_texts()]
    assert options[0].startswith("九州・留学生合同企業説明会（福岡） — 6月 — 番号1 ②")
    assert options[1].startswith("九州オンライン合同企業説明会 — 11月 — 番号2 ②")
    assert len(options) == 5 and not any("⑦" in o or "⑨" in o for o in options)  # bus, secretariat support
    page.locator(".rv-r-dates input").fill("２０２５／６／１４")
    expect(page.locator(".rv-r-dates-read")).to_contain_text("2025年6月14日（土）")
    for field, value in (("company_staff", "40"), ("students", "100"), ("members", "10")):
        page.locator(f".rv-r-{field} input").fill(value)
    page.locator(".rv-r-unit button", has_text="人数").click()
    expect(page.locator(".rv-r-very_satisfied label")).to_have_text("大変満足（人）")
    for field, value in (("very_satisfied", "100"), ("satisfied", "80"), ("dissatisfied", "20")):
        page.locator(f".rv-r-{field} input").fill(value)
    expect(page.locator(".rv-r-sum")).to_have_text("合計 200 人（参加者 150 名）")
    page.locator(".rv-record").click()
    expect(page.locator(".rv-record-findings")).to_contain_text("参加者数（150 名）を超えています")
    assert "SATISFACTION_OVER_PARTICIPANTS" not in page.locator(".rv-record-findings").inner_text()  # the CLI's
    page.locator(".rv-r-satisfied input").fill("40")
    page.locator(".rv-r-dissatisfied input").fill("10")
    page.locator(".rv-record").click()
    expect(page.locator(".rv-record-note")).to_contain_text("1行目の実績を記録しました（参加者 150 名）")
    expect(page.locator(".rv-result-line select")).to_contain_text("6月（記録済み）")
    shot(page, "contractor-results-form")

    page.get_by_role("button", name="計画と実績").click()
    pending = page.locator(".rv-pending")
    # FY2025 is over (March 2026): kyushu's four other events are 未記録, and so are those of the plan accepted above
    expect(pending.locator(".rv-pending-kyushu")).to_contain_text("未記録 4 件", timeout=30_000)
    expect(pending).to_contain_text("九州オンライン合同企業説明会")
    expect(pending).not_to_contain_text("九州・留学生合同企業説明会")  # recorded just now
    page.locator(".rv-year select").select_option(label="令和6年度（2024年度）")
    expect(pending.locator(".rv-pending-tohoku")).to_contain_text("未記録", timeout=30_000)
    expect(page.locator(".rv-nav button.mod-active")).to_have_text("計画と実績")  # the section stays
    shot(page, "delivery-pending")


def test_the_officer_sees_the_contractors_load_as_a_chart(page, server, keys):  # noqa: F811
    open_review(page, server, f"key={keys['officer']}")
    page.locator(".rv-nav button", has_text="月別の負荷").click()
    chart = page.locator(".rv-load-chart")
    chart.wait_for(timeout=READY)
    assert chart.locator("rect").count() >= 20  # bars stacked by consortium, and the legend
    assert chart.locator("line.rv-load-capacity").count() == 1
    expect(page.locator(".rv-load-table")).to_contain_text("10月")
    expect(page.locator(".rv-load")).to_contain_text("受託者の月別の負荷")
    shot(page, "review-load")


def test_the_workbooks_download_in_one_click(page, server, keys):  # noqa: F811
    import io

    import openpyxl

    # the analyst: the officer's and the contractor's earlier pages here reach the cap of pages per user
    open_review(page, server, f"key={keys['analyst']}&lang=ja")
    with page.expect_download() as info:
        page.locator("a.rv-year-download").click()
    assert info.value.suggested_filename.startswith("集約_2025年度_") and info.value.failure() is None
    assert "概要" in openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes())).sheetnames
    page.locator(".rv-row-kyushu .rv-open").click()
    with page.expect_download() as info:
        page.locator("a.rv-plan-download").click()
    assert info.value.suggested_filename.startswith("計画_九州コンソーシアム_2025年度_版")
    assert "計画" in openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes())).sheetnames
    assert "review.ipynb" in page.url  # the app stays where it was


def test_in_english_the_year_and_every_tab_read_whole(page, server, keys):  # noqa: F811
    # the analyst: the officer's and the contractor's pages above already reach the cap of pages per user
    open_review(page, server, f"key={keys['analyst']}&lang=en")
    expect(page.locator(".rv-year select option:checked")).to_have_text("FY2025 (Apr 2025 – Mar 2026)")
    expect(page.locator(".rv-nav button", has_text="Planned vs delivered")).to_be_visible()
    for width in (1366, 820):
        page.set_viewport_size({"width": width, "height": 900})
        # a title cut by the button's width has more text than room (the browser then draws 「…」)
        cut = page.eval_on_selector_all(".rv-nav button", "bs => bs.filter(b => b.scrollWidth > b.clientWidth)"
                                        ".map(b => b.textContent)")
        assert cut == [], (width, cut)
    shot(page, "en-tabs")
