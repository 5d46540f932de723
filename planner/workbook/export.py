"""The plan workbook: 表紙, 計画, 集計, 実績, 参加企業, メニュー filled into templates/xlsx/plan.xlsx.

Totals are live formulas (an edit in Excel or LibreOffice recomputes) over every row a person can
fill, and they read the menu item the way planner does (②…, 2 or the name), so the sheet and
`planner check` agree on anything planner accepts. Each formula is saved with the value planner
computed (template.set_formula), so a viewer that does not recalculate still shows the totals.
Dropdowns come from a hidden list sheet through defined names (区分 follows the chosen item);
formulas and ids are locked under a password-less sheet protection; conditional formats flag what
planner would refuse. Which plan and revision the file was made from is kept in a hidden sheet so
that reading it back can tell a stale workbook from a current one.

This module assembles the workbook and writes 表紙, 集計, メニュー and the hidden sheet; the 計画 sheet
is planner.workbook.plan_sheet, the 実績 sheet planner.workbook.results_sheet, 参加企業
planner.workbook.companies_sheet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference, Series
from openpyxl.chart.series import SeriesLabel, StrRef
from openpyxl.formatting.rule import CellIsRule
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.worksheet import Worksheet

from ..dates import date_examples, example_date
from ..desk import Desk
from ..errors import NotFound
from ..fiscal_year import FiscalYear, MenuItem
from ..japanese import circled, fiscal_year_label, wareki_time
from ..plan import Plan, is_cancelled
from ..results import Result
from ..rules import check
from ..store import Store
from ..workflow import STATUS_LABELS
from . import layout as L
from .columns import CancelledColumn
from .companies_sheet import companies_sheet
from .findings_sheet import fill_findings
from .plan_sheet import LineValues, line_values, lists, plan_sheet
from .results_sheet import results_sheet
from .sheet_columns import (
    CANCELLED_LABEL,
    ITEM_NO_LABEL,
    item_display,
)
from .template import (
    BAD_FILL,
    BAD_FONT,
    cached_value,
    col_letter,
    fill_placeholders,
    find_header,
    fit_row_heights,
    label_cells,
    load_template,
    protect,
    put,
    set_formula,
    style_rows,
    to_bytes,
)


@dataclass(frozen=True)
class PlanInfo:
    """What the cover shows and the hidden sheet records about the plan a workbook is made from."""

    status: str | None = None  # None: no plan saved yet (a blank form)
    revision: int = 0
    updated_at: str = ""
    updated_by: str = ""  # who saved it, as the cover names them: the display name (plan_workbook fills it)
    comment: str = ""
    results: tuple[Result, ...] = field(default_factory=tuple)


def plan_workbook(source: Desk | Store, consortium: str, fiscal_year: int, templates: Path | None = None) -> bytes:
    """The plan workbook of one consortium and year as .xlsx bytes, as a person's desk may read it
    (AccessDenied), or from the whole store (the CLI, which holds the file). A consortium without a
    saved plan gets a blank form to fill offline.
    """
    fy = source.fiscal_year(fiscal_year)
    if consortium not in fy.consortia:
        raise NotFound(f"コンソーシアム {consortium!r} は{fy.label_ja}のデータにありません"
                       f"（{', '.join(fy.consortia)}）。",
                       f"Consortium {consortium!r} is not in the FY{fiscal_year} data ({', '.join(fy.consortia)}).")
    if isinstance(source, Desk):
        rec = source.find(consortium, fiscal_year)
        results = source.results(consortium, fiscal_year) if rec else []
    else:
        rec = source.current(consortium, fiscal_year)
        results = source.plan_results(consortium, fiscal_year)
    if rec is None:
        plan, info = Plan(consortium, fiscal_year, ()), PlanInfo()
    else:
        plan = rec.plan
        # the cover names people as everywhere else, by display name; the revision keeps the login name
        info = PlanInfo(rec.status, rec.revision, rec.updated_at, source.display_name(rec.updated_by), rec.comment,
                        tuple(results))
    return to_bytes(build_plan_workbook(plan, fy, info, templates))


def build_plan_workbook(plan: Plan, fy: FiscalYear, info: PlanInfo, templates: Path | None = None,
                        now: dt.datetime | None = None) -> Workbook:
    wb = load_template("plan.xlsx", templates)
    cid = plan.consortium
    menu = fy.menu_for(cid)
    cons = fy.consortia[cid]
    now = now or dt.datetime.now().astimezone()

    names = lists(wb, menu)
    _meta(wb, plan, info, now)
    plan_ws = wb[L.PLAN]
    hrow, cols = find_header(plan_ws, "番号")
    first, last_capacity = hrow + 1, hrow + L.MAX_LINES
    computed = [line_values(ln, menu) for ln in plan.lines]
    used_ref, used = plan_sheet(plan_ws, plan, fy, menu, hrow, cols, names, computed,
                                 locked=info.status == "accepted")
    _summary(wb[L.SUMMARY], menu, cols, first, last_capacity, plan, computed, fy.budget(cid), used_ref)
    if L.FINDINGS in wb.sheetnames:  # a template restyled before the sheet existed goes without it
        fill_findings(wb[L.FINDINGS], [(cons.name_ja, f) for f in check(plan, fy)] if plan.lines else [])
    results_sheet(wb[L.RESULTS], plan, menu, info.results)
    if L.COMPANIES in wb.sheetnames:  # a template restyled before the sheet existed goes without it
        companies_sheet(wb[L.COMPANIES], plan, info.results)
    _menu_sheet(wb[L.MENU], menu, fy)
    _cover(wb[L.COVER], fy, cid, info, now, used_ref, used)
    status = STATUS_LABELS[info.status][0] if info.status else "未作成（新規）"
    fill_placeholders(wb, {"consortium": cons.name_ja, "fiscal_year": fiscal_year_label(fy.year),
                           "version": f"版 {info.revision}・{status}", "exported": f"作成 {wareki_time(now)}",
                           "date_examples": date_examples(example_date(fy.year).isoformat(), "ja")})
    wb.active = 0
    return wb


def _meta(wb: Workbook, plan: Plan, info: PlanInfo, now: dt.datetime) -> None:
    ws = wb[L.META]
    rows = [("format", L.FORMAT), ("format_version", L.FORMAT_VERSION), ("consortium", plan.consortium),
            ("fiscal_year", plan.fiscal_year), ("revision", info.revision), ("status", info.status or ""),
            ("exported_at", now.isoformat(timespec="seconds"))]
    for i, (k, v) in enumerate(rows, start=1):
        put(ws.cell(i, 1), k)
        put(ws.cell(i, 2), v)


def _summary(ws: Worksheet, menu: dict[int, MenuItem], plan_cols: dict[str, int], first: int, cap: int,
             plan: Plan, computed: list[LineValues], budget: int | None, used_ref: str) -> None:
    """Points and quantities by item, matched by the item's number (as the points are), the budget and
    what is left, and a chart of points by item stacked against the budget: the plan on one page."""
    hrow, cols = find_header(ws, "番号")
    p = quote_sheetname(L.PLAN)
    key_label = ITEM_NO_LABEL if ITEM_NO_LABEL in plan_cols else "メニュー"
    pc = {k: col_letter(plan_cols, k) for k in (key_label, "数量", "ポイント", CANCELLED_LABEL) if k in plan_cols}
    item_rng = f"{p}!${pc[key_label]}${first}:${pc[key_label]}${cap}"
    # cancelled lines are no longer planned: not counted in the summary
    going = (f',{p}!${pc[CANCELLED_LABEL]}${first}:${pc[CANCELLED_LABEL]}${cap},"<>{CancelledColumn.MARK}"'
             if CANCELLED_LABEL in pc else "")
    s = {label: col_letter(cols, label) for label in cols}
    n = len(menu) + 1
    style_rows(ws, hrow + 1, hrow + 2, hrow + n + 3, max(cols.values()))
    totals = {"数量": 0, "ポイント": 0, "行数": 0}
    # cached values only where every line's formulas were computed here
    exact = all(v.item_no is not None and v.points is not None for v in computed)
    for i, item in enumerate(menu.values(), start=1):
        r = hrow + i
        ws[f"{s['番号']}{r}"] = circled(item.no)
        put(ws[f"{s['メニュー']}{r}"], item_display(item))
        match = str(item.no) if key_label == ITEM_NO_LABEL else f"{s['メニュー']}{r}"
        mine = [(ln, v) for ln, v in zip(plan.lines, computed, strict=True)
                if v.item_no == item.no and not is_cancelled(ln)]
        values = {"数量": sum(ln.quantity for ln, _ in mine
                              if isinstance(ln.quantity, int | float) and not isinstance(ln.quantity, bool)),
                  "ポイント": sum(v.points for _, v in mine if isinstance(v.points, int | float)),
                  "行数": len(mine)}
        for col, src in (("数量", "数量"), ("ポイント", "ポイント")):
            set_formula(ws[f"{s[col]}{r}"],
                        f"=SUMIFS({p}!${pc[src]}${first}:${pc[src]}${cap},{item_rng},{match}{going})",
                        values[col] if exact else None)
        if "行数" in s:
            set_formula(ws[f"{s['行数']}{r}"], f"=COUNTIFS({item_rng},{match}{going})",
                        values["行数"] if exact else None)
        for k in totals:
            totals[k] += values[k]
    total = hrow + n
    put(ws[f"{s['メニュー']}{total}"], L.TOTAL_LABEL)
    for col in ("数量", "ポイント", "行数"):
        if col in s:
            set_formula(ws[f"{s[col]}{total}"], f"=SUM({s[col]}{hrow + 1}:{s[col]}{total - 1})",
                        totals[col] if exact else None)
    pts = s["ポイント"]
    put(ws[f"{s['メニュー']}{total + 1}"], "予算ポイント")
    ws[f"{pts}{total + 1}"] = budget
    put(ws[f"{s['メニュー']}{total + 2}"], "残りポイント")
    set_formula(ws[f"{pts}{total + 2}"], f"={pts}{total + 1}-{pts}{total}",
                budget - totals["ポイント"] if exact and budget is not None else None)
    ws.conditional_formatting.add(f"{pts}{total + 2}", CellIsRule(operator="lessThan", formula=["0"], font=BAD_FONT,
                                                                  fill=BAD_FILL))
    # the chart's last bar segment: what is left of the budget (none when it is used up or exceeded)
    put(ws[f"{s['メニュー']}{total + 3}"], "予算の残り（グラフ用）")
    put(ws[f"{s['番号']}{total + 3}"], "残り")  # the chart's legend names its segments by 番号: ①…⑪, 残り
    set_formula(ws[f"{pts}{total + 3}"], f"=MAX(0,{pts}{total + 2})",
                max(0, budget - totals["ポイント"]) if exact and budget is not None else None)
    fit_row_heights(ws, hrow + 1, total + 3, minimum=18)

    # the chart's two bars, 計画 (stacked by item, then what is left) and 予算, from two columns of their
    # own right of the printed page: the budget drawn as a bar of its own, so an overrun shows as the plan's
    # bar running past it (the chart stacked items against the budget and nothing marked the budget)
    put(ws[f"{s['番号']}{total + 1}"], "予算")
    plan_col, budget_col = max(cols.values()) + 8, max(cols.values()) + 9
    pl, bl = get_column_letter(plan_col), get_column_letter(budget_col)
    put(ws[f"{pl}{hrow}"], "計画")
    put(ws[f"{bl}{hrow}"], "予算")
    series_rows = [*range(hrow + 1, total), total + 3, total + 1]
    for r in series_rows:
        ours = r == total + 1
        value = ws[f"{pts}{r}"].value if ours else None
        set_formula(ws[f"{pl}{r}"], "=0" if ours else f"={pts}{r}", 0 if ours else cached_value(ws[f"{pts}{r}"]))
        set_formula(ws[f"{bl}{r}"], f"={pts}{r}" if ours else "=0", value if ours else 0)
    for col in (pl, bl):
        ws.column_dimensions[col].width = 6

    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = f"ポイントの内訳と予算 {budget if budget is not None else '—'}"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.majorGridlines = None
    chart.y_axis.scaling.min = 0
    categories = Reference(ws, min_col=plan_col, max_col=budget_col, min_row=hrow)
    for r in series_rows:
        label = SeriesLabel(strRef=StrRef(f"{quote_sheetname(ws.title)}!${s['番号']}${r}"))
        series = Series(Reference(ws, min_col=plan_col, max_col=budget_col, min_row=r), title=None)
        series.tx = label
        if r == total + 3:
            series.graphicalProperties.solidFill = "D9D9D9"
        elif r == total + 1:
            series.graphicalProperties.solidFill = "1F4E78"
        chart.series.append(series)
    chart.set_categories(categories)
    chart.legend.position = "b"
    chart.height, chart.width = 11, 12.5
    ws.add_chart(chart, f"{get_column_letter(max(cols.values()) + 1)}3")
    protect(ws)
    ws.print_area = f"A1:{get_column_letter(max(cols.values()) + 6)}{max(total + 3, 24)}"


def _menu_sheet(ws: Worksheet, menu: dict[int, MenuItem], fy: FiscalYear) -> None:
    hrow, cols = find_header(ws, "番号")
    c = {label: col_letter(cols, label) for label in cols}
    rows = [(it, v) for it in menu.values() for v in it.variants]
    style_rows(ws, hrow + 1, hrow + 2, hrow + max(len(rows), 1), max(cols.values()))
    for i, (it, v) in enumerate(rows, start=1):
        r = hrow + i
        values = {"番号": circled(it.no), "メニュー": it.name_ja, "区分": v.name_ja, "区分ID": v.id,
                  "単位": it.unit_ja, "ポイント": v.points,
                  "1単位あたりの概算金額（円）": v.points * fy.yen_per_point if fy.yen_per_point else None}
        for label, value in values.items():
            if label in c:
                put(ws[f"{c[label]}{r}"], value)
    fit_row_heights(ws, hrow + 1, hrow + max(len(rows), 1), minimum=18)
    ws.print_area = f"A1:{get_column_letter(ws.max_column)}{hrow + len(rows)}"


def _cover(ws: Worksheet, fy: FiscalYear, cid: str, info: PlanInfo, now: dt.datetime, used_ref: str,
           used: Any) -> None:
    cells = label_cells(ws, L.COVER_LABELS)
    status = STATUS_LABELS[info.status][0] if info.status else "未作成（新規）"
    values: dict[str, Any] = {
        "consortium": fy.consortia[cid].name_ja,
        "fiscal_year": fiscal_year_label(fy.year),
        "status": status,
        "revision": info.revision,
        "updated": f"{wareki_time(info.updated_at)} {info.updated_by}".strip(),
        "exported": wareki_time(now),
        "budget": fy.budget(cid),
        "yen_per_point": fy.yen_per_point,
        "comment": info.comment,
        "note": ("ポイント・予算・金額は例示値です（年度データ: " + Path(fy.path).name + "）。"
                 if fy.illustrative else ""),
    }
    for key, value in values.items():
        if key in cells:
            put(cells[key], value)
    budget = fy.budget(cid)
    if "used" in cells:
        set_formula(cells["used"], f"={used_ref}", used)
        if "budget" in cells and "left" in cells:
            set_formula(cells["left"], f"={cells['budget'].coordinate}-{cells['used'].coordinate}",
                        budget - used if used is not None and budget is not None else None)
            ws.conditional_formatting.add(cells["left"].coordinate, CellIsRule(
                operator="lessThan", formula=["0"], font=BAD_FONT, fill=BAD_FILL))
        if "cost" in cells and "yen_per_point" in cells:
            y, u = cells["yen_per_point"].coordinate, cells["used"].coordinate
            cost = used * fy.yen_per_point if used is not None and fy.yen_per_point else (
                "" if not fy.yen_per_point else None)
            set_formula(cells["cost"], f'=IF(ISNUMBER({y}),{u}*{y},"")', cost)
    fit_row_heights(ws, 3, ws.max_row, minimum=20)
    protect(ws)
