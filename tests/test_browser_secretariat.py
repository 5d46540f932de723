"""The secretariat app as a person uses it: served by `planner serve`, in headless Chromium."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from browser_support import ARTIFACTS, CHROMIUM, READY, pick

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (scripts/setup.sh)"),
]
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


def open_app(page, server, query: str) -> float:
    """Open the app and wait until points left are on screen; returns the seconds that took."""
    start = time.monotonic()
    page.goto(server.url(query), timeout=READY)
    page.locator(".pl-left-value").wait_for(timeout=READY)
    return time.monotonic() - start


def left(page) -> str:
    return page.locator(".pl-left-value").inner_text()


def test_officers_key_does_not_open_the_editor(page, server, keys):
    page.goto(server.url(f"key={keys['officer']}"), timeout=READY)
    page.locator(".pl-refusal").wait_for(timeout=READY)
    expect(page.locator(".pl-refusal")).to_contain_text("review.ipynb")
    assert page.locator(".pl-add").count() == 0


def test_kansais_key_does_not_reach_tohokus_plan(page, server, keys):
    open_app(page, server, f"key={keys['secretariat-kansai']}&consortium=tohoku")
    body = page.locator("body").inner_text()
    assert "関西コンソーシアム" in body and "東北コンソーシアム" not in body
    assert "東北オンライン合同企業説明会" not in body and "関西留学生合同企業説明会2025" in body


def test_add_go_over_budget_save_and_find_it_kept(page, server, keys):
    seconds = open_app(page, server, f"key={keys['secretariat-kansai']}")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "time-to-first-screen.txt").write_text(f"{seconds:.2f}\n")
    assert seconds < 30
    assert left(page) == "10"
    expect(page.locator(".pl-points")).to_contain_text("残り")

    pick(page, 3, 1, 1)  # ③ online, 5 points
    expect(page.locator(".pl-preview")).to_contain_text("残りは 5 ポイント")
    page.locator(".pl-add").click()
    expect(page.locator(".pl-left-value")).to_have_text("5")

    pick(page, 1, 0, 1)  # ① standard, 30 points: over the budget
    page.locator(".pl-add").click()
    expect(page.locator(".pl-left-value")).to_have_text("-25")
    expect(page.locator(".pl-budget-msg")).to_contain_text("予算 120 ポイントを 25 ポイント超えています")
    expect(page.locator(".pl-submit")).to_be_disabled()

    page.locator(".pl-save").click()
    expect(page.locator(".pl-app-note")).to_contain_text("下書きを保存しました")

    page.reload(timeout=READY)
    page.locator(".pl-left-value").wait_for(timeout=READY)
    assert left(page) == "-25"
    expect(page.locator(".pl-line")).to_have_count(10)
    expect(page.locator(".pl-budget-msg")).to_contain_text("超えています")


def test_download_the_workbook_and_open_it(page, server, keys):
    import openpyxl

    open_app(page, server, f"key={keys['secretariat-hokuriku']}")
    page.locator(".pl-download").click()
    link = page.locator("a.pl-download-a")
    link.wait_for(timeout=30_000)
    assert (link.get_attribute("href") or "").startswith("data:application/vnd.openxmlformats")
    with page.expect_download() as info:
        link.click()
    data = Path(info.value.path()).read_bytes()
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert "計画" in wb.sheetnames
    text = " ".join(str(c.value) for row in wb["計画"].iter_rows() for c in row if c.value is not None)
    assert "北陸3県合同企業説明会" in text


def test_upload_a_broken_file_lists_the_problem(page, server, keys, tmp_path):
    open_app(page, server, f"key={keys['secretariat-hokkaido']}")
    bad = tmp_path / "plan.xlsx"
    bad.write_bytes(b"this is not a workbook")
    with page.expect_file_chooser() as fc:
        page.locator(".widget-upload").click()
    fc.value.set_files(str(bad))
    expect(page.locator(".pl-transfer-note")).to_contain_text("取り込めませんでした", timeout=30_000)
    expect(page.locator(".pl-upload-findings")).to_contain_text("NOT_A_WORKBOOK")
    assert left(page) == "-5"


def test_a_quantity_that_is_not_a_whole_number_is_kept_as_typed_and_refused(page, server, keys):
    open_app(page, server, f"key={keys['secretariat-hokkaido']}")
    before = left(page)
    qty = page.locator(".pl-qty input")
    qty.fill("1.5")
    qty.press("Tab")
    expect(page.locator(".pl-preview")).to_contain_text("数量「1.5」は使えません")
    assert qty.input_value() == "1.5"  # not 15, not 1
    page.locator(".pl-add").click()
    expect(page.locator(".pl-editor")).to_contain_text("1〜999 の整数")
    assert left(page) == before


def test_the_details_open_by_keyboard(page, server, keys):
    open_app(page, server, f"key={keys['secretariat-hokkaido']}")
    page.locator(".pl-title input").focus()
    page.keyboard.press("Tab")  # the next stop after the title is the details button
    page.keyboard.press("Enter")
    expect(page.locator(".pl-details-body")).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.type("札幌市")
    expect(page.locator(".pl-details-body input").first).to_have_value("札幌市")


def test_the_page_asks_nothing_of_another_site(browser, server, keys):
    """No CDN stylesheet: behind a proxy that drops outside requests it would hold the page back."""
    context = browser.new_context()
    pg = context.new_page()
    outside: list[str] = []
    pg.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:")) else None)
    try:
        open_app(pg, server, f"key={keys['secretariat-kansai']}")
        assert outside == []
    finally:
        context.close()


def test_tablet_width_fits_and_english_toggle(browser, server, keys):
    context = browser.new_context(viewport={"width": 800, "height": 1000})
    pg = context.new_page()
    try:
        open_app(pg, server, f"key={keys['secretariat-chugoku']}")
        expect(pg.locator(".pl-status")).to_contain_text("差し戻し")
        expect(pg.locator(".pl-status")).to_contain_text("2〜3月に集中")
        overflow = pg.evaluate("() => Math.max(...[...document.querySelectorAll('.pl-app')].map("
                               "e => e.scrollWidth - e.clientWidth))")
        assert overflow <= 2
        # points left stay in view when the page is scrolled to its end
        pg.locator(".pl-history").scroll_into_view_if_needed()
        pg.wait_for_timeout(300)
        box = pg.locator(".pl-left-value").bounding_box()
        assert box is not None and 0 <= box["y"] < 150
        pg.get_by_role("button", name="English").click()
        expect(pg.locator(".pl-points")).to_contain_text("Left")
        expect(pg.locator(".pl-status")).to_contain_text("returned")
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / "test_tablet_width.png"), full_page=True)
        raise
    finally:
        context.close()


def test_keys_never_reach_the_server_log(server, keys):
    log = server.log()
    assert "/voila/render/secretariat.ipynb" in log  # the requests were logged, without their keys
    for key in keys.values():
        assert key.split(".", 1)[1] not in log


def test_picking_a_month_shows_how_busy_it_is_across_the_programme(page, server, keys):
    open_app(page, server, f"key={keys['secretariat-hokkaido']}")
    page.locator(".pl-month select").select_option(label="10月（2025年）")
    hint = page.locator(".pl-month-hint")
    expect(hint).to_contain_text("10月の予定（全コンソーシアム）")
    expect(hint).to_contain_text("受託者の上限 6 件")
    body = page.locator("body").inner_text()
    assert "関西留学生合同企業説明会" not in body  # counts only: no other consortium's plan
