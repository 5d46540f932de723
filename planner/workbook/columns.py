"""Typed columns: each knows its header label, how to write a value into a cell and how to read one
back, and every problem it finds names the sheet, row and column (the openpyxl-templates idea).

Reading never raises: a conversion returns the value it could make (or what the person typed, so the
plan rules can still say what is wrong) together with findings. The columns of the 計画 and 実績 sheets
made of these types are planner.workbook.sheet_columns.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..dates import read_dates
from ..findings import Finding
from ..limits import MAX_TEXT, invisible_in, visible
from ..numbers import read_number
from ..text import Text

# Tab, line feed and carriage return are ordinary in cells (Alt+Enter); other C0/C1 controls are not.
# Excel stores them escaped as _x0007_, which openpyxl hands over as is: both forms are caught.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|_x(00[01][0-9A-Fa-f]|007[Ff])_")
# Text an Excel user could mistake for a formula: written as text with a quote prefix, read back as text.
FORMULA_LEADS = ("=", "+", "-", "@")


@dataclass(frozen=True)
class Where:
    sheet: str
    row: int
    column: str

    def ja(self) -> str:
        return f"「{self.sheet}」シートの {self.column}{self.row} セル"

    def en(self) -> str:
        return f"sheet '{self.sheet}', cell {self.column}{self.row}"

    def text(self) -> Text:
        return Text(self.ja(), self.en())

    def finding(self, code: str, line: int | None = None, **params: Any) -> Finding:
        """The catalogue's finding for `code` on this cell, its message after the cell's address."""
        return Finding.of(code, line=line, sheet=self.sheet, row=self.row, column=self.column,
                          **params).placed(self.text())


@dataclass(frozen=True)
class Raw:
    """A cell as read: its value and openpyxl's data type ('n', 's', 'f', 'b', 'e', 'd')."""

    value: Any
    data_type: str = "n"
    number_format: str = "General"  # how the cell shows its number: 0% tells an Excel percentage

    @property
    def blank(self) -> bool:
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())


def sheet_rows(ws, min_row: int, max_row: int, max_col: int) -> Iterable[tuple[int, list[Raw]]]:
    """Rows as (Excel row, [Raw per column]); bounded in both directions whatever the sheet declares."""
    for r, cells in enumerate(ws.iter_rows(min_row=min_row, max_row=max_row, max_col=max_col), start=min_row):
        yield r, [Raw(getattr(c, "value", None), getattr(c, "data_type", "n") or "n",
                      getattr(c, "number_format", None) or "General") for c in cells]


def plan_line_words(ja: str, en: str, n: int | None) -> tuple[str, str]:
    """A rule's message names the line as 「3行目」 / "Line 3", as the apps list lines. Beside a cell
    address that reads as a sheet row, so the workbook says 「番号3の行」 / "plan line 3" (番号 is the
    sheet's column of line numbers) instead."""
    if n is None:
        return ja, en
    for head, word in ((f"{n}行目の", f"番号{n}の行の"), (f"{n}行目", f"番号{n}の行")):
        if ja.startswith(head):
            ja = word + ja[len(head):]
            break
    if en.startswith(f"Line {n}"):
        en = f"Plan line {n}" + en[len(f"Line {n}"):]
    elif en.startswith(f"Result for line {n}"):
        en = f"Result for plan line {n}" + en[len(f"Result for line {n}"):]
    return ja, en


UNIT_LABELS = {"percent": "割合（%）", "count": "人数"}


def _code(match: str) -> str:
    return match[2:6].upper() if len(match) > 1 else f"{ord(match):04X}"


def norm(s: str) -> str:
    """Text as typed, as planner compares it: full-width forms made plain, spaces trimmed."""
    # NFKC turns full-width digits and letters (３, ｍ) into the ASCII that people meant
    return unicodedata.normalize("NFKC", s).strip()


def scalar(v: Any) -> Any:
    """Whole floats from a spreadsheet (3.0) become ints, so a plan reads back equal to what was written."""
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


class Column:
    """A column of a sheet: `label` is the header text (the contract), `field` the attribute it fills."""

    kind = "text"

    def __init__(self, label: str, field: str | None, required: bool = True, computed: bool = False):
        self.label = label
        self.field = field
        self.required = required
        self.computed = computed  # formulas the workbook computes; never read back

    def to_cell(self, value: Any) -> Any:
        return value

    empty: Any = None  # what a blank cell, or one refused for what no cell may hold, stands for

    def from_cell(self, raw: Raw, where: Where, ctx: Mapping[str, Any], line: int | None) -> tuple[Any, list[Finding]]:
        """The value of a cell and what is wrong with it. What no input cell may hold and blank cells
        are handled here, once; each column reads the rest (`read`)."""
        bad = self._common(raw, where, line)
        if bad:
            return self.empty, [bad]
        if raw.blank:
            return self.empty, []
        return self.read(raw, where, ctx, line)

    def read(self, raw: Raw, where: Where, ctx: Mapping[str, Any], line: int | None) -> tuple[Any, list[Finding]]:
        raise NotImplementedError

    def _common(self, raw: Raw, where: Where, line: int | None) -> Finding | None:
        """What no input cell may hold: a formula, an error value, control characters, very long text."""
        if raw.data_type == "f":
            return where.finding("FORMULA_NOT_ALLOWED", line, label=self.label, formula=str(raw.value)[:40])
        if raw.data_type == "e":
            return where.finding("CELL_ERROR", line, label=self.label, value=raw.value)
        if isinstance(raw.value, str):
            if len(raw.value) > MAX_TEXT:
                return where.finding("TEXT_TOO_LONG", line, label=self.label, length=len(raw.value), max=MAX_TEXT)
            m = _CONTROL.search(raw.value)
            if m:
                return where.finding("CONTROL_CHARACTER", line, label=self.label, char=_code(m.group()))
        return None


class TextColumn(Column):
    kind = "text"

    def to_cell(self, value: Any) -> Any:
        return "" if value is None else str(value)

    def from_cell(self, raw, where, ctx, line):
        bad = self._common(raw, where, line)
        if bad:
            return "", [bad]
        v = raw.value
        if v is None:
            return "", []
        if isinstance(v, dt.datetime):
            return (v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")), []
        if isinstance(v, dt.date | dt.time):
            return v.isoformat(), []
        if isinstance(v, bool):
            return ("TRUE" if v else "FALSE"), []
        text = str(scalar(v))
        removed = invisible_in(text)
        if removed:  # the store removes them whatever the path; here the person is told where they were
            return visible(text), [where.finding("INVISIBLE_CHARACTERS", line, label=self.label,
                                                 chars=", ".join(removed[:5]))]
        return text, []


class IntColumn(Column):
    """A whole number. Blank is allowed when `optional`; `minimum` bounds it."""

    kind = "int"

    def __init__(self, label: str, field: str | None, optional: bool = True, minimum: int = 0, **kw: Any):
        super().__init__(label, field, **kw)
        self.optional = optional
        self.minimum = minimum

    def read(self, raw, where, ctx, line):
        v = raw.value
        if isinstance(v, str):
            reading = read_number(v)
            if reading.problem == "comma":
                # 「1,5」 could be 1.5 or 15: say so rather than guess
                return v, [where.finding("NOT_A_NUMBER.comma", line, label=self.label, value=v)]
            if reading.value is not None:
                v = reading.value
        if isinstance(v, bool) or not isinstance(v, int | float) or isinstance(v, dt.datetime | dt.date):
            lo = "1以上" if self.minimum >= 1 else "0以上"
            return v, [where.finding("NOT_A_NUMBER", line, label=self.label, value=v,
                                     minimum=Text(lo, str(self.minimum)))]
        v = scalar(v)
        if self.field in ("quantity",):
            # The plan rules own the quantity's range (QUANTITY_INVALID); keep what was entered.
            return v, []
        if not isinstance(v, int) or v < self.minimum:
            return v, [where.finding("COUNT_INVALID.cell", line, label=self.label, value=v, minimum=self.minimum)]
        return v, []


class MonthColumn(Column):
    """A month number 1–12 shown as 7月; read from 7, 7.0, "7月" or "７月"."""

    kind = "month"

    def read(self, raw, where, ctx, line):
        v = raw.value
        if isinstance(v, dt.datetime | dt.date):
            return v.month, []
        if isinstance(v, str):
            m = re.fullmatch(r"(\d{1,2})\s*月?", norm(v))
            if m:
                return int(m.group(1)), []
            return v, [where.finding("NOT_A_NUMBER.month", line, label=self.label, value=v)]
        if isinstance(v, bool):
            return v, [where.finding("NOT_A_NUMBER.month_flag", line, label=self.label)]
        return scalar(v), []


class DatesColumn(Column):
    """One or more dates: a date cell, or text such as 2024-11-19, 2024/11/19、令和6年11月20日, read by
    the one date reader the results form uses too (planner.dates)."""

    kind = "dates"
    empty: Any = ()

    def to_cell(self, value: Any) -> Any:
        dates = tuple(value or ())
        if len(dates) == 1:
            try:
                return dt.datetime.combine(dt.date.fromisoformat(str(dates[0])), dt.time())
            except ValueError:
                return str(dates[0])
        return "、".join(str(d) for d in dates)

    def read(self, raw, where, ctx, line):
        v = raw.value
        if isinstance(v, dt.datetime | dt.date):
            return ((v.date() if isinstance(v, dt.datetime) else v).isoformat(),), []
        out, bad = [], []
        for reading in read_dates(str(scalar(v))):
            # what cannot be read stays as typed, so the result still shows it; the cell says why
            out.append(reading.iso or reading.text.strip())
            if reading.value is None:
                bad.append(where.finding("DATE_INVALID.cell", line, label=self.label,
                                         problem=Text(reading.message_ja, reading.message_en)))
        return tuple(out), bad


class ShareColumn(IntColumn):
    """A satisfaction figure: a count of people, or a share in percent. A share may have decimals
    (33.3 / 33.3 / 33.4), be typed as 40% or be an Excel percentage (0.4 shown as 40 %): all read as 40."""

    kind = "share"

    def from_cell(self, raw, where, ctx, line):
        share = None if raw.data_type in ("f", "e") else _share(raw)
        return (share, []) if share is not None else super().from_cell(raw, where, ctx, line)


def _share(raw: Raw) -> int | float | None:
    """A share as a percentage, when the cell holds one: an Excel percentage, 「40%」 or a decimal."""
    v = raw.value
    if isinstance(v, int | float) and not isinstance(v, bool):
        if "%" in (raw.number_format or ""):
            return scalar(round(v * 100, 6))
        return v if isinstance(v, float) and not v.is_integer() else None  # check_result judges it by the unit
    if isinstance(v, str):
        m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*%|(\d+\.\d+)", norm(v))
        if m:
            return scalar(float(m.group(1) or m.group(2)))
    return None


class UnitColumn(Column):
    """How satisfaction is given: 割合（%） (percent) or 人数 (count)."""

    kind = "unit"
    empty: Any = "percent"

    def to_cell(self, value: Any) -> Any:
        return UNIT_LABELS.get(value, value)

    def read(self, raw, where, ctx, line):
        s = norm(str(raw.value))
        for key, label in UNIT_LABELS.items():
            if s in (key, norm(label), "%", "割合") or (key == "count" and s in ("人", "件数")):
                return key, []
        return s, []


class CancelledColumn(Column):
    """中止 (cancelled): the word 中止, or blank for a line going ahead."""

    kind = "cancelled"
    empty: Any = False
    MARK = "中止"

    def to_cell(self, value: Any) -> Any:
        return self.MARK if value is True else ""

    def read(self, raw, where, ctx, line):
        if raw.value is False:
            return False, []
        if raw.value is True or norm(str(raw.value)) == self.MARK:
            return True, []
        return False, [where.finding("NOT_A_CHOICE", line, label=self.label, value=raw.value, mark=self.MARK)]


class IdColumn(Column):
    """A line's id, in a hidden column: written as text, read back as text (blank: a new line)."""

    kind = "id"

    def read(self, raw, where, ctx, line):
        return norm(str(scalar(raw.value))), []


class ComputedColumn(Column):
    """A column the workbook computes with a formula (points); shown, never read back."""

    kind = "computed"

    def __init__(self, label: str):
        super().__init__(label, None, required=False, computed=True)

    def from_cell(self, raw, where, ctx, line):
        return None, []


class ShownColumn(ComputedColumn):
    """A value shown for the reader's convenience (the item and title on the results sheet); not read."""

    kind = "shown"
