"""The year's results book (実績集計): planned against delivered events and participants by type, by
consortium (コンソーシアム別) and by menu item (メニュー別), satisfaction weighted by the people who
answered (the book says how), the participating companies by prefecture (都道府県別) and the events
whose month is over with sessions unrecorded (未記録). Totals and shares are live formulas, each saved
with the value planner computed; charts; every sheet prints on A4 landscape, fitted to the width,
header rows repeated, type 9 pt or more.

Built with openpyxl directly: its sheets are tables planner fills whole, with nothing for a person to
restyle that a template would keep."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from ..fiscal_year import FiscalYear
from ..japanese import JST, circled, fiscal_year_label, month_label, wareki_time
from ..results_summary import WEIGHTING_JA, Tally, YearFigures
from .template import fit_row_heights, set_formula, to_bytes

FONT = "Yu Gothic"  # as the other workbooks: LibreOffice substitutes Noto Sans CJK JP where it is missing
NAVY = "1F3864"
TITLE = Font(name=FONT, size=14, bold=True, color=NAVY)
HEAD = Font(name=FONT, size=10, bold=True, color="FFFFFF")
BODY = Font(name=FONT, size=10)
BOLD = Font(name=FONT, size=10, bold=True)
NOTE = Font(name=FONT, size=10, color="404040")
HEAD_FILL = PatternFill("solid", fgColor=NAVY)
TOTAL_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

BY_CONSORTIUM, BY_ITEM, PREFECTURES, MISSING = "コンソーシアム別", "メニュー別", "都道府県別", "未記録"
SHEETS = (BY_CONSORTIUM, BY_ITEM, PREFECTURES, MISSING)
# the tallies' columns: (header, width, Tally attribute or None for a formula)
# widths kept so a sheet prints at 90 % or more of its 10 pt on A4 landscape: type 9 pt or more on paper
TALLY_COLUMNS = (
    ("計画回数", 6.5, "planned"), ("実施回数", 6.5, "delivered"), ("実施率", 6.5, None),
    ("参加企業数", 6.5, "companies"), ("企業参加者数", 6.5, "company_staff"), ("留学生数", 6.5, "students"),
    ("コンソーシアム関係者数", 8.5, "members"), ("参加者計", 6.5, None),
    ("回答者 大変満足", 6.5, "very"), ("回答者 満足", 6.5, "sat"), ("回答者 不満", 6.5, "dis"),
    ("大変満足", 6.5, None), ("満足", 6.5, None), ("不満", 6.5, None),
)
HEADER_ROW = 5
PRINTABLE_HEIGHT = (8.27 - 2 * 0.6) * 72 - 30  # A4 landscape in points, less the margins and the footer
Progress = Callable[[float, str], None]


def results_book(figures: YearFigures, fy: FiscalYear, now: dt.datetime | None = None) -> bytes:
    """The book as .xlsx bytes, from figures already read for the person it is for."""
    now = now or dt.datetime.now(tz=JST)
    wb = Workbook()
    wb.remove(wb.active)
    made = wareki_time(now)
    title = f"{fiscal_year_label(fy.year)} 実績集計"
    rows = [(fy.consortia[c].name_ja if c in fy.consortia else c, t) for c, t in figures.by_consortium.items()]
    ws = _tally_sheet(wb, BY_CONSORTIUM, "コンソーシアム", 19, rows, figures.total, title, made)
    _charts(ws, len(rows), "コンソーシアム別")
    items = [(f"{circled(n)} {fy.menu[n].name_ja if n in fy.menu else ''}".strip(), t)
             for n, t in figures.by_item.items()]
    ws = _tally_sheet(wb, BY_ITEM, "メニュー", 22, items, figures.total, title, made)
    _charts(ws, len(items), "メニュー別")
    _prefectures(wb, figures, fy, title, made)
    _missing(wb, figures, fy, title, made)
    return to_bytes(wb)


def _page(ws: Worksheet, columns: int) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as it takes
    ws.page_margins.left = ws.page_margins.right = 0.3
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "&P / &N"
    ws.oddFooter.center.size = 9
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 2)
    ws.sheet_view.zoomScale = 100


def _heading(ws: Worksheet, title: str, subtitle: str, made: str, note: str = "") -> None:
    ws["A1"] = title
    ws["A1"].font = TITLE
    ws["A2"] = subtitle
    ws["A2"].font = BOLD
    ws["A3"] = f"作成日時: {made}（承認済みの計画とその実績）"
    ws["A3"].font = NOTE
    if note:
        ws["A4"] = note
        ws["A4"].font = NOTE


def _header(ws: Worksheet, labels: list[tuple[str, float]]) -> None:
    for col, (label, width) in enumerate(labels, start=1):
        c = ws.cell(HEADER_ROW, col, label)
        c.font, c.fill, c.border = HEAD, HEAD_FILL, BOX
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[HEADER_ROW].height = 30


def _cell(ws: Worksheet, row: int, col: int, value: Any, fmt: str | None = None, total: bool = False) -> Any:
    c = ws.cell(row, col, value)
    c.font, c.border = (BOLD if total else BODY), BOX
    c.alignment = Alignment(vertical="center")
    if fmt:
        c.number_format = fmt
    if total:
        c.fill = TOTAL_FILL
    return c


def _values(t: Tally) -> dict[str, float]:
    s = t.satisfaction
    return {"planned": t.planned, "delivered": t.delivered, "companies": t.companies,
            "company_staff": t.company_staff, "students": t.students, "members": t.members,
            "very": round(s.very_satisfied, 2), "sat": round(s.satisfied, 2), "dis": round(s.dissatisfied, 2)}


def _tally_sheet(wb: Workbook, name: str, first: str, first_width: float, rows: list[tuple[str, Tally]],
                 total: Tally, title: str, made: str) -> Worksheet:
    ws = wb.create_sheet(name)
    _heading(ws, title, f"{name}: 計画と実施（回数は各行の数量＝開催回数、実施は実績の記録された回）", made,
             "満足度: " + WEIGHTING_JA)
    ws["A4"].alignment = Alignment(wrap_text=True, vertical="center")
    ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=len(TALLY_COLUMNS) + 1)
    ws.row_dimensions[4].height = 52
    _header(ws, [(first, first_width), *((h, w) for h, w, _ in TALLY_COLUMNS)])
    col = {h: i for i, (h, _, _) in enumerate(TALLY_COLUMNS, start=2)}
    L = {h: get_column_letter(i) for h, i in col.items()}
    first_row = HEADER_ROW + 1
    last_row = first_row + len(rows) - 1
    total_row = last_row + 1
    for r, (label, t) in enumerate([*rows, ("合計", total)], start=first_row):
        is_total = r == total_row
        _cell(ws, r, 1, label, total=is_total).alignment = Alignment(wrap_text=True, vertical="center")
        v = _values(t)
        for h, _, attr in TALLY_COLUMNS:
            c = col[h]
            if attr is not None:
                fmt = "0.0" if attr in ("very", "sat", "dis") else "#,##0"
                if is_total and rows:
                    cell = _cell(ws, r, c, None, fmt, True)
                    set_formula(cell, f"=SUM({L[h]}{first_row}:{L[h]}{last_row})", v[attr])
                else:
                    _cell(ws, r, c, v[attr], fmt, is_total)
        cell = _cell(ws, r, col["実施率"], None, "0%", is_total)
        rate = t.delivered / t.planned if t.planned else ""
        set_formula(cell, f'=IF({L["計画回数"]}{r}>0,{L["実施回数"]}{r}/{L["計画回数"]}{r},"")', rate)
        cell = _cell(ws, r, col["参加者計"], None, "#,##0", is_total)
        set_formula(cell, f'={L["企業参加者数"]}{r}+{L["留学生数"]}{r}+{L["コンソーシアム関係者数"]}{r}',
                    t.participants)
        answered = f'({L["回答者 大変満足"]}{r}+{L["回答者 満足"]}{r}+{L["回答者 不満"]}{r})'
        for share, people in (("大変満足", "回答者 大変満足"), ("満足", "回答者 満足"), ("不満", "回答者 不満")):
            cell = _cell(ws, r, col[share], None, "0%", is_total)
            value = v[{"回答者 大変満足": "very", "回答者 満足": "sat", "回答者 不満": "dis"}[people]]
            total_answers = v["very"] + v["sat"] + v["dis"]
            set_formula(cell, f'=IF({answered}>0,{L[people]}{r}/{answered},"")',
                        value / total_answers if total_answers > 0 else "")
    if not rows:
        ws.cell(total_row + 1, 1, "承認済みの計画がまだありません。").font = NOTE
    fit_row_heights(ws, HEADER_ROW, total_row)
    s = total.satisfaction
    note_row = total_row + 2
    ws.cell(note_row, 1, "回答者の列は満足度に答えた人数（割合で記録されたイベントは留学生数を掛けた人数）です。"
            + (f"留学生数がなく重み付けできなかったイベント: {s.unweighted}件。" if s.unweighted else "")).font = NOTE
    _page(ws, len(TALLY_COLUMNS) + 1)
    return ws


def _charts(ws: Worksheet, n: int, what: str) -> None:
    """Planned against delivered, and participants by type, under the table."""
    if n == 0:
        return
    first, last = HEADER_ROW + 1, HEADER_ROW + n
    anchor_row = last + 5
    # the charts on the table's page if they fit there, else on the next page whole: a chart cut by the
    # page's edge prints the repeated header row across it
    used = sum(ws.row_dimensions[r].height or 15 for r in range(1, anchor_row))
    if used + 8 / 2.54 * 72 > PRINTABLE_HEIGHT:
        ws.row_breaks.append(Break(id=anchor_row - 2))
    done = BarChart()
    done.type = "bar"
    done.title = f"{what} 計画回数と実施回数"
    for c in (2, 3):
        done.add_data(Reference(ws, min_col=c, min_row=HEADER_ROW, max_row=last), titles_from_data=True)
    done.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    done.y_axis.scaling.min = 0
    done.x_axis.delete = done.y_axis.delete = False
    done.legend.position = "b"
    done.height, done.width = 8, 12
    ws.add_chart(done, f"A{anchor_row}")
    people = BarChart()
    people.type = "bar"
    people.grouping = "stacked"
    people.overlap = 100
    people.title = f"{what} 参加者の内訳"
    for c in (6, 7, 8):
        people.add_data(Reference(ws, min_col=c, min_row=HEADER_ROW, max_row=last), titles_from_data=True)
    people.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    people.y_axis.scaling.min = 0
    people.x_axis.delete = people.y_axis.delete = False
    people.legend.position = "b"
    people.height, people.width = 8, 12
    ws.add_chart(people, f"G{anchor_row}")


def _prefectures(wb: Workbook, figures: YearFigures, fy: FiscalYear, title: str, made: str) -> None:
    ws = wb.create_sheet(PREFECTURES)
    _heading(ws, title, "参加企業の都道府県（実績に記録された参加企業の一覧から）", made,
             "対象県: そのコンソーシアムの主な対象県（年度データ）。対象県以外からの参加も数えています。")
    _header(ws, [("コンソーシアム", 24), ("都道府県", 12), ("参加企業数", 11), ("対象県", 9)])
    r = HEADER_ROW
    for r, p in enumerate(figures.prefectures, start=HEADER_ROW + 1):
        name = fy.consortia[p.consortium].name_ja if p.consortium in fy.consortia else p.consortium
        _cell(ws, r, 1, name)
        _cell(ws, r, 2, p.prefecture or "（不明）")
        _cell(ws, r, 3, p.companies, "#,##0")
        _cell(ws, r, 4, "○" if p.target else "—").alignment = Alignment(horizontal="center")
    if figures.prefectures:
        t = r + 1
        _cell(ws, t, 1, "合計", total=True)
        _cell(ws, t, 2, "", total=True)
        set_formula(_cell(ws, t, 3, None, "#,##0", True), f"=SUM(C{HEADER_ROW + 1}:C{r})",
                    sum(p.companies for p in figures.prefectures))
        _cell(ws, t, 4, "", total=True)
        chart = BarChart()
        chart.type = "bar"
        chart.title = "都道府県別 参加企業数"
        chart.add_data(Reference(ws, min_col=3, min_row=HEADER_ROW, max_row=r), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=2, min_row=HEADER_ROW + 1, max_row=r))
        chart.y_axis.scaling.min = 0
        chart.x_axis.delete = chart.y_axis.delete = False
        chart.legend = None
        chart.height, chart.width = max(6, 0.55 * len(figures.prefectures) + 2), 12
        ws.add_chart(chart, "F5")
    else:
        ws.cell(HEADER_ROW + 1, 1, "参加企業の一覧はまだ記録されていません。").font = NOTE
    _page(ws, 4)


def _missing(wb: Workbook, figures: YearFigures, fy: FiscalYear, title: str, made: str) -> None:
    ws = wb.create_sheet(MISSING)
    day = figures.as_of
    _heading(ws, title, f"実施月が過ぎても実績が記録されていない回（{day.year}年{day.month}月{day.day}日現在）", made)
    _header(ws, [("コンソーシアム", 19), ("番号", 5), ("メニュー", 26), ("件名", 36), ("実施月", 6.5),
                 ("計画回数", 6.5), ("記録済み", 6.5), ("未記録", 6.5)])
    r = HEADER_ROW
    for r, m in enumerate(figures.missing, start=HEADER_ROW + 1):
        menu = fy.menu_for(m.consortium) if m.consortium in fy.consortia else fy.menu
        item = menu.get(m.line.item)
        _cell(ws, r, 1, fy.consortia[m.consortium].name_ja if m.consortium in fy.consortia else m.consortium)
        _cell(ws, r, 2, m.no)
        _cell(ws, r, 3, f"{circled(m.line.item)} {item.name_ja if item else ''}".strip()).alignment = Alignment(
            wrap_text=True, vertical="center")
        _cell(ws, r, 4, str(m.line.title or "")).alignment = Alignment(wrap_text=True, vertical="center")
        _cell(ws, r, 5, month_label(m.line.month))
        _cell(ws, r, 6, m.planned)
        _cell(ws, r, 7, m.recorded)
        set_formula(_cell(ws, r, 8, None, "0"), f"=F{r}-G{r}", m.missing)
    fit_row_heights(ws, HEADER_ROW, r)
    if not figures.missing:
        ws.cell(HEADER_ROW + 1, 1, "未記録の回はありません。").font = NOTE
    _page(ws, 8)
