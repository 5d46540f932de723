"""Through LibreOffice headless: a workbook whose 実績 sheet got a second session and counts typed as text,
and whose 参加企業 sheet got companies, re-saved by LibreOffice (which rewrites the file and recalculates
its formulas): the totals count what planner reads, and planner reads the same results back."""

from __future__ import annotations

import io
import shutil

import openpyxl
import pytest
from test_workbook_libreoffice import soffice

import planner
from planner import Company
from planner.workbook import import_workbook, plan_workbook, read_workbook
from planner.workbook import layout as L

pytestmark = [pytest.mark.libreoffice,
              pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")]


@pytest.fixture(scope="module")
def resaved(demo_db_master, tmp_path_factory):
    root = tmp_path_factory.mktemp("lo-sessions")
    src = root / "src"
    src.mkdir()
    with planner.open_store(demo_db_master) as s:
        data = plan_workbook(s, "tohoku", 2024)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb[L.RESULTS]
    # line 3 (③, two seminars), session 2 on row 7; its counts typed as people type them
    for ref, v in {"E7": "2024-06-26", "F7": "盛岡", "G7": "2社", "H7": "37名", "I7": "６０", "J7": 5,
                   "L7": 40, "M7": 60, "N7": 0}.items():
        ws[ref] = v
    cs = wb[L.COMPANIES]
    for ref, v in {"A22": 3, "B22": 2, "C22": "アンデックス株式会社", "D22": "宮城県",
                   "A23": 3, "B23": 2, "C23": "林建設工業株式会社", "D23": "山形"}.items():
        cs[ref] = v
    buf = io.BytesIO()
    wb.save(buf)
    (src / "tohoku.xlsx").write_bytes(buf.getvalue())
    soffice([src / "tohoku.xlsx"], "xlsx", root / "xlsx", root / "profile")
    return (root / "xlsx" / "tohoku.xlsx").read_bytes(), buf.getvalue()


def test_the_total_counts_text_counts_as_planner_reads_them(resaved):
    out, _ = resaved
    ws = openpyxl.load_workbook(io.BytesIO(out), data_only=True)[L.RESULTS]
    assert ws["K7"].value == 37 + 60 + 5  # it showed 5 when SUM left 「37名」 and 「６０」 out
    assert ws["K4"].value == 135  # the seed event's 37 + 64 + 34, as numbers
    assert ws["K5"].value in (None, "")  # a session without a result shows no total


def test_the_edited_sessions_and_companies_read_back_the_same_after_libreoffice(resaved):
    out, before = resaved
    mine, theirs = read_workbook(before), read_workbook(out)
    assert theirs.ok and mine.ok
    assert theirs.results == mine.results
    assert [(f.code, f.sheet, f.row, f.column) for f in theirs.findings] == [
        (f.code, f.sheet, f.row, f.column) for f in mine.findings]
    assert [f.code for f in theirs.findings] == ["COUNT_READ_FROM_TEXT"] * 3  # 2社, 37名, ６０ said as read
    (seminar,) = [r for r in theirs.results if r.line == 3]
    assert (seminar.session, seminar.companies, seminar.company_staff, seminar.students) == (2, 2, 37, 60)
    assert seminar.company_list == (Company("アンデックス株式会社", "宮城県"), Company("林建設工業株式会社", "山形"))
    (event,) = [r for r in theirs.results if r.line == 1]
    assert len(event.company_list) == 18 and event.company_list[0] == Company("フジプラント株式会社", "青森")


def test_the_libreoffice_file_loads_into_the_store(resaved, demo_db):
    out, _ = resaved
    with planner.open_store(demo_db) as s:
        got = import_workbook(s.desk("contractor"), out)
        assert got.ok and got.results_recorded == 1, got.findings
        (seminar,) = [r for r in s.results("tohoku", 2024, by="officer") if r.line == 3]
        assert seminar.session == 2 and seminar.participants == 102
        assert [c.prefecture for c in seminar.company_list] == ["宮城", "山形"]  # kept as planner names them
