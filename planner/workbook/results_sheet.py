"""The 実績 sheet of a plan workbook: a row for each line a result is recorded for, written from the
stored results and read back into Results, each problem placed on its cell."""

from __future__ import annotations

from typing import Any

from openpyxl.formatting.rule import FormulaRule
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..findings import Finding
from ..fiscal_year import MenuItem
from ..numbers import read_number
from ..plan import Plan
from ..results import Result, attach, check_result, event_lines, sessions_of
from . import layout as L
from .columns import UNIT_LABELS, Raw, Where, plan_line_words, sheet_rows
from .safety import MAX_SHEET_ROWS
from .sheet_columns import LINE_ID_LABEL, RESULT_COLUMNS, item_display, last_shown_column
from .template import (
    BAD_FILL,
    BAD_FONT,
    TEXT_FILL,
    TEXT_FONT,
    add_validation,
    col_letter,
    find_header,
    fit_row_heights,
    protect,
    put,
    set_formula,
    style_rows,
)

SESSION_LABEL = "回"
PEOPLE_LABELS = ("企業参加者数", "留学生数", "コンソーシアム関係者数")
COUNT_LABELS = ("参加企業数", *PEOPLE_LABELS)
# what a count typed as text may carry around its digits and still be read (planner.numbers reads more)
_TEXT_UNITS = ("名", "人", "社")
MAX_RESULT_ROWS = 1000  # rows the sheet's validations and formats cover: every session of every line


def count_term(ref: str) -> str:
    """A count cell as the sheet's totals take it, as planner reads it: a number, or text such as
    「37名」 or full-width 「６０」 (ASC makes full-width digits plain; the units are dropped). Text that is
    no number counts 0 here and is refused by planner (NOT_A_NUMBER)."""
    text = f"ASC(TRIM({ref}))"
    for unit in _TEXT_UNITS:
        text = f'SUBSTITUTE({text},"{unit}","")'
    return f"IF(ISNUMBER({ref}),{ref},IFERROR(VALUE({text}),0))"


def session_rows(plan: Plan, menu: dict[int, MenuItem], results: tuple[Result, ...]
                 ) -> list[tuple[int, Any, int, Result | None]]:
    """The sheet's rows: (番号, line, 回, its result or None): every session (1 … quantity) of each event
    line that goes ahead, and every stored result (a session of a line cancelled since, or beyond a
    quantity lowered since, keeps its row)."""
    by_key = {r.key: r for r in results}
    takes = {ln.id for _, ln in event_lines(plan, menu)}
    out = []
    for n, ln in enumerate(plan.lines, start=1):
        sessions = set(range(1, sessions_of(ln) + 1)) if ln.id in takes else set()
        sessions |= {k for (line_id, k) in by_key if line_id == ln.id and isinstance(k, int)}
        out += [(n, ln, k, by_key.get((ln.id, k))) for k in sorted(sessions)]
    return out


def results_sheet(ws: Worksheet, plan: Plan, menu: dict[int, MenuItem], results: tuple[Result, ...]) -> None:
    """A row for each session of each line a result is recorded for (the events ①–⑥ that go ahead,
    results.event_lines; a line of quantity 2 has rows 回 1 and 2) and for each stored result (a line
    cancelled since keeps its rows), keyed by the line's id in the hidden 行ID column and the 回; 番号 is
    the line's number on 計画. A result whose line is no longer in the plan (possible only in a store
    migrated from before lines had ids) has no row: the import keeps such results as stored and says so
    (RESULT_KEPT). Counts are whole numbers (validation); one typed as text is counted by the totals as
    planner reads it and flagged, and `planner check` says what it read."""
    hrow, cols = find_header(ws, "番号")
    c = {label: col_letter(cols, label) for label in cols}
    shown = session_rows(plan, menu, results)
    n_rows = max(len(shown), 1)
    style_rows(ws, hrow + 1, hrow + 2, hrow + n_rows, max(cols.values()))
    for r, (n, ln, k, res) in enumerate(shown, start=hrow + 1):
        ws[f"{c['番号']}{r}"] = n
        if SESSION_LABEL in c:
            ws[f"{c[SESSION_LABEL]}{r}"] = k
        if LINE_ID_LABEL in c:
            put(ws[f"{c[LINE_ID_LABEL]}{r}"], ln.id)
        item = menu.get(ln.item) if isinstance(ln.item, int) else None
        put(ws[f"{c['メニュー']}{r}"], item_display(item) if item else ln.item)
        put(ws[f"{c['件名']}{r}"], ln.title)
        if res is not None:
            for col in RESULT_COLUMNS:
                if col.field and col.field not in ("line", "line_id", "session") and col.label in c:
                    put(ws[f"{c[col.label]}{r}"], col.to_cell(getattr(res, col.field)))
        people = [f"{c[k]}{r}" for k in PEOPLE_LABELS]
        counts = [getattr(res, f) for f in ("company_staff", "students", "members")] if res else []
        numbers = [x for x in counts if isinstance(x, int | float) and not isinstance(x, bool)]
        total = "+".join(count_term(p) for p in people)
        set_formula(ws[f"{c['参加者計']}{r}"], f'=IF(COUNTA({",".join(people)})=0,"",{total})',
                    sum(numbers) if numbers else "")
    last = hrow + n_rows
    rng = f"{c['満足度の単位']}{hrow + 1}:{c['満足度の単位']}{hrow + MAX_RESULT_ROWS}"
    add_validation(ws, rng, "満足度の単位", "一覧から「割合（%）」か「人数」を選んでください。",
                type="list", formula1="list_units")
    counts_present = [k for k in COUNT_LABELS if k in c]
    if counts_present:
        ranges = " ".join(f"{c[k]}{hrow + 1}:{c[k]}{hrow + MAX_RESULT_ROWS}" for k in counts_present)
        add_validation(ws, ranges, "人数・社数", "0以上の整数を半角数字で入れてください（「名」「社」は付けません）。",
                    type="whole", operator="greaterThanOrEqual", formula1="0")
        for k in counts_present:  # a count typed as text (「37名」, 「６０」): planner reads it, the sheet flags it
            top = f"{c[k]}{hrow + 1}"
            ws.conditional_formatting.add(f"{top}:{c[k]}{last}", FormulaRule(
                formula=[f"ISTEXT({top})"], fill=TEXT_FILL, font=TEXT_FONT))
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
    ws.print_area = f"A1:{get_column_letter(last_shown_column(ws, cols))}{last}"


def on_results_row(f: Finding, row: int, letter: str = "A") -> Finding:
    """A result's finding from the core, placed on its cell of the 実績 sheet (番号, column A, unless
    the finding belongs to another column)."""
    ja, en = plan_line_words(f.message_ja, f.message_en, f.line)
    return f.placed(Where(L.RESULTS, row, letter).text(), ja=ja, en=en, sheet=L.RESULTS, row=row, column=letter)


def _text_counts(cells: dict[str, Raw], cols: dict[str, int], r: int, n: int | None,
                 findings: list[Finding]) -> None:
    """Counts typed as text that planner reads (「37名」 → 37, 「６０」 → 60): said, so that a person who
    sees another total in a spreadsheet that does not count them knows what planner took."""
    for label in COUNT_LABELS:
        raw = cells.get(label)
        if raw is None or raw.data_type == "f" or not isinstance(raw.value, str) or raw.blank:
            continue
        reading = read_number(raw.value)
        if reading.problem is None and reading.whole is not None and reading.whole >= 0:
            findings.append(Where(L.RESULTS, r, get_column_letter(cols[label])).finding(
                "COUNT_READ_FROM_TEXT", n, label=label, value=raw.value.strip(), number=reading.whole))


_RESULT_COLUMN = {"RESULT_LINE_UNKNOWN": "番号", "DATE_INVALID": "実施日", "DATE_OUTSIDE_YEAR": "実施日",
                  "SHARES_NOT_100": "大変満足", "SATISFACTION_UNIT": "満足度の単位", "COUNT_INVALID": "番号",
                  "SATISFACTION_OVER_PARTICIPANTS": "大変満足", "SESSION_INVALID": SESSION_LABEL,
                  "SESSION_BEYOND_QUANTITY": SESSION_LABEL, "COMPANIES_COUNT_MISMATCH": "参加企業数"}


def read_results(ws, hrow: int, cols: dict[str, int], plan: Plan, findings: list[Finding],
                 places: dict[tuple[Any, Any], int | None] | None = None) -> tuple[list[Result], dict[Any, int]]:
    """The results of the sheet's rows and each one's Excel row, by (line id, 回). `places`, if given,
    is filled with where each row's 番号 and 回 as typed on the sheet lead (the 参加企業 sheet names
    results so): the index of its result, or None for a row refused here."""
    places = {} if places is None else places
    inputs = [c for c in RESULT_COLUMNS if c.field and c.label in cols]
    content = [c for c in inputs if c.field not in ("line", "line_id", "session")]
    max_col = min(max(cols[c.label] for c in inputs), L.MAX_COLUMNS)
    results: list[Result] = []
    rows: dict[Any, int] = {}
    for r, raws in sheet_rows(ws, hrow + 1, MAX_SHEET_ROWS, max_col):
        cells = {c.label: raws[cols[c.label] - 1] for c in inputs}
        # a row with only its line number (as exported for every plan line) holds no result yet
        if all(cells[c.label].blank and cells[c.label].data_type != "f" for c in content):
            continue
        if len(results) >= L.MAX_LINES:
            findings.append(Finding.of("TOO_MANY_ROWS.results", sheet=L.RESULTS, row=r, column="A", max=L.MAX_LINES))
            break
        values: dict[str, Any] = {}
        flagged: set[str] = set()
        line_value = None
        for col in inputs:
            letter = get_column_letter(cols[col.label])
            value, bad = col.from_cell(cells[col.label], Where(L.RESULTS, r, letter), {}, None)
            if col.field == "line":
                line_value = value
            if bad:
                findings.extend(bad)
                flagged.add(letter)
            values[col.field] = value  # type: ignore[index]
        if values.get("session") is None:  # an export made before sessions, or 回 left blank: the first
            values["session"] = 1
        # the hidden 行ID says which line the row is; a row typed in without one goes by its 番号
        res = attach(Result(**values), plan)
        id_letter = get_column_letter(cols[LINE_ID_LABEL]) if LINE_ID_LABEL in cols else None
        place = (line_value, values["session"])
        if values.get("line_id") is not None and plan.line_index(res.line_id) is None:
            findings.append(Where(L.RESULTS, r, id_letter or "A").finding(
                "LINE_ID_UNKNOWN.result", line_value if isinstance(line_value, int) else None,
                id_label=LINE_ID_LABEL, id=res.line_id, plan_sheet=L.PLAN))
            places.setdefault(place, None)
            continue
        n = res.line if isinstance(res.line, int) else None
        key = (res.line_id if res.line_id is not None else ("番号", line_value), res.session)
        if key in rows:
            findings.append(Where(L.RESULTS, r, get_column_letter(cols["番号"])).finding(
                "RESULT_DUPLICATE" if res.session == 1 else "RESULT_DUPLICATE.session", n, first=rows[key],
                session=res.session))
            continue  # its companies go to the first row's result
        _text_counts(cells, cols, r, n, findings)
        for f in check_result(res, plan):
            letter = get_column_letter(cols.get(_RESULT_COLUMN.get(f.code, "番号"), 1))
            if f.code == "COUNT_INVALID" or letter in flagged:
                continue  # the typed columns already placed these on their cells
            findings.append(on_results_row(f, r, letter))
        places.setdefault(place, len(results))
        results.append(res)
        rows[key] = r
    return results, rows
