"""The line form and the lines table by keyboard, as a secretariat user adds a line: served by
`planner serve`, in headless Chromium. A module of its own: a server of its own, so these pages do
not meet the other modules' open pages under the per-user limit of open pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_support import CHROMIUM, READY, pick

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (scripts/setup.sh)"),
]
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


def open_app(page, server, query: str) -> None:
    page.goto(server.url(query), timeout=READY)
    page.locator(".pl-left-value").wait_for(timeout=READY)


def has_focus(page, selector: str) -> bool:
    return page.evaluate("s => !!document.activeElement && !!document.activeElement.closest(s)", selector)


def tab_to(page, selector: str, most: int) -> int:
    """Press Tab until the focus is in `selector`; the number of presses (at most `most`)."""
    for n in range(1, most + 1):
        page.keyboard.press("Tab")
        if has_focus(page, selector):
            return n
    raise AssertionError(f"{selector} not reached in {most} Tabs")


def test_from_page_load_the_keyboard_reaches_the_form_in_a_few_keys_and_a_new_line_takes_the_focus(page, server, keys):
    open_app(page, server, f"key={keys['secretariat-hokkaido']}")  # 6 lines: 12 buttons before the form
    expect(page.locator(".pl-budget-hint")).to_contain_text("6行目（⑧ 北海道の外国人材活躍 好事例、5 ポイント）")
    assert tab_to(page, ".pl-add-jump", 5) <= 5  # year, 日本語, English, sign-out, 「＋ 行を追加」
    page.keyboard.press("Enter")
    page.wait_for_function("() => !!document.activeElement.closest('.pl-item')")
    item = page.locator(".pl-item select")
    assert item.evaluate("s => s.options[s.selectedIndex].text") == "選んでください"
    assert page.locator(".pl-variant select option").count() == 0 and page.locator(".pl-preview").inner_text() == ""
    for _ in range(3):  # to ③ by arrow keys
        page.keyboard.press("ArrowDown")
    expect(page.locator(".pl-preview")).to_contain_text("この行は 8 ポイント")
    tab_to(page, ".pl-add", 8)
    page.keyboard.press("Enter")
    expect(page.locator(".pl-line")).to_have_count(7)
    page.wait_for_function("() => !!document.activeElement.closest('.pl-edit')")
    row = page.evaluate("() => [...document.querySelectorAll('.pl-line')].indexOf("
                        "document.activeElement.closest('.pl-line'))")
    assert row == 6  # the new line's 変更
    assert item.evaluate("s => s.options[s.selectedIndex].text") == "選んでください"  # a fresh form
    expect(page.locator(".pl-app-note")).to_contain_text("7行目に ③ を追加しました")
    page.keyboard.press("Enter")  # a second Enter opens the new line, it adds no copy of it
    expect(page.locator(".pl-editor h3")).to_have_text("7行目を変更")
    expect(page.locator(".pl-line")).to_have_count(7)
    page.wait_for_function("() => !!document.activeElement.closest('.pl-item')")  # the form took the focus
    tab_to(page, ".pl-cancel", 10)
    page.keyboard.press("Enter")  # 取り消し: back to the line's row, not to the top of the page
    page.wait_for_function("() => document.activeElement.closest('.pl-line') === "
                           "document.querySelectorAll('.pl-line')[6] && !!document.activeElement.closest('.pl-edit')")
    expect(page.locator(".pl-editor h3")).to_have_text("メニューから選んで追加")


def test_focus_is_clearly_visible_on_every_control(page, server, keys):
    open_app(page, server, f"key={keys['secretariat-hokkaido']}")
    ring = "() => { const c = getComputedStyle(document.activeElement); return [c.outlineStyle, c.outlineWidth]; }"
    for _ in range(5):  # the year, both languages, sign-out, 「＋ 行を追加」
        page.keyboard.press("Tab")
        assert page.evaluate(ring) == ["solid", "3px"], page.evaluate("() => document.activeElement.outerHTML")
    page.keyboard.press("Enter")
    page.wait_for_function("() => !!document.activeElement.closest('.pl-item')")
    assert page.evaluate(ring) == ["solid", "3px"]  # the dropdown's ring was taken away by the widgets' CSS


def test_disabled_buttons_look_disabled(page, server, keys):
    open_app(page, server, f"key={keys['secretariat-kyushu']}")  # accepted: every button is disabled
    remove = page.locator(".pl-remove").first
    expect(remove).to_be_disabled()
    look = remove.evaluate("b => { const c = getComputedStyle(b); return [c.backgroundColor, c.cursor, c.opacity]; }")
    assert look == ["rgb(243, 244, 246)", "not-allowed", "1"]  # grey, not a faded red


def test_item_11_asks_its_proposal_in_the_form_and_adds_it_as_the_lines_notes(page, server, keys):
    open_app(page, server, f"key={keys['secretariat-chugoku']}")
    lines = page.locator(".pl-line").count()
    expect(page.locator(".pl-proposal")).to_be_hidden()
    pick(page, 11, 0, 1)
    expect(page.locator(".pl-proposal-box")).to_contain_text("提案内容の記入が必須です")
    page.locator("button.pl-details-toggle").click()
    expect(page.locator(".pl-details-body")).to_be_visible()
    expect(page.locator(".pl-notes")).to_be_hidden()  # the notes are asked once, as the proposal
    page.locator(".pl-add").click()
    expect(page.locator(".pl-editor")).to_contain_text("提案内容が必要です")
    expect(page.locator(".pl-line")).to_have_count(lines)
    page.locator(".pl-proposal textarea").fill("地元企業と留学生の長期インターン仲介")
    page.locator(".pl-add").click()
    expect(page.locator(".pl-line")).to_have_count(lines + 1)
    expect(page.locator(".pl-findings")).not_to_contain_text("提案の内容")
