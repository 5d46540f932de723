"""The plan workbook's results, session by session: the 実績 sheet's row per session (回), the 参加企業
sheet, counts typed as text (what the sheet counts, what `planner check` says), and results typed into
an older export."""

from __future__ import annotations

import io
import json
from dataclasses import replace

import openpyxl
import pytest
from workbook_support import edit

import planner
from planner import Company
from planner.cli import main
from planner.workbook import import_workbook, plan_workbook, read_workbook
from planner.workbook import layout as L

# tohoku FY2024 on 実績: rows 4 (番号1 回1), 5 (2-1), 6 (3-1), 7 (3-2), 8 (4-1), 9 (4-2), 10 (5-1);
# columns A 番号, B 回, E 実施日, F 会場, G 参加企業数, H 企業参加者数, I 留学生数, J 関係者数, K 参加者計
SEMINAR_2 = {"E7": "2024-06-26", "F7": "盛岡", "G7": 2, "H7": 10, "I7": 0, "J7": 3}
# under the seed event's 18 companies (rows 4–21) of the demo
COMPANIES = {"A22": 3, "B22": 2, "C22": "アンデックス株式会社", "D22": "宮城県",
             "A23": 3, "B23": 2, "C23": "林建設工業株式会社", "D23": "山形"}


@pytest.fixture
def demo(demo_db):
    """A private copy of the demo store, open."""
    s = planner.open_store(demo_db)
    yield s
    s.close()


def both(data: bytes, results: dict, companies: dict) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for ref, v in results.items():
        wb[L.RESULTS][ref] = v
    for ref, v in companies.items():
        wb[L.COMPANIES][ref] = v
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def codes(findings) -> list[str]:
    return [f.code for f in findings]


def snapshot(store) -> list:
    return [store.db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in ("plans", "revisions", "results")]


def test_a_second_session_and_its_companies_typed_into_the_workbook_are_recorded(demo):
    data = plan_workbook(demo.desk("contractor"), "tohoku", 2024)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames[:len(L.PLAN_SHEETS)] == list(L.PLAN_SHEETS)
    assert [L.cell_label(c.value) for c in wb[L.COMPANIES][3]][:4] == ["番号", "回", "企業名", "都道府県"]
    out = import_workbook(demo.desk("contractor"), both(data, SEMINAR_2, COMPANIES))
    assert out.ok and out.results_recorded == 1, out.findings
    got = {(r.line, r.session): r for r in demo.results("tohoku", 2024, by="officer")}
    assert set(got) == {(1, 1), (3, 2)}
    assert got[(3, 2)].venue == "盛岡" and got[(3, 2)].company_list == (
        Company("アンデックス株式会社", "宮城"), Company("林建設工業株式会社", "山形"))
    # and out again: a row per company, by 番号 and 回; read back to the same results
    again = plan_workbook(demo.desk("contractor"), "tohoku", 2024)
    ws = openpyxl.load_workbook(io.BytesIO(again))[L.COMPANIES]
    assert [[c.value for c in r[:4]] for r in ws.iter_rows(min_row=22, max_row=23)] == [
        [3, 2, "アンデックス株式会社", "宮城"], [3, 2, "林建設工業株式会社", "山形"]]
    assert read_workbook(again).results == demo.results("tohoku", 2024, by="officer")


def test_the_demo_event_carries_the_seeds_18_companies_out_and_back(demo):
    data = plan_workbook(demo, "tohoku", 2024)
    ws = openpyxl.load_workbook(io.BytesIO(data))[L.COMPANIES]
    rows = [[c.value for c in r[:4]] for r in ws.iter_rows(min_row=4, max_row=21)]
    assert len(rows) == 18 and rows[0] == [1, 1, "フジプラント株式会社", "青森"] and rows[-1][3] == "福島"
    assert ws.cell(22, 3).value is None
    read = read_workbook(data)
    assert read.ok and not read.findings and read.results == demo.results("tohoku", 2024, by="officer")


@pytest.mark.parametrize("companies, code, cell", [
    ({**COMPANIES, "D23": "ミヤギ"}, "COMPANY_PREFECTURE_UNKNOWN", (L.COMPANIES, 23, "D")),
    ({**COMPANIES, "C23": "アンデックス　株式会社", "D23": "宮城"}, "COMPANY_DUPLICATE_ROW", (L.COMPANIES, 23, "C")),
    ({**COMPANIES, "B23": 1}, "COMPANY_WITHOUT_RESULT", (L.COMPANIES, 23, "A")),  # 番号3 回1 has no result
    ({**COMPANIES, "C23": None}, "COMPANY_INVALID", (L.COMPANIES, 23, "C")),
    ({**COMPANIES, "B23": "二"}, "NOT_A_NUMBER", (L.COMPANIES, 23, "B")),
])
def test_bad_company_rows_are_refused_at_their_cells_and_nothing_is_stored(demo, companies, code, cell):
    data = both(plan_workbook(demo.desk("contractor"), "tohoku", 2024), SEMINAR_2, companies)
    before = snapshot(demo)
    out = import_workbook(demo.desk("contractor"), data)
    errors = [f for f in out.findings if f.is_error]
    assert not out.ok and codes(errors) == [code]
    assert (errors[0].sheet, errors[0].row, errors[0].column) == cell
    assert f"{cell[2]}{cell[1]}" in errors[0].message_ja and errors[0].message_en
    assert snapshot(demo) == before


def test_a_count_that_disagrees_with_the_companies_listed_is_a_warning_on_the_count(demo):
    data = both(plan_workbook(demo.desk("contractor"), "tohoku", 2024), {**SEMINAR_2, "G7": 5}, COMPANIES)
    out = import_workbook(demo.desk("contractor"), data)
    assert out.ok
    (w,) = [f for f in out.findings if f.code == "COMPANIES_COUNT_MISMATCH"]
    assert (w.severity, w.sheet, w.row, w.column) == ("warning", L.RESULTS, 7, "G")
    assert "5 社" in w.message_ja and "holds 2" in w.message_en


def test_a_session_beyond_the_quantity_and_a_session_typed_twice_are_refused(demo):
    data = plan_workbook(demo.desk("contractor"), "tohoku", 2024)
    before = snapshot(demo)
    beyond = edit(data, {"B7": 3, **SEMINAR_2}, sheet=L.RESULTS)  # the sheet is protected; the cell edited all the same
    out = import_workbook(demo.desk("contractor"), beyond)
    (f,) = [f for f in out.findings if f.is_error]
    assert (f.code, f.row, f.column) == ("SESSION_BEYOND_QUANTITY", 7, "B") and "第3回" in f.message_ja
    twice = edit(data, {"B7": 1, **SEMINAR_2, "E6": "2024-06-12"}, sheet=L.RESULTS)
    out = import_workbook(demo.desk("contractor"), twice)
    (f,) = [f for f in out.findings if f.is_error]
    assert (f.code, f.row) == ("RESULT_DUPLICATE", 7) and "6行目と7行目" in f.message_ja
    assert snapshot(demo) == before


# -- counts typed as text: the sheet and planner agree, and check says what it read -------------------

def test_counts_typed_as_text_are_read_counted_by_the_sheet_and_said(demo_db, tmp_path, capsys):
    with planner.open_store(demo_db) as s:
        data = plan_workbook(s, "tohoku", 2024)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb[L.RESULTS]
    # the totals count what planner reads: a number, or text such as 37名 and full-width ６０
    assert "ASC(TRIM(H4))" in ws["K4"].value and '"名"' in ws["K4"].value and ws["K4"].value.startswith(
        "=IF(COUNTA(H4,I4,J4)=0,")
    rules = {str(cf.sqref): [r.formula[0] for r in cf.rules] for cf in ws.conditional_formatting}
    assert rules["H4:H10"] == ["ISTEXT(H4)"] and rules["G4:G10"] == ["ISTEXT(G4)"]
    whole = [dv for dv in ws.data_validations.dataValidation if dv.type == "whole"]
    assert len(whole) == 1 and {str(r) for r in whole[0].sqref.ranges} == {
        "G4:G1003", "H4:H1003", "I4:I1003", "J4:J1003"}
    assert whole[0].operator == "greaterThanOrEqual" and whole[0].formula1 == "0"
    path = tmp_path / "tohoku.xlsx"
    path.write_bytes(edit(data, {"H4": "37名", "I4": "６０", "J4": 5}, sheet=L.RESULTS))
    assert main(["check", str(path), "--format", "json"]) == 0  # warnings only
    said = json.loads(capsys.readouterr().out)
    assert [(f["code"], f["row"], f["column"]) for f in said] == [
        ("COUNT_READ_FROM_TEXT", 4, "H"), ("COUNT_READ_FROM_TEXT", 4, "I")]
    assert "「37名」" in said[0]["message_ja"] and "37 と読みました" in said[0]["message_ja"]
    assert "read it as 60" in said[1]["message_en"]
    assert main(["check", str(path)]) == 0
    text = capsys.readouterr().out
    assert "37 と読みました" in text and "60 と読みました" in text
    read = read_workbook(path.read_bytes())
    assert (read.results[0].company_staff, read.results[0].students, read.results[0].members) == (37, 60, 5)


# -- results typed into an older export --------------------------------------------------------------

def _reaccepted(store, change_line: int | None = None) -> None:
    """The plan reopened and accepted again, with one line changed meanwhile (or none)."""
    store.reopen("tohoku", 2024, by="officer", comment="見直し")
    if change_line is not None:
        rec = store.current("tohoku", 2024)
        lines = list(rec.plan.lines)
        lines[change_line] = replace(lines[change_line], place="青森")
        store.save(planner.Plan("tohoku", 2024, lines), by="secretariat-tohoku", base_revision=rec.revision)
    store.submit("tohoku", 2024, by="secretariat-tohoku")
    store.accept("tohoku", 2024, by="officer")


def test_results_typed_into_an_older_export_are_taken_when_their_lines_have_not_changed(demo):
    old = plan_workbook(demo.desk("contractor"), "tohoku", 2024)
    _reaccepted(demo, change_line=1)  # line 2 (the ② fair) changed; line 3 (the seminars) did not
    assert read_workbook(old).meta.revision < demo.current("tohoku", 2024).revision
    out = import_workbook(demo.desk("contractor"), both(old, SEMINAR_2, COMPANIES))
    assert out.ok and out.results_recorded == 1, out.findings
    (r,) = [r for r in demo.results("tohoku", 2024, by="officer") if r.line == 3]
    assert r.session == 2 and len(r.company_list) == 2


def test_a_result_on_a_line_changed_since_the_export_is_refused_with_both_sides(demo):
    old = plan_workbook(demo.desk("contractor"), "tohoku", 2024)
    _reaccepted(demo, change_line=2)  # the seminars' line itself changed
    before = snapshot(demo)
    out = import_workbook(demo.desk("contractor"), both(old, SEMINAR_2, {}))
    (f,) = [f for f in out.findings if f.is_error]
    assert f.code == "STALE_REVISION" and "青森" in f.message_ja  # the store's side is shown
    assert snapshot(demo) == before


def test_an_older_export_unchanged_since_reopening_takes_results(demo):
    """The issue's case: reopened and accepted again with no change; 内容の変更なし on both sides."""
    old = plan_workbook(demo.desk("contractor"), "tohoku", 2024)
    _reaccepted(demo)
    out = import_workbook(demo.desk("contractor"), both(old, SEMINAR_2, {}))
    assert out.ok and out.results_recorded == 1, out.findings


def test_an_export_made_before_sessions_and_companies_keeps_the_companies_recorded(demo):
    """An export of the earlier layout (no 回 column, no 参加企業 sheet): its rows are session 1 and
    the companies recorded in the app stay."""
    data = plan_workbook(demo.desk("contractor"), "tohoku", 2024)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    del wb[L.COMPANIES]
    ws = wb[L.RESULTS]
    ws.delete_cols(2)  # 回
    ws.delete_rows(7)  # the seminar's second session
    ws.delete_rows(8)  # and the talks' (line 4)
    ws["K4"], ws["L4"], ws["M4"] = 40, 60, 0  # the seed event's 大変満足, 満足, 不満 in the earlier columns
    buf = io.BytesIO()
    wb.save(buf)
    read = read_workbook(buf.getvalue())
    assert read.ok and not read.companies_read, read.findings
    out = import_workbook(demo.desk("contractor"), buf.getvalue())
    assert out.ok and out.results_recorded == 1, out.findings
    (r,) = demo.results("tohoku", 2024, by="officer")
    assert (r.session, r.very_satisfied, r.satisfied, len(r.company_list)) == (1, 40, 60, 18)

