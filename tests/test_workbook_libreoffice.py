"""Through LibreOffice headless: every demo plan re-saved reads back to exactly the same plan, edits
recompute, and the PDF prints A4 landscape with Japanese text. One conversion per kind for the module."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

import planner
from planner.demo import PLANS_2025
from planner.workbook import consolidated_workbook, plan_workbook, read_workbook
from planner.workbook import layout as L

pytestmark = [pytest.mark.libreoffice,
              pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")]


def soffice(files: list[Path], to: str, outdir: Path, profile: Path) -> None:
    outdir.mkdir(exist_ok=True)
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", to,
                    "--outdir", str(outdir), *map(str, files)], check=True, capture_output=True, timeout=300)


@pytest.fixture(scope="module")
def lo(demo_db_master, tmp_path_factory):
    root = tmp_path_factory.mktemp("lo")
    src = root / "src"
    src.mkdir()
    s = planner.open_store(demo_db_master)
    originals = {cid: plan_workbook(s, cid, 2025) for cid in PLANS_2025}
    originals["tohoku2024"] = plan_workbook(s, "tohoku", 2024)
    wb = openpyxl.load_workbook(io.BytesIO(originals["kansai"]))
    wb[L.PLAN]["D4"] = 2  # 110 + 20 = 130 points
    buf = io.BytesIO()
    wb.save(buf)
    originals["kansai_edited"] = buf.getvalue()
    wb = openpyxl.load_workbook(io.BytesIO(originals["kansai"]))
    (cancel,) = [c.column_letter for c in wb[L.PLAN][3] if c.value == "中止"]
    wb[L.PLAN][f"{cancel}4"] = "中止"  # line 1, ② in person, 20 points: 110 - 20 = 90
    buf = io.BytesIO()
    wb.save(buf)
    originals["kansai_cancelled"] = buf.getvalue()
    originals["consolidated"] = consolidated_workbook(s, 2025)
    plans = {cid: s.current(cid, 2025) for cid in PLANS_2025}
    tohoku2024 = (s.current("tohoku", 2024), s.results("tohoku", 2024, by="officer"))
    s.close()
    for name, data in originals.items():
        (src / f"{name}.xlsx").write_bytes(data)
    files = sorted(src.glob("*.xlsx"))
    soffice(files, "xlsx", root / "xlsx", root / "profile-xlsx")
    soffice([src / "kansai.xlsx", src / "consolidated.xlsx"], "pdf", root / "pdf", root / "profile-pdf")
    return {"root": root, "originals": originals, "plans": plans, "tohoku2024": tohoku2024}


@pytest.mark.parametrize("cid", sorted(PLANS_2025))
def test_resaved_by_libreoffice_reads_back_to_the_same_plan(lo, cid):
    data = (lo["root"] / "xlsx" / f"{cid}.xlsx").read_bytes()
    assert data != lo["originals"][cid]  # LibreOffice did rewrite the file
    read = read_workbook(data)
    assert read.plan == lo["plans"][cid].plan
    assert read.meta.revision == lo["plans"][cid].revision
    before = [(f.code, f.sheet, f.row, f.column) for f in read_workbook(lo["originals"][cid]).findings]
    assert [(f.code, f.sheet, f.row, f.column) for f in read.findings] == before


def test_results_survive_libreoffice(lo):
    read = read_workbook((lo["root"] / "xlsx" / "tohoku2024.xlsx").read_bytes())
    rec, results = lo["tohoku2024"]
    assert read.plan == rec.plan and read.results == results


def test_edits_recompute_in_libreoffice(lo):
    wb = openpyxl.load_workbook(lo["root"] / "xlsx" / "kansai_edited.xlsx", data_only=True)
    assert wb[L.PLAN]["F4"].value == 40 and wb[L.PLAN]["F2"].value == 130 and wb[L.PLAN]["H2"].value == -10
    cover = {r[0].value: r[1].value for r in wb[L.COVER].iter_rows(min_row=3, max_col=2)}
    assert cover["使用ポイント"] == 130 and cover["残りポイント"] == -10 and cover["概算金額（円）"] == 13_000_000
    summary = {r[1].value: (r[2].value, r[3].value) for r in wb[L.SUMMARY].iter_rows(min_row=4) if r[1].value}
    assert summary["②合同企業説明会の開催（リアル、オンライン、ハイブリッド）"] == (3, 52)
    assert summary["合計"][1] == 130
    assert "BUDGET_EXCEEDED" in [f.code for f in read_workbook(
        (lo["root"] / "xlsx" / "kansai_edited.xlsx").read_bytes()).findings]


def test_a_cancelled_line_frees_its_points_in_libreoffice(lo):
    wb = openpyxl.load_workbook(lo["root"] / "xlsx" / "kansai_cancelled.xlsx", data_only=True)
    assert wb[L.PLAN]["F4"].value == 0 and wb[L.PLAN]["F2"].value == 90
    summary = {r[1].value: (r[2].value, r[3].value) for r in wb[L.SUMMARY].iter_rows(min_row=4) if r[1].value}
    assert summary["②合同企業説明会の開催（リアル、オンライン、ハイブリッド）"] == (1, 12)
    read = read_workbook((lo["root"] / "xlsx" / "kansai_cancelled.xlsx").read_bytes())
    assert read.plan.lines[0].cancelled is True and planner.points(read.plan, read.fiscal) == 90


def test_consolidated_recomputes_in_libreoffice(lo):
    wb = openpyxl.load_workbook(lo["root"] / "xlsx" / "consolidated.xlsx", data_only=True)
    fy = planner.load_fiscal_year(2025)
    used = {r[0].value: r[5].value for r in wb[L.OVERVIEW].iter_rows(min_row=4) if r[0].value}
    for cid, rec in lo["plans"].items():
        assert used[fy.consortia[cid].name_ja] == planner.points(rec.plan, fy)
    points = {r[0].value: r[-1].value for r in wb[L.POINTS].iter_rows(min_row=4) if r[0].value}
    assert points["合計"] == sum(planner.points(r.plan, fy) for r in lo["plans"].values())


def test_pdf_is_a4_landscape_with_japanese_text(lo):
    pdf = lo["root"] / "pdf" / "kansai.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page size"))
    w, h = (float(x) for x in size.split(":")[1].split("pts")[0].split(" x "))
    assert (round(w), round(h)) == (842, 595)  # A4 landscape
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "2", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "関西コンソーシアム" in text and "令和7年度" in text and "合同企業説明会" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "CJK" in fonts or "Gothic" in fonts
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(pdf), str(pdf.with_suffix(""))],
                   check=True)
    png = next(pdf.parent.glob("kansai*.png"))
    assert png.stat().st_size > 5000
    assert "A4" in subprocess.run(["pdfinfo", str(lo["root"] / "pdf" / "consolidated.pdf")],
                                  capture_output=True, text=True).stdout
