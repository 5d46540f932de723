"""Reading an edited plan workbook back: every problem at its sheet, row and column (planner check)."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from workbook_support import edit

import planner
from planner.cli import main
from planner.workbook import layout as L
from planner.workbook import plan_workbook, read_workbook


@pytest.fixture(scope="module")
def exported(demo_db_master, tmp_path_factory):
    """Each demo plan's workbook, exported once for the module (tests edit copies)."""
    s = planner.open_store(demo_db_master)
    out = {cid: plan_workbook(s, cid, 2025) for cid in ("kansai", "kyushu", "hokkaido")}
    out["tohoku2024"] = plan_workbook(s, "tohoku", 2024)
    s.close()
    return out


def where(findings, code):
    return [(f.sheet, f.row, f.column, f.line) for f in findings if f.code == code]


def test_clean_workbook_has_no_errors(exported):
    assert not [f for f in read_workbook(exported["kansai"]).findings if f.is_error]


def test_quantity_raised_over_budget(exported, tmp_path, capsys):
    path = tmp_path / "kansai.xlsx"
    path.write_bytes(edit(exported["kansai"], {"D4": 2}))  # ② in person 1 → 2: 110 + 20 = 130 > 120
    assert main(["check", str(path), "--format", "json"]) == 1
    out = json.loads(capsys.readouterr().out)
    over = [f for f in out if f["code"] == "BUDGET_EXCEEDED"]
    assert over and over[0]["sheet"] == L.PLAN and over[0]["row"] == 2 and over[0]["column"] == "F"
    assert {"code", "severity", "sheet", "row", "column", "message_ja", "message_en"} <= set(out[0])
    assert "130" in over[0]["message_ja"] and "120" in over[0]["message_en"]


def test_text_in_quantity_is_not_a_number_at_its_cell(exported, tmp_path, capsys):
    path = tmp_path / "kansai.xlsx"
    path.write_bytes(edit(exported["kansai"], {"D5": "two"}))
    assert main(["check", str(path), "--format", "json"]) == 1
    out = json.loads(capsys.readouterr().out)
    nan = [f for f in out if f["code"] == "NOT_A_NUMBER"]
    assert [(f["sheet"], f["row"], f["column"], f["line"]) for f in nan] == [(L.PLAN, 5, "D", 2)]
    assert "D5" in nan[0]["message_ja"] and "whole number" in nan[0]["message_en"]
    assert not [f for f in out if f["code"] == "QUANTITY_INVALID"]  # one finding per cell
    assert main(["check", str(path)]) == 1
    assert "NOT_A_NUMBER [計画 5行 D列]" in capsys.readouterr().out


def test_formula_typed_where_a_value_belongs(exported):
    f = read_workbook(edit(exported["kansai"], {"D4": "=1+1", "H5": "=A1"})).findings
    assert where(f, "FORMULA_NOT_ALLOWED") == [(L.PLAN, 4, "D", 1), (L.PLAN, 5, "H", 2)]


def test_people_write_numbers_and_months_their_way(exported):
    read = read_workbook(edit(exported["kansai"], {"D4": "１", "G4": "8月", "J4": "30", "B5": "2", "C5": "online"}))
    assert read.ok
    first, second = read.plan.lines[:2]
    assert (first.quantity, first.month, first.companies) == (1, 8, 30)
    assert (second.item, second.variant) == (2, "online")


def test_control_characters_long_text_and_unknown_choices(exported):
    # Excel keeps a control character as _x0007_ in the file (openpyxl refuses the raw character)
    f = read_workbook(edit(exported["kansai"], {"H4": "説明会_x0007_", "M5": "あ" * 1001, "B6": "フットサル大会",
                                                "C7": "特大"})).findings
    assert where(f, "CONTROL_CHARACTER") == [(L.PLAN, 4, "H", 1)]
    assert where(f, "TEXT_TOO_LONG") == [(L.PLAN, 5, "M", 2)]
    assert where(f, "UNKNOWN_ITEM") == [(L.PLAN, 6, "B", 3)]
    assert where(f, "UNKNOWN_VARIANT") == [(L.PLAN, 7, "C", 4)]
    assert all(f_.message_ja and f_.message_en for f_ in f)


def test_each_rule_finding_is_on_the_column_of_the_field_its_rule_names(exported):
    # kansai's 8 lines are rows 4-11 under the header in row 3; G is 実施月, D 数量, M 備考
    late = {f"G{r}": 2 for r in range(4, 12)}
    f = read_workbook(edit(exported["kansai"], {**late, "B11": 11, "C11": "proposal", "D11": 4})).findings
    assert where(f, "LATE_CONCENTRATION") == [(L.PLAN, 3, "G", None)]
    assert where(f, "DESCRIPTION_REQUIRED") == [(L.PLAN, 11, "M", 8)]
    assert where(f, "MAX_QUANTITY") == [(L.PLAN, 11, "D", 8)]


def test_a_line_added_in_a_spare_row_is_read(exported):
    data = edit(exported["kyushu"], {"B20": "⑧地域の好事例作成", "C20": "1事例", "D20": 1, "G20": 2, "H20": "好事例集"})
    read = read_workbook(data)
    assert len(read.plan.lines) == 8
    assert read.plan.lines[-1].content() == planner.Line(8, "case", 1, 2, "好事例集").content()
    assert read.new_lines == {8}  # a row with a blank 行ID is a new line (with an id of its own)
    assert read.line_rows[8] == 20
    assert where(read.findings, "BUDGET_EXCEEDED") == [(L.PLAN, 2, "F", None)]  # 106 + 5 > 110


def test_missing_column_and_missing_sheet(exported):
    f = read_workbook(edit(exported["kansai"], {"C3": "種類"})).findings
    assert where(f, "MISSING_COLUMN") == [(L.PLAN, 3, None, None)] and "区分" in f[0].message_ja
    wb = openpyxl.load_workbook(io.BytesIO(exported["kansai"]))
    del wb[L.RESULTS]
    buf = io.BytesIO()
    wb.save(buf)
    f = read_workbook(buf.getvalue()).findings
    assert [(x.code, x.sheet) for x in f] == [("MISSING_SHEET", L.RESULTS)]


def test_results_sheet_is_checked_cell_by_cell(exported):
    data = edit(exported["tohoku2024"], {"E4": "2024-13-45", "L4": 30, "H4": "many"}, sheet=L.RESULTS)
    f = read_workbook(data).findings
    # found at the cell by the date reader, as the other typed columns find theirs (with no line)
    assert where(f, "DATE_INVALID") == [(L.RESULTS, 4, "E", None)]
    bad = next(x for x in f if x.code == "DATE_INVALID")
    assert "E4" in bad.message_ja and "13月はありません" in bad.message_ja and "no month 13" in bad.message_en
    assert where(f, "SHARES_NOT_100") == [(L.RESULTS, 4, "L", 1)]
    assert where(f, "NOT_A_NUMBER") == [(L.RESULTS, 4, "H", None)]


def test_check_of_a_file_that_is_not_there_is_a_usage_error(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nope.xlsx")]) == 2


def test_check_exit_zero_for_a_clean_workbook(exported, tmp_path, capsys):
    path = tmp_path / "kyushu.xlsx"
    path.write_bytes(exported["kyushu"])
    assert main(["check", str(path), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


# -- no silent reinterpretation; what people really type ---------------------------------------------

def test_a_menu_cell_whose_text_contradicts_its_number_is_a_finding(exported):
    f = read_workbook(edit(exported["kansai"], {"B4": "②セミナーの開催（企業向け）", "B5": "10月",
                                                "B6": "2 合同企業説明会", "B7": "④"})).findings
    assert where(f, "ITEM_TEXT_MISMATCH") == [(L.PLAN, 4, "B", 1)]
    mismatch = next(x for x in f if x.code == "ITEM_TEXT_MISMATCH")
    assert "③セミナーの開催（企業向け）" in mismatch.message_ja and "③ Seminar for companies" in mismatch.message_en
    assert where(f, "ITEM_IS_A_MONTH") == [(L.PLAN, 5, "B", 2)]
    assert "実施月" in next(x.message_ja for x in f if x.code == "ITEM_IS_A_MONTH")
    assert not [x for x in f if x.row in (6, 7) and x.column == "B"]  # 「2 合同企業説明会」 and 「④」 are fine
    assert not where(f, "UNKNOWN_ITEM")  # one finding a cell


def test_a_count_with_a_decimal_comma_is_not_read_as_a_thousands_separator(exported):
    data = edit(exported["tohoku2024"], {"G4": "1,5", "H4": "1,500"}, sheet=L.RESULTS)
    read = read_workbook(data)
    assert where(read.findings, "NOT_A_NUMBER") == [(L.RESULTS, 4, "G", None)]
    assert "1,500" in next(x.message_ja for x in read.findings if x.code == "NOT_A_NUMBER")


def test_excel_percentages_reiwa_dates_and_shares_with_decimals_are_read(exported):
    wb = openpyxl.load_workbook(io.BytesIO(exported["tohoku2024"]))
    ws = wb[L.RESULTS]
    for col, v in (("L", 0.333), ("M", 0.667), ("N", 0)):
        ws[f"{col}4"] = v
        ws[f"{col}4"].number_format = "0%"  # what Excel makes of 33.3% typed in a cell
    buf = io.BytesIO()
    wb.save(buf)
    read = read_workbook(buf.getvalue())
    assert read.ok, read.findings
    (res,) = read.results
    assert (res.very_satisfied, res.satisfied, res.dissatisfied) == (33.3, 66.7, 0)
    for typed in ("令和6年11月19日", "R6.11.19", "2024/11/19", "Ｒ６．１１．１９", "令和6年11月19日、R6.11.20"):
        read = read_workbook(edit(exported["tohoku2024"], {"E4": typed}, sheet=L.RESULTS))
        assert read.ok and read.results[0].dates[0] == "2024-11-19", typed
    read = read_workbook(edit(exported["tohoku2024"], {"L4": "33.3", "M4": "33.3", "N4": "33.4"}, sheet=L.RESULTS))
    assert read.ok and not read.findings
    read = read_workbook(edit(exported["tohoku2024"], {"L4": "40%", "M4": "50%", "N4": None}, sheet=L.RESULTS))
    assert read.ok and [(x.code, x.severity, x.row, x.column) for x in read.findings] == [
        ("SHARES_NOT_100", "warning", 4, "L")]
    assert "90" in read.findings[0].message_ja and "90 %" in read.findings[0].message_en


def test_the_date_column_reads_dates_as_the_one_date_reader_does(exported):
    """The 実施日 cell and the results form read the same dates (planner.dates): every form the reader
    takes, and a day that does not exist is refused at its cell with the reader's reason."""
    from planner.dates import read_dates

    for typed in ("2024-11-19", "2024.11.19", "２０２４／１１／１９", "2024年11月19日（火）", "R6/11/19",
                  "2024ー11ー19"):
        read = read_workbook(edit(exported["tohoku2024"], {"E4": typed}, sheet=L.RESULTS))
        assert read.ok and read.results[0].dates == ("2024-11-19",), typed
        assert [r.iso for r in read_dates(typed)] == ["2024-11-19"]
    for typed, why in (("2024-11-31", "2024年11月31日はありません"), ("2024/11/19(水)", "火曜日です"),
                       ("19/11/2024", "年・月・日の順に")):
        f = read_workbook(edit(exported["tohoku2024"], {"E4": typed}, sheet=L.RESULTS)).findings
        assert where(f, "DATE_INVALID") == [(L.RESULTS, 4, "E", None)], typed
        assert why in next(x.message_ja for x in f if x.code == "DATE_INVALID"), typed
        assert not where(f, "DATE_OUTSIDE_YEAR")  # one finding a cell
    f = read_workbook(edit(exported["tohoku2024"], {"E4": "2024-11-19、2024-11-31"}, sheet=L.RESULTS)).findings
    assert [x.code for x in f if x.is_error] == ["DATE_INVALID"] and "2024-11-31" in f[0].message_ja


def test_a_line_typed_far_down_and_2_as_the_menu_are_read_like_any_line(exported):
    read = read_workbook(edit(exported["kansai"], {"B180": "2", "C180": "オンライン", "D180": 1, "G180": 12,
                                                   "H180": "追加"}))
    assert read.line_rows[9] == 180 and read.plan.lines[8].item == 2
    assert planner.points(read.plan, read.fiscal) == 122 and where(read.findings, "BUDGET_EXCEEDED")


def test_messages_name_the_plan_line_by_its_number(exported):
    f = read_workbook(edit(exported["kansai"], {"D6": 0, "C7": "特大"})).findings
    bad = next(x for x in f if x.code == "QUANTITY_INVALID")
    assert "D6 セル: 番号3の行:" in bad.message_ja and "行目" not in bad.message_ja.split("セル")[1]
    assert "cell D6: Plan line 3:" in bad.message_en
    variant = next(x for x in f if x.code == "UNKNOWN_VARIANT")
    assert "番号4の行" in variant.message_ja and "Plan line 4" in variant.message_en


def test_a_consolidated_workbook_is_recognised(demo_db_master, tmp_path, capsys):
    from planner.workbook import consolidated_workbook

    with planner.open_store(demo_db_master) as s:
        data = consolidated_workbook(s, 2025)
    f = read_workbook(data).findings
    assert [x.code for x in f] == ["CONSOLIDATED_WORKBOOK"]
    assert "集約ブック" in f[0].message_ja and "consolidated workbook" in f[0].message_en
    path = tmp_path / "all.xlsx"
    path.write_bytes(data)
    assert main(["check", str(path), "--lang", "en"]) == 1
    assert "CONSOLIDATED_WORKBOOK" in capsys.readouterr().out
