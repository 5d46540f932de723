"""The plan workbook: 表紙, 計画, 集計, 実績, メニュー filled into templates/xlsx/plan.xlsx.

Totals are live formulas (an edit in Excel or LibreOffice recomputes); dropdowns come from a hidden
list sheet through defined names; which plan and revision the file was made from is kept in a hidden
sheet so that reading it back can tell a stale workbook from a current one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import NotFound
from ..fiscal_year import FiscalYear, MenuItem
from ..japanese import FISCAL_MONTHS, circled, fiscal_year_label, japan_time
from ..plan import Plan
from ..results import Result
from ..store import Store
from ..workflow import STATUS_LABELS
from . import layout as L
from .columns import (
    CANCELLED_LABEL,
    LINE_ID_LABEL,
    PLAN_COLUMNS,
    RESULT_COLUMNS,
    UNIT_LABELS,
    CancelledColumn,
    ItemColumn,
    VariantColumn,
    item_display,
)
from .template import fill_placeholders, find_header, label_cells, load_template, put, style_rows, to_bytes

SPARE_ROWS = 20  # empty, styled rows with formulas under the lines, for lines added in Excel


@dataclass(frozen=True)
class PlanInfo:
    """What the cover shows and the hidden sheet records about the plan a workbook is made from."""

    status: str | None = None  # None: no plan saved yet (a blank form)
    revision: int = 0
    updated_at: str = ""
    updated_by: str = ""
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
        info = PlanInfo(rec.status, rec.revision, rec.updated_at, rec.updated_by, rec.comment, tuple(results))
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
    used_ref = _plan_sheet(plan_ws, plan, fy, menu, hrow, cols, names)
    _summary(wb[L.SUMMARY], menu, cols, first, last_capacity)
    _results_sheet(wb[L.RESULTS], plan, menu, info.results)
    _menu_sheet(wb[L.MENU], menu, fy)
    _cover(wb[L.COVER], fy, cid, info, now, used_ref)
    fill_placeholders(wb, {"consortium": cons.name_ja, "fiscal_year": fiscal_year_label(fy.year)})
    wb.active = 0
    return wb


def _define(wb: Workbook, name: str, sheet: str, ref: str) -> None:
    wb.defined_names[name] = DefinedName(name, attr_text=f"{quote_sheetname(sheet)}!{ref}")


def _lists(wb: Workbook, menu: dict[int, MenuItem]) -> dict[str, str]:
    """The hidden list sheet behind the dropdowns and the points lookup, and its defined names."""
    ws = wb[L.LISTS]
    items = [item_display(it) for it in menu.values()]
    keys = [(f"{item_display(it)}|{v.name_ja}", v.points) for it in menu.values() for v in it.variants]
    variants = list(dict.fromkeys(v.name_ja for it in menu.values() for v in it.variants))
    columns = {"A": items, "C": [k for k, _ in keys], "D": [p for _, p in keys], "F": variants,
               "H": list(FISCAL_MONTHS), "J": list(UNIT_LABELS.values())}
    for letter, values in columns.items():
        for i, v in enumerate(values, start=1):
            put(ws[f"{letter}{i}"], v)
    names = {"list_items": ("A", len(items)), "point_keys": ("C", len(keys)), "point_values": ("D", len(keys)),
             "list_variants": ("F", len(variants)), "list_months": ("H", 12), "list_units": ("J", len(UNIT_LABELS))}
    for name, (letter, n) in names.items():
        _define(wb, name, L.LISTS, f"${letter}$1:${letter}${max(n, 1)}")
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


def _plan_sheet(ws: Worksheet, plan: Plan, fy: FiscalYear, menu: dict[int, MenuItem], hrow: int,
                cols: dict[str, int], names: dict[str, str]) -> str:
    """Fill the 計画 sheet; returns the reference of its used-points cell."""
    first, cap = hrow + 1, hrow + L.MAX_LINES
    n_rows = max(len(plan.lines) + SPARE_ROWS, 1)
    ncols = max(cols.values())
    style_rows(ws, first, first + 1, first + n_rows - 1, ncols)
    c = {label: _col(cols, label) for label in cols}
    item_col, var_col = (col for col in PLAN_COLUMNS if col.field in ("item", "variant"))
    assert isinstance(item_col, ItemColumn) and isinstance(var_col, VariantColumn)
    for i in range(n_rows):
        r = first + i
        B, C, D, E = (f"{c[k]}{r}" for k in ("メニュー", "区分", "数量", "単価ポイント"))
        ws[f"{c['単価ポイント']}{r}"] = (f'=IF(OR({B}="",{C}=""),"",IFERROR(INDEX(point_values,'
                                     f'MATCH({B}&"|"&{C},point_keys,0)),"?"))')
        points = f'IF(AND(ISNUMBER({D}),ISNUMBER({E})),IF(AND({D}>0,{D}=INT({D})),{D}*{E},0),"")'
        if CANCELLED_LABEL in c:  # a cancelled line's points are free, in Excel as in planner
            points = f'IF({c[CANCELLED_LABEL]}{r}="{CancelledColumn.MARK}",0,{points})'
        ws[f"{c['ポイント']}{r}"] = f"={points}"
    for n, ln in enumerate(plan.lines, start=1):
        r = hrow + n
        item = menu.get(ln.item) if isinstance(ln.item, int) and not isinstance(ln.item, bool) else None
        ws[f"{c['番号']}{r}"] = n
        put(ws[f"{c['メニュー']}{r}"], item_col.to_cell(ln.item, menu))
        put(ws[f"{c['区分']}{r}"], var_col.to_cell(ln.variant, item))
        for col in PLAN_COLUMNS:
            if col.field and col.field not in ("item", "variant") and col.label in c:
                put(ws[f"{c[col.label]}{r}"], col.to_cell(getattr(ln, col.field)))

    rng = lambda label: f"{c[label]}{first}:{c[label]}{cap}"  # noqa: E731
    _validation(ws, rng("メニュー"), "メニュー", "一覧から支援メニュー（①〜⑪）を選んでください。",
                type="list", formula1=names["list_items"])
    _validation(ws, rng("区分"), "区分", "一覧から区分を選んでください（選んだメニューにある区分）。",
                type="list", formula1=names["list_variants"])
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
    cells["budget"].value = budget
    cells["used"].value = f"=SUM({c['ポイント']}{first}:{c['ポイント']}{cap})"
    cells["left"].value = f"={cells['budget'].coordinate}-{cells['used'].coordinate}"
    ws.print_area = f"A1:{get_column_letter(_last_shown_column(ws, cols))}{first + n_rows - 1}"
    return f"{quote_sheetname(ws.title)}!{cells['used'].coordinate}"


def _summary(ws: Worksheet, menu: dict[int, MenuItem], plan_cols: dict[str, int], first: int, cap: int) -> None:
    hrow, cols = find_header(ws, "番号")
    p = quote_sheetname(L.PLAN)
    pc = {k: _col(plan_cols, k) for k in ("メニュー", "数量", "ポイント", CANCELLED_LABEL) if k in plan_cols}
    item_rng = f"{p}!${pc['メニュー']}${first}:${pc['メニュー']}${cap}"
    # cancelled lines are no longer planned: not counted in the summary
    going = (f',{p}!${pc[CANCELLED_LABEL]}${first}:${pc[CANCELLED_LABEL]}${cap},"<>{CancelledColumn.MARK}"'
             if CANCELLED_LABEL in pc else "")
    s = {label: _col(cols, label) for label in cols}
    n = len(menu) + 1
    style_rows(ws, hrow + 1, hrow + 2, hrow + n, max(cols.values()))
    for i, item in enumerate(menu.values(), start=1):
        r = hrow + i
        ws[f"{s['番号']}{r}"] = circled(item.no)
        put(ws[f"{s['メニュー']}{r}"], item_display(item))
        label = f"{s['メニュー']}{r}"
        for col, src in (("数量", "数量"), ("ポイント", "ポイント")):
            ws[f"{s[col]}{r}"] = (f"=SUMIFS({p}!${pc[src]}${first}:${pc[src]}${cap},{item_rng},{label}{going})")
        if "行数" in s:
            ws[f"{s['行数']}{r}"] = f"=COUNTIFS({item_rng},{label}{going})"
    total = hrow + n
    put(ws[f"{s['メニュー']}{total}"], L.TOTAL_LABEL)
    for col in ("数量", "ポイント", "行数"):
        if col in s:
            ws[f"{s[col]}{total}"] = f"=SUM({s[col]}{hrow + 1}:{s[col]}{total - 1})"
    ws.print_area = f"A1:{get_column_letter(ws.max_column)}{total}"


def _results_sheet(ws: Worksheet, plan: Plan, menu: dict[int, MenuItem], results: tuple[Result, ...]) -> None:
    """One row a plan line, keyed by the line's id in the hidden 行ID column, with its result if any.
    A result whose line is no longer in the plan (possible only in a store migrated from before lines
    had ids) has no row: the import keeps such results as stored and says so (RESULT_KEPT)."""
    hrow, cols = find_header(ws, "番号")
    c = {label: _col(cols, label) for label in cols}
    by_id = {r.line_id: r for r in results}
    n_rows = max(len(plan.lines), 1)
    style_rows(ws, hrow + 1, hrow + 2, hrow + n_rows, max(cols.values()))
    for n, ln in enumerate(plan.lines, start=1):
        r = hrow + n
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
        ws[f"{c['参加者計']}{r}"] = f'=IF(COUNT({",".join(people)})=0,"",SUM({",".join(people)}))'
    rng = f"{c['満足度の単位']}{hrow + 1}:{c['満足度の単位']}{hrow + L.MAX_LINES}"
    _validation(ws, rng, "満足度の単位", "一覧から「割合（%）」か「人数」を選んでください。",
                type="list", formula1="list_units")
    ws.print_area = f"A1:{get_column_letter(_last_shown_column(ws, cols))}{hrow + n_rows}"


def _last_shown_column(ws: Worksheet, cols: dict[str, int]) -> int:
    """The print area's right edge: the hidden id column is not printed."""
    return max((i for label, i in cols.items() if label != LINE_ID_LABEL), default=ws.max_column)


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
    ws.print_area = f"A1:{get_column_letter(ws.max_column)}{hrow + len(rows)}"


def _cover(ws: Worksheet, fy: FiscalYear, cid: str, info: PlanInfo, now: dt.datetime, used_ref: str) -> None:
    cells = label_cells(ws, L.COVER_LABELS)
    status = STATUS_LABELS[info.status][0] if info.status else "未作成（新規）"
    values: dict[str, Any] = {
        "consortium": fy.consortia[cid].name_ja,
        "fiscal_year": fiscal_year_label(fy.year),
        "status": status,
        "revision": info.revision,
        "updated": f"{japan_time(info.updated_at)} {info.updated_by}".strip(),
        "exported": japan_time(now),
        "budget": fy.budget(cid),
        "yen_per_point": fy.yen_per_point,
        "comment": info.comment,
        "note": ("ポイント・予算・金額は例示値です（年度データ: " + Path(fy.path).name + "）。"
                 if fy.illustrative else ""),
    }
    for key, value in values.items():
        if key in cells:
            put(cells[key], value)
    if "used" in cells:
        cells["used"].value = f"={used_ref}"
        if "budget" in cells and "left" in cells:
            cells["left"].value = f"={cells['budget'].coordinate}-{cells['used'].coordinate}"
        if "cost" in cells and "yen_per_point" in cells:
            y, u = cells["yen_per_point"].coordinate, cells["used"].coordinate
            cells["cost"].value = f'=IF(ISNUMBER({y}),{u}*{y},"")'
