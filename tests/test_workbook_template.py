"""The templates carry the look: a restyled template (header colour, column width, body font) flows
into every exported workbook; code only fills data."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

import planner
from planner.workbook import consolidated_workbook, plan_workbook, read_workbook
from planner.workbook import layout as L
from planner.workbook.sheet_columns import PLAN_COLUMNS

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def restyled(tmp_path) -> Path:
    folder = tmp_path / "templates"
    shutil.copytree(ROOT / "templates" / "xlsx", folder)
    wb = openpyxl.load_workbook(folder / "plan.xlsx")
    ws = wb[L.PLAN]
    for cell in ws[3]:
        if cell.value:
            cell.fill = openpyxl.styles.PatternFill("solid", fgColor="C00000")
    ws.column_dimensions["H"].width = 55
    for cell in ws[4]:
        cell.font = openpyxl.styles.Font(name="Meiryo", size=12, italic=True)
    wb.save(folder / "plan.xlsx")
    wb = openpyxl.load_workbook(folder / "consolidated.xlsx")
    wb[L.POINTS]["B3"].fill = openpyxl.styles.PatternFill("solid", fgColor="00B050")
    wb.save(folder / "consolidated.xlsx")
    return folder


def test_restyled_plan_template_flows_through(demo_db, restyled, monkeypatch):
    s = planner.open_store(demo_db)
    monkeypatch.setenv("PLANNER_TEMPLATES", str(restyled))
    data = plan_workbook(s, "kansai", 2025)
    ws = openpyxl.load_workbook(io.BytesIO(data))[L.PLAN]
    assert ws["B3"].fill.fgColor.rgb.endswith("C00000") and ws["M3"].fill.fgColor.rgb.endswith("C00000")
    assert ws.column_dimensions["H"].width == 55
    for ref in ("H4", "H11"):  # lines take the style row's look
        assert ws[ref].font.name == "Meiryo" and ws[ref].font.italic
    # the rows under them, as column styles (applied to cells the file does not hold)
    assert ws.column_dimensions["D"].font.name == "Meiryo" and ws.column_dimensions["D"].font.italic
    assert read_workbook(data, s).plan == s.current("kansai", 2025).plan  # the data is untouched
    default = openpyxl.load_workbook(io.BytesIO(plan_workbook(s, "kansai", 2025,
                                                              templates=ROOT / "templates" / "xlsx")))
    assert not default[L.PLAN]["B3"].fill.fgColor.rgb.endswith("C00000")
    s.close()


def test_restyled_consolidated_template_flows_into_every_item_column(demo_db, restyled):
    s = planner.open_store(demo_db)
    ws = openpyxl.load_workbook(io.BytesIO(consolidated_workbook(s, 2025, templates=restyled)))[L.POINTS]
    heads = [c for c in ws[3] if c.value and c.value not in (L.MATRIX_CORNER, L.TOTAL_LABEL)]
    assert len(heads) == 11 and all(c.fill.fgColor.rgb.endswith("00B050") for c in heads)
    s.close()


def test_reordered_template_columns_are_followed_both_ways(demo_db, tmp_path):
    """A person may move a column in the template: export and reading find columns by header text."""
    folder = tmp_path / "t"
    shutil.copytree(ROOT / "templates" / "xlsx", folder)
    wb = openpyxl.load_workbook(folder / "plan.xlsx")
    ws = wb[L.PLAN]
    ws["H3"], ws["I3"] = "開催地", "件名"
    wb.save(folder / "plan.xlsx")
    s = planner.open_store(demo_db)
    data = plan_workbook(s, "kansai", 2025, templates=folder)
    out = openpyxl.load_workbook(io.BytesIO(data))[L.PLAN]
    assert out["I4"].value == "関西留学生合同企業説明会2025" and out["H4"].value == "大阪"
    assert read_workbook(data, s).plan == s.current("kansai", 2025).plan
    s.close()


def test_committed_templates_match_the_script(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_templates.py"), str(tmp_path)], check=True,
                   capture_output=True)
    for name in ("plan.xlsx", "consolidated.xlsx"):
        made = openpyxl.load_workbook(tmp_path / name)
        committed = openpyxl.load_workbook(ROOT / "templates" / "xlsx" / name)
        assert made.sheetnames == committed.sheetnames
        for ws in made.worksheets:
            assert [L.cell_label(c.value) for c in ws[3]] == [L.cell_label(c.value) for c in committed[ws.title][3]]
    plan = openpyxl.load_workbook(ROOT / "templates" / "xlsx" / "plan.xlsx")
    assert [L.cell_label(c.value) for c in plan[L.PLAN][3]] == [c.label for c in PLAN_COLUMNS]
    for ws in plan.worksheets:
        if ws.sheet_state == "visible":
            assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
            # printed at full size (split over pages with titles repeated), except the one-page summary
            assert ws.sheet_properties.pageSetUpPr.fitToPage == (ws.title == L.SUMMARY)
            assert ws.sheet_properties.pageSetUpPr.fitToPage or ws.page_setup.scale == 100
            assert "{version}" in ws.oddHeader.right.text and "{consortium}" in ws.oddFooter.left.text
            assert ws.oddFooter.center.text == "&P / &N"
    assert plan[L.PLAN]["B4"].font.name == "Yu Gothic"
