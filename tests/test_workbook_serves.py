"""対象行 in the plan workbook: the 番号 of the line a ⑦ or ⑩ line serves, written from the line id it
holds and read back as that id, also after LibreOffice re-saved the file and after rows were moved."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from workbook_support import edit

import planner
from planner.workbook import layout as L
from planner.workbook import plan_workbook, read_workbook

# kansai's draft: 1 ② (7月), 2 ②, 3 ③, 4 ④, 5 ⑤ 交流会, 6 ⑥ 見学会, 7 ⑦ serving 6, 8 ⑩ serving 1; rows 4–11


def _columns(data: bytes) -> dict[str, str]:
    ws = openpyxl.load_workbook(io.BytesIO(data))[L.PLAN]
    return {L.cell_label(c.value): c.column_letter for c in ws[3] if c.value}


@pytest.fixture(scope="module")
def kansai(demo_db_master) -> tuple[bytes, planner.Plan]:
    store = planner.open_store(demo_db_master)
    try:
        return plan_workbook(store, "kansai", 2025), store.current("kansai", 2025).plan
    finally:
        store.close()


def test_the_column_holds_the_served_lines_number(kansai):
    data, plan = kansai
    col = _columns(data)["対象行"]
    ws = openpyxl.load_workbook(io.BytesIO(data))[L.PLAN]
    assert [ws[f"{col}{r}"].value for r in range(4, 12)] == [None] * 6 + [6, 1]
    assert read_workbook(data).plan == plan


def test_a_number_typed_names_the_line_and_a_wrong_one_is_refused_at_its_cell(kansai):
    data, plan = kansai
    col = _columns(data)["対象行"]
    read = read_workbook(edit(data, {f"{col}10": "５行目"}))  # the bus now serves the exchange event (⑤)
    assert read.ok and read.plan.lines[6].serves == plan.lines[4].id
    read = read_workbook(edit(data, {f"{col}10": 3}))  # ③ is no line a bus may serve
    [f] = [f for f in read.findings if f.is_error]
    assert (f.code, f.row, f.column) == ("REQUIRES_COMPANION", 10, col) and "③" in f.message_ja
    read = read_workbook(edit(data, {f"{col}10": 99}))
    [f] = [f for f in read.findings if f.is_error]
    assert (f.code, f.row, f.column) == ("SERVES_NOT_A_LINE", 10, col)
    assert "99" in f.message_ja and "番号" in f.message_ja and "no line of the plan" in f.message_en
    read = read_workbook(edit(data, {f"{col}10": "バス"}))
    assert [(f.code, f.column) for f in read.findings if f.is_error] == [("SERVES_NOT_A_LINE", col)]


def test_a_blank_cell_with_lines_to_choose_from_is_a_warning_at_the_cell(kansai):
    data, _ = kansai
    col = _columns(data)["対象行"]
    read = read_workbook(edit(data, {f"{col}10": None}))
    assert read.ok
    [f] = [f for f in read.findings if f.code == "COMPANION_UNCHOSEN"]
    assert (f.severity, f.row, f.column) == ("warning", 10, col) and "5・6 行目" in f.message_ja


def test_a_workbook_made_before_the_column_links_where_one_line_fits(kansai):
    data, plan = kansai
    col = _columns(data)["対象行"]
    wb = openpyxl.load_workbook(io.BytesIO(data))
    wb[L.PLAN].delete_cols(openpyxl.utils.column_index_from_string(col))
    buf = io.BytesIO()
    wb.save(buf)
    read = read_workbook(buf.getvalue())
    assert read.ok
    assert read.plan.lines[6].serves is None  # ⑤ or ⑥: the person is asked
    assert [f.line for f in read.findings if f.code == "COMPANION_UNCHOSEN"] == [7, 8]


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_resaves_and_rows_moved_keep_each_link(kansai, tmp_path: Path):
    data, plan = kansai
    cols = _columns(data)
    # as a person would in LibreOffice: the tour's row (番号 6) is moved to the bottom by swapping rows 9 and
    # 11 whole (番号 and 対象行 go with their rows): the bus's 6 still names the tour, now the 8th row
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb[L.PLAN]
    width = max(openpyxl.utils.column_index_from_string(c) for c in cols.values())
    for c in range(1, width + 1):
        a, b = ws.cell(9, c), ws.cell(11, c)
        if a.data_type != "f" and b.data_type != "f":
            a.value, b.value = b.value, a.value
    ws[f"{cols['対象行']}4"] = "=1+0"  # and a formula where a number belongs is refused (checked apart below)
    buf = io.BytesIO()
    wb.save(buf)
    src = tmp_path / "kansai.xlsx"
    src.write_bytes(buf.getvalue())
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(tmp_path / "out"), str(src)],
                   check=True, capture_output=True, timeout=300)
    read = read_workbook((tmp_path / "out" / "kansai.xlsx").read_bytes())
    assert [(f.code, f.row) for f in read.findings if f.is_error] == [("FORMULA_NOT_ALLOWED", 4)]
    src.write_bytes(edit((tmp_path / "out" / "kansai.xlsx").read_bytes(), {f"{cols['対象行']}4": None}))
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(tmp_path / "out2"), str(src)],
                   check=True, capture_output=True, timeout=300)
    read = read_workbook((tmp_path / "out2" / "kansai.xlsx").read_bytes())
    assert read.ok, [f.message_en for f in read.findings if f.is_error]
    by_id = {ln.id: ln for ln in read.plan.lines}
    bus, venue = by_id[plan.lines[6].id], by_id[plan.lines[7].id]
    assert bus.serves == plan.lines[5].id and venue.serves == plan.lines[0].id
    assert [ln.id for ln in read.plan.lines][5] == plan.lines[7].id  # the venue's row is now 6th
