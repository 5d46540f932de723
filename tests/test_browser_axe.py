"""Accessibility: axe-core (npm, node_modules/) finds nothing at WCAG 2.1 A and AA on the pages people use:
the sign-in page, Voilà's loading screen, the secretariat app and the review app, in Japanese and English.

axe is put into the served page as it is and run there (`axe.run`); a failure lists every violation with
its rule, the elements it found and axe's summary of what to fix.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_support import READY, open_review, open_secretariat, settled
from playwright.sync_api import expect

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not AXE.exists(), reason="needs axe-core in node_modules/ (scripts/setup.sh)"),
]


def violations(page) -> list[dict]:
    """axe's violations on the page as it is now (WCAG 2.0/2.1, levels A and AA)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map("
        "n => ({target: n.target.join(' '), summary: n.failureSummary, html: n.html.slice(0, 200)}))})))",
        TAGS,
    )


def report(found: list[dict]) -> str:
    lines = [f"{len(found)} axe violation(s) at {', '.join(TAGS)}:"]
    for v in found:
        lines.append(f"- {v['id']} ({v['impact']}, {len(v['nodes'])} element(s)): {v['help']}")
        for n in v["nodes"]:
            summary = " ".join((n["summary"] or "").split())
            lines.append(f"    {n['target']}: {summary}\n      {n['html']}")
    return "\n".join(lines)


def assert_accessible(page, where: str) -> None:
    """No violation on the whole page. The viewport is made as tall as the app for the check: axe can
    judge the contrast only of what is in view (Voilà scrolls inside the page)."""
    settled(page)  # the widgets have finished drawing
    size = page.viewport_size
    height = page.evaluate("() => Math.max(document.documentElement.scrollHeight, ...[...document.querySelectorAll("
                           "'.pl-app')].map(e => e.scrollHeight))")
    tall = min(max(height + 80, size["height"]), 6000)
    page.set_viewport_size({"width": size["width"], "height": tall})
    try:
        page.wait_for_function("h => window.innerHeight === h", arg=tall)
        settled(page)  # laid out again at that height
        found = violations(page)
    finally:
        page.set_viewport_size(size)
    assert not found, f"{where}: {report(found)}"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_sign_in_page(page, server, lang):
    page.goto(f"{server.base}/login" + ("?lang=en" if lang == "en" else ""), timeout=READY)
    page.locator("#key").wait_for(timeout=READY)
    assert page.locator("html").get_attribute("lang") == lang
    assert_accessible(page, f"sign-in page ({lang})")


def test_sign_in_page_with_a_refused_key(page, server):
    page.goto(server.url("key=1.wrong"), timeout=READY)
    page.locator("#key").wait_for(timeout=READY)
    assert_accessible(page, "sign-in page after a wrong key")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_loading_screen(page, server, keys, lang):
    """What shows while the app's kernel runs: held there by keeping Voilà's scripts from loading."""
    page.route("**/voila/static/**", lambda route: route.abort())
    query = f"key={keys['secretariat-kyushu']}" + ("&lang=en" if lang == "en" else "")
    page.goto(server.url(query), timeout=READY)
    loading = page.locator("#loading")
    loading.wait_for(timeout=READY)
    assert page.locator("html").get_attribute("lang") == lang
    expect(loading).to_contain_text("読み込み中…" if lang == "ja" else "Loading…")
    expect(loading.get_by_role("status")).to_have_count(1)
    settled(page)
    assert "Executing" not in loading.inner_text() and "Running" not in loading.inner_text()
    assert_accessible(page, f"loading screen ({lang})")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_secretariat_first_screen(page, server, keys, lang):
    # Hokkaido's plan has an error: the findings are on the first screen
    open_secretariat(page, server, f"key={keys['secretariat-hokkaido']}" + ("&lang=en" if lang == "en" else ""))
    assert page.locator("html").get_attribute("lang") == lang
    expect(page.locator(".pl-app")).to_contain_text(re.compile("エラー" if lang == "ja" else "error", re.IGNORECASE))
    assert_accessible(page, f"secretariat app, first screen ({lang})")


def test_secretariat_submitted_plan_and_the_language_buttons(page, server, keys):
    # Hokuriku's plan is submitted: the withdraw button is there
    open_secretariat(page, server, f"key={keys['secretariat-hokuriku']}")
    expect(page.locator(".pl-withdraw")).to_be_visible()
    assert_accessible(page, "secretariat app, a submitted plan")
    page.get_by_role("button", name="English").click()
    expect(page.locator(".pl-points")).to_contain_text("Left")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page, "secretariat app, a submitted plan, switched to English")
    page.get_by_role("button", name="日本語").click()
    expect(page.locator("html")).to_have_attribute("lang", "ja")


def test_secretariat_a_save_said_by_the_buttons_and_a_conflict(browser, server, keys):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    first, second = context.new_page(), context.new_page()
    try:
        for pg in (first, second):
            open_secretariat(pg, server, f"key={keys['secretariat-hokkaido']}&lang=ja")
        # the same change in both tabs, each unsaved before either saves: the second save is refused.
        # (Had the second tab removed its line only after the first save, its page would already have
        # followed that save, with nothing of its own to keep, and saved without a conflict.)
        for pg in (first, second):
            pg.locator(".pl-remove").first.click()
            expect(pg.locator(".pl-undo")).to_be_visible()
        first.locator(".pl-save").click()
        expect(first.locator(".pl-actions-note")).to_contain_text("下書きを保存しました")
        second.locator(".pl-save").click()  # after the first is stored: two kernels, no order between them
        assert_accessible(first, "secretariat app, a save said next to the buttons")
        expect(second.locator(".pl-conflict")).to_contain_text("さんが更新しました")
        # the way out has the focus, scrolled into view: the explanation had opened below the screen
        expect(second.locator(".pl-conflict-reload")).to_be_focused()
        assert second.locator(".pl-conflict-reload").evaluate(
            "b => { const r = b.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight }")
        assert_accessible(second, "secretariat app, a refused save with what changed in between")
    finally:
        context.close()


def test_secretariat_details_open_and_a_line_picked(page, server, keys):
    open_secretariat(page, server, f"key={keys['secretariat-kansai']}")
    page.locator("button.pl-details-toggle").click()
    expect(page.locator(".pl-details-body")).to_be_visible()
    page.locator(".pl-item select").select_option(index=2)  # the month's count is said for an event item
    page.locator(".pl-month select").select_option(index=6)  # 10月 (its label says its events too)
    expect(page.locator(".pl-month-hint")).to_contain_text("10月の予定")
    page.locator(".pl-qty input").fill("1.5")  # a finding on the form: not a whole number
    page.locator(".pl-qty input").press("Tab")
    expect(page.locator(".pl-preview")).to_contain_text("使えません")
    assert_accessible(page, "secretariat app, details open, month picked, a quantity refused")


def test_secretariat_item_11_with_its_proposal_box_and_a_refused_add(page, server, keys):
    open_secretariat(page, server, f"key={keys['secretariat-kansai']}")
    page.locator(".pl-item select").select_option(index=11)  # ⑪, after 「選んでください」
    expect(page.locator(".pl-proposal-box")).to_be_visible()
    page.locator(".pl-add").click()
    expect(page.locator(".pl-editor")).to_contain_text("提案内容が必要です")
    assert_accessible(page, "secretariat app, ⑪ picked, its proposal asked for")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_review_overview(page, server, keys, lang):
    open_review(page, server, f"key={keys['officer']}" + ("&lang=en" if lang == "en" else ""))
    assert page.locator("html").get_attribute("lang") == lang
    expect(page.locator("a.rv-year-download")).to_be_visible()  # the consolidated workbook, a link
    assert_accessible(page, f"review app, overview with the consolidated workbook's link ({lang})")


def test_review_plan(page, server, keys):
    open_review(page, server, f"key={keys['officer']}")
    page.locator(".rv-row-hokuriku .rv-open").click()
    expect(page.locator(".rv-plan-name")).to_have_text("北陸コンソーシアム")
    expect(page.locator(".rv-compare")).to_contain_text("4行目を追加")
    assert_accessible(page, "review app, a submitted plan")
    page.locator(".rv-accept").click()  # the question before a decision, with its two buttons
    expect(page.locator(".rv-confirm")).to_be_visible()
    assert_accessible(page, "review app, a decision asked before it is confirmed")
    page.locator(".rv-cancel").click()
    expect(page.locator(".rv-accept")).to_be_visible()


def test_review_plan_as_the_contractor(page, server, keys):
    open_review(page, server, f"key={keys['contractor']}&fy=2024")
    page.locator(".rv-row-tohoku .rv-open").click()
    expect(page.locator(".rv-plan-name")).to_have_text("東北コンソーシアム")
    page.locator(".rv-result-line select").wait_for(timeout=READY)
    assert_accessible(page, "review app, an accepted plan with the results form")


def test_review_results_form_with_findings_as_the_contractor(page, server, keys):
    open_review(page, server, f"key={keys['contractor']}")
    page.locator(".rv-row-kyushu .rv-open").click()
    page.locator(".rv-result-line select").wait_for(timeout=READY)
    page.locator(".rv-r-dates input").fill("2026/6/14")  # read back, and said to be outside the year
    page.locator(".rv-r-students input").fill("10")
    page.locator(".rv-r-unit button").nth(1).click()
    page.locator(".rv-r-very_satisfied input").fill("20")
    expect(page.locator(".rv-r-sum")).to_contain_text("合計 20 人")
    page.locator(".rv-record").click()
    expect(page.locator(".rv-record-findings")).to_contain_text("参加者数（10 名）を超えています")
    assert_accessible(page, "review app, the results form with its findings")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_review_delivery_with_the_events_left_to_record(page, server, keys, lang):
    # the contractor's (the officer has its four pages open already: one person may have four at once)
    open_review(page, server, f"key={keys['contractor']}&fy=2024" + ("&lang=en" if lang == "en" else ""))
    page.locator(".rv-nav button").nth(2).click()
    page.locator(".rv-pending-tohoku").wait_for(timeout=READY)
    assert_accessible(page, f"review app, planned against delivered with the events left ({lang})")


def test_the_budget_bar_has_a_name(page, server, keys):
    open_secretariat(page, server, f"key={keys['secretariat-kansai']}")
    settled(page)
    found = [v for v in violations(page) if v["id"] == "aria-progressbar-name"]
    assert not found, report(found)
