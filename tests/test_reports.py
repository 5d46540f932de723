"""`planner report event` (a PDF page per session, read back with poppler) and `planner report year` (the
results book, read back with openpyxl and recalculated by LibreOffice), their refusals, and the review
app's 計画と実績 showing the book's weighted figures."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from signin_support import signed_in

import planner
from planner.app.review import open_review
from planner.results_summary import WEIGHTING_JA
from planner.workbook import results_book as RB

HELPERS = Path("/work/helpers/reports")
# the seed's second kind of answer: a survey counted by heads, on tohoku's ② of July 2024
COUNTED = dict(line=2, dates=("2024-07-10",), venue="オンライン", companies=5, company_staff=8, students=30,
               members=2, very_satisfied=10, satisfied=5, dissatisfied=5, satisfaction_unit="count")


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planner", *args], capture_output=True, text=True, timeout=120)


def poppler(tool: str, path: Path) -> str:
    return subprocess.run([tool, str(path)], capture_output=True, text=True, check=True, timeout=60).stdout


def pdf_checked(path: Path, pages: int) -> str:
    """The PDF's text, after checking it has `pages` A4 portrait pages and every font embedded."""
    info = poppler("pdfinfo", path)
    assert re.search(rf"^Pages:\s+{pages}$", info, re.M), info
    assert re.search(r"^Page size:\s+595\.\d* x 841\.\d* pts \(A4\)", info, re.M), info
    fonts = poppler("pdffonts", path).splitlines()[2:]
    assert fonts and all(f.split()[-5] == "yes" for f in fonts), fonts  # the emb column
    assert all("NotoSansCJK" in f for f in fonts), fonts
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_the_seed_event_page_is_reproduced_from_the_demo(demo_db, tmp_path):
    out = tmp_path / "tohoku.pdf"
    r = cli("report", "event", "--db", str(demo_db), "--consortium", "tohoku", "--fy", "2024", "--line", "1",
            "-o", str(out))
    assert r.returncode == 0, r.stderr
    text = pdf_checked(out, 1)
    flat = re.sub(r"\s+", "", text)
    for expected in ("地域の中堅・中小企業と外国人留学生との交流会", "令和6年11月19日（火）", "2024年11月19日（火）",
                     "TKPガーデンシティ仙台ホール30B", "参加者計135名", "18社37名", "留学生64名",
                     "コンソーシアム関係者34名", "大変満足", "33%", "67%", "0%", "東北コンソーシアム",
                     "令和6年度", "⑤コミュニケーションイベントの開催", "小規模（10社程度）の交流会"):
        assert expected in flat, expected
    # the seed's 18 companies by prefecture, in the national order (青森 → 福島)
    assert "参加企業（都道府県別、18社）" in flat
    plain = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout)
    order = [plain.index(p) for p in ("青森①", "岩手②", "宮城⑤", "山形⑪", "福島⑰")]  # column by column
    assert order == sorted(order)
    for company in ("フジプラント株式会社", "キオクシア岩手株式会社", "仙台ターミナルビル株式会社", "矢田工業株式会社"):
        assert company in flat
    HELPERS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(out), str(HELPERS / "event_tohoku")], check=True)


def test_a_page_per_session(demo, tmp_path):
    store, _ = demo
    plan = store.current("tohoku", 2024).plan
    seminar = plan.lines[2]  # ③ in person, quantity 2, June 2024
    for session, day, students in ((1, "2024-06-05", 12), (2, "2024-06-26", 20)):
        store.record_result("tohoku", 2024, planner.Result(
            line_id=seminar.id, session=session, dates=(day,), venue="仙台", company_staff=students,
            very_satisfied=50, satisfied=50, dissatisfied=0, satisfaction_unit="percent", students=0),
            by="contractor")
    out = tmp_path / "seminar.pdf"
    r = cli("report", "event", "--db", str(store.path), "--consortium", "tohoku", "--fy", "2024", "--line", "3",
            "-o", str(out))
    assert r.returncode == 0, r.stderr
    text = pdf_checked(out, 2)
    pages = text.split("\f")
    assert "第1回（全2回）" in pages[0] and "令和6年6月5日（水）" in pages[0]
    assert "第2回（全2回）" in pages[1] and "令和6年6月26日（水）" in pages[1]
    assert "満足度は記録されていません" not in text


@pytest.mark.parametrize("args, ja, en", [
    (("--line", "99"), "99 行目はこの計画にありません", "The plan has no line 99"),
    (("--line", "2"), "実績がまだ記録されていない", "has no results recorded yet"),
    (("--line", "1", "--as", "secretariat-kansai"), "ほかのコンソーシアム（tohoku）の計画は閲覧できません",
     "another consortium's plan"),
    # a login nobody registered is said as such, not as the apps' 「ログインしていません」
    (("--line", "1", "--as", "nobody"), "利用者 'nobody' は登録されていません", "User 'nobody' is not registered"),
])
def test_refused_event_reports_write_nothing_and_exit_1(demo_db, tmp_path, args, ja, en):
    out = tmp_path / "x.pdf"
    r = cli("report", "event", "--db", str(demo_db), "--consortium", "tohoku", "--fy", "2024", *args, "-o", str(out))
    assert r.returncode == 1 and not out.exists() and r.stdout == ""
    assert ja in r.stderr and en in r.stderr
    assert "何も書き出していません。 / Nothing was written." in r.stderr


def test_the_year_book_refused_to_a_secretariat_and_usage_is_exit_2(demo_db, tmp_path):
    out = tmp_path / "y.xlsx"
    r = cli("report", "year", "--db", str(demo_db), "--fy", "2024", "--as", "secretariat-tohoku", "-o", str(out))
    assert r.returncode == 1 and not out.exists()
    assert "事務局の権限では年度の実績集計ブックはダウンロードできません" in r.stderr
    assert "A secretariat may not download the year's results book" in r.stderr
    r = cli("report", "event", "--db", str(demo_db), "--consortium", "tohoku", "--fy", "2024", "-o", str(out))
    assert r.returncode == 2 and not out.exists()


def _book_with_two_kinds_of_answers(store, tmp_path) -> Path:
    store.record_result("tohoku", 2024, planner.Result(**COUNTED), by="contractor")
    out = tmp_path / "book.xlsx"
    r = cli("report", "year", "--db", str(store.path), "--fy", "2024", "--as", "contractor", "-o", str(out))
    assert r.returncode == 0, r.stderr
    return out


def _rows(ws) -> dict[str, dict[str, object]]:
    head = [c.value for c in ws[RB.HEADER_ROW]]
    return {row[0]: dict(zip(head, row, strict=False))
            for row in ws.iter_rows(min_row=RB.HEADER_ROW + 1, values_only=True) if row[0]}


def test_the_year_book_holds_the_weighted_figures_and_says_how(demo, tmp_path):
    store, _ = demo
    out = _book_with_two_kinds_of_answers(store, tmp_path)
    wb = openpyxl.load_workbook(out, data_only=True)
    assert wb.sheetnames == list(RB.SHEETS)
    ws = wb[RB.BY_CONSORTIUM]
    assert WEIGHTING_JA in ws["A4"].value
    tohoku = _rows(ws)["東北コンソーシアム"]
    assert (tohoku["計画回数"], tohoku["実施回数"], tohoku["参加者計"]) == (7, 2, 135 + 40)
    assert (tohoku["参加企業数"], tohoku["留学生数"]) == (23, 94)
    # by hand: 33 % and 67 % of 64 students = 21.12 and 42.88, plus the counted 10 / 5 / 5: 84 answered
    assert tohoku["大変満足"] == pytest.approx(31.12 / 84, abs=1e-4)
    assert tohoku["満足"] == pytest.approx(47.88 / 84, abs=1e-4)
    assert tohoku["不満"] == pytest.approx(5 / 84, abs=1e-4)
    items = _rows(wb[RB.BY_ITEM])
    assert items["⑤ コミュニケーションイベントの開催"]["参加者計"] == 135
    assert items["合計"]["実施回数"] == 2
    missing = [r for r in wb[RB.MISSING].iter_rows(min_row=RB.HEADER_ROW + 1, values_only=True) if r[0]]
    assert [(r[1], r[7]) for r in missing] == [(3, 2), (5, 1), (4, 2)]  # June ③ ×2, September ⑥, October ④ ×2
    prefs = [r for r in wb[RB.PREFECTURES].iter_rows(min_row=RB.HEADER_ROW + 1, values_only=True) if r[0]]
    assert prefs[-1][0] == "合計" and prefs[-1][2] == 18
    assert [(r[1], r[2], r[3]) for r in prefs[:-1]] == [("青森", 1, "—"), ("岩手", 3, "○"), ("宮城", 6, "○"),
                                                        ("山形", 6, "○"), ("福島", 2, "—")]
    for ws in wb.worksheets:  # prints on A4, fitted to the width, header repeated, type 9 pt or more
        assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "landscape"  # 9: A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.print_title_rows == f"${RB.HEADER_ROW}:${RB.HEADER_ROW}"
        sizes = {c.font.sz for row in ws.iter_rows() for c in row if c.value is not None}
        assert min(sizes) >= 9, (ws.title, sizes)
    assert len(wb[RB.BY_CONSORTIUM]._charts) == 2 and len(wb[RB.PREFECTURES]._charts) == 1


def test_the_review_apps_figures_are_the_books(demo, tmp_path):
    store, k = demo
    out = _book_with_two_kinds_of_answers(store, tmp_path)
    book = _rows(openpyxl.load_workbook(out, data_only=True)[RB.BY_CONSORTIUM])["東北コンソーシアム"]
    m = open_review(signed_in(store, k["contractor"], "fy=2024"), planner.open_store(store.path))
    m.section = "delivery"
    row = {r["consortium"]: r for r in m.delivery.rows}["tohoku"]
    assert (row["planned"], row["held"], row["participants"]) == (book["計画回数"], book["実施回数"], book["参加者計"])
    # weighted: 37 % very satisfied, 94 % satisfied or better (an average over the events said 42 % and 88 %)
    assert row["very_satisfied"] == round(book["大変満足"] * 100) == 37
    assert row["satisfied"] == round((book["大変満足"] + book["満足"]) * 100) == 94
    assert [(r["no"], r["sessions"]) for r in m.delivery.reports] == [(1, 1), (2, 1)]
    assert m.delivery.reports[0]["href"] == "/report/event?consortium=tohoku&fy=2024&line=1"
    assert m.delivery.results_href == "/report/year?fy=2024"


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_recalculates_the_book_to_planners_figures_and_prints_it(demo, tmp_path):
    store, _ = demo
    out = _book_with_two_kinds_of_answers(store, tmp_path)
    planners = openpyxl.load_workbook(out, data_only=True)
    bare = openpyxl.load_workbook(out)  # saved again by openpyxl: every formula without its value
    src = tmp_path / "src"
    src.mkdir()
    bare.save(src / "book.xlsx")
    (src / "print.xlsx").write_bytes(out.read_bytes())
    profile = (tmp_path / "lo").as_uri()
    for to, name in (("xlsx", "book.xlsx"), ("pdf", "print.xlsx")):
        subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", to,
                        "--outdir", str(tmp_path / to), str(src / name)], check=True, capture_output=True,
                       timeout=300)
    recalculated = openpyxl.load_workbook(tmp_path / "xlsx" / "book.xlsx", data_only=True)
    for sheet in RB.SHEETS:
        a, b = planners[sheet], recalculated[sheet]
        for row in a.iter_rows():
            for c in row:
                if isinstance(c.value, int | float):
                    assert b[c.coordinate].value == pytest.approx(c.value, abs=1e-6), (sheet, c.coordinate)
    pdf = tmp_path / "pdf" / "print.pdf"
    info = poppler("pdfinfo", pdf)
    assert "842 x 595" in info.replace(".89", "").replace(".304", "") or "841.89 x 595.3" in info, info
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert pages >= len(RB.SHEETS)
    # printed at 90 % of its size or more: 「作成日時:」 in 10 pt is 43 pt wide at 100 %, so type of 10 pt
    # prints at 9 pt or more only if it measures 39 pt or more on every page that has it
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True).stdout
    made = r'xMin="([0-9.]+)"[^>]*xMax="([0-9.]+)"[^>]*>作成日時:<'
    widths = [float(b) - float(a) for a, b in re.findall(made, bbox)]
    assert len(widths) >= len(RB.SHEETS) and min(widths) >= 39, widths
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "東北コンソーシアム" in text and "重み付け" in text
    HELPERS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(HELPERS / "results_book")], check=True)
