"""The plan workbook as written: sheets, headers, formulas, dropdowns, print setup, hidden meta."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

import planner
from planner.demo import PLANS_2025
from planner.workbook import layout as L
from planner.workbook import plan_workbook, read_workbook
from planner.workbook.sheet_columns import PLAN_COLUMNS, RESULT_COLUMNS
from planner.workbook.template import to_bytes


@pytest.fixture
def demo(demo_db):
    s = planner.open_store(demo_db)
    yield s
    s.close()


def _open(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.mark.parametrize("cid", sorted(PLANS_2025))
def test_every_demo_plan_exports_and_reads_back_equal(demo, cid):
    data = plan_workbook(demo, cid, 2025)
    read = read_workbook(data, demo)
    assert read.plan == demo.current(cid, 2025).plan
    assert read.meta.consortium == cid and read.meta.fiscal_year == 2025
    assert read.meta.revision == demo.current(cid, 2025).revision
    assert all(f.sheet and f.row and f.column for f in read.findings)


def test_sheets_headers_and_hidden_sheets(demo):
    wb = _open(plan_workbook(demo, "kansai", 2025))
    assert wb.sheetnames[:len(L.PLAN_SHEETS)] == list(L.PLAN_SHEETS)
    assert wb[L.META].sheet_state == "hidden" and wb[L.LISTS].sheet_state == "hidden"
    assert [L.cell_label(c.value) for c in wb[L.PLAN][3]][: len(PLAN_COLUMNS)] == [c.label for c in PLAN_COLUMNS]
    assert [L.cell_label(c.value) for c in wb[L.PLAN][3]][:13] == [
        "番号", "メニュー", "区分", "数量", "単価ポイント", "ポイント", "実施月",
        "件名", "開催地", "想定企業数", "想定留学生数", "言語", "備考"]
    assert [L.cell_label(c.value) for c in wb[L.RESULTS][3]][: len(RESULT_COLUMNS)] == [c.label for c in RESULT_COLUMNS]
    meta = {r[0].value: r[1].value for r in wb[L.META].iter_rows(max_col=2)}
    assert meta["consortium"] == "kansai" and meta["revision"] == 2 and meta["status"] == "draft"
    ws = wb[L.PLAN]
    assert ws.freeze_panes == "A4"
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
    assert ws.print_title_rows == "$1:$3"
    assert "関西コンソーシアム" in ws.oddHeader.left.text and "&P" in ws.oddFooter.center.text
    assert wb.active.title == L.COVER


def test_totals_and_points_are_live_formulas(demo):
    wb = _open(plan_workbook(demo, "kansai", 2025))
    ws = wb[L.PLAN]
    assert ws["F4"].value.startswith("=") and "D4*E4" in ws["F4"].value
    assert ws["E4"].value.startswith("=") and "point_values" in ws["E4"].value
    assert ws["F2"].value == "=SUM(F4:F203)"
    assert ws["H2"].value == "=D2-F2"
    cover = {r[0].value: r[1] for r in wb[L.COVER].iter_rows(min_row=3, max_col=2)}
    assert cover["使用ポイント"].value == "='計画'!F2"
    assert "SUMIFS" in wb[L.SUMMARY]["C4"].value
    assert cover["概算金額（円）"].value.startswith("=IF(ISNUMBER(")


def test_dropdowns_use_defined_names_with_error_alerts(demo):
    wb = _open(plan_workbook(demo, "kansai", 2025))
    dvs = {dv.formula1: dv for dv in wb[L.PLAN].data_validations.dataValidation}
    variants = next(f for f in dvs if "INDIRECT" in f)  # 区分 follows the row's item: variants_itemN
    assert str(dvs[variants].sqref) == "C4:C203" and '"variants_item"&$P4' in variants and "list_variants" in variants
    for name in ("list_items", variants, "list_months"):
        assert name in dvs and dvs[name].type == "list" and dvs[name].showErrorMessage
        assert dvs[name].errorStyle == "stop" and dvs[name].error
    for name in ("list_items", "list_variants", "list_months", "variants_item2", "item_nos"):
        assert name in wb.defined_names
    assert wb.defined_names["variants_item2"].attr_text == "'_lists'!$Q$1:$Q$3"
    assert [c.value for c in wb[L.LISTS]["Q"] if c.value] == ["リアル", "オンライン", "ハイブリッド"]
    assert all(len(dv.formula1 or "") < 255 for dv in wb[L.PLAN].data_validations.dataValidation)
    items = [c.value for c in wb[L.LISTS]["A"] if c.value]
    assert items[1] == "②合同企業説明会の開催（リアル、オンライン、ハイブリッド）" and len(items) == 11


@pytest.mark.parametrize("note", ["=SUM(A1:A3)", "+81-3-1234-5678", "-残り1日", "@担当者", "=cmd|' /C calc'!A0"])
def test_formula_like_text_is_written_as_text_and_read_back(store, note):
    plan = planner.Plan("kansai", 2025, [planner.Line(11, "proposal", 1, 6, "提案", notes=note)])
    store.save(plan, by="secretariat-kansai", base_revision=None)
    data = plan_workbook(store, "kansai", 2025)
    cell = _open(data)[L.PLAN]["M4"]
    assert cell.data_type == "s" and cell.value == note and cell.quotePrefix
    read = read_workbook(data, store)
    assert read.plan.lines[0].notes == note
    assert not [f for f in read.findings if f.code == "FORMULA_NOT_ALLOWED"]


def test_blank_form_for_a_consortium_without_a_plan(store):
    data = plan_workbook(store, "kyushu", 2025)
    read = read_workbook(data, store)
    assert read.plan == planner.Plan("kyushu", 2025, ()) and read.meta.revision == 0
    assert _open(data)[L.COVER]["B5"].value.startswith("未作成")


def test_the_cover_names_who_saved_by_display_name(demo):
    """Issue 18 item 3: the cover's 最終更新 said secretariat-kansai, the login, not the person's name."""
    for cid, who in (("kansai", "関西コンソーシアム 事務局"), ("kyushu", "JETRO 本部 プログラム担当")):
        for by in (None, "officer"):
            wb = _open(plan_workbook(demo.desk(by) if by else demo, cid, 2025))
            labels = {r[0].value: r[1].value for r in wb[L.COVER].iter_rows(min_row=3) if r[0].value}
            assert labels["最終更新"].endswith(f"（日本時間） {who}"), (cid, by)
    wb = _open(plan_workbook(demo.desk("contractor"), "kyushu", 2025))
    assert any(c.value and str(c.value).endswith("JETRO 本部 プログラム担当") for c in wb[L.COVER]["B"])


def test_read_access_is_checked_when_a_user_is_named(demo):
    with pytest.raises(planner.AccessDenied):
        plan_workbook(demo.desk("secretariat-tohoku"), "kansai", 2025)
    with pytest.raises(planner.AccessDenied):
        plan_workbook(demo.desk("contractor"), "kansai", 2025)  # a draft: the contractor sees accepted plans only
    assert plan_workbook(demo.desk("contractor"), "kyushu", 2025)
    with pytest.raises(planner.NotFound):
        plan_workbook(demo, "atlantis", 2025)


def test_results_sheet_carries_the_recorded_event(demo):
    data = plan_workbook(demo, "tohoku", 2024)
    ws = _open(data)[L.RESULTS]
    row = [c.value for c in ws[4]]
    assert row[0] == 1 and row[1] == 1 and row[5] == "TKPガーデンシティ仙台ホール30B" and row[6:10] == [18, 37, 64, 34]
    assert row[4].date().isoformat() == "2024-11-19" and row[14] == "割合（%）"
    # a row per session: tohoku's ③ seminar (line 3, quantity 2) has rows 回 1 and 2
    assert [(r[0].value, r[1].value) for r in ws.iter_rows(min_row=4, max_row=10)] == [
        (1, 1), (2, 1), (3, 1), (3, 2), (4, 1), (4, 2), (5, 1)]
    read = read_workbook(data, demo)
    assert read.results == demo.results("tohoku", 2024, by="officer")


def test_per_consortium_menu_adjustment_flows_into_the_workbook(tmp_path):
    budgets = tmp_path / "budgets"
    budgets.mkdir()
    src = Path(planner.load_fiscal_year(2025).path).read_text(encoding="utf-8")
    src += ('\n[[adjustments]]\nconsortium = "hokkaido"\nitem = 7\nvariant = "bus_day"\npoints = 9\n'
            '\n[[adjustments]]\nconsortium = "hokkaido"\nitem = 11\noffered = false\n')
    (budgets / "fy2025.toml").write_text(src, encoding="utf-8")
    s = planner.open_store(tmp_path / "adj.db", budgets=budgets)
    s.add_consortium("hokkaido", "北海道コンソーシアム")
    s.add_user("sec", "secretariat", "hokkaido")
    s.save(planner.Plan("hokkaido", 2025, [planner.Line(6, "day", 1, 9, "見学会"),
                                           planner.Line(7, "bus_day", 2, 9, "バス")]), by="sec", base_revision=None)
    wb = _open(plan_workbook(s, "hokkaido", 2025))
    menu_rows = [[c.value for c in r] for r in wb[L.MENU].iter_rows(min_row=4) if r[0].value]
    bus = next(r for r in menu_rows if r[0] == "⑦")
    assert bus[:6] == ["⑦", "移動手段の手配", "貸切バス（1台1日）", "bus_day", "台日", 9]
    assert not any(r[0] == "⑪" for r in menu_rows)
    keys = {r[0].value: r[1].value for r in wb[L.LISTS].iter_rows(min_col=3, max_col=4) if r[0].value}
    assert keys["7|貸切バス（1台1日）"] == keys["7|bus_day"] == 9
    read = read_workbook(to_bytes(wb), s)
    assert read.plan == s.current("hokkaido", 2025).plan
    s.close()


UTC_SAVED = "2026-11-23T12:13:09Z"  # 21:13 in Japan


@pytest.fixture
def saved_at_known_time(store, monkeypatch):
    """kansai's demo plan saved by its secretariat at a known UTC moment."""
    monkeypatch.setattr(planner.store.connection, "now", lambda: UTC_SAVED)
    store.save(planner.Plan("kansai", 2025, tuple(PLANS_2025["kansai"])), by="secretariat-kansai", base_revision=None)
    return store


def test_cover_shows_times_in_japan_time_and_meta_stays_machine_readable(saved_at_known_time):
    import datetime as dt

    from planner.workbook.export import PlanInfo, build_plan_workbook

    s = saved_at_known_time
    data = plan_workbook(s, "kansai", 2025)
    wb = _open(data)
    labels = {r[0].value: r[1].value for r in wb[L.COVER].iter_rows(min_row=3) if r[0].value}
    # no display name given: the name the store makes of the consortium, never the login
    assert labels["最終更新"] == "令和8年11月23日 21:13（日本時間） 関西コンソーシアム 事務局"
    assert labels["作成日時"].endswith("（日本時間）")
    meta = {r[0].value: r[1].value for r in wb[L.META].iter_rows() if r[0].value}
    assert meta["revision"] == 1 and "T" in meta["exported_at"]  # hidden, read back: unchanged ISO form
    read = read_workbook(data, s)
    assert read.plan == s.current("kansai", 2025).plan and read.meta.revision == 1

    # the export moment, whatever the machine's zone: 12:10 UTC is 21:10 in Japan
    rec = s.current("kansai", 2025)
    info = PlanInfo(rec.status, rec.revision, rec.updated_at, rec.updated_by)
    for now in (dt.datetime(2026, 11, 23, 12, 10, tzinfo=dt.UTC),
                dt.datetime(2026, 11, 23, 7, 10, tzinfo=dt.timezone(dt.timedelta(hours=-5)))):
        wb = build_plan_workbook(rec.plan, s.fiscal_year(2025), info, now=now)
        labels = {r[0].value: r[1].value for r in wb[L.COVER].iter_rows(min_row=3) if r[0].value}
        assert labels["作成日時"] == "令和8年11月23日 21:10（日本時間）"
        assert read_workbook(to_bytes(wb), s).plan == rec.plan


def test_formulas_and_ids_are_locked_inputs_unlocked_and_an_accepted_plan_is_locked_whole(demo):
    ws = _open(plan_workbook(demo, "kansai", 2025))[L.PLAN]  # a draft
    assert ws.protection.sheet and not ws.protection.password  # anyone can lift it: nobody is locked out
    assert ws.protection.insertRows  # an inserted row would have no formulas
    for ref in ("A4", "E4", "F4", "O4", "P4", "F2", "H2", "E203", "F203"):
        assert ws[ref].protection.locked, ref
    for ref in ("B4", "C4", "D4", "G4", "H4", "M4", "N4"):
        assert not ws[ref].protection.locked, ref
    # rows under the lines: their input columns unlocked by column style, their formula cells locked
    for letter in "BCDGHIJKLMN":
        assert not ws.column_dimensions[letter].protection.locked, letter
    for letter in "AEFOP":
        assert ws.column_dimensions[letter].protection.locked, letter
    accepted = _open(plan_workbook(demo, "kyushu", 2025))[L.PLAN]
    assert all(accepted[ref].protection.locked for ref in ("B4", "D4", "H4"))
    assert all(accepted.column_dimensions[letter].protection.locked for letter in "BDH")
    assert "承認済み" in accepted["C1"].value
    results = _open(plan_workbook(demo, "kyushu", 2025))[L.RESULTS]
    assert results.protection.sheet and not results["E4"].protection.locked and results["K4"].protection.locked
    assert results["B4"].protection.locked  # 回 is written, as 番号 is


def test_formulas_cover_every_row_and_rule_breaks_are_formatted(demo):
    ws = _open(plan_workbook(demo, "kansai", 2025))[L.PLAN]
    assert ws["F203"].value.startswith("=") and ws["P203"].value.startswith("=IF(B203")
    assert "point_keys" in ws["E203"].value and "P203" in ws["E203"].value
    rules = {str(cf.sqref): [r for r in cf.rules] for cf in ws.conditional_formatting}
    assert rules["H2"][0].operator == "lessThan"
    (row_rule,) = rules["A4:Q203"]
    assert '$P4="?"' in row_rule.formula[0] and "list_months" in row_rule.formula[0]
    summary = _open(plan_workbook(demo, "kansai", 2025))[L.SUMMARY]
    assert "'計画'!$P$4:$P$203,2," in summary["D5"].value  # ② summed by its number, however typed


def test_totals_show_without_recalculation(demo):
    """A viewer that does not recalculate (a mail preview, openpyxl's data_only) sees planner's values."""
    wb = openpyxl.load_workbook(io.BytesIO(plan_workbook(demo, "kansai", 2025)), data_only=True)
    ws = wb[L.PLAN]
    assert [ws[f"F{r}"].value for r in range(4, 12)] == [20, 12, 20, 16, 16, 12, 6, 8]
    assert (ws["D2"].value, ws["F2"].value, ws["H2"].value) == (120, 110, 10)
    assert ws["P4"].value == 2 and ws["E4"].value == 20 and ws["F12"].value is None
    cover = {r[0].value: r[1].value for r in wb[L.COVER].iter_rows(min_row=3, max_col=2)}
    assert (cover["使用ポイント"], cover["残りポイント"], cover["概算金額（円）"]) == (110, 10, 11_000_000)
    summary = {r[1].value: r[3].value for r in wb[L.SUMMARY].iter_rows(min_row=4) if r[1].value}
    assert summary[L.TOTAL_LABEL] == 110 and summary["残りポイント"] == 10


def test_print_setup_rows_and_chart(demo):
    wb = _open(plan_workbook(demo, "kansai", 2025))
    ws = wb[L.PLAN]
    assert ws.print_area == "'計画'!$A$1:$Q$14"  # the lines and empty rows to the page's foot, not 200 rows
    assert ws.print_title_cols == "$A:$B" and [b.id for b in ws.col_breaks.brk] == [8]  # after 件名
    assert ws.row_dimensions[4].height >= 30  # ② 's long name wraps to two lines
    assert not ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.scale == 100
    assert ws.oddHeader.right.text == "版 2・下書き" and ws.oddFooter.left.text == "関西コンソーシアム"
    assert ws.oddFooter.right.text.startswith("作成 令和")
    summary = wb[L.SUMMARY]
    assert summary.sheet_properties.pageSetUpPr.fitToPage and len(summary._charts) == 1
