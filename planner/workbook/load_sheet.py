"""The consolidated workbook's 受託者の負荷 sheet: events per month and consortium against the
contractor's capacity (the numbers of `planner load`), with a native chart: bars stacked by
consortium, the capacity a line. Totals and the over-capacity flag are live formulas.

A person's copy counts what `planner load` counts for that person (Desk.load): the contractor's, the
accepted plans only; a secretariat's, every plan, the other consortia as one column of totals (all the
secretariat app shows of them). The sheet says in words what is counted and what is left out, so a
month of plans not counted never reads as a quiet month."""

from __future__ import annotations

import copy

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..fiscal_year import FiscalYear
from ..japanese import month_label
from ..load import Load
from . import layout as L
from .template import LINE, find_header, lines_needed, put, set_formula

OTHERS = "他のコンソーシアム（合計）"


def fill_load(ws: Worksheet, fy: FiscalYear, load: Load, shown: list[str], note: str) -> None:
    """`load` as counted for the copy's reader; `shown`: the consortia with a column of their own (the
    events of the others that `load` counts go in one column, OTHERS); `note`: what is counted, in words."""
    hrow, cols = find_header(ws, L.LOAD_CORNER)
    corner = cols[L.LOAD_CORNER]
    first = corner + 1  # the template's one consortium column becomes one column a consortium
    ids: list[str | None] = [cid for cid in fy.consortia if cid in shown]
    others = {m.month: m.events - sum(m.by_consortium.get(cid, 0) for cid in shown) for m in load.months}
    if any(others.values()):
        ids.append(None)  # the column of the other consortia's totals
    if note:
        put(ws["A2"], f"{note}{ws['A2'].value or ''}")
    # the styles of the template's columns, taken before anything is moved
    style = {key: (copy.copy(ws.cell(hrow, cols[key])._style), copy.copy(ws.cell(hrow + 1, cols[key])._style),
                   ws.column_dimensions[get_column_letter(cols[key])].width)
             for key in (L.LOAD_CORNER, L.LOAD_TOTAL, L.LOAD_CAPACITY, L.LOAD_OVER)}
    style["consortium"] = (copy.copy(ws.cell(hrow, first)._style), copy.copy(ws.cell(hrow + 1, first)._style),
                           ws.column_dimensions[get_column_letter(first)].width)
    layout = [(L.LOAD_CORNER, corner)] + [("consortium", first + j) for j in range(len(ids))] + [
        (L.LOAD_TOTAL, first + len(ids)), (L.LOAD_CAPACITY, first + len(ids) + 1), (L.LOAD_OVER, first + len(ids) + 2)]
    for key, col in layout:
        head, body, width = style[key]
        ws.cell(hrow, col)._style = copy.copy(head)
        ws.column_dimensions[get_column_letter(col)].width = width
        for i in range(1, len(load.months) + 1):
            ws.cell(hrow + i, col)._style = copy.copy(body)
    for key, col in layout:
        if key != "consortium":
            put(ws.cell(hrow, col), key)
    for j, cid in enumerate(ids):
        put(ws.cell(hrow, first + j), fy.consortia[cid].short_name() if cid else OTHERS)
    total_col, cap_col, over_col = first + len(ids), first + len(ids) + 1, first + len(ids) + 2
    a, b = get_column_letter(first), get_column_letter(total_col - 1)
    t, c = get_column_letter(total_col), get_column_letter(cap_col)
    for i, m in enumerate(load.months, start=1):
        r = hrow + i
        put(ws.cell(r, corner), month_label(m.month))
        for j, cid in enumerate(ids):
            ws.cell(r, first + j).value = m.by_consortium.get(cid, 0) if cid else others[m.month]
        # saved with planner's own figures, so a viewer that does not recalculate shows them too
        set_formula(ws.cell(r, total_col), f"=SUM({a}{r}:{b}{r})", m.events)
        if load.capacity is not None:
            ws.cell(r, cap_col).value = load.capacity
            set_formula(ws.cell(r, over_col), f'=IF({t}{r}>{c}{r},"{L.LOAD_OVER}","")',
                        L.LOAD_OVER if m.over else "")
    last = hrow + len(load.months)
    _note_fits(ws, get_column_letter(over_col))
    bars = BarChart()
    bars.type, bars.grouping, bars.overlap = "col", "stacked", 100
    bars.title = "月別のイベント数（コンソーシアム別）と受託者の上限"
    bars.y_axis.title = "イベント数"
    bars.add_data(Reference(ws, min_col=first, max_col=total_col - 1, min_row=hrow, max_row=last),
                  titles_from_data=True)
    bars.set_categories(Reference(ws, min_col=corner, min_row=hrow + 1, max_row=last))
    if load.capacity is not None:
        line = LineChart()
        line.add_data(Reference(ws, min_col=cap_col, min_row=hrow, max_row=last), titles_from_data=True)
        line.series[0].graphicalProperties.line.solidFill = "C00000"
        line.series[0].graphicalProperties.line.dashStyle = "dash"
        bars += line
    # small enough to print on the same A4 landscape page as the table
    bars.height, bars.width = 7, 22
    ws.add_chart(bars, f"A{last + 2}")
    ws.print_area = f"A1:{get_column_letter(_covering(ws, over_col, bars.width))}{last + 16}"


def _note_fits(ws: Worksheet, last_letter: str) -> None:
    """The note under the title wraps over the table's width, its row as tall as its text."""
    cell = ws["A2"]
    if not isinstance(cell.value, str) or not cell.value:
        return
    width = sum(ws.column_dimensions[get_column_letter(c)].width or 8.43
                for c in range(1, ws[f"{last_letter}1"].column + 1))
    ws.merge_cells(f"A2:{last_letter}2")
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    size = float(cell.font.sz or 11)
    ws.row_dimensions[2].height = round(lines_needed(cell.value, width, size) * size * LINE + 3, 1)


def _covering(ws: Worksheet, last_col: int, width_cm: float) -> int:
    """The last column of a print area as wide as the table and the chart under it: a copy with fewer
    consortia has a narrower table, and the chart was cut at its right edge."""
    px = 0.0
    col = 0
    while col < last_col or px < width_cm / 2.54 * 96:
        col += 1
        px += (ws.column_dimensions[get_column_letter(col)].width or 8.43) * 7 + 5  # Excel's column in pixels
    return col
