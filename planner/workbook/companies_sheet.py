"""The 参加企業 sheet of a plan workbook: a row a participating company of a result (番号, 回, 企業名,
都道府県), written from the stored results and read back onto the results of the 実績 sheet. The sheet
has no formulas and is not protected: rows are added as companies are (only names and prefectures,
never a person's data)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..findings import Finding
from ..plan import Plan
from ..prefectures import prefecture_of
from ..results import Company, Result, company_key, company_problems
from . import layout as L
from .columns import Where, plan_line_words, sheet_rows
from .results_sheet import SESSION_LABEL
from .sheet_columns import COMPANY_COLUMNS
from .template import add_validation, col_letter, find_header, fit_row_heights, put, style_rows

SPARE_ROWS = 40  # styled empty rows under the companies, to type more into
MAX_COMPANY_ROWS = 3000  # rows read and validated: every company of every session of a year's plan


def companies_sheet(ws: Worksheet, plan: Plan, results: tuple[Result, ...]) -> None:
    """A row a company of each result, in the order of the lines and sessions; 番号 is the line's number
    on 計画 (as on 実績), 回 its session."""
    hrow, cols = find_header(ws, "番号")
    c = {label: col_letter(cols, label) for label in cols}
    rows = []
    for r in sorted(results, key=lambda r: (r.line if isinstance(r.line, int) else 10**6, r.session)):
        i = plan.line_index(r.line_id)
        if i is None:
            continue  # a result of no line of the plan has no row on 実績 either (RESULT_KEPT)
        rows += [(i + 1, r.session, co) for co in r.company_list if isinstance(co, Company)]
    n_rows = len(rows) + SPARE_ROWS
    style_rows(ws, hrow + 1, hrow + 2, hrow + n_rows, max(cols.values()))
    for r, (n, k, co) in enumerate(rows, start=hrow + 1):
        ws[f"{c['番号']}{r}"] = n
        if SESSION_LABEL in c:
            ws[f"{c[SESSION_LABEL]}{r}"] = k
        put(ws[f"{c['企業名']}{r}"], co.name)
        put(ws[f"{c['都道府県']}{r}"], co.prefecture)
    bottom = hrow + MAX_COMPANY_ROWS
    if "都道府県" in c:
        add_validation(ws, f"{c['都道府県']}{hrow + 1}:{c['都道府県']}{bottom}", "都道府県",
                       "一覧から都道府県を選んでください（例: 宮城）。", type="list", formula1="list_prefectures")
    whole = " ".join(f"{c[k]}{hrow + 1}:{c[k]}{bottom}" for k in ("番号", SESSION_LABEL) if k in c)
    add_validation(ws, whole, "番号・回", "実績シートの番号と回を、1以上の整数で入れてください。",
                   type="whole", operator="greaterThanOrEqual", formula1="1")
    fit_row_heights(ws, hrow + 1, hrow + max(len(rows), 1), minimum=18)
    ws.print_area = f"A1:{get_column_letter(max(cols.values()))}{hrow + max(len(rows), 1)}"


def read_companies(ws, hrow: int, cols: dict[str, int], results: list[Result], result_rows: dict[Any, int],
                   places: dict[tuple[Any, Any], int | None], count_letter: str, findings: list[Finding]
                   ) -> list[Result]:
    """The results with their companies from the sheet, each row placed by its 番号 and 回 as 実績 has
    them (`places`: where they lead, from read_results; a secretariat's reordering on 計画 renumbers no
    row of 実績). A row whose result is not on 実績, a name missing, an unknown prefecture or a company
    listed twice for one result is an error on its cell (a row of a result refused on 実績 is left to
    that refusal); a count on 実績 (in column `count_letter`) that disagrees with the list a warning."""
    listed: dict[int, list[Company]] = {}
    seen: dict[int, dict[str, int]] = {}
    inputs = [col for col in COMPANY_COLUMNS if col.label in cols]
    max_col = min(max(cols[col.label] for col in inputs), L.MAX_COLUMNS)
    letter = {col.label: get_column_letter(cols[col.label]) for col in inputs}
    for r, raws in sheet_rows(ws, hrow + 1, hrow + MAX_COMPANY_ROWS, max_col):
        cells = {col.label: raws[cols[col.label] - 1] for col in inputs}
        if all(raw.blank and raw.data_type != "f" for raw in cells.values()):
            continue
        values: dict[str, Any] = {}
        broken = False
        for col in inputs:
            value, problems = col.from_cell(cells[col.label], Where(L.COMPANIES, r, letter[col.label]), {}, None)
            findings.extend(problems)
            broken |= bool(problems)
            values[col.field] = value  # type: ignore[index]
        if broken:
            continue
        n, k = values.get("line"), values.get("session") or 1
        name, pref = str(values.get("name") or "").strip(), str(values.get("prefecture") or "").strip()
        where = Where(L.COMPANIES, r, letter.get("番号", "A"))
        if (n, k) not in places:
            findings.append(where.finding("COMPANY_WITHOUT_RESULT", n if isinstance(n, int) else None,
                                          shown=n, session=k, results_sheet=L.RESULTS))
            continue
        i = places[(n, k)]
        if i is None:
            continue
        mine = listed.setdefault(i, [])
        at = len(mine) + 1
        if not name:
            findings.append(Where(L.COMPANIES, r, letter.get("企業名", "A")).finding(
                "COMPANY_INVALID", n, n=n, k=at, shown=f"'' / {pref!r}"))
            continue
        if prefecture_of(pref) is None:
            findings.append(Where(L.COMPANIES, r, letter.get("都道府県", "A")).finding(
                "COMPANY_PREFECTURE_UNKNOWN", n, n=n, k=at, name=name, prefecture=pref))
        key = company_key(name)
        first = seen.setdefault(i, {}).setdefault(key, r)
        if first != r:
            findings.append(Where(L.COMPANIES, r, letter.get("企業名", "A")).finding(
                "COMPANY_DUPLICATE_ROW", n, name=name, session=k, first=first))
        mine.append(Company(name, pref))
    out = list(results)
    for i, companies in listed.items():
        out[i] = replace(out[i], company_list=tuple(companies))
        for f in company_problems(out[i]):
            if f.code == "COMPANIES_COUNT_MISMATCH":  # the rest are said on this sheet's cells above
                row = result_rows.get(out[i].key, 0)
                ja, en = plan_line_words(f.message_ja, f.message_en, f.line)
                findings.append(f.placed(Where(L.RESULTS, row, count_letter).text(), ja=ja, en=en,
                                         sheet=L.RESULTS, row=row, column=count_letter))
    return out
