"""Hostile files: each is refused with a finding, the store is unchanged, in seconds, with bounded
memory. The corpus is generated here from a real exported workbook."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from workbook_support import edit

import planner
from planner.workbook import import_workbook, plan_workbook
from planner.workbook import layout as L

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">\
<si><t>&lol3;</t></si></sst>"""


LAUGHS_HEAD = BILLION_LAUGHS.split(b"<sst")[0].split(b"?>", 1)[1]


def rezip(data: bytes, replace: dict[str, bytes | None] | None = None, add: dict[str, bytes] | None = None,
          compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", compression) as dst:
        for info in src.infolist():
            if info.filename in replace:
                if replace[info.filename] is not None:
                    dst.writestr(info.filename, replace[info.filename])
            else:
                dst.writestr(info.filename, src.read(info.filename))
        for name, content in (add or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


def part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name)


def sheet_part(data: bytes, sheet: str) -> str:
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    index = wb.sheetnames.index(sheet) + 1
    wb.close()
    return f"xl/worksheets/sheet{index}.xml"


def many_rows(data: bytes, n: int) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb[L.PLAN]
    for r in range(4, 4 + n):
        ws.cell(r, 8, "x")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def corpus(base: bytes) -> dict[str, tuple[bytes, str]]:
    """name -> (file bytes, the error code it must get)."""
    plan_part = sheet_part(base, L.PLAN)
    types = part(base, "[Content_Types].xml")
    with zipfile.ZipFile(io.BytesIO(base)) as z:
        names = set(z.namelist())
    sheet_xml = part(base, plan_part)
    rows_100k = many_rows(base, 100_000)
    no_dimension = rezip(rows_100k, {plan_part: re.sub(rb"<dimension[^>]*/>", b"", part(rows_100k, plan_part))})
    other_year = edit(base, {"B4": 2023}, sheet=L.META)
    other_cons = edit(base, {"B3": "tohoku"}, sheet=L.META)
    return {
        "empty": (b"", "NOT_A_WORKBOOK"),
        "text": (b"consortium,fiscal_year\nkansai,2025\n" * 50, "NOT_A_WORKBOOK"),
        "truncated": (base[: len(base) // 2], "NOT_A_WORKBOOK"),
        "renamed_xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096), "NOT_A_WORKBOOK"),
        "docx_like_zip": (rezip(base, {"xl/workbook.xml": None}), "NOT_A_WORKBOOK"),
        "xlsm_vba_part": (rezip(base, add={"xl/vbaProject.bin": os.urandom(2048)}), "MACRO_WORKBOOK"),
        "xlsm_content_type": (rezip(base, {"[Content_Types].xml": types.replace(
            b"sheet.main+xml", b"sheet.macroEnabled.main+xml")}), "MACRO_WORKBOOK"),
        "zip_bomb_size": (rezip(base, add={"xl/media/bomb.bin": bytes(45 * 1024 * 1024)}), "UNSAFE_CONTENT"),
        "zip_bomb_ratio": (rezip(base, {plan_part: sheet_xml + b"<!--" + b" " * (8 * 1024 * 1024) + b"-->"}),
                           "UNSAFE_CONTENT"),
        "billion_laughs": (rezip(base, {"xl/sharedStrings.xml": BILLION_LAUGHS}, add=(
            {} if "xl/sharedStrings.xml" in names else {"xl/sharedStrings.xml": BILLION_LAUGHS})),
                           "UNSAFE_CONTENT"),
        "billion_laughs_in_sheet": (rezip(base, {plan_part: LAUGHS_HEAD + sheet_xml}), "UNSAFE_CONTENT"),
        "external_entity": (rezip(base, {"xl/workbook.xml": b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                                         + part(base, "xl/workbook.xml")}), "UNSAFE_CONTENT"),
        "utf16_doctype": (rezip(base, {plan_part: (b'<?xml version="1.0" encoding="UTF-16"?>'
                                                   + LAUGHS_HEAD + sheet_xml).decode().encode("utf-16")}),
                          "UNSAFE_CONTENT"),
        "over_10_mb": (rezip(base, add={"xl/media/image1.png": os.urandom(11 * 1024 * 1024)},
                             compression=zipfile.ZIP_STORED), "FILE_TOO_LARGE"),
        "forged_dimension": (rezip(base, {plan_part: re.sub(rb'<dimension ref="[^"]*"',
                                                            b'<dimension ref="A1:XFD1048576"', sheet_xml)}),
                             "TOO_MANY_ROWS"),
        "impossible_dimension": (rezip(base, {plan_part: re.sub(rb'<dimension ref="[^"]*"',
                                                                b'<dimension ref="A1:ZZZZ99999999"', sheet_xml)}),
                                 "UNSAFE_CONTENT"),
        "rows_100k": (rows_100k, "TOO_MANY_ROWS"),
        "rows_100k_no_dimension": (no_dimension, "TOO_MANY_ROWS"),
        "formula_in_value": (edit(base, {"D4": "=1+1"}), "FORMULA_NOT_ALLOWED"),
        "control_character": (edit(base, {"H4": "説明会_x001B_[31m"}), "CONTROL_CHARACTER"),
        "text_over_1000": (edit(base, {"M4": "長" * 1001}), "TEXT_TOO_LONG"),
        "missing_meta": (_without_sheet(base, L.META), "MISSING_SHEET"),
        "other_fiscal_year": (other_year, "WRONG_FISCAL_YEAR"),
        "other_consortium": (other_cons, "ACCESS_DENIED"),
    }


def _without_sheet(data: bytes, name: str) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    del wb[name]
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def hostile(demo_db_master, tmp_path_factory):
    s = planner.open_store(demo_db_master)
    base = plan_workbook(s, "kansai", 2025)
    s.close()
    files = corpus(base)
    folder = tmp_path_factory.mktemp("hostile")
    for name, (data, _) in files.items():
        (folder / f"{name}.xlsx").write_bytes(data)
    return files, folder


def snapshot(store) -> list:
    return [store.db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in ("plans", "revisions", "results")]


NAMES = ["empty", "text", "truncated", "renamed_xls", "docx_like_zip", "xlsm_vba_part", "xlsm_content_type",
         "zip_bomb_size", "zip_bomb_ratio", "billion_laughs", "billion_laughs_in_sheet",
         "external_entity", "utf16_doctype", "over_10_mb",
         "forged_dimension", "impossible_dimension", "rows_100k", "rows_100k_no_dimension", "formula_in_value",
         "control_character", "text_over_1000", "missing_meta", "other_fiscal_year", "other_consortium"]


@pytest.mark.parametrize("name", NAMES)
def test_hostile_file_is_refused_quickly_and_changes_nothing(hostile, demo_db, name):
    files, _ = hostile
    data, code = files[name]
    store = planner.open_store(demo_db)
    before = snapshot(store)
    t = time.perf_counter()
    out = import_workbook(store.desk("secretariat-kansai"), data)
    elapsed = time.perf_counter() - t
    assert out.revision is None
    assert code in [f.code for f in out.findings if f.is_error], out.findings
    assert all(f.message_ja and f.message_en for f in out.findings)
    assert snapshot(store) == before
    assert elapsed < 3, f"{name} took {elapsed:.1f}s"
    store.close()


def test_every_corpus_file_is_tested(hostile):
    assert set(hostile[0]) == set(NAMES)


def test_defusedxml_guards_openpyxl_too(hostile):
    """Even past our scan, openpyxl (with defusedxml installed) refuses entity declarations."""
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML
    files, _ = hostile
    with pytest.raises(Exception) as exc:
        openpyxl.load_workbook(io.BytesIO(files["billion_laughs_in_sheet"][0]))
    chain, e = [], exc.value
    while e is not None:
        chain.append(type(e).__name__)
        e = e.__cause__ or e.__context__
    assert any("Forbidden" in name for name in chain), chain


def test_check_cli_reads_no_more_than_the_limit(hostile, capsys):
    from planner.cli import main

    _, folder = hostile
    assert main(["check", str(folder / "over_10_mb.xlsx"), "--format", "json"]) == 1
    assert [f["code"] for f in json.loads(capsys.readouterr().out)] == ["FILE_TOO_LARGE"]


def test_memory_stays_bounded_over_the_whole_corpus(hostile):
    """One fresh process reads every hostile file; its peak resident memory stays small."""
    _, folder = hostile
    script = (
        "import json, sys, pathlib\n"
        "from planner.workbook import read_workbook\n"
        "codes = {}\n"
        "for p in sorted(pathlib.Path(sys.argv[1]).glob('*.xlsx')):\n"
        "    codes[p.stem] = sorted({f.code for f in read_workbook(p.read_bytes()).findings if f.is_error})\n"
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forking parent (pytest, hundreds of MB
        # late in the suite) through exec, while VmHWM is this process's own peak
        "hwm = [ln for ln in open('/proc/self/status') if ln.startswith('VmHWM:')][0].split()[1]\n"
        "print(json.dumps({'rss_mb': int(hwm) / 1024, 'codes': codes}))\n"
    )
    res = subprocess.run([sys.executable, "-c", script, str(folder)], capture_output=True, text=True, timeout=120,
                         cwd=Path(__file__).resolve().parents[1])
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert all(out["codes"][name] for name in NAMES if name not in ("other_consortium",))
    assert out["rss_mb"] < 400, out
