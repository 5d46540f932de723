"""The workbooks as the contractor prints and edits them, through LibreOffice headless: every printed
page legible (type size measured from the PDF), every title, note, comment and scheduled event whole,
the version on every page, and the sheet's totals the same as planner's after LibreOffice recalculates
(a line typed far down, 「2」 as the menu). Protection, conditional formats, charts and cached values
are in the file and kept through a LibreOffice re-save."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from workbook_support import edit

import planner
from planner.workbook import consolidated_workbook, plan_workbook, read_workbook
from planner.workbook import layout as L

pytestmark = [pytest.mark.libreoffice,
              pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                                 reason="LibreOffice (soffice) or poppler (pdftotext) is not installed")]

# no spaces: a printed word ends at a space, and a cell's text is followed down its left edge (_cell_texts)
LONG_TITLE = ("北海道の中堅・中小企業と外国人留学生との交流会～日本で働く、北海道で働く～"
              "札幌・旭川・函館の三会場をオンラインで結び、企業紹介と個別面談を行う終日のイベント（第{n}回）")
LONG_NOTE = ("会場は駅から徒歩5分。企業ごとに2分間の紹介のあと1時間の交流。"
             "通訳（英語・ベトナム語・中国語）を手配すること。"
             "留学生の参加申込はオンライン受付フォームで行い、定員を超えた場合は先着順とする。" * 3 + "備考おわり{n}")
LONG_COMMENT = ("イベントが2〜3月に集中しています。"
                "合同企業説明会かセミナーの一部を秋（10〜11月）に移して再提出してください。"
                "あわせて、会場の手配（⑩）は説明会と同じ月にまとめ、"
                "移動手段（⑦）は見学会の日程が決まってから追加してください。" * 3 + "コメントおわり")


def soffice(files: list[Path], to: str, outdir: Path, profile: Path) -> None:
    outdir.mkdir(exist_ok=True)
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", to,
                    "--outdir", str(outdir), *map(str, files)], check=True, capture_output=True, timeout=300)


def busy_lines() -> list[planner.Line]:
    """Four events a month from April to July, with long titles and notes."""
    out = []
    for i, month in enumerate((4, 4, 4, 4, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7)):
        item, variant = ((2, "online"), (3, "online"), (4, "online"), (5, "small"))[i % 4]
        out.append(planner.Line(item, variant, 1, month, LONG_TITLE.format(n=i + 1), "札幌", 10, 40, "日本語",
                                LONG_NOTE.format(n=i + 1) if i % 3 == 0 else ""))
    return out


@pytest.fixture(scope="module")
def printed(demo_db_master, tmp_path_factory):
    root = tmp_path_factory.mktemp("print")
    db = root / "print.db"
    shutil.copy(demo_db_master, db)
    s = planner.open_store(db)
    demo_consolidated = consolidated_workbook(s, 2025)  # the demo's 40 lines, as they are
    rec = s.current("hokkaido", 2025)
    s.save(planner.Plan("hokkaido", 2025, busy_lines()), by="secretariat-hokkaido", base_revision=rec.revision)
    rec = s.current("chugoku", 2025)
    s.save(rec.plan, by="secretariat-chugoku", base_revision=rec.revision)
    s.submit("chugoku", 2025, by="secretariat-chugoku")
    s.return_plan("chugoku", 2025, by="officer", comment=LONG_COMMENT)
    books = {cid: plan_workbook(s, cid, 2025) for cid in ("kansai", "hokkaido", "kyushu", "chugoku")}
    books["tohoku2024"] = plan_workbook(s, "tohoku", 2024)
    books["consolidated"] = consolidated_workbook(s, 2025)
    # a line typed far down the sheet, with 「2」 as the menu (and the variant's English name)
    books["kansai_far"] = edit(books["kansai"], {"B150": "2", "C150": "online", "D150": 2, "G150": 9,
                                                 "H150": "追加の説明会", "B151": "④", "C151": "リアル", "D151": 1,
                                                 "G151": 10, "H151": "追加のセミナー"})
    # a line added offline under the others, as a secretariat would in Excel or LibreOffice
    books["kansai_added"] = edit(books["kansai"], {"B12": "②", "C12": "オンライン", "D12": 1, "G12": 9,
                                                   "H12": "オフラインで追加した説明会"})
    books["demo_consolidated"] = demo_consolidated
    books["contractor"] = consolidated_workbook(s.desk("contractor"), 2025)
    books["secretariat"] = consolidated_workbook(s.desk("secretariat-kansai"), 2025)
    records = {r.plan.consortium: r for r in s.plan_records(2025)}
    s.close()
    src = root / "src"
    src.mkdir()
    for name, data in books.items():
        (src / f"{name}.xlsx").write_bytes(data)
    reference = _reference_book(src / "reference.xlsx")
    soffice([src / f"{n}.xlsx" for n in books if n != "kansai_far"] + [reference], "pdf", root / "pdf",
            root / "profile-pdf")
    soffice([src / f"{n}.xlsx" for n in books if n not in ("kansai_added", "contractor", "secretariat",
                                                                              "demo_consolidated")], "xlsx",
            root / "xlsx", root / "profile-xlsx")
    return {"root": root, "books": books, "records": records, "ratio": _glyph_ratio(root / "pdf" / "reference.pdf")}


def _reference_book(path: Path) -> Path:
    """A 10 pt Yu Gothic cell (printed with the same substitute font): the glyph-box height of known type."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "基準の十ポイント"
    ws["A1"].font = openpyxl.styles.Font(name="Yu Gothic", size=10)
    wb.save(path)
    return path


def _words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Every word of every page with its box (pdftotext -bbox)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in out.split("<page ")[1:]:
        words = []
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
                             page):
            words.append((*map(float, m.groups()[:4]), m.group(5)))
        pages.append(words)
    return pages


def _glyph_ratio(pdf: Path) -> float:
    ((x0, y0, x1, y1, _),) = _words(pdf)[0]
    return (y1 - y0) / 10.0


def _size(word, ratio: float) -> float:
    return (word[3] - word[1]) / ratio


def _sheet_of(words, sheets) -> str:
    """The sheet a page is of: the page header names it (&A), in the top margin."""
    top = [w[4] for w in words if w[1] < 45]
    return next((name for name in sheets if name in top), "?")


def _text(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")


# a space between words prints as a gap of about 3.2 pt at 10 pt; the gap between the texts of two
# cells side by side is at least the cells' padding, 4 pt or more
GAP = 3.6


def _cell_texts(pdf: Path) -> str:
    """The text of each printed column, top to bottom, page by page. A printed line is cut into pieces
    where a word starts after a clear gap, or exactly where such a piece starts on another line (a cell's
    left edge: a full line of the cell before may end just short of it); words after an ordinary space
    stay in their piece. A cell's wrapped lines all start at its left edge, so the text of a cell
    printed whole is a contiguous part of its column's text."""
    out = []
    for words in _words(pdf):
        lines: dict[int, list] = {}
        for w in words:
            lines.setdefault(round(w[1] * 2), []).append(w)
        edges: set[int] = set()
        for y, line in lines.items():
            if not 80 < y / 2 < 545:  # the page header and footer, the sheet's title: not cells
                continue
            end = -99.0
            for w in sorted(line):
                if w[0] - end >= GAP:
                    edges.add(round(w[0]))
                end = w[2]
        columns: dict[int, list] = {}
        for y, line in lines.items():
            end, start = -99.0, None
            for w in sorted(line):
                if start is None or w[0] - end >= GAP or round(w[0]) in edges:
                    start = round(w[0])
                columns.setdefault(start, []).append((y, w[0], w[4]))
                end = w[2]
        for _, ws in sorted(columns.items()):
            out.append("".join(text for _, _, text in sorted(ws)))
    return "|".join(out)


def _flat(s: str) -> str:
    return re.sub(r"\s+", "", s)


PLAN_BOOKS = ("kansai", "hokkaido", "kyushu", "chugoku", "tohoku2024")


@pytest.mark.parametrize("name", [*PLAN_BOOKS, "consolidated"])
def test_every_printed_page_is_a4_landscape_with_type_of_8_pt_or_more(printed, name):
    pdf = printed["root"] / "pdf" / f"{name}.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    w, h = (float(x) for x in re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert (round(w), round(h)) == (842, 595)  # A4 landscape
    sheets = L.CONSOLIDATED_SHEETS if name == "consolidated" else L.PLAN_SHEETS
    smallest: dict[str, float] = {}
    for words in _words(pdf):
        sheet = _sheet_of(words, sheets)
        assert sheet != "?"
        size = min(_size(w, printed["ratio"]) for w in words)
        smallest[sheet] = min(size, smallest.get(sheet, 99))
    assert set(smallest) == set(sheets)  # every sheet printed
    assert min(smallest.values()) >= 7.95, smallest


@pytest.mark.parametrize("name", [*PLAN_BOOKS, "consolidated"])
def test_no_text_is_drawn_over_other_text(printed, name):
    """A row too low for its wrapped text shows as lines drawn over the next row's: no two words overlap."""
    for n, words in enumerate(_words(printed["root"] / "pdf" / f"{name}.pdf"), start=1):
        # below the page header and the sheet's title row, whose text LibreOffice clips at the page edge
        words = [w for w in words if w[1] > 75]
        for i, a in enumerate(words):
            for b in words[i + 1:]:
                w = min(a[2], b[2]) - max(a[0], b[0])
                h = min(a[3], b[3]) - max(a[1], b[1])
                if w > 1 and h > 1:
                    small = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
                    assert w * h < 0.15 * small, (name, n, a, b)


def test_titles_notes_and_comments_print_whole(printed):
    text = _flat(_cell_texts(printed["root"] / "pdf" / "hokkaido.pdf"))
    for line in busy_lines():
        assert _flat(line.title) in text
        if line.notes:
            assert _flat(line.notes) in text
    consolidated = _flat(_cell_texts(printed["root"] / "pdf" / "consolidated.pdf"))
    assert _flat(LONG_COMMENT) in consolidated  # 概要: the officer's comment whole
    assert _flat(LONG_COMMENT) in _flat(_cell_texts(printed["root"] / "pdf" / "chugoku.pdf"))  # 表紙
    # the matrix header (centred, wrapped over many lines): every part of ②'s name is printed
    assert all(part in _flat("".join(_text(printed["root"] / "pdf" / "consolidated.pdf")))
               for part in ("ハイブリッド", "合同企業"))


def test_the_schedule_shows_every_event(printed):
    fy = planner.load_fiscal_year(2025)
    schedule = _flat(_cell_texts(printed["root"] / "pdf" / "consolidated.pdf"))
    missing = []
    for cid, rec in printed["records"].items():
        menu = fy.menu_for(cid)
        for ln in rec.plan.lines:
            if ln.cancelled:
                continue
            label = f"{planner.japanese.circled(ln.item)}{menu[ln.item].variant(ln.variant).name_ja}×{ln.quantity}"
            if _flat(f"・{label} {ln.title}") not in schedule:
                missing.append((cid, label, ln.title))
    assert not missing
    assert sum(len(r.plan.lines) for r in printed["records"].values()) > 40  # four events a month in hokkaido


@pytest.mark.parametrize("name", PLAN_BOOKS)
def test_every_page_says_its_version_status_and_consortium(printed, name):
    rec = printed["records"].get(name) if name != "tohoku2024" else None
    status = planner.workflow.STATUS_LABELS[rec.status][0] if rec else "承認済み"
    for page in _text(printed["root"] / "pdf" / f"{name}.pdf"):
        if page.strip():
            head = page.strip().split("\n")[0]
            assert re.search(r"版 \d+・" + status, head) and "コンソーシアム" in head


def test_the_lines_and_empty_rows_under_them_are_printed_not_the_200_input_rows(printed):
    words = _words(printed["root"] / "pdf" / "kansai.pdf")
    plan_pages = [w for w in words if _sheet_of(w, L.PLAN_SHEETS) == L.PLAN]
    assert len(plan_pages) == 2  # eight lines and empty rows to the foot: one page down, two across (after 件名)
    numbers = [w[4] for w in plan_pages[0] if re.fullmatch(r"\d+", w[4]) and w[0] < 80 and w[1] > 90]
    assert numbers == [str(n) for n in range(1, 9)]


def test_a_line_added_offline_under_the_others_prints(printed):
    """Issue 28 item 1: the print area stopped at the exported lines, so a line added offline did not print."""
    pdf = printed["root"] / "pdf" / "kansai_added.pdf"
    pages = [w for w in _words(pdf) if _sheet_of(w, L.PLAN_SHEETS) == L.PLAN]
    assert len(pages) == 2
    assert "オフラインで追加した説明会" in _flat("".join(_text(pdf)))
    assert "オフラインで追加した説明会" not in _flat("".join(_text(printed["root"] / "pdf" / "kansai.pdf")))


def _values(path: Path, sheet: str) -> dict[str, object]:
    wb = openpyxl.load_workbook(path, data_only=True)
    return {c.coordinate: c.value for row in wb[sheet].iter_rows() for c in row if c.value is not None}


def test_a_line_typed_far_down_with_2_as_the_menu_counts_as_in_planner(printed):
    resaved = printed["root"] / "xlsx" / "kansai_far.xlsx"
    read = read_workbook(resaved.read_bytes())
    assert len(read.plan.lines) == 10 and read.line_rows[9] == 150
    assert (read.plan.lines[8].item, read.plan.lines[8].variant) == (2, "online")
    assert not [f for f in read.findings if f.code not in ("BUDGET_EXCEEDED",)]
    used = planner.points(read.plan, read.fiscal)
    assert used == 110 + 24 + 8
    wb = openpyxl.load_workbook(resaved, data_only=True)
    assert wb[L.PLAN]["F150"].value == 24 and wb[L.PLAN]["E150"].value == 12 and wb[L.PLAN]["F2"].value == used
    summary = {r[1].value: r[3].value for r in wb[L.SUMMARY].iter_rows(min_row=4) if r[1].value}
    assert summary["②合同企業説明会の開催（リアル、オンライン、ハイブリッド）"] == 32 + 24
    assert summary["④セミナーの開催（外国人材向け）"] == 16 + 8 and summary[L.TOTAL_LABEL] == used
    cover = {r[0].value: r[1].value for r in wb[L.COVER].iter_rows(min_row=3, max_col=2)}
    assert cover["使用ポイント"] == used and cover["残りポイント"] == 120 - used


@pytest.mark.parametrize("name", [*PLAN_BOOKS, "consolidated"])
def test_cached_values_are_what_libreoffice_computes(printed, name):
    """planner writes each formula's value into the file; LibreOffice, recalculating, gets the same."""
    exported = printed["root"] / "src" / f"{name}.xlsx"
    resaved = printed["root"] / "xlsx" / f"{name}.xlsx"
    formulas = openpyxl.load_workbook(exported)
    cached = openpyxl.load_workbook(exported, data_only=True)
    computed = openpyxl.load_workbook(resaved, data_only=True)
    checked = 0
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type != "f":
                    continue
                mine = cached[ws.title][c.coordinate].value
                theirs = computed[ws.title][c.coordinate].value
                if mine is None:
                    assert theirs in (None, ""), (ws.title, c.coordinate, theirs)
                    continue
                checked += 1
                if isinstance(mine, float) or isinstance(theirs, float):
                    assert theirs == pytest.approx(mine), (ws.title, c.coordinate)
                else:
                    assert theirs == mine, (ws.title, c.coordinate)
    assert checked > 20
    # and a viewer that does not recalculate sees the totals
    if name == "kansai":
        cover = {r[0].value: r[1].value for r in cached[L.COVER].iter_rows(min_row=3, max_col=2)}
        assert cached[L.PLAN]["F2"].value == 110 and cover["使用ポイント"] == 110 and cover["残りポイント"] == 10


@pytest.mark.parametrize("name", ["kansai", "kyushu", "consolidated"])
def test_protection_formats_and_charts_survive_a_libreoffice_resave(printed, name):
    for path in (printed["root"] / "src" / f"{name}.xlsx", printed["root"] / "xlsx" / f"{name}.xlsx"):
        with zipfile.ZipFile(path) as z:
            charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == (2 if name == "consolidated" else 1), path
        wb = openpyxl.load_workbook(path)
        if name == "consolidated":
            assert wb[L.OVERVIEW].conditional_formatting
            continue
        ws = wb[L.PLAN]
        assert ws.protection.sheet and not ws.protection.password
        assert ws["F4"].protection.locked and ws["O4"].protection.locked  # points and 行ID
        accepted = name == "kyushu"
        assert ws["D4"].protection.locked == accepted
        assert ws.column_dimensions["D"].protection.locked == accepted  # the rows under the lines
        assert wb[L.RESULTS].protection.sheet and not wb[L.RESULTS]["E4"].protection.locked
        rules = [r for cf in ws.conditional_formatting for r in cf.rules]
        assert len(rules) >= 2
        assert wb[L.RESULTS].conditional_formatting


def test_the_accepted_plan_is_marked_and_the_draft_over_budget_flagged(printed):
    wb = openpyxl.load_workbook(io.BytesIO(printed["books"]["hokkaido"]), data_only=True)
    assert wb[L.PLAN]["H2"].value < 0  # over budget: the 残り cell has a red format
    ranges = [str(cf.sqref) for cf in wb[L.PLAN].conditional_formatting]
    assert "H2" in ranges and "A4:Q203" in ranges
    assert "承認済み" in openpyxl.load_workbook(io.BytesIO(printed["books"]["kyushu"]))[L.PLAN]["C1"].value
    # the marks are about the plans' statuses in this run's store: kyushu accepted, hokkaido a draft
    assert printed["records"]["kyushu"].status == "accepted" and printed["records"]["hokkaido"].status == "draft"


def test_row_heights_and_the_dependent_variant_list_survive_a_libreoffice_resave(printed):
    """A re-save used to fix unsized rows at 15 pt, cutting wrapped text; the heights set at export stay,
    and LibreOffice keeps the 区分 list that follows the row's item."""
    src = openpyxl.load_workbook(printed["root"] / "src" / "hokkaido.xlsx")[L.PLAN]
    resaved = openpyxl.load_workbook(printed["root"] / "xlsx" / "hokkaido.xlsx")[L.PLAN]
    for r in range(4, 4 + len(busy_lines())):
        assert src.row_dimensions[r].height > 40  # a long title and notes: several lines
        assert resaved.row_dimensions[r].height == pytest.approx(src.row_dimensions[r].height, abs=0.6), r
    formulas = [dv.formula1 for dv in resaved.data_validations.dataValidation if "C4" in str(dv.sqref)]
    assert formulas and "INDIRECT" in formulas[0] and "variants_item" in formulas[0]


def test_the_copies_say_which_plans_their_load_counts(printed):
    """Issue 28 item 5: a copy's 受託者の負荷 says in print which plans it counts."""
    contractor = _flat("".join(_text(printed["root"] / "pdf" / "contractor.pdf")))
    assert "まだ承認されていない計画（北海道・東北・北陸・関西・中国）のイベントは数えていません" in contractor
    secretariat = _flat("".join(_text(printed["root"] / "pdf" / "secretariat.pdf")))
    assert "他のコンソーシアム（合計）" in secretariat and "すべてのコンソーシアムの計画を数えています" in secretariat
    # a copy's table is narrower than the chart under it: the print area still holds the whole chart (it
    # was cut after September; PDF text keeps clipped words, so the area itself is measured)
    for name in ("contractor", "secretariat"):
        ws = openpyxl.load_workbook(io.BytesIO(printed["books"][name]))[L.LOAD]
        last = re.search(r"!\$A\$1:\$([A-Z]+)\$", ws.print_area).group(1)
        px = sum((ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width or 8.43) * 7 + 5
                 for c in range(1, openpyxl.utils.column_index_from_string(last) + 1))
        assert px >= ws._charts[0].width / 2.54 * 96, name


def _chart_series(path: Path) -> dict[str, list[float]]:
    """集計's chart as LibreOffice saved it: {series name: its values by category (計画, 予算)}."""
    with zipfile.ZipFile(path) as z:  # the workbook's one chart (LibreOffice numbers it as it likes)
        (name,) = [n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
        xml = z.read(name).decode("utf-8")
    out = {}
    for ser in re.findall(r"<c:ser>(.*?)</c:ser>", xml, re.S):
        name = re.search(r"<c:tx>.*?<c:v>(.*?)</c:v>", ser, re.S).group(1)
        values = re.search(r"<c:val>.*?<c:numCache>(.*?)</c:numCache>", ser, re.S).group(1)
        out[name] = [float(v) for v in re.findall(r"<c:v>([^<]*)</c:v>", values)]
    cats = re.search(r"<c:cat>.*?</c:cat>", xml, re.S).group(0)
    assert re.findall(r"<c:v>([^<]*)</c:v>", cats) == ["計画", "予算"]
    return out


def test_the_summary_chart_draws_the_budget_so_an_overrun_shows(printed):
    """Issue 28 item 4: the chart stacked the items up to 95 and nothing marked the budget of 90."""
    rec = printed["records"]["hokkaido"]
    fy = planner.load_fiscal_year(2025)
    used, budget = planner.points(rec.plan, fy), fy.budget("hokkaido")
    assert used > budget  # the overrun the chart must show
    series = _chart_series(printed["root"] / "xlsx" / "hokkaido.xlsx")
    assert series["予算"] == [0, budget]
    assert sum(v[0] for name, v in series.items() if name != "残り") == used  # the plan's bar runs past it
    assert series["残り"] == [0, 0]
    kansai = _chart_series(printed["root"] / "xlsx" / "kansai.xlsx")  # within budget: the rest drawn grey
    assert kansai["予算"] == [0, 120] and kansai["残り"] == [10, 0]
    assert sum(v[0] for v in kansai.values()) == 120
    summary = [p for p in _text(printed["root"] / "pdf" / "hokkaido.pdf") if "メニュー別集計" in p]
    assert len(summary) == 1 and "計画" in summary[0] and "予算" in summary[0]


def test_the_plans_findings_are_printed(printed):
    """Issue 28 item 6: the findings of planner check were in the app only."""
    fy = planner.load_fiscal_year(2025)
    hokkaido = _flat(_cell_texts(printed["root"] / "pdf" / "hokkaido.pdf"))
    (overrun,) = [f for f in planner.check(printed["records"]["hokkaido"].plan, fy) if f.code == "BUDGET_EXCEEDED"]
    assert _flat(overrun.message_ja) in hokkaido and "BUDGET_EXCEEDED" in hokkaido
    assert "問題は見つかりませんでした。" in _flat(_cell_texts(printed["root"] / "pdf" / "kansai.pdf"))
    consolidated = _flat(_cell_texts(printed["root"] / "pdf" / "consolidated.pdf"))
    (late,) = [f for f in planner.check(printed["records"]["chugoku"].plan, fy) if f.code == "LATE_CONCENTRATION"]
    assert _flat(late.message_ja) in consolidated and _flat(overrun.message_ja) in consolidated
    # the contractor's copy: the findings of the plans it holds only (九州's, accepted: none)
    contractor = _flat("".join(_text(printed["root"] / "pdf" / "contractor.pdf")))
    assert "問題は見つかりませんでした。" in contractor and "LATE_CONCENTRATION" not in contractor


def test_each_detail_row_can_be_told_on_every_page_and_names_print_whole(printed):
    """Issue 28 item 2: 「北海道コンソーシア／ム」 wrapped in a narrow first column, and the continuation
    pages repeated only コンソーシアム and 番号."""
    pdf = printed["root"] / "pdf" / "demo_consolidated.pdf"
    words = _words(pdf)
    detail = [i for i, w in enumerate(words) if _sheet_of(w, L.CONSOLIDATED_SHEETS) == L.DETAIL]
    texts = _text(pdf)
    # measured: 40 lines print 4 pages down, two across (5 down at 10 pt with メニュー 18 wide, where ② took
    # four lines and several items three)
    assert len(detail) <= 8
    for i in detail:
        page = texts[i]
        assert all(head in page for head in ("コンソーシアム", "番号", "メニュー")), i
        assert page.count("北海道コンソーシア") == page.count("北海道コンソーシアム")  # never broken inside
    fy = planner.load_fiscal_year(2025)
    # the item's name of a row is on both pages of the row: the second page (件名 onwards) shows it too
    second = [texts[i] for i in detail if "備考" in texts[i]]
    assert second and all(any(it.name_ja[:4] in page for it in fy.menu.values()) for page in second)


def _line_starts(words) -> list[str]:
    """Words that start a printed line inside a cell with 「、」 「）」 or 「。」: no word ends just before them."""
    return [w[4] for w in words if w[4][0] in "、）。"
            and not any(abs(o[1] - w[1]) < 1 and 0 <= w[0] - o[2] < 1.0 for o in words if o is not w)]


@pytest.mark.parametrize("name", PLAN_BOOKS)
def test_the_plan_sheet_breaks_no_line_before_a_comma_or_a_closing_bracket(printed, name):
    """Issue 28 item 7: 「（リアル／、オンライン…」 and a lone 「）」 in the メニュー and 区分 columns of 計画, and
    in 実績's メニュー. (A 件名 is the secretariat's own text: LibreOffice, which breaks anywhere rather than by
    kinsoku, may start one of its lines with 「）」 at any width.)"""
    for words in _words(printed["root"] / "pdf" / f"{name}.pdf"):
        sheet = _sheet_of(words, L.PLAN_SHEETS)
        if sheet == L.PLAN:
            assert not _line_starts(words), name
        elif sheet == L.RESULTS:  # メニュー's lines start left of its header's centre, 件名's right of it
            (menu,) = [w for w in words if w[4] == "メニュー"]
            assert not _line_starts([w for w in words if w[0] < (menu[0] + menu[2]) / 2]), name


def test_the_detail_breaks_no_line_before_a_comma_or_a_closing_bracket(printed):
    for words in _words(printed["root"] / "pdf" / "demo_consolidated.pdf"):
        if _sheet_of(words, L.CONSOLIDATED_SHEETS) == L.DETAIL:
            assert not _line_starts(words)


def test_the_results_of_seven_sessions_print_on_one_page_down(printed):
    """Issue 28 item 3: 実績 took 4 pages for 5 events (rows far taller than their text, a lone row on a
    page). Tohoku 2024 has 7 sessions, one with a long 備考: one page down, two across (the second from
    大変満足 on, with 番号・回・メニュー・件名 repeated)."""
    texts = _text(printed["root"] / "pdf" / "tohoku2024.pdf")
    pages = [i for i, words in enumerate(_words(printed["root"] / "pdf" / "tohoku2024.pdf"))
             if _sheet_of(words, L.PLAN_SHEETS) == L.RESULTS]
    assert len(pages) == 2
    for i in pages:
        assert all(head in texts[i] for head in ("番号", "回", "メニュー", "件名")), i
    assert "実施日" in texts[pages[0]] and "備考" in texts[pages[1]]
    assert _flat("実績（受託者記入）") in _flat(texts[pages[0]])  # the title not broken inside a word
