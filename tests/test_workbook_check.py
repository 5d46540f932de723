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
    data = edit(exported["tohoku2024"], {"D4": "2024-13-45", "K4": 30, "G4": "many"}, sheet=L.RESULTS)
    f = read_workbook(data).findings
    assert where(f, "DATE_INVALID") == [(L.RESULTS, 4, "D", 1)]
    assert where(f, "SHARES_NOT_100") == [(L.RESULTS, 4, "K", 1)]
    assert where(f, "NOT_A_NUMBER") == [(L.RESULTS, 4, "G", None)]


def test_check_of_a_file_that_is_not_there_is_a_usage_error(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nope.xlsx")]) == 2


def test_check_exit_zero_for_a_clean_workbook(exported, tmp_path, capsys):
    path = tmp_path / "kyushu.xlsx"
    path.write_bytes(exported["kyushu"])
    assert main(["check", str(path), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
