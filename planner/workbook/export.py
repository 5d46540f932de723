"""The plan workbook: 表紙, 計画, 集計, 実績, メニュー filled into templates/xlsx/plan.xlsx.

Totals are live formulas (an edit in Excel or LibreOffice recomputes) over every row a person can
fill, and they read the menu item the way planner does (②…, 2 or the name), so the sheet and
`planner check` agree on anything planner accepts. Each formula is saved with the value planner
computed (template.set_formula), so a viewer that does not recalculate still shows the totals.
Dropdowns come from a hidden list sheet through defined names (区分 follows the chosen item);
formulas and ids are locked under a password-less sheet protection; conditional formats flag what
planner would refuse. Which plan and revision the file was made from is kept in a hidden sheet so
that reading it back can tell a stale workbook from a current one.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference, Series
from openpyxl.chart.series import SeriesLabel, StrRef
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Border, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..dates import date_examples, example_date
from ..errors import NotFound
from ..fiscal_year import FiscalYear, MenuItem
from ..japanese import CIRCLED, FISCAL_MONTHS, circled, fiscal_year_label, wareki_time
from ..plan import Line, Plan, is_cancelled, is_whole_positive
from ..results import Result, event_lines
from ..store import Store
from ..workflow import STATUS_LABELS
from . import layout as L
from .columns import UNIT_LABELS, CancelledColumn
from .sheet_columns import (
    CANCELLED_LABEL,
    ITEM_NO_LABEL,
    LINE_ID_LABEL,
    PLAN_COLUMNS,
    RESULT_COLUMNS,
    ItemColumn,
    VariantColumn,
    item_display,
)
from .template import (
    BAD_FILL,
    BAD_FONT,
    LOCKED,
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


def plan_workbook(store: Store, consortium: str, fiscal_year: int, by: str | None = None,
                  templates: Path | None = None) -> bytes:
    """The plan workbook of one consortium and year as .xlsx bytes.

    by=None is the CLI, which holds the store file; with `by`, the user's read access is checked
    (AccessDenied). A consortium without a saved plan gets a blank form to fill offline.
    """
    fy = store.fiscal_year(fiscal_year)
    if consortium not in fy.consortia:
        raise NotFound(f"コンソーシアム {consortium!r} は{fy.label_ja}のデータにありません"
                       f"（{', '.join(fy.consortia)}）。",
                       f"Consortium {consortium!r} is not in the FY{fiscal_year} data ({', '.join(fy.consortia)}).")
    if by is None:
        rec = store.current(consortium, fiscal_year)
        results = [r for c, _, r in store.all_results(fiscal_year) if c == consortium] if rec else []
    else:
        rec = store.find(consortium, fiscal_year, by=by)
        results = store.results(consortium, fiscal_year, by=by) if rec else []
    if rec is None:
        plan, info = Plan(consortium, fiscal_year, ()), PlanInfo()
    else:
        plan = rec.plan
        # the cover names people as everywhere else, by display name; the revision keeps the login name
        info = PlanInfo(rec.status, rec.revision, rec.updated_at, store.display_name(rec.updated_by), rec.comment,
                        tuple(results))
    return to_bytes(build_plan_workbook(plan, fy, info, templates))


def _col(cols: dict[str, int], label: str) -> str:
    return get_column_letter(cols[label])


def build_plan_workbook(plan: Plan, fy: FiscalYear, info: PlanInfo, templates: Path | None = None,
                        now: dt.datetime | None = None) -> Workbook:
    wb = load_template("plan.xlsx", templates)
    cid = plan.consortium
    menu = fy.menu_for(cid)
    cons = fy.consortia[cid]
    now = now or dt.datetime.now().astimezone()

    names = _lists(wb, menu)
    _meta(wb, plan, info, now)
    plan_ws = wb[L.PLAN]
    hrow, cols = find_header(plan_ws, "番号")
    first, last_capacity = hrow + 1, hrow + L.MAX_LINES
    computed = [_line_values(ln, menu) for ln in plan.lines]
    used_ref, used = _plan_sheet(plan_ws, plan, fy, menu, hrow, cols, names, computed,
                                 locked=info.status == "accepted")
    _summary(wb[L.SUMMARY], menu, cols, first, last_capacity, plan, computed, fy.budget(cid), used_ref)
    _results_sheet(wb[L.RESULTS], plan, menu, info.results)
    _menu_sheet(wb[L.MENU], menu, fy)
    _cover(wb[L.COVER], fy, cid, info, now, used_ref, used)
    status = STATUS_LABELS[info.status][0] if info.status else "未作成（新規）"
    fill_placeholders(wb, {"consortium": cons.name_ja, "fiscal_year": fiscal_year_label(fy.year),
                           "version": f"版 {info.revision}・{status}", "exported": f"作成 {wareki_time(now)}",
                           "date_examples": date_examples(example_date(fy.year).isoformat(), "ja")})
    wb.active = 0
    return wb


def _define(wb: Workbook, name: str, sheet: str, ref: str) -> None:
    wb.defined_names[name] = DefinedName(name, attr_text=f"{quote_sheetname(sheet)}!{ref}")


def _variants_name(no: int) -> str:
    return f"variants_item{no}"


def _lists(wb: Workbook, menu: dict[int, MenuItem]) -> dict[str, str]:
    """The hidden list sheet behind the dropdowns and the points lookup, and its defined names.

    The points are looked up by the item's number and the variant as typed: its Japanese name (what
    the dropdown offers), its id or its English name, all of which planner accepts. Each item has its
    own list of variants (variants_itemN), which the 区分 dropdown picks by the row's item."""
    ws = wb[L.LISTS]
    items = [item_display(it) for it in menu.values()]
    keys: list[tuple[str, int]] = []
    for it in menu.values():
        for v in it.variants:
            for name in dict.fromkeys((v.name_ja, v.id, v.name_en)):
                keys.append((f"{it.no}|{name}", v.points))
    variants = list(dict.fromkeys(v.name_ja for it in menu.values() for v in it.variants))
    item_names = [(it.name_ja, it.no) for it in menu.values()] + [(it.name_en, it.no) for it in menu.values()]
    columns: dict[str, list[Any]] = {
        "A": items, "C": [k for k, _ in keys], "D": [p for _, p in keys], "F": variants,
        "H": list(FISCAL_MONTHS), "J": list(UNIT_LABELS.values()), "L": [n for n, _ in item_names],
        "M": [no for _, no in item_names], "N": list(menu)}
    for letter, values in columns.items():
        for i, v in enumerate(values, start=1):
            put(ws[f"{letter}{i}"], v)
    names = {"list_items": ("A", len(items)), "point_keys": ("C", len(keys)), "point_values": ("D", len(keys)),
             "list_variants": ("F", len(variants)), "list_months": ("H", 12), "list_units": ("J", len(UNIT_LABELS)),
             "item_names": ("L", len(item_names)), "item_name_nos": ("M", len(item_names)),
             "item_nos": ("N", len(menu))}
    for name, (letter, n) in names.items():
        _define(wb, name, L.LISTS, f"${letter}$1:${letter}${max(n, 1)}")
    for j, it in enumerate(menu.values()):
        letter = get_column_letter(16 + j)
        for i, v in enumerate(it.variants, start=1):
            put(ws[f"{letter}{i}"], v.name_ja)
        _define(wb, _variants_name(it.no), L.LISTS, f"${letter}$1:${letter}${max(len(it.variants), 1)}")
    return {k: k for k in names}


def _meta(wb: Workbook, plan: Plan, info: PlanInfo, now: dt.datetime) -> None:
    ws = wb[L.META]
    rows = [("format", L.FORMAT), ("format_version", L.FORMAT_VERSION), ("consortium", plan.consortium),
            ("fiscal_year", plan.fiscal_year), ("revision", info.revision), ("status", info.status or ""),
            ("exported_at", now.isoformat(timespec="seconds"))]
    for i, (k, v) in enumerate(rows, start=1):
        put(ws.cell(i, 1), k)
        put(ws.cell(i, 2), v)


def _validation(ws: Worksheet, rng: str, title_ja: str, message_ja: str, **kw: Any) -> None:
    dv = DataValidation(showErrorMessage=True, errorStyle="stop", errorTitle=title_ja, error=message_ja,
                        allow_blank=True, **kw)
    dv.add(rng)
    ws.add_data_validation(dv)


@dataclass(frozen=True)
class LineValues:
    """What the 計画 sheet's formulas compute for a line as exported (None: not known here, left to
    the spreadsheet to compute): the item's number, the points per unit and the line's points."""

    item_no: Any
    unit: Any
    points: Any


def _line_values(ln: Line, menu: dict[int, MenuItem]) -> LineValues:
    """The formulas' results for a line, computed as the formulas compute them."""
    known = isinstance(ln.item, int) and not isinstance(ln.item, bool)
    item = menu.get(ln.item) if known else None
    if ln.item is None or ln.item == "":
        item_no: Any = ""
    else:
        item_no = ln.item if known else None
    var = item.variant(ln.variant) if item else None
    if item_no == "" or ln.variant in (None, ""):
        unit: Any = ""
    elif var is not None:
        unit = var.points
    elif item is not None or known:
        unit = "?"
    else:
        unit = None
    q = ln.quantity
    if is_cancelled(ln):
        points: Any = 0
    elif unit is None:
        points = None
    elif isinstance(q, int | float) and not isinstance(q, bool) and isinstance(unit, int):
        points = q * unit if is_whole_positive(q) else 0
        points = int(points) if float(points).is_integer() else points
    else:
        points = ""
    return LineValues(item_no, unit, points)


def _plan_sheet(ws: Worksheet, plan: Plan, fy: FiscalYear, menu: dict[int, MenuItem], hrow: int,
                cols: dict[str, int], names: dict[str, str], computed: list[LineValues],
                locked: bool = False) -> tuple[str, Any]:
    """Fill the 計画 sheet; returns the reference of its used-points cell and the points used.

    Every row a person can fill (MAX_LINES of them, as far as the dropdowns go) has its formulas and
    its unlocked input cells; only the rows holding lines are printed."""
    first, cap = hrow + 1, hrow + L.MAX_LINES
    n_lines = len(plan.lines)
    ncols = max(cols.values())
    style_rows(ws, first, first + 1, first + max(n_lines, 1) - 1, ncols)
    # The rows under the lines take their look and their unlocked input cells from column styles,
    # which Excel and LibreOffice apply to cells a file does not hold: 200 rows of empty styled cells
    # would make the file and its export several times slower. Only their formulas are cells.
    styles = {col: ws.cell(first, col)._style for col in range(1, ncols + 1)}
    for col, style in styles.items():
        dim = ws.column_dimensions[get_column_letter(col)]
        dim._style = copy.copy(style)
        dim.border, dim.fill = Border(), PatternFill()  # a column style reaches the title rows too: no grid there
    c = {label: _col(cols, label) for label in cols}
    item_col, var_col = (col for col in PLAN_COLUMNS if col.field in ("item", "variant"))
    assert isinstance(item_col, ItemColumn) and isinstance(var_col, VariantColumn)
    circled_all = CIRCLED
    has_no = ITEM_NO_LABEL in c
    for i in range(L.MAX_LINES):
        r = first + i
        v = computed[i] if i < n_lines else LineValues("", "", "")
        B, C, D = (f"{c[k]}{r}" for k in ("メニュー", "区分", "数量"))
        if has_no:
            # the item's number as planner reads the cell: a number, ②…, 2…, or the item's name
            P = f"{c[ITEM_NO_LABEL]}{r}"
            set_formula(ws[P], f'=IF({B}="","",IF(ISNUMBER({B}),{B},IFERROR(FIND(LEFT({B},1),"{circled_all}"),'
                               f'IFERROR(VALUE(ASC(LEFT({B},2))),IFERROR(VALUE(ASC(LEFT({B},1))),'
                               f'IFERROR(INDEX(item_name_nos,MATCH(TRIM({B}),item_names,0)),"?"))))))', v.item_no)
            key = f'{P}&"|"&TRIM({C})'
        else:
            key = f'{B}&"|"&{C}'
        E = f"{c['単価ポイント']}{r}"
        set_formula(ws[E], f'=IF(OR({B}="",{C}=""),"",IFERROR(INDEX(point_values,MATCH({key},point_keys,0)),"?"))',
                    v.unit)
        points = f'IF(AND(ISNUMBER({D}),ISNUMBER({E})),IF(AND({D}>0,{D}=INT({D})),{D}*{E},0),"")'
        if CANCELLED_LABEL in c:  # a cancelled line's points are free, in Excel as in planner
            points = f'IF({c[CANCELLED_LABEL]}{r}="{CancelledColumn.MARK}",0,{points})'
        set_formula(ws[f"{c['ポイント']}{r}"], f"={points}", v.points)
        if i >= n_lines:
            for label in (ITEM_NO_LABEL, "単価ポイント", "ポイント"):
                if label in cols:
                    ws.cell(r, cols[label])._style = copy.copy(styles[cols[label]])
    for n, ln in enumerate(plan.lines, start=1):
        r = hrow + n
        item = menu.get(ln.item) if isinstance(ln.item, int) and not isinstance(ln.item, bool) else None
        ws[f"{c['番号']}{r}"] = n
        put(ws[f"{c['メニュー']}{r}"], item_col.to_cell(ln.item, menu))
        put(ws[f"{c['区分']}{r}"], var_col.to_cell(ln.variant, item))
        for col in PLAN_COLUMNS:
            if col.field and col.field not in ("item", "variant") and col.label in c:
                put(ws[f"{c[col.label]}{r}"], col.to_cell(getattr(ln, col.field)))
    if n_lines:
        fit_row_heights(ws, first, first + n_lines - 1, minimum=18)

    rng = lambda label: f"{c[label]}{first}:{c[label]}{cap}"  # noqa: E731
    _validation(ws, rng("メニュー"), "メニュー", "一覧から支援メニュー（①〜⑪）を選んでください。",
                type="list", formula1=names["list_items"])
    if has_no:
        # the 区分 list follows the row's item (Excel and LibreOffice both take INDIRECT of a defined name)
        P0 = f"${c[ITEM_NO_LABEL]}{first}"
        variants = f'INDIRECT(IF(ISNUMBER(MATCH({P0},item_nos,0)),"variants_item"&{P0},"list_variants"))'
    else:
        variants = names["list_variants"]
    _validation(ws, rng("区分"), "区分", "一覧から区分を選んでください（選んだメニューにある区分）。",
                type="list", formula1=variants)
    _validation(ws, rng("実施月"), "実施月", "一覧から実施月（4〜3月）を選んでください。",
                type="list", formula1=names["list_months"])
    _validation(ws, rng("数量"), "数量", "1以上の整数を入れてください。",
                type="whole", operator="greaterThanOrEqual", formula1="1")
    for label in ("想定企業数", "想定留学生数"):
        _validation(ws, rng(label), label, "0以上の整数を入れてください。",
                    type="whole", operator="greaterThanOrEqual", formula1="0")
    if CANCELLED_LABEL in c:
        _validation(ws, rng(CANCELLED_LABEL), CANCELLED_LABEL, "実施しない行だけ「中止」を選んでください。",
                    type="list", formula1=f'"{CancelledColumn.MARK}"')

    cells = label_cells(ws, L.PLAN_SUMMARY_LABELS, max_row=hrow - 1)
    budget = fy.budget(plan.consortium)
    used = sum(v.points for v in computed if isinstance(v.points, int | float))
    exact = all(v.points is not None for v in computed)
    cells["budget"].value = budget
    set_formula(cells["used"], f"=SUM({c['ポイント']}{first}:{c['ポイント']}{cap})", used if exact else None)
    set_formula(cells["left"], f"={cells['budget'].coordinate}-{cells['used'].coordinate}",
                budget - used if exact and budget is not None else None)

    # a line that breaks a rule planner checks cell by cell, shown before anyone runs a check
    last_col = get_column_letter(_last_shown_column(ws, cols))
    r0 = first
    checks = [f'${c["区分"]}{r0}=""', f'${c["単価ポイント"]}{r0}="?"',
              f'AND(${c["数量"]}{r0}<>"",OR(NOT(ISNUMBER(${c["数量"]}{r0})),${c["数量"]}{r0}<1,'
              f'${c["数量"]}{r0}<>INT(${c["数量"]}{r0})))', f'${c["数量"]}{r0}=""',
              f'ISNA(MATCH(IFERROR(VALUE(SUBSTITUTE(${c["実施月"]}{r0},"月","")),${c["実施月"]}{r0}),list_months,0))']
    if has_no:
        checks.insert(0, f'${c[ITEM_NO_LABEL]}{r0}="?"')
    rule = f'AND(${c["メニュー"]}{r0}<>"",IFERROR(OR({",".join(checks)}),TRUE))'
    ws.conditional_formatting.add(f"A{first}:{last_col}{cap}", FormulaRule(formula=[rule], fill=BAD_FILL))
    for key in ("left",):
        ws.conditional_formatting.add(cells[key].coordinate,
                                      CellIsRule(operator="lessThan", formula=["0"], font=BAD_FONT, fill=BAD_FILL))

    if locked:  # an accepted plan is read-only until an officer reopens it: so is its 計画 sheet
        for row in ws.iter_rows(min_row=1, max_row=first + max(n_lines, 1) - 1, max_col=ncols):
            for cell in row:
                cell.protection = LOCKED
        for col in range(1, ncols + 1):
            ws.column_dimensions[get_column_letter(col)].protection = LOCKED
    protect(ws)
    ws.print_area = f"A1:{last_col}{first + max(n_lines, 1) - 1}"
    return f"{quote_sheetname(ws.title)}!{cells['used'].coordinate}", (used if exact else None)


def _summary(ws: Worksheet, menu: dict[int, MenuItem], plan_cols: dict[str, int], first: int, cap: int,
             plan: Plan, computed: list[LineValues], budget: int | None, used_ref: str) -> None:
    """Points and quantities by item, matched by the item's number (as the points are), the budget and
    what is left, and a chart of points by item stacked against the budget: the plan on one page."""
    hrow, cols = find_header(ws, "番号")
    p = quote_sheetname(L.PLAN)
    key_label = ITEM_NO_LABEL if ITEM_NO_LABEL in plan_cols else "メニュー"
    pc = {k: _col(plan_cols, k) for k in (key_label, "数量", "ポイント", CANCELLED_LABEL) if k in plan_cols}
    item_rng = f"{p}!${pc[key_label]}${first}:${pc[key_label]}${cap}"
    # cancelled lines are no longer planned: not counted in the summary
    going = (f',{p}!${pc[CANCELLED_LABEL]}${first}:${pc[CANCELLED_LABEL]}${cap},"<>{CancelledColumn.MARK}"'
             if CANCELLED_LABEL in pc else "")
    s = {label: _col(cols, label) for label in cols}
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

    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = f"ポイントの内訳と予算 {budget if budget is not None else '—'}"
    chart.x_axis.delete = True
    chart.y_axis.delete = False
    chart.y_axis.majorGridlines = None
    pcol = cols["ポイント"]
    for r in [*range(hrow + 1, total), total + 3]:
        label = SeriesLabel(strRef=StrRef(f"{quote_sheetname(ws.title)}!${s['番号']}${r}"))
        series = Series(Reference(ws, min_col=pcol, min_row=r), title=None)
        series.tx = label
        if r == total + 3:
            series.graphicalProperties.solidFill = "D9D9D9"
        chart.series.append(series)
    chart.legend.position = "b"
    chart.height, chart.width = 11, 12.5
    ws.add_chart(chart, f"{get_column_letter(max(cols.values()) + 1)}3")
    protect(ws)
    ws.print_area = f"A1:{get_column_letter(max(cols.values()) + 6)}{max(total + 3, 24)}"


def _results_sheet(ws: Worksheet, plan: Plan, menu: dict[int, MenuItem], results: tuple[Result, ...]) -> None:
    """A row for each line a result is recorded for (the events ①–⑥ that go ahead, results.event_lines)
    and for each line that has a result (one cancelled since keeps it), keyed by the line's id in the
    hidden 行ID column; 番号 is the line's number on 計画. A result whose line is no longer in the plan
    (possible only in a store migrated from before lines had ids) has no row: the import keeps such
    results as stored and says so (RESULT_KEPT)."""
    hrow, cols = find_header(ws, "番号")
    c = {label: _col(cols, label) for label in cols}
    by_id = {r.line_id: r for r in results}
    takes = {ln.id for _, ln in event_lines(plan, menu)}
    shown = [(n, ln) for n, ln in enumerate(plan.lines, start=1) if ln.id in takes or ln.id in by_id]
    n_rows = max(len(shown), 1)
    style_rows(ws, hrow + 1, hrow + 2, hrow + n_rows, max(cols.values()))
    for r, (n, ln) in enumerate(shown, start=hrow + 1):
        ws[f"{c['番号']}{r}"] = n
        if LINE_ID_LABEL in c:
            put(ws[f"{c[LINE_ID_LABEL]}{r}"], ln.id)
        item = menu.get(ln.item) if isinstance(ln.item, int) else None
        put(ws[f"{c['メニュー']}{r}"], item_display(item) if item else ln.item)
        put(ws[f"{c['件名']}{r}"], ln.title)
        res = by_id.get(ln.id)
        if res is not None:
            for col in RESULT_COLUMNS:
                if col.field and col.field not in ("line", "line_id") and col.label in c:
                    put(ws[f"{c[col.label]}{r}"], col.to_cell(getattr(res, col.field)))
        people = [f"{c[k]}{r}" for k in ("企業参加者数", "留学生数", "コンソーシアム関係者数")]
        counts = [getattr(res, f) for f in ("company_staff", "students", "members")] if res else []
        numbers = [x for x in counts if isinstance(x, int | float) and not isinstance(x, bool)]
        set_formula(ws[f"{c['参加者計']}{r}"], f'=IF(COUNT({",".join(people)})=0,"",SUM({",".join(people)}))',
                    sum(numbers) if numbers else "")
    last = hrow + n_rows
    rng = f"{c['満足度の単位']}{hrow + 1}:{c['満足度の単位']}{hrow + L.MAX_LINES}"
    _validation(ws, rng, "満足度の単位", "一覧から「割合（%）」か「人数」を選んでください。",
                type="list", formula1="list_units")
    fit_row_heights(ws, hrow + 1, last, minimum=18)
    fy = plan.fiscal_year if isinstance(plan.fiscal_year, int) else None
    if fy and "実施日" in c:  # a date typed outside the fiscal year
        d = f"${c['実施日']}{hrow + 1}"
        ws.conditional_formatting.add(f"{c['実施日']}{hrow + 1}:{c['実施日']}{last}", FormulaRule(
            formula=[f"AND(ISNUMBER({d}),OR({d}<DATE({fy},4,1),{d}>DATE({fy + 1},3,31)))"], fill=BAD_FILL,
            font=BAD_FONT))
    if all(k in c for k in ("大変満足", "不満", "満足度の単位")):
        # shares that do not add up to 100 % (an Excel percentage, 0.4, counts as 40)
        a, b, u = f"${c['大変満足']}{hrow + 1}", f"${c['不満']}{hrow + 1}", f"${c['満足度の単位']}{hrow + 1}"
        total = f"SUM({a}:{b})"
        rule = (f'AND(OR({u}="{UNIT_LABELS["percent"]}",{u}=""),COUNT({a}:{b})>0,'
                f"ABS({total}*IF({total}<=1.0001,100,1)-100)>0.05)")
        ws.conditional_formatting.add(f"{c['大変満足']}{hrow + 1}:{c['不満']}{last}",
                                      FormulaRule(formula=[rule], fill=BAD_FILL, font=BAD_FONT))
    protect(ws)
    ws.print_area = f"A1:{get_column_letter(_last_shown_column(ws, cols))}{last}"


def _last_shown_column(ws: Worksheet, cols: dict[str, int]) -> int:
    """The print area's right edge: the hidden columns (line id, item number) are not printed."""
    return max((i for label, i in cols.items() if label not in (LINE_ID_LABEL, ITEM_NO_LABEL)), default=ws.max_column)


def _menu_sheet(ws: Worksheet, menu: dict[int, MenuItem], fy: FiscalYear) -> None:
    hrow, cols = find_header(ws, "番号")
    c = {label: _col(cols, label) for label in cols}
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
