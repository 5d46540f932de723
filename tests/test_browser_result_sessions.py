"""The results form in the browser: a second session of a line recorded on its own, with its companies
pasted as rows copied from a registration form's export (`planner serve`, headless Chromium)."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_support import READY, Server, open_review, settled
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SHOTS = Path("/work/helpers/results")
PASTED = "企業名\t都道府県\t担当者\nアンデックス株式会社\t宮城県\t山田\n林建設工業株式会社\t山形\t佐藤\n"


@pytest.fixture(scope="module")
def server(demo_db_module: Path):
    srv = Server(demo_db_module, demo_db_module.parent)
    yield srv
    srv.stop()


def shot(page, name: str) -> None:
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_second_session_with_pasted_companies(page, server, keys):  # noqa: F811
    page.set_viewport_size({"width": 1100, "height": 1400})
    open_review(page, server, f"key={keys['contractor']}&fy=2024")
    page.locator(".rv-row-tohoku .rv-open").click()
    expect(page.locator(".rv-plan-name")).to_have_text("東北コンソーシアム", timeout=READY)
    line = page.locator(".rv-result-line select")
    seminar = line.locator("option", has_text="外国人材採用セミナー").get_attribute("value")
    session = page.locator(".rv-result-session select")
    expect(session).to_be_hidden()  # line 1, the seed event, is one session
    line.select_option(seminar)
    expect(session).to_be_visible()
    expect(session.locator("option")).to_have_text(["第1回", "第2回"])

    for field, value in (("dates", "2024-06-12"), ("venue", "仙台"), ("company_staff", "20"), ("members", "5")):
        page.locator(f".rv-r-{field} input").fill(value)
    page.locator(".rv-record").click()
    expect(page.locator(".rv-record-note")).to_contain_text("3行目 第1回の実績を記録しました（参加者 25 名）")
    expect(session.locator("option")).to_have_text(["第1回（記録済み）", "第2回"])
    expect(line.locator("option:checked")).to_contain_text("2回中1回記録済み")

    session.select_option(label="第2回")
    expect(page.locator(".rv-r-venue input")).to_have_value("")  # session 2 starts empty
    for field, value in (("dates", "2024-06-26"), ("venue", "盛岡"), ("company_staff", "12"), ("members", "4")):
        page.locator(f".rv-r-{field} input").fill(value)
    box = page.locator(".rv-r-company-list textarea")
    box.click()
    page.keyboard.insert_text(PASTED.replace("山形\t佐藤", "ヤマガタ\t佐藤"))  # as a paste from the export
    summary = page.locator(".rv-r-company-summary")
    expect(summary).to_contain_text("都道府県 'ヤマガタ' が分かりません")
    page.locator(".rv-record").click()
    expect(page.locator(".rv-record-note")).to_contain_text("記録しませんでした")
    expect(page.locator(".rv-record-findings")).to_contain_text("参加企業の2件目「林建設工業株式会社」の都道府県")
    shot(page, "result-form-unknown-prefecture")

    box.fill(PASTED)
    expect(summary).to_contain_text("2社（宮城 1・山形 1）")
    expect(summary).not_to_contain_text("分かりません")
    page.locator(".rv-record").click()
    note = "3行目 第2回の実績を記録しました（参加者 16 名）。参加企業 2 社。"
    expect(page.locator(".rv-record-note")).to_contain_text(note)
    # kept as planner names the prefectures, without the contact column
    expect(box).to_have_value("アンデックス株式会社\t宮城\n林建設工業株式会社\t山形")
    lines = page.locator(".rv-lines")
    expect(lines).to_contain_text("第1回: 2024-06-12")
    expect(lines).to_contain_text("第2回: 2024-06-26")
    expect(lines).to_contain_text("参加企業 2 社")
    settled(page)
    shot(page, "result-form-second-session")
