"""The 計画 sheet of a plan workbook: a row for each line, with the dropdown lists behind its cells
(a hidden sheet and defined names), the formulas that price each row, the checks shown as colours,
and the lock of an accepted plan."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Border, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from ..fiscal_year import FiscalYear, MenuItem
from ..japanese import CIRCLED, FISCAL_MONTHS
from ..plan import Line, Plan, is_cancelled, is_whole_positive
from ..prefectures import PREFECTURES
from . import layout as L
from .columns import UNIT_LABELS, CancelledColumn
from .sheet_columns import (
    CANCELLED_LABEL,
    ITEM_NO_LABEL,
    PLAN_COLUMNS,
    SERVES_LABEL,
    ItemColumn,
    VariantColumn,
    item_display,
    last_shown_column,
)
from .template import (
    BAD_FILL,
    BAD_FONT,
    LOCKED,
    add_validation,
    col_letter,
    fit_row_heights,
    label_cells,
    protect,
    put,
    set_formula,
    style_rows,
)

SPARE_HEIGHT = 18.0


def spare_rows(ws: Worksheet, hrow: int, heights: list[float]) -> int:
    """How many empty rows fill the last printed page under lines of these heights (at least
    L.SPARE_ROWS_MIN): the rows a line added offline lands in, and prints in. Measured a little short
    (LibreOffice draws rows somewhat taller than stored), so the empty rows never start a page alone."""
    m = ws.page_margins
    titles = sum(ws.row_dimensions[r].height or 15 for r in range(1, hrow + 1))
    room = (L.PAGE_HEIGHT_PT - (m.top + m.bottom) * 72 - titles) * 0.9
    used = 0.0
    for h in heights:
        used = h if used + h > room else used + h
    return max(L.SPARE_ROWS_MIN, int((room - used) // SPARE_HEIGHT))


def _define(wb: Workbook, name: str, sheet: str, ref: str) -> None:
    wb.defined_names[name] = DefinedName(name, attr_text=f"{quote_sheetname(sheet)}!{ref}")


def _variants_name(no: int) -> str:
    return f"variants_item{no}"


def lists(wb: Workbook, menu: dict[int, MenuItem]) -> dict[str, str]:
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
        "M": [no for _, no in item_names], "N": list(menu), "B": list(PREFECTURES)}
    for letter, values in columns.items():
        for i, v in enumerate(values, start=1):
            put(ws[f"{letter}{i}"], v)
    names = {"list_items": ("A", len(items)), "point_keys": ("C", len(keys)), "point_values": ("D", len(keys)),
             "list_variants": ("F", len(variants)), "list_months": ("H", 12), "list_units": ("J", len(UNIT_LABELS)),
             "item_names": ("L", len(item_names)), "item_name_nos": ("M", len(item_names)),
             "item_nos": ("N", len(menu)), "list_prefectures": ("B", len(PREFECTURES))}
    for name, (letter, n) in names.items():
        _define(wb, name, L.LISTS, f"${letter}$1:${letter}${max(n, 1)}")
    for j, it in enumerate(menu.values()):
        letter = get_column_letter(16 + j)
        for i, v in enumerate(it.variants, start=1):
            put(ws[f"{letter}{i}"], v.name_ja)
        _define(wb, _variants_name(it.no), L.LISTS, f"${letter}$1:${letter}${max(len(it.variants), 1)}")
    return {k: k for k in names}


@dataclass(frozen=True)
class LineValues:
    """What the 計画 sheet's formulas compute for a line as exported (None: not known here, left to
    the spreadsheet to compute): the item's number, the points per unit and the line's points."""

    item_no: Any
    unit: Any
    points: Any


def line_values(ln: Line, menu: dict[int, MenuItem]) -> LineValues:
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


def plan_sheet(ws: Worksheet, plan: Plan, fy: FiscalYear, menu: dict[int, MenuItem], hrow: int,
                cols: dict[str, int], names: dict[str, str], computed: list[LineValues],
                locked: bool = False) -> tuple[str, Any]:
    """Fill the 計画 sheet; returns the reference of its used-points cell and the points used.

    Every row a person can fill (MAX_LINES of them, as far as the dropdowns go) has its formulas and
    its unlocked input cells; the rows holding lines and SPARE_ROWS empty ones under them are printed."""
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
    c = {label: col_letter(cols, label) for label in cols}
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
            if col.field and col.field not in ("item", "variant", "serves") and col.label in c:
                put(ws[f"{c[col.label]}{r}"], col.to_cell(getattr(ln, col.field)))
        served = plan.line_index(ln.serves) if ln.serves is not None else None
        if SERVES_LABEL in c and served is not None:  # the served line's 番号; read back as its id
            ws[f"{c[SERVES_LABEL]}{r}"] = served + 1
    if n_lines:
        fit_row_heights(ws, first, first + n_lines - 1, minimum=18)
    # empty rows under the lines, ruled like them, to the foot of the last printed page
    spare = spare_rows(ws, hrow, [ws.row_dimensions[r].height or 15 for r in range(first, first + n_lines)])
    printed = first + n_lines + spare - 1  # the last printed row
    style_rows(ws, first, first + n_lines, printed, ncols)
    for r in range(first + n_lines, printed + 1):
        ws.row_dimensions[r].height = SPARE_HEIGHT

    rng = lambda label: f"{c[label]}{first}:{c[label]}{cap}"  # noqa: E731
    add_validation(ws, rng("メニュー"), "メニュー", "一覧から支援メニュー（①〜⑪）を選んでください。",
                type="list", formula1=names["list_items"])
    if has_no:
        # the 区分 list follows the row's item (Excel and LibreOffice both take INDIRECT of a defined name)
        P0 = f"${c[ITEM_NO_LABEL]}{first}"
        variants = f'INDIRECT(IF(ISNUMBER(MATCH({P0},item_nos,0)),"variants_item"&{P0},"list_variants"))'
    else:
        variants = names["list_variants"]
    add_validation(ws, rng("区分"), "区分", "一覧から区分を選んでください（選んだメニューにある区分）。",
                type="list", formula1=variants)
    add_validation(ws, rng("実施月"), "実施月", "一覧から実施月（4〜3月）を選んでください。",
                type="list", formula1=names["list_months"])
    add_validation(ws, rng("数量"), "数量", "1以上の整数を入れてください。",
                type="whole", operator="greaterThanOrEqual", formula1="1")
    for label in ("想定企業数", "想定留学生数"):
        add_validation(ws, rng(label), label, "0以上の整数を入れてください。",
                    type="whole", operator="greaterThanOrEqual", formula1="0")
    if SERVES_LABEL in c:
        add_validation(ws, rng(SERVES_LABEL), SERVES_LABEL,
                       "⑦（移動手段）・⑩（会場）の行だけ、対象にする行の番号を入れてください。",
                       type="whole", operator="between", formula1="1", formula2=str(L.MAX_LINES))
    if CANCELLED_LABEL in c:
        add_validation(ws, rng(CANCELLED_LABEL), CANCELLED_LABEL, "実施しない行だけ「中止」を選んでください。",
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
    last_col = get_column_letter(last_shown_column(ws, cols))
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
        for row in ws.iter_rows(min_row=1, max_row=printed, max_col=ncols):
            for cell in row:
                cell.protection = LOCKED
        for col in range(1, ncols + 1):
            ws.column_dimensions[get_column_letter(col)].protection = LOCKED
    protect(ws)
    ws.print_area = f"A1:{last_col}{printed}"
    return f"{quote_sheetname(ws.title)}!{cells['used'].coordinate}", (used if exact else None)


