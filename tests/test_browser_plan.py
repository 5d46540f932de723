"""Planning, second pass, in the browser: 対象行 chosen in the form, the month picker's room, 削除 undone
beside the row it removed, the over-budget banner one line high, a proposal under its line. Served by
`planner serve`, in headless Chromium; a module of its own (a server of its own). Screenshots go to
test-artifacts/ (PLANNER_SHOTS overrides), to be looked at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser_support import ARTIFACTS, open_secretariat, settled
from playwright.sync_api import expect
from test_browser_axe import assert_accessible

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("PLANNER_SHOTS", ARTIFACTS))


def shot(page, name: str, locator=None) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    settled(page)
    (locator or page).screenshot(path=str(SHOTS / f"{name}.png"))


def options(page, selector: str) -> list[str]:
    # the widgets show a space as a no-break space
    return page.locator(f"{selector} select").evaluate("s => [...s.options].map(o => o.text.replace(/\u00a0/g, ' '))")


def test_a_bus_is_added_for_the_line_chosen_as_its_target(page, server, keys):
    open_secretariat(page, server, f"key={keys['secretariat-kansai']}")  # 8 lines; ⑦ serves 6, ⑩ serves 1
    expect(page.locator(".pl-line").nth(6)).to_contain_text("→ 6 関西ものづくり企業見学会")
    expect(page.locator(".pl-line").nth(7)).to_contain_text("→ 1 関西留学生合同企業説明会2025")
    expect(page.locator(".pl-serves-choice")).to_be_hidden()
    page.locator(".pl-item select").select_option(index=7)  # ⑦
    expect(page.locator(".pl-serves-choice")).to_be_visible()
    assert options(page, ".pl-serves-choice") == ["対象にする行を選んでください", "5 関西の企業と留学生の交流会",
                                                   "6 関西ものづくり企業見学会"]
    page.locator(".pl-title input").fill("交流会の送迎バス")
    page.locator(".pl-add").click()
    expect(page.locator(".pl-editor")).to_contain_text("対象行（この手配がどの行のためか）を選んでください")
    expect(page.locator(".pl-line")).to_have_count(8)
    page.locator(".pl-serves-choice select").select_option(index=1)
    shot(page, "form-serves", page.locator(".pl-editor"))
    assert_accessible(page, "secretariat app, a ⑦ with its 対象行 chosen")
    page.locator(".pl-add").click()
    expect(page.locator(".pl-line")).to_have_count(9)
    expect(page.locator(".pl-line").nth(8)).to_contain_text("交流会の送迎バス → 5 関西の企業と留学生の交流会")


def test_the_month_picker_shows_room_before_picking(page, server, keys):
    open_secretariat(page, server, f"key={keys['secretariat-hokuriku']}")  # submitted: the picker is closed
    open_secretariat(page, server, f"key={keys['secretariat-chugoku']}")  # returned: a draft to work on
    page.locator(".pl-item select").select_option(index=3)
    months = options(page, ".pl-month")
    assert len(months) == 12 and all("/6" in m for m in months), months
    assert months[0].startswith("4月（2025年）")
    assert any(m.endswith(" 満") for m in months)  # 10月 is full across the programme: seen before picking
    # April fills up as lines are added to it, and says so at once
    for _ in range(7):
        if months[0].endswith(" 満"):
            break
        page.locator(".pl-month select").select_option(index=0)
        n = page.locator(".pl-line").count()
        page.locator(".pl-add").click()
        expect(page.locator(".pl-line")).to_have_count(n + 1)
        page.wait_for_function("() => document.querySelector('.pl-item select').selectedIndex === 0")  # a fresh form
        page.locator(".pl-item select").select_option(index=3)
        expect(page.locator(".pl-preview")).to_contain_text("この行は")
        months = options(page, ".pl-month")
    assert months[0] == "4月（2025年）　6/6 満"
    # for the screenshot: the list opened out as a person sees it when they click it
    page.locator(".pl-month select").evaluate(
        "s => { s.size = 12; s.style.height = 'auto'; s.closest('.widget-dropdown').style.height = 'auto'; }")
    shot(page, "month-picker", page.locator(".pl-editor"))


def test_remove_says_so_where_the_row_was_and_undo_puts_it_back(page, server, keys):
    open_secretariat(page, server, f"key={keys['secretariat-kansai']}")
    rows = page.locator(".pl-line")
    expect(rows).to_have_count(8)
    tour = rows.nth(5)
    expect(tour).to_contain_text("関西ものづくり企業見学会")
    where = tour.bounding_box()
    tour.locator(".pl-remove").click()
    expect(rows).to_have_count(7)
    note = page.locator(".pl-removed")
    expect(note).to_contain_text("6行目（⑥ 関西ものづくり企業見学会）を削除しました（未保存）")
    box = note.bounding_box()
    assert abs(box["y"] - where["y"]) < 40, (box, where)  # where the person clicked, not at the top
    expect(page.locator(".pl-app-note")).to_have_text("")
    # the bus hired for the tour is now the line with the error
    expect(rows.nth(5)).to_contain_text("企業見学会の貸切バス")
    expect(rows.nth(5).locator(".pl-flag-error")).to_have_count(1)
    expect(page.locator(".pl-findings")).to_contain_text("6行目: ⑦移動手段の手配 の対象行が計画にありません")
    shot(page, "undo-note", page.locator(".pl-lines"))
    assert_accessible(page, "secretariat app, a line removed, 元に戻す beside its note")
    note.locator(".pl-undo").click()
    expect(rows).to_have_count(8)
    expect(rows.nth(5)).to_contain_text("関西ものづくり企業見学会")
    expect(page.locator(".pl-removed")).to_have_count(0)
    expect(page.locator(".pl-line .pl-flag-error")).to_have_count(0)
    expect(page.locator(".pl-unsaved")).to_have_count(0)  # back to the saved plan


def test_over_budget_the_banner_stays_one_line(page, server, keys):
    open_secretariat(page, server, f"key={keys['secretariat-hokkaido']}")  # 95 of 90
    msg = page.locator(".pl-budget-msg")
    expect(msg).to_contain_text("超えています")
    expect(page.locator(".pl-budget-hint")).to_contain_text("6行目（⑧ 北海道の外国人材活躍 好事例、5 ポイント）")
    line = msg.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
    assert msg.bounding_box()["height"] < 2 * line  # one line, however long the message
    banner = page.locator(".pl-budget").bounding_box()["height"]
    assert banner < 110, banner
    assert "5 ポイント超えています" in msg.get_attribute("title")  # the whole text on hover
    page.set_viewport_size({"width": 700, "height": 900})  # narrow: still one line
    settled(page)
    assert msg.bounding_box()["height"] < 2 * line and page.locator(".pl-budget").bounding_box()["height"] < 130
    page.set_viewport_size({"width": 1280, "height": 900})
    shot(page, "budget-banner", page.locator(".pl-budget"))


def test_a_proposal_shows_under_its_line(page, server, keys):
    open_secretariat(page, server, f"key={keys['secretariat-tohoku']}")
    row = page.locator(".pl-line", has_text="新規メニュー提案")
    expect(row.locator(".pl-proposal-text")).to_have_text(
        "内定後から入社1年目までの留学生を対象に、生活・就業の相談会を年2回開催する支援メニューを提案する。")
    expect(page.locator(".pl-proposal-text")).to_have_count(1)  # other lines' notes stay in the form
    shot(page, "proposal-row", row)
