"""The consolidated workbook: status and budget use, consortium × item matrices, year schedule, detail."""

from __future__ import annotations

import io

import openpyxl
import pytest

import planner
from planner.workbook import consolidated_workbook
from planner.workbook import layout as L


@pytest.fixture(scope="module")
def book(demo_db_master):
    s = planner.open_store(demo_db_master)
    steps: list[tuple[float, str]] = []
    data = consolidated_workbook(s, 2025, progress=lambda f, m: steps.append((f, m)))
    records = {r.plan.consortium: r for r in s.plan_records(2025)}
    s.close()
    return openpyxl.load_workbook(io.BytesIO(data)), steps, records


def test_sheets_and_progress(book):
    wb, steps, _ = book
    assert wb.sheetnames == list(L.CONSOLIDATED_SHEETS)
    fractions = [f for f, _ in steps]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    assert all(m for _, m in steps)


def test_overview_status_budget_and_use(book):
    wb, _, records = book
    rows = {r[0].value: [c.value for c in r] for r in wb[L.OVERVIEW].iter_rows(min_row=4) if r[0].value}
    assert rows["関西コンソーシアム"][1:3] == ["下書き", records["kansai"].revision]
    assert rows["九州コンソーシアム"][1] == "承認済み" and rows["中国コンソーシアム"][1] == "差し戻し"
    assert rows["中国コンソーシアム"][9].startswith("イベントが2〜3月に集中")
    assert rows["北海道コンソーシアム"][4] == 90 and rows["北海道コンソーシアム"][5].startswith("=SUMIFS(")
    assert rows["合計"][4] == "=SUM(E4:E9)"


def test_matrices_sum_the_detail(book):
    wb, _, records = book
    detail = [[c.value for c in r] for r in wb[L.DETAIL].iter_rows(min_row=4) if r[0].value]
    assert len(detail) == sum(len(r.plan.lines) for r in records.values())
    assert detail[0][:5] == ["北海道コンソーシアム", 1, "①インターンシップ事業の開催", "標準（インターン10名まで）", 1]
    for name in (L.QUANTITIES, L.POINTS):
        ws = wb[name]
        heads = [L.cell_label(c.value) for c in ws[3]]
        assert heads[0] == L.MATRIX_CORNER and heads[1].startswith("①") and heads[11].startswith("⑪")
        assert heads[12] == L.TOTAL_LABEL
        assert "SUMIFS(" in ws["B4"].value and "明細" in ws["B4"].value
        assert [ws.cell(r, 1).value for r in range(4, 11)][-1] == L.TOTAL_LABEL


def test_schedule_lists_lines_by_month_and_consortium(book):
    wb, _, _ = book
    ws = wb[L.SCHEDULE]
    heads = [L.cell_label(c.value) for c in ws[3] if c.value]
    assert heads[0] == L.SCHEDULE_CORNER and heads[1:] == [
        "北海道コンソーシアム", "東北コンソーシアム", "北陸コンソーシアム", "関西コンソーシアム", "中国コンソーシアム",
        "九州コンソーシアム"]
    months = [ws.cell(r, 1).value for r in range(4, 16)]
    assert months[0] == "4月" and months[-1] == "3月"
    july_kansai = ws.cell(4 + 3, 5).value
    assert "②リアル×1 関西留学生合同企業説明会2025" in july_kansai and "⑩1会場1日×2" in july_kansai


def one_line(v):
    return v.replace("\n", "") if isinstance(v, str) else v


def overview(data: bytes) -> dict[str, list]:
    """The 概要 rows by consortium; a name or 状態 broken over two lines for print is read as one."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return {one_line(r[0].value): [one_line(c.value) for c in r[:2]] + [c.value for c in r[2:]]
            for r in wb[L.OVERVIEW].iter_rows(min_row=4) if r[0].value}


def test_a_year_without_plans(store):
    rows = overview(consolidated_workbook(store, 2025))
    assert rows["関西コンソーシアム"][1] == "未作成"
    assert overview(consolidated_workbook(store.desk("contractor"), 2025))["関西コンソーシアム"][1] == "未作成"


def test_the_contractor_is_told_a_plan_is_not_yet_accepted_not_that_there_is_none(store):
    """Issue 18 item 12: the contractor's workbook called every plan not yet accepted 未作成."""
    from planner.demo import PLANS_2025

    store.save(planner.Plan("kansai", 2025, tuple(PLANS_2025["kansai"])), by="secretariat-kansai", base_revision=None)
    store.save(planner.Plan("tohoku", 2025, tuple(PLANS_2025["tohoku"])), by="secretariat-tohoku", base_revision=None)
    store.submit("tohoku", 2025, by="secretariat-tohoku")
    rows = overview(consolidated_workbook(store.desk("contractor"), 2025))
    assert rows["関西コンソーシアム"][1] == "未承認（下書き）" and rows["東北コンソーシアム"][1] == "未承認（提出済み）"
    assert rows["北海道コンソーシアム"][1] == "未作成"  # no plan at all
    # what the contractor may not read stays out: no revision, no last change, no officer's comment
    assert rows["関西コンソーシアム"][2:4] == [None, None] and rows["関西コンソーシアム"][9] is None
    officer = overview(consolidated_workbook(store.desk("officer"), 2025))
    assert officer["関西コンソーシアム"][1] == "下書き" and officer["東北コンソーシアム"][1] == "提出済み"


def test_every_status_of_the_demo_in_the_contractors_workbook(demo_db_master):
    with planner.open_store(demo_db_master) as s:
        rows = overview(consolidated_workbook(s.desk("contractor"), 2025))
    # a plan left out counts neither as 0 points used nor in the totals, which are of the plans shown
    assert all(rows[n][4:9] == [None] * 5 for n in rows if n not in ("九州コンソーシアム", "合計（載せた計画）"))
    assert rows["九州コンソーシアム"][4] == 110 and rows["合計（載せた計画）"][4] == "=SUM(E4:E9)"
    assert {name: row[1] for name, row in rows.items() if not name.startswith(L.TOTAL_LABEL)} == {
        "北海道コンソーシアム": "未承認（下書き）", "東北コンソーシアム": "未承認（提出済み）",
        "北陸コンソーシアム": "未承認（提出済み）", "関西コンソーシアム": "未承認（下書き）",
        "中国コンソーシアム": "未承認（差し戻し）", "九州コンソーシアム": "承認済み"}


def test_a_secretariat_is_told_nothing_of_the_other_consortia(demo_db_master):
    """Neither 未作成 nor 未承認 for a neighbour: whether it has a plan is not the secretariat's to know."""
    with planner.open_store(demo_db_master) as s:
        rows = overview(consolidated_workbook(s.desk("secretariat-kansai"), 2025))
    assert rows["関西コンソーシアム"][1] == "下書き"
    others = {rows[n][1] for n in rows if n != "関西コンソーシアム" and not n.startswith(L.TOTAL_LABEL)}
    assert others == {"閲覧権限なし"}


def test_labels_of_plans_not_shown_in_both_languages():
    from planner.workflow import NO_PLAN_LABEL, not_accepted_label

    assert not_accepted_label("submitted") == "未承認（提出済み）"
    assert not_accepted_label("returned", "en") == "not yet accepted (returned)"
    assert NO_PLAN_LABEL == ("未作成", "not started")


def test_the_contractors_workbook_holds_accepted_plans_only(demo_db_master):
    with planner.open_store(demo_db_master) as s:
        wb = openpyxl.load_workbook(io.BytesIO(consolidated_workbook(s.desk("contractor"), 2025)))
        accepted = sum(len(r.plan.lines) for r in s.plan_records(2025) if r.status == "accepted")
    detail = [[c.value for c in r] for r in wb[L.DETAIL].iter_rows(min_row=4) if r[0].value]
    assert {row[0] for row in detail} == {"九州コンソーシアム"} and len(detail) == accepted


def test_overview_shows_the_last_change_in_japan_time(store, monkeypatch):
    from planner.demo import PLANS_2025

    monkeypatch.setattr(planner.store.connection, "now", lambda: "2026-03-31T15:05:00Z")  # 00:05 on 1 April in Japan
    store.save(planner.Plan("kansai", 2025, tuple(PLANS_2025["kansai"])), by="secretariat-kansai", base_revision=None)
    wb = openpyxl.load_workbook(io.BytesIO(consolidated_workbook(store, 2025)))
    rows = {r[0].value: [c.value for c in r] for r in wb[L.OVERVIEW].iter_rows(min_row=4) if r[0].value}
    # the heading says 最終更新（日本時間）; the time, then who (here a user given no display name: the name
    # the store makes of the consortium, never the login)
    assert wb[L.OVERVIEW]["D3"].value == "最終更新（日本時間）"
    assert rows["関西コンソーシアム"][3] == "令和8年4月1日 00:05\n関西コンソーシアム 事務局"


def test_overview_names_who_saved_by_display_name(demo_db_master):
    """Issue 18 item 3: 最終更新 named people by login (secretariat-kansai), not as the store calls them."""
    with planner.open_store(demo_db_master) as s:
        rows = overview(consolidated_workbook(s, 2025))
        contractor = overview(consolidated_workbook(s.desk("contractor"), 2025))
    assert rows["関西コンソーシアム"][3].endswith("\n関西コンソーシアム 事務局")
    assert rows["九州コンソーシアム"][3].endswith("\nJETRO 本部 プログラム担当")  # accepted by the officer
    assert contractor["九州コンソーシアム"][3] == rows["九州コンソーシアム"][3]
    assert not any("secretariat-" in str(v) or "officer" in str(v) for row in rows.values() for v in row)


def test_a_user_no_longer_in_the_store_is_named_by_login(store):
    from planner.demo import PLANS_2025

    store.save(planner.Plan("kansai", 2025, tuple(PLANS_2025["kansai"])), by="secretariat-kansai", base_revision=None)
    store.db.execute("UPDATE revisions SET by_user = 'someone-gone'")  # a store from elsewhere, say
    rows = overview(consolidated_workbook(store, 2025))
    assert rows["関西コンソーシアム"][3].endswith("\nsomeone-gone")


def test_the_overview_prints_its_table_on_page_one_and_its_chart_on_page_two(demo_db_master):
    with planner.open_store(demo_db_master) as s:
        wb = openpyxl.load_workbook(io.BytesIO(consolidated_workbook(s.desk("contractor"), 2025)))
    ws = wb[L.OVERVIEW]
    total = next(r for r in range(4, 20) if str(ws.cell(r, 1).value).startswith(L.TOTAL_LABEL))
    assert [b.id for b in ws.row_breaks.brk] == [total] and ws.print_title_rows is None
    assert ws._charts[0].y_axis.scaling.min == 0  # bars from zero, whatever the smallest value
    assert ws.oddHeader.right.text == "収録した計画 1 件"  # was 「1計画」, unexplained


def test_a_plan_left_out_is_no_row_of_zeros_in_the_matrices(demo_db_master):
    with planner.open_store(demo_db_master) as s:
        wb = openpyxl.load_workbook(io.BytesIO(consolidated_workbook(s.desk("contractor"), 2025)))
    for name in (L.QUANTITIES, L.POINTS):
        rows = {one_line(r[0].value): [c.value for c in r[1:]] for r in wb[name].iter_rows(min_row=4) if r[0].value}
        assert all(v is None for v in rows["北海道コンソーシアム"])  # 未承認: not counted, not 0
        assert rows["九州コンソーシアム"][-1].startswith("=SUM(") and "合計（載せた計画）" in rows


def _load_rows(path) -> tuple[str, dict[str, dict[str, object]]]:
    """受託者の負荷: its note and {month: {column heading: number}} (totals as planner cached them)."""
    ws = openpyxl.load_workbook(path, data_only=True)[L.LOAD]
    heads = [L.cell_label(c.value) for c in ws[3]]
    rows = {r[0]: dict(zip(heads[1:], r[1:], strict=True))
            for r in ws.iter_rows(min_row=4, max_row=15, values_only=True)}
    return ws["A2"].value, rows


@pytest.mark.parametrize("user", ["contractor", "secretariat-kansai"])
def test_planner_consolidate_as_a_user_counts_the_load_that_person_is_shown(demo_db, tmp_path, user):
    """Issue 28 item 5: the copies showed 1 event in October (the accepted plans only) without a word,
    and the CLI could not make them. `--as USER` makes the copy that person gets from the apps; its
    受託者の負荷 totals are Desk.load's, and the sheet says which plans it counts."""
    from planner.japanese import month_label
    from planner.workbooks_cli import cmd_consolidate

    out = tmp_path / f"{user}.xlsx"
    env_args = __import__("argparse").Namespace(db=str(demo_db), fy=2025, output=str(out), as_user=user)
    assert cmd_consolidate(env_args, "ja") == 0
    with planner.open_store(demo_db) as s:
        expected = s.desk(user).load(s.fiscal_year(2025))
        everyone = planner.load.monthly_load([r.plan for r in s.plan_records(2025)], s.fiscal_year(2025))
    note, rows = _load_rows(out)
    for m in expected.months:
        assert rows[month_label(m.month)][L.LOAD_TOTAL] == m.events, m.month
    october = rows["10月"]
    if user == "contractor":
        # accepted plans only (九州), and the sheet says the others are not counted: not a quiet month
        assert october[L.LOAD_TOTAL] == 1 < everyone.months[6].events == 6
        assert list(october) == ["九州", L.LOAD_TOTAL, L.LOAD_CAPACITY, L.LOAD_OVER]
        assert "まだ承認されていない計画（北海道・東北・北陸・関西・中国）のイベントは数えていません" in note
    else:
        # every plan counted, as the secretariat app counts them; the neighbours as one column of totals
        assert october[L.LOAD_TOTAL] == 6 and october["関西"] == 2 and october["他のコンソーシアム（合計）"] == 4
        assert not {"北海道", "東北", "九州"} & set(october)
        assert "すべてのコンソーシアムの計画を数えています" in note


def test_planner_consolidate_as_an_unknown_user_writes_nothing(demo_db, tmp_path):
    from test_cli import run

    out = tmp_path / "x.xlsx"
    r = run("consolidate", "--fy", "2025", "--as", "nobody", "-o", str(out), db=demo_db)
    assert r.returncode == 1 and "nobody" in r.stderr and "Traceback" not in r.stderr
    assert not out.exists()
    r = run("consolidate", "--fy", "2025", "--as", "contractor", "-o", str(out), db=demo_db)
    assert r.returncode == 0, r.stderr
    assert overview(out.read_bytes())["関西コンソーシアム"][1] == "未承認（下書き）"
