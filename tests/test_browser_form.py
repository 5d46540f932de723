"""The line form and the lines table by keyboard, as a secretariat user adds a line: served by
`planner serve`, in headless Chromium. A module of its own: a server of its own, so these pages do
not meet the other modules' open pages under the per-user limit of open pages."""

from __future__ import annotations

import pytest
from browser_support import open_secretariat, pick
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


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
    open_secretariat(page, server, f"key={keys['secretariat-hokkaido']}")  # 6 lines: 12 buttons before the form
    expect(page.locator(".pl-budget-hint")).to_contain_text("6行目（⑧ 北海道の外国人材活躍 好事例、5 ポイント）")
    assert tab_to(page, ".pl-add-jump", 6) <= 6  # お知らせ, year, 日本語, English, sign-out, 「＋ 行を追加」
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
    open_secretariat(page, server, f"key={keys['secretariat-hokkaido']}")
    ring = "() => { const c = getComputedStyle(document.activeElement); return [c.outlineStyle, c.outlineWidth]; }"
    for _ in range(6):  # お知らせ, the year, both languages, sign-out, 「＋ 行を追加」
        page.keyboard.press("Tab")
        assert page.evaluate(ring) == ["solid", "3px"], page.evaluate("() => document.activeElement.outerHTML")
    page.keyboard.press("Enter")
    page.wait_for_function("() => !!document.activeElement.closest('.pl-item')")
    assert page.evaluate(ring) == ["solid", "3px"]  # the dropdown's ring was taken away by the widgets' CSS


def test_disabled_buttons_look_disabled(page, server, keys):
    open_secretariat(page, server, f"key={keys['secretariat-kyushu']}")  # accepted: every button is disabled
    remove = page.locator(".pl-remove").first
    expect(remove).to_be_disabled()
    look = remove.evaluate("b => { const c = getComputedStyle(b); return [c.backgroundColor, c.cursor, c.opacity]; }")
    assert look == ["rgb(243, 244, 246)", "not-allowed", "1"]  # grey, not a faded red


def test_item_11_asks_its_proposal_in_the_form_and_adds_it_as_the_lines_notes(page, server, keys):
    open_secretariat(page, server, f"key={keys['secretariat-chugoku']}")
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


def focused_row(page, button: str) -> int:
    """The row (0-based) whose `button` has the keyboard focus; -1 if the focus is elsewhere."""
    return page.evaluate("b => { const a = document.activeElement; if (!a || !a.closest(b)) return -1;"
                         " return [...document.querySelectorAll('.pl-line')].indexOf(a.closest('.pl-line')); }",
                         button)


def remove_by_keyboard(page, row: int, lines_after: int) -> None:
    """From row's 変更, Tab to its 削除 and press Enter, as a keyboard user does."""
    page.locator(".pl-edit").nth(row).focus()
    page.keyboard.press("Tab")
    assert focused_row(page, ".pl-remove") == row
    page.keyboard.press("Enter")
    expect(page.locator(".pl-line")).to_have_count(lines_after)


def test_after_removing_a_line_the_focus_stays_in_the_table_and_after_the_last_goes_to_adding(page, server, keys):
    open_secretariat(page, server, f"key={keys['secretariat-kansai']}")  # a draft of 8 lines; nothing here is saved
    remove_by_keyboard(page, 7, 7)  # the last row: the focus goes to the row before it, now the last
    page.wait_for_function("() => !!document.activeElement.closest('.pl-edit')")
    assert focused_row(page, ".pl-edit") == 6
    remove_by_keyboard(page, 2, 6)  # a middle row: the next line moved up into it, and has the focus
    page.wait_for_function("() => !!document.activeElement.closest('.pl-edit')")
    assert focused_row(page, ".pl-edit") == 2
    expect(page.locator(".pl-line").nth(2)).to_contain_text("日本での就職活動セミナー")  # what was line 4
    for left in range(5, -1, -1):
        remove_by_keyboard(page, 0, left)
    # no row left: past the empty table, to 「＋ 行を追加」, and on to the form with Enter
    page.wait_for_function("() => !!document.activeElement.closest('.pl-add-jump')")
    expect(page.locator(".pl-lines")).to_contain_text("まだ行がありません")
    page.keyboard.press("Enter")
    page.wait_for_function("() => !!document.activeElement.closest('.pl-item')")


def test_after_withdrawing_or_submitting_the_focus_stays_by_the_buttons(page, server, keys):
    open_secretariat(page, server, f"key={keys['secretariat-tohoku']}")  # submitted
    page.locator(".pl-withdraw").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".pl-actions-note")).to_contain_text("提出を取り下げました")
    expect(page.locator(".pl-withdraw")).to_be_hidden()
    # not lost to the page, and not on 提出, where a second Enter would submit again at once
    page.wait_for_function("() => !!document.activeElement.closest('.pl-reload')")
    page.locator(".pl-submit").focus()
    page.keyboard.press("Enter")  # asks first: the focus goes to the message to the officer
    page.wait_for_function("() => !!document.activeElement.closest('.pl-submit-message')")
    page.keyboard.press("Tab")  # to 提出する
    page.keyboard.press("Enter")
    expect(page.locator(".pl-actions-note")).to_contain_text("計画を提出しました")
    expect(page.locator(".pl-submit")).to_be_disabled()
    page.wait_for_function("() => !!document.activeElement.closest('.pl-reload')")
