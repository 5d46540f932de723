"""One reader for numbers as people type them, used by the forms and the workbook columns alike."""

from __future__ import annotations

import json

import pytest
from signin_support import signed_in

import planner
from planner.app.secretariat import open_session
from planner.demo import keys_path
from planner.numbers import read_number


@pytest.mark.parametrize("typed, value", [
    ("3", 3), ("３０", 30), (" 12 ", 12), ("1,500", 1500), ("１，５００", 1500), ("3.0", 3), ("33.3", 33.3),
    ("40%", 40), ("４０％", 40), ("37名", 37), ("18社", 18), ("-2", -2), ("－2", -2),
])
def test_what_people_type_is_read(typed, value):
    r = read_number(typed)
    assert r.problem is None and r.value == value and type(r.value) is type(value)


@pytest.mark.parametrize("typed, problem", [
    ("", "blank"), ("  ", "blank"), ("1,5", "comma"), ("1,50", "comma"), ("12,3456", "comma"), ("²", "text"),
    ("⑤", "text"), ("three", "text"), ("1.2.3", "text"), ("3名様", "text"),
])
def test_what_could_be_misread_is_not_read(typed, problem):
    r = read_number(typed)
    assert r.value is None and r.problem == problem


def test_the_line_form_reads_counts_as_the_workbook_does(demo_db):
    """Before one reader, the form refused 「1,500」 and 「30社」 that the workbook and the results form read."""
    store = planner.open_store(demo_db)
    k = json.loads(keys_path(demo_db).read_text(encoding="utf-8"))
    m = open_session(signed_in(store, k["secretariat-kansai"]), store)
    m.editor.pick(2, "online", 1, 7)
    m.editor.companies, m.editor.students = "30社", "1,500"
    assert m.editor.add_line(), m.editor.form_note
    assert (m.plan.lines[-1].companies, m.plan.lines[-1].students) == (30, 1500)
    m.editor.pick(2, "online", 1, 7)
    m.editor.students = "1,5"
    assert not m.editor.add_line() and "想定留学生数は数字で" in m.editor.form_note.ja
    store.close()


def test_a_count_with_its_unit_in_the_results_sheet_is_read(demo_db):
    """Before one reader, 「37名」 in 実績 was NOT_A_NUMBER while the app's results form read it as 37."""
    import io

    import openpyxl

    from planner.workbook import layout as L
    from planner.workbook import plan_workbook, read_workbook

    with planner.open_store(demo_db) as s:
        data = plan_workbook(s, "tohoku", 2024)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb[L.RESULTS]
    (col,) = [c.column_letter for row in ws.iter_rows(max_row=6) for c in row if c.value == "企業参加者数"]
    header = next(c.row for row in ws.iter_rows(max_row=6) for c in row if c.value == "企業参加者数")
    ws[f"{col}{header + 1}"] = "37名"
    buf = io.BytesIO()
    wb.save(buf)
    got = read_workbook(buf.getvalue())
    assert not [f for f in got.findings if f.is_error], got.findings
    assert got.results[0].company_staff == 37
