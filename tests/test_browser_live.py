"""Open pages follow what anyone changes, in headless Chromium against `planner serve`: two people
(the officer and a secretariat) in two browsers; a change made by another process (the Python API); the
inbox (お知らせ); the question before 提出 with a message; the preview before a workbook is stored. Every
wait is for what the person would see, without a reload (FOLLOW is the longest we accept)."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from browser_support import ARTIFACTS, open_review, open_secretariat, pick
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

FOLLOW = 10_000  # ms: "within a few seconds" (a check every 1.5 s, then the page redrawn)
SHOTS = Path("/work/helpers/live")


def shot(page, name: str) -> None:
    for d in (ARTIFACTS, SHOTS):
        try:
            d.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(d / f"{name}.png"), full_page=True)
        except OSError:
            pass


def pages(browser, n: int = 2):
    """`n` people, each in a browser context of their own (cookies apart, as on two PCs)."""
    contexts = [browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
                for _ in range(n)]
    out = []
    for c in contexts:
        p = c.new_page()
        p.set_default_timeout(20_000)
        out.append(p)
    return contexts, out


def in_another_process(db: Path, code: str) -> None:
    """A change made by the Python API in a process of its own, as a script or the CLI would."""
    subprocess.run([sys.executable, "-c", f"import planner\ns = planner.open_store({str(db)!r})\n{code}"],
                   check=True, timeout=60)


def test_a_submission_reaches_the_officers_open_page_and_the_return_reaches_the_secretariats(browser, server, keys):
    contexts, (officer, chugoku) = pages(browser)
    try:
        open_review(officer, server, f"key={keys['officer']}")
        waiting = officer.locator(".rv-waiting-count")
        before = int(re.search(r"確認待ち (\d+) 件", waiting.inner_text()).group(1))
        unread = officer.locator(".pl-inbox-toggle")
        n_unread = int(m.group(1)) if (m := re.search(r"未読 (\d+)", unread.inner_text())) else 0
        open_secretariat(chugoku, server, f"key={keys['secretariat-chugoku']}")
        mine = chugoku.locator(".pl-inbox-toggle")
        mine_unread = int(m.group(1)) if (m := re.search(r"未読 (\d+)", mine.inner_text())) else 0

        # 提出 asks first: the warnings, and room for a message to the officer
        chugoku.locator(".pl-submit").click()
        box = chugoku.locator(".pl-submit-confirm-box")
        expect(box).to_contain_text("この計画を提出しますか")
        expect(box).to_contain_text("警告が 1 件あります")  # the plan goes with its warning (chugoku)
        expect(chugoku.locator(".pl-submit-message textarea")).to_be_focused()
        chugoku.locator(".pl-submit-message textarea").fill("10月の説明会を追加しました。ご確認ください。")
        shot(chugoku, "submit-confirm")
        chugoku.locator(".pl-submit-confirm").click()
        expect(chugoku.locator(".pl-actions-note")).to_contain_text("計画を提出しました")

        # the officer's page, never reloaded, shows it within seconds: the count, the list, the inbox
        expect(waiting).to_contain_text(f"確認待ち {before + 1} 件", timeout=FOLLOW)
        expect(unread).to_contain_text(f"未読 {n_unread + 1}", timeout=FOLLOW)
        unread.click()
        item = officer.locator(".pl-inbox-unread").first
        expect(item).to_contain_text("計画が提出されました")
        expect(item).to_contain_text("中国")
        expect(item).to_contain_text("10月の説明会を追加しました。")
        shot(officer, "officer-inbox")
        item.locator(".pl-inbox-open").click()  # opens the plan, and the notice is read
        expect(officer.locator(".rv-submit-message")).to_contain_text("10月の説明会を追加しました。")
        expect(unread).not_to_contain_text(f"未読 {n_unread + 1}")

        # the officer returns it; the secretariat's open page says 差し戻し with the comment at once
        officer.locator(".rv-comment textarea").fill("セミナーの一部を秋に移してください。")
        officer.locator(".rv-return").click()
        officer.locator(".rv-confirm").click()
        expect(officer.locator(".rv-decision-note")).to_contain_text("差し戻し")
        note = chugoku.locator(".pl-app-note")
        expect(note).to_contain_text("差し戻しました", timeout=FOLLOW)
        expect(note).to_contain_text("セミナーの一部を秋に移してください。")
        expect(note).to_contain_text("JETRO 本部 プログラム担当さん")
        expect(chugoku.locator(".pl-status")).to_contain_text("差し戻し")
        expect(mine).to_contain_text(f"未読 {mine_unread + 1}")
        shot(chugoku, "secretariat-returned-live")
    finally:
        for c in contexts:
            c.close()


def test_unsaved_edits_stay_when_another_process_saves_and_the_person_is_told(browser, server, keys):
    contexts, (a,) = pages(browser, 1)
    try:
        open_secretariat(a, server, f"key={keys['secretariat-hokkaido']}")
        lines = a.locator(".pl-line").count()
        pick(a, 3, 1, 1)  # ③ online
        a.locator(".pl-add").click()
        expect(a.locator(".pl-line")).to_have_count(lines + 1)
        expect(a.locator(".pl-unsaved").first).to_be_visible()
        in_another_process(server.db, "rec = s.get('hokkaido', 2025, by='secretariat-hokkaido')\n"
                                      "s.save(rec.plan.remove_line(0), by='secretariat-hokkaido',"
                                      " base_revision=rec.revision)")
        note = a.locator(".pl-app-note")
        expect(note).to_contain_text("未保存の変更は残っています", timeout=FOLLOW)
        expect(note).to_contain_text("さんが保存しました")
        expect(a.locator(".pl-line")).to_have_count(lines + 1)  # nothing thrown away
        expect(a.locator(".pl-unsaved").first).to_be_visible()
        shot(a, "secretariat-unsaved-kept")
        a.locator(".pl-save").click()  # saving shows both sides, overwrites nothing
        expect(a.locator(".pl-conflict")).to_contain_text("1行目を削除")
    finally:
        for c in contexts:
            c.close()


def test_a_result_recorded_by_another_process_shows_in_planned_against_delivered(browser, server, keys):
    contexts, (officer,) = pages(browser, 1)
    try:
        open_review(officer, server, f"key={keys['officer']}")
        officer.locator(".rv-open").first.wait_for()
        officer.get_by_role("button", name="計画と実績").click()
        row = officer.locator(".rv-delivery-table tr", has_text="九州")
        expect(row).to_be_visible()
        before = row.inner_text()
        in_another_process(server.db, "rec = s.get('kyushu', 2025, by='contractor')\n"
                                      "ln = next(l for l in rec.plan.lines if l.item in (1, 2, 3, 4, 5, 6))\n"
                                      "s.record_result('kyushu', 2025, planner.Result(line_id=ln.id,"
                                      " dates=('2025-06-14',), venue='ライブ会場', company_staff=7), by='contractor')")
        expect(row).not_to_have_text(before, timeout=FOLLOW)  # the section shown is read again, no reload
        expect(officer.locator(".pl-inbox-toggle")).to_contain_text("未読", timeout=FOLLOW)
        officer.locator(".pl-inbox-toggle").click()
        expect(officer.locator(".pl-inbox-unread").first).to_contain_text("実績が記録されました")
    finally:
        for c in contexts:
            c.close()


def test_a_workbook_upload_shows_what_will_change_and_asks_before_saving(page, server, keys, tmp_path):
    open_secretariat(page, server, f"key={keys['secretariat-hokuriku']}")  # submitted: withdraw first
    if page.locator(".pl-withdraw").is_visible():
        page.locator(".pl-withdraw").click()
        expect(page.locator(".pl-actions-note")).to_contain_text("取り下げました")
    revision = page.locator(".pl-status").inner_text()
    with page.expect_download() as dl:
        page.locator(".pl-download").click()
    data = Path(dl.value.path()).read_bytes()
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["計画"]
    header_row = next(r for r in range(1, 10) if ws.cell(r, 1).value == "番号")
    header = [c.value for c in ws[header_row]]
    first = next(r for r in range(header_row + 1, 30) if ws.cell(r, 1).value == 1)
    ws.cell(first, header.index("件名") + 1).value = "Excelで直した件名"
    path = tmp_path / "edited.xlsx"
    wb.save(path)
    with page.expect_file_chooser() as fc:
        page.locator(".widget-upload").click()
    fc.value.set_files(str(path))
    preview = page.locator(".pl-upload-preview")
    expect(preview).to_contain_text("edited.xlsx を取り込むと、次のように変わります", timeout=30_000)
    expect(preview).to_contain_text("1行目の件名")
    expect(preview).to_contain_text("Excelで直した件名")
    assert page.locator(".pl-status").inner_text() == revision  # nothing stored yet
    shot(page, "upload-preview")
    page.locator(".pl-upload-confirm").click()
    expect(page.locator(".pl-transfer-note")).to_contain_text("を取り込みました")
    expect(page.locator(".pl-lines")).to_contain_text("Excelで直した件名")


def test_a_secretariats_served_inbox_never_shows_another_consortiums_events(browser, server, keys):
    in_another_process(server.db, "if s.get('tohoku', 2025, by='officer').status == 'submitted':\n"
                                  "    s.return_plan('tohoku', 2025, by='officer', comment='東北への秘密のコメント')")
    contexts, (chugoku,) = pages(browser, 1)
    try:
        open_secretariat(chugoku, server, f"key={keys['secretariat-chugoku']}")
        chugoku.locator(".pl-inbox-toggle").click()
        expect(chugoku.locator(".pl-inbox")).to_contain_text("計画が差し戻されました")  # its own return (demo)
        body = chugoku.locator("body").inner_text()
        assert "東北" not in body and "秘密のコメント" not in body
        # hokuriku accepted (not chugoku's to know), then chugoku's own plan saved by another process: once
        # the page says the latter, its follower has read the former too
        in_another_process(server.db, "s.accept('hokuriku', 2025, by='officer') "
                                      "if s.get('hokuriku', 2025, by='officer').status == 'submitted' else None\n"
                                      "rec = s.get('chugoku', 2025, by='secretariat-chugoku')\n"
                                      "s.save(rec.plan, by='secretariat-chugoku', base_revision=rec.revision)")
        expect(chugoku.locator(".pl-app-note")).to_contain_text("さんが保存しました", timeout=FOLLOW)
        inbox = chugoku.locator(".pl-inbox").inner_text()
        assert "北陸" not in inbox and "東北" not in inbox and "承認されました" not in inbox
        assert "秘密のコメント" not in chugoku.locator("body").inner_text()
    finally:
        for c in contexts:
            c.close()
