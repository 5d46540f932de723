"""Long unbroken text (a 1,000-character title, place, notes, comment, venue, display name) wraps in every
table and list of both apps, and no page grows wider than its screen (issue 26, item 6).

One server for the module on a demo store whose texts are made as long as the store allows."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest
from browser_support import READY, Server, open_review, open_secretariat, settled

import planner
from planner.demo import TOHOKU_2024_EVENT

pytestmark = pytest.mark.browser

SHOTS = Path("/work/helpers/pages")
WIDTH = 1280
LONG = {k: k * 1000 for k in "WMNCVRST"}  # one letter each, so a screenshot tells which field is which


@pytest.fixture(scope="module")
def server(demo_db_module: Path):
    store = planner.open_store(demo_db_module)
    rec = store.current("kansai", 2025)
    first = dataclasses.replace(rec.plan.lines[0], title=LONG["W"], place=LONG["M"], notes=LONG["N"])
    rev = store.save(rec.plan.replace_line(0, first), by="secretariat-kansai", base_revision=rec.revision)
    rev = store.submit("kansai", 2025, by="secretariat-kansai", base_revision=rev)
    store.return_plan("kansai", 2025, by="officer", comment=LONG["C"], base_revision=rev)
    store.reopen("kyushu", 2025, by="officer")  # an accepted plan with a long title, for 計画と実績
    rec = store.current("kyushu", 2025)
    rev = store.save(rec.plan.replace_line(0, dataclasses.replace(rec.plan.lines[0], title=LONG["T"])),
                     by="secretariat-kyushu", base_revision=rec.revision)
    store.accept("kyushu", 2025, by="officer", base_revision=store.submit("kyushu", 2025, by="secretariat-kyushu",
                                                                          base_revision=rev))
    [event] = store.results("tohoku", 2024, by="officer")
    store.record_result("tohoku", 2024, dataclasses.replace(TOHOKU_2024_EVENT, line_id=event.line_id,
                                                            venue=LONG["V"], notes=LONG["R"]), by="contractor")
    store.close()
    with sqlite3.connect(demo_db_module) as db:  # names as long as the store keeps
        db.execute("UPDATE users SET display_name = ? WHERE name IN ('secretariat-kansai', 'officer')", (LONG["S"],))
    srv = Server(demo_db_module, demo_db_module.parent)
    yield srv
    srv.stop()


# what sticks out: the page wider than the window, a table wider than its box, and any box whose content is
# wider than itself (a scroll box grown to the text) -- form fields scroll their own text and are left out
_OVERFLOW = """() => {
    const out = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > innerWidth) out.push(`page ${doc.scrollWidth} > ${innerWidth}`);
    for (const t of document.querySelectorAll('.pl-app table')) {
        const box = t.parentElement.getBoundingClientRect().width;
        const w = t.getBoundingClientRect().width;
        if (w > box + 1) out.push(`table ${t.className} ${w} > ${box}`);
    }
    for (const e of document.querySelectorAll('.pl-app *')) {
        if (['INPUT', 'TEXTAREA', 'SELECT', 'OPTION'].includes(e.tagName) || !e.getClientRects().length) continue;
        if (e.scrollWidth > e.clientWidth + 2 && e.clientWidth > 0)
            out.push(`${e.tagName}.${e.className} scroll ${e.scrollWidth} > ${e.clientWidth}`);
        if (e.getBoundingClientRect().right > innerWidth + 1)
            out.push(`${e.tagName}.${e.className} right ${Math.round(e.getBoundingClientRect().right)}`);
    }
    return [...new Set(out)].slice(0, 12);
}"""


def fits(pg, name: str) -> None:
    """Nothing on the page is wider than the window; a screenshot of the whole app to look at."""
    settled(pg)
    found = pg.evaluate(_OVERFLOW)
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = pg.evaluate("() => document.querySelector('.pl-app').scrollHeight")  # Voilà scrolls inside
    pg.set_viewport_size({"width": WIDTH, "height": min(max(height + 80, 600), 6000)})
    pg.screenshot(path=str(SHOTS / f"long-{name}.png"))
    pg.set_viewport_size({"width": WIDTH, "height": 900})
    assert found == [], name


@pytest.fixture
def wide(browser):
    context = browser.new_context(viewport={"width": WIDTH, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    yield pg
    context.close()


def test_the_secretariats_lines_history_and_comment_wrap(wide, server, keys):
    open_secretariat(wide, server, f"key={keys['secretariat-kansai']}")
    assert LONG["C"][:50] in wide.locator(".pl-status").inner_text()
    fits(wide, "secretariat")
    wide.locator(".pl-history .pl-disclosure-toggle, .pl-history summary, .pl-history button").first.click()
    wide.locator(".pl-history td").first.wait_for()
    fits(wide, "secretariat-history")
    wide.locator(".pl-edit").first.click()  # the line's form, with its long fields
    wide.wait_for_function("() => document.querySelector('.pl-title input').value.startsWith('WWWW')")
    fits(wide, "secretariat-form")


def test_the_officers_plan_compare_and_history_wrap(wide, server, keys):
    open_review(wide, server, f"key={keys['officer']}")
    fits(wide, "review-overview")
    wide.locator(".rv-row-kansai .rv-open").click()
    wide.locator(".rv-lines td").first.wait_for(timeout=READY)
    assert LONG["W"][:50] in wide.locator(".rv-lines").inner_text()
    fits(wide, "review-plan")


def test_planned_against_delivered_and_the_results_wrap(wide, server, keys):
    open_review(wide, server, f"key={keys['contractor']}")
    wide.get_by_role("button", name="計画と実績").click()
    wide.locator(".rv-delivery-table td").first.wait_for(timeout=READY)
    assert LONG["T"][:50] in wide.locator(".rv-delivery").inner_text()
    fits(wide, "review-delivery")
    open_review(wide, server, f"key={keys['contractor']}&fy=2024")
    wide.locator(".rv-row-tohoku .rv-open").click()
    wide.locator(".rv-lines td").first.wait_for(timeout=READY)
    assert LONG["V"][:50] in wide.locator(".rv-lines").inner_text()
    fits(wide, "review-results")
