"""Read a plan workbook back: the plan, the results and every finding, each with its sheet, row and
column. Works on what Excel and LibreOffice write (LibreOffice rewrites the file's internals); finds
columns by their header text; never raises for bad input. The 実績 sheet's rows are read by
planner.workbook.results_sheet."""

from __future__ import annotations

import io
from dataclasses import dataclass, field, replace
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ..errors import FiscalYearError
from ..findings import Finding, has_errors
from ..fiscal_year import FiscalYear, load_fiscal_year
from ..plan import Line, Plan
from ..results import Result
from ..rules import FIELDS, check, fy_text, linked, unchosen_companions
from ..text import Text
from . import layout as L
from .columns import Column, Where, plan_line_words, scalar, sheet_rows
from .companies_sheet import read_companies
from .results_sheet import read_results
from .safety import MAX_SHEET_ROWS, inspect
from .sheet_columns import COMPANY_COLUMNS, LINE_ID_LABEL, PLAN_COLUMNS, RESULT_COLUMNS, SERVES_LABEL


@dataclass(frozen=True)
class WorkbookMeta:
    """What the hidden sheet says the workbook was made from."""

    consortium: str | None
    fiscal_year: int | None
    revision: int | None  # 0: made before any plan was saved (a blank form)
    status: str | None = None
    exported_at: str | None = None


@dataclass
class ReadResult:
    plan: Plan | None
    results: list[Result] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    meta: WorkbookMeta | None = None
    line_rows: dict[int, int] = field(default_factory=dict)  # plan line (1-based) -> Excel row on 計画
    result_rows: dict[Any, int] = field(default_factory=dict)  # result's (line id, 回) -> Excel row on 実績
    fiscal: FiscalYear | None = None
    id_column: str | None = None  # the letter of the hidden 行ID column on 計画
    new_lines: set[int] = field(default_factory=set)  # plan lines (1-based) whose row had a blank 行ID
    # whether the workbook has a 参加企業 sheet: an export made before it says nothing of companies
    companies_read: bool = False

    @property
    def ok(self) -> bool:
        return not has_errors(self.findings)


def _missing_sheet(name: str) -> Finding:
    what = {L.META: Text("planner が書き出したときの情報（非表示シート）",
                         "the hidden sheet planner writes into every workbook")}
    return Finding.of("MISSING_SHEET", sheet=name,
                      what=what.get(name, Text(f"シート「{name}」", f"the sheet '{name}'")))


def read_workbook(data: bytes, store: Any = None, expect_consortium: str | None = None,
                  expect_fiscal_year: int | None = None) -> ReadResult:
    """Read a plan workbook. `store` (optional) supplies the fiscal-year data it was opened with.

    expect_consortium / expect_fiscal_year: what the caller (an app showing one plan) expects; a
    workbook of another consortium or year is refused with WRONG_CONSORTIUM / WRONG_FISCAL_YEAR.
    """
    insp = inspect(data)
    if has_errors(insp.findings):
        return ReadResult(None, findings=insp.findings)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as e:  # noqa: BLE001 - whatever openpyxl trips on, the answer is a finding
        return ReadResult(None, findings=[_parse_failure(e)])
    try:
        return _read(wb, store, expect_consortium, expect_fiscal_year)
    except Exception as e:  # noqa: BLE001 - a malformed part found late still only refuses the file
        return ReadResult(None, findings=[_parse_failure(e)])
    finally:
        wb.close()


def _parse_failure(e: Exception) -> Finding:
    name = type(e).__name__
    if "Forbidden" in name or "DTD" in name or "Entit" in name:
        return Finding.of("UNSAFE_CONTENT.xml")
    return Finding.of("NOT_A_WORKBOOK.contents", name=name)


def _header(ws, sheet: str, first_label: str, columns: tuple[Column, ...]
            ) -> tuple[int | None, dict[str, int], list[Finding]]:
    for r, raws in sheet_rows(ws, 1, L.HEADER_SCAN_ROWS, L.MAX_COLUMNS):
        labels: dict[str, int] = {}
        for i, raw in enumerate(raws, start=1):
            if label := L.cell_label(raw.value):
                labels.setdefault(label, i)
        if first_label in labels or sum(c.label in labels for c in columns) >= 3:
            missing = [c for c in columns if c.required and c.label not in labels]
            return r, labels, [Finding.of("MISSING_COLUMN", sheet=sheet, row=r, label=c.label) for c in missing]
    labels = Text("・".join(c.label for c in columns[:4]), ", ".join(c.label for c in columns[:4]))
    return None, {}, [Finding.of("MISSING_COLUMN.header", sheet=sheet, rows=L.HEADER_SCAN_ROWS, labels=labels)]


def _meta(wb) -> tuple[WorkbookMeta | None, list[Finding]]:
    ws = wb[L.META]
    values: dict[str, Any] = {}
    for _, raws in sheet_rows(ws, 1, 30, 2):
        if isinstance(raws[0].value, str) and raws[1].data_type != "f":
            values[raws[0].value.strip()] = raws[1].value

    def as_int(v: Any) -> int | None:
        if isinstance(v, bool):
            return None
        if isinstance(v, float) and v.is_integer():
            return int(v)
        if isinstance(v, str) and v.strip().isdigit():
            return int(v)
        return v if isinstance(v, int) else None

    meta = WorkbookMeta(
        consortium=values.get("consortium") if isinstance(values.get("consortium"), str) else None,
        fiscal_year=as_int(values.get("fiscal_year")),
        revision=as_int(values.get("revision")),
        status=values.get("status") or None,
        exported_at=str(values["exported_at"]) if values.get("exported_at") else None,
    )
    if values.get("format") != L.FORMAT or meta.consortium is None or meta.fiscal_year is None or (
            meta.revision is None or meta.revision < 0):
        return None, [Finding.of("META_INVALID", sheet=L.META)]
    return meta, []


def _label_coordinate(ws, label: str, max_row: int) -> tuple[int, str] | None:
    for r, raws in sheet_rows(ws, 1, max_row, L.MAX_COLUMNS):
        for i, raw in enumerate(raws, start=1):
            if L.cell_label(raw.value) == label:
                return r, get_column_letter(i + 1)
    return None


def _read(wb, store: Any, expect_consortium: str | None, expect_fiscal_year: int | None) -> ReadResult:
    findings: list[Finding] = []
    names = wb.sheetnames
    if L.PLAN not in names and sum(name in names for name in L.CONSOLIDATED_SHEETS) >= 3:
        # the year's consolidated workbook is a report for reading: it is never loaded back
        return ReadResult(None, findings=[Finding.of("CONSOLIDATED_WORKBOOK", sheet=names[0] if names else None)])
    for name in (L.PLAN, L.RESULTS, L.META):
        if name not in names:
            findings.append(_missing_sheet(name))
    if findings:
        return ReadResult(None, findings=findings)
    meta, bad = _meta(wb)
    if meta is None:
        return ReadResult(None, findings=bad)
    assert meta.fiscal_year is not None and meta.consortium is not None
    try:
        fy = store.fiscal_year(meta.fiscal_year) if store is not None else load_fiscal_year(meta.fiscal_year)
    except FiscalYearError:
        return ReadResult(None, meta=meta, findings=[
            Finding.of("WRONG_FISCAL_YEAR.no_data", sheet=L.COVER, year=meta.fiscal_year)])
    if meta.consortium not in fy.consortia:
        return ReadResult(None, meta=meta, findings=[
            Finding.of("UNKNOWN_CONSORTIUM.workbook", sheet=L.COVER, consortium=meta.consortium, fy_label=fy_text(fy))])
    if expect_consortium is not None and meta.consortium != expect_consortium:
        def name(cid: str) -> Text | str:
            c = fy.consortia.get(cid)
            return Text(c.name_ja, c.name_en) if c is not None else cid

        findings.append(Finding.of("WRONG_CONSORTIUM", sheet=L.COVER, theirs=name(meta.consortium),
                                   expected=name(expect_consortium)))
    if expect_fiscal_year is not None and meta.fiscal_year != expect_fiscal_year:
        findings.append(Finding.of("WRONG_FISCAL_YEAR.workbook", sheet=L.COVER, year=meta.fiscal_year,
                                   expected=expect_fiscal_year))

    menu = fy.menu_for(meta.consortium)
    ws = wb[L.PLAN]
    hrow, cols, bad = _header(ws, L.PLAN, "番号", PLAN_COLUMNS)
    findings.extend(bad)
    if hrow is None or bad:
        return ReadResult(None, meta=meta, findings=findings, fiscal=fy)
    lines, line_rows, flagged, new_lines = _read_lines(ws, hrow, cols, menu, findings)
    plan = Plan(meta.consortium, meta.fiscal_year, lines)
    if SERVES_LABEL not in cols:  # a workbook made before 対象行: linked where one line fits, as stored plans were
        plan = linked(plan, fy)

    used = _label_coordinate(ws, L.PLAN_SUMMARY_LABELS["used"], hrow - 1)
    for f in [*check(plan, fy), *unchosen_companions(plan, fy)]:
        findings.extend(_place_rule_finding(f, line_rows, cols, hrow, used, flagged))

    results, result_rows, places = [], {}, {}
    rws = wb[L.RESULTS]
    rhrow, rcols, bad = _header(rws, L.RESULTS, "番号", RESULT_COLUMNS)
    findings.extend(bad)
    if rhrow is not None and not bad:
        results, result_rows = read_results(rws, rhrow, rcols, plan, findings, places)
    companies_read = L.COMPANIES in names and rhrow is not None and not bad
    if companies_read:
        cws = wb[L.COMPANIES]
        chrow, ccols, bad = _header(cws, L.COMPANIES, "番号", COMPANY_COLUMNS)
        findings.extend(bad)
        if chrow is not None and not bad:
            count = get_column_letter(rcols["参加企業数"]) if "参加企業数" in rcols else "A"
            results = read_companies(cws, chrow, ccols, results, result_rows, places, count, findings)

    sort_findings(findings)
    return ReadResult(plan, results, findings, meta, line_rows, result_rows, fy,
                      get_column_letter(cols[LINE_ID_LABEL]), new_lines, companies_read)


def sort_findings(findings: list[Finding]) -> None:
    """Errors first, then sheet by sheet in the workbook's order, row by row."""
    order = {name: i for i, name in enumerate((*L.PLAN_SHEETS, L.META))}
    findings.sort(key=lambda f: (not f.is_error, order.get(f.sheet or "", 99), f.row or 0, f.column or ""))


def unknown_line_ids(read: ReadResult, known: set[Any]) -> list[Finding]:
    """Rows of 計画 whose 行ID is not a line of the plan the workbook was made from: an id typed over,
    or pasted from another plan's workbook. Such a row is refused, never taken as a new line (a new
    line is a row with a blank 行ID)."""
    if read.plan is None or read.id_column is None:
        return []
    out = []
    for n, ln in enumerate(read.plan.lines, start=1):
        if ln.id in known or n in read.new_lines or n not in read.line_rows:
            continue
        row = read.line_rows[n]
        out.append(Where(L.PLAN, row, read.id_column).finding("LINE_ID_UNKNOWN", n, id_label=LINE_ID_LABEL, id=ln.id))
    return out


def _read_lines(ws, hrow: int, cols: dict[str, int], menu, findings: list[Finding]
                ) -> tuple[list[Line], dict[int, int], set[tuple[int, str]], set[int]]:
    """Plan lines from the rows under the header; blank rows (spare rows with formulas) are skipped."""
    inputs = [c for c in PLAN_COLUMNS if c.field and c.label in cols]
    max_col = min(max(cols[c.label] for c in inputs), L.MAX_COLUMNS)
    lines: list[Line] = []
    rows: dict[int, int] = {}
    seen: dict[Any, int] = {}  # line id -> the first Excel row with it
    new: set[int] = set()
    numbers: dict[int, Any] = {}  # plan line -> what its 番号 cell holds (the number people refer to)
    flagged: set[tuple[int, str]] = set()
    for r, raws in sheet_rows(ws, hrow + 1, MAX_SHEET_ROWS, max_col):
        cells = {c.label: raws[cols[c.label] - 1] for c in inputs}
        # a row cleared in Excel keeps its hidden id: with nothing else in it, it is a removed line
        if all(raw.blank and raw.data_type != "f" for label, raw in cells.items() if label != LINE_ID_LABEL):
            continue
        if len(lines) >= L.MAX_LINES:
            findings.append(Finding.of("TOO_MANY_ROWS.lines", sheet=L.PLAN, row=r, column="A", max=L.MAX_LINES))
            break
        n = len(lines) + 1
        values: dict[str, Any] = {}
        ctx: dict[str, Any] = {"menu": menu}
        for col in inputs:  # item comes before variant in PLAN_COLUMNS, so ctx has the item when needed
            letter = get_column_letter(cols[col.label])
            value, bad = col.from_cell(cells[col.label], Where(L.PLAN, r, letter), ctx, n)
            if bad:
                findings.extend(bad)
                flagged.add((r, letter))
            values[col.field] = value  # type: ignore[index]
            if col.field == "item":
                ctx["item"] = menu.get(value) if isinstance(value, int) else None
        line_id = values.pop("id", None)
        if line_id is not None and line_id in seen:
            letter = get_column_letter(cols[LINE_ID_LABEL])
            findings.append(Where(L.PLAN, r, letter).finding("LINE_ID_DUPLICATE", n, id_label=LINE_ID_LABEL,
                                                             id=line_id, first=seen[line_id]))
            flagged.add((r, letter))
        # a blank 行ID is a new line: it gets its id now, as any line does when it is made
        lines.append(Line(**values) if line_id is None else Line(**values, id=line_id))
        if line_id is not None:
            seen.setdefault(line_id, r)
        else:
            new.add(n)
        rows[n] = r
        if "番号" in cols and cols["番号"] <= max_col:
            numbers[n] = scalar(raws[cols["番号"] - 1].value)
    if SERVES_LABEL in cols:
        lines = _served_by_id(lines, rows, numbers, get_column_letter(cols[SERVES_LABEL]), findings, flagged)
    return lines, rows, flagged, new


def _served_by_id(lines: list[Line], rows: dict[int, int], numbers: dict[int, Any], letter: str,
                  findings: list[Finding], flagged: set[tuple[int, str]]) -> list[Line]:
    """Each 対象行 number as the id of the line it names: the line whose 番号 cell holds that number
    (rows may have been moved in Excel, and their 番号 with them), else the line at that place."""
    by_number: dict[Any, list[int]] = {}
    for n, v in numbers.items():
        by_number.setdefault(v, []).append(n)
    out = []
    for n, ln in enumerate(lines, start=1):
        if not isinstance(ln.serves, int):
            out.append(ln)
            continue
        named = by_number.get(ln.serves, [])
        target = named[0] if len(named) == 1 else (ln.serves if not named and ln.serves <= len(lines) else None)
        if target is None:
            where = Where(L.PLAN, rows[n], letter)
            findings.append(where.finding("SERVES_NOT_A_LINE", n, label=SERVES_LABEL, value=ln.serves))
            flagged.add((rows[n], letter))
            out.append(replace(ln, serves=None))
        else:
            out.append(replace(ln, serves=lines[target - 1].id))
    return out


# Each rule names the Line field its finding is about; the sheet's column for that field is its cell.
_FIELD_LABEL = {c.field: c.label for c in PLAN_COLUMNS if c.field}


def _rule_label(code: str) -> str | None:
    return _FIELD_LABEL.get("serves" if code == "COMPANION_UNCHOSEN" else FIELDS.get(code))


def _place_rule_finding(f: Finding, line_rows: dict[int, int], cols: dict[str, int], hrow: int,
                        used: tuple[int, str] | None, flagged: set[tuple[int, str]]) -> list[Finding]:
    """A plan rule's finding, placed on the cell a person should change."""
    label = _rule_label(f.code)
    if f.line is not None and f.line in line_rows:
        row, col = line_rows[f.line], get_column_letter(cols.get(label or "番号", 1))
        if (row, col) in flagged:
            return []  # the cell already has a finding saying what is wrong with it
    elif f.code.startswith("BUDGET") and used:
        row, col = used
    elif f.line is None and label:  # about one field across the plan (LATE_CONCENTRATION): its header
        row, col = hrow, get_column_letter(cols.get(label, 1))
    else:
        row, col = hrow, "A"
    ja, en = plan_line_words(f.message_ja, f.message_en, f.line)
    return [f.placed(Where(L.PLAN, row, col).text(), ja=ja, en=en, sheet=L.PLAN, row=row, column=col)]
