"""Typed columns: each knows its header label, how to write a value into a cell and how to read one
back, and every problem it finds names the sheet, row and column (the openpyxl-templates idea).

Reading never raises: a conversion returns the value it could make (or what the person typed, so the
plan rules can still say what is wrong) together with findings.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..dates import read_dates
from ..fields import LINE, RESULT, Field
from ..findings import Finding
from ..fiscal_year import MenuItem
from ..japanese import CIRCLED, circled
from ..limits import MAX_TEXT
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


def item_display(item: MenuItem) -> str:
    """How a menu item appears in a cell and in the dropdown: ②合同企業説明会の開催（…）."""
    return f"{circled(item.no)}{item.name_ja}"


def variant_key(item: MenuItem, variant_name: str) -> str:
    """Key of the hidden points table: the item's cell text and the variant's cell text."""
    return f"{item_display(item)}|{variant_name}"


UNIT_LABELS = {"percent": "割合（%）", "count": "人数"}
# the hidden column on 計画 and 実績 that keeps each row's line: results and history follow it
LINE_ID_LABEL = "行ID"
CANCELLED_LABEL = "中止"
# a hidden computed column on 計画: the menu item's number as planner reads the メニュー cell (②…, 2, the
# name), so that the points lookup and the 区分 dropdown follow the item however it was typed
ITEM_NO_LABEL = "メニュー番号"




def _code(match: str) -> str:
    return match[2:6].upper() if len(match) > 1 else f"{ord(match):04X}"


def _norm(s: str) -> str:
    # NFKC turns full-width digits and letters (３, ｍ) into the ASCII that people meant
    return unicodedata.normalize("NFKC", s).strip()


def _scalar(v: Any) -> Any:
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
        return str(_scalar(v)), []


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
        v = _scalar(v)
        if self.field in ("quantity",):
            # The plan rules own the quantity's range (QUANTITY_INVALID); keep what was entered.
            return v, []
        if not isinstance(v, int) or v < self.minimum:
            return v, [where.finding("COUNT_INVALID.cell", line, label=self.label, value=v, minimum=self.minimum)]
        return v, []


class ItemColumn(Column):
    """The menu item: written as ②合同企業説明会の開催…, read from that text, ②, 2 or the name."""

    kind = "item"

    def to_cell(self, value: Any, menu: Mapping[int, MenuItem] | None = None) -> Any:
        if menu and isinstance(value, int) and value in menu:
            return item_display(menu[value])
        return value

    def read(self, raw, where, ctx, line):
        v = raw.value
        menu: Mapping[int, MenuItem] = ctx["menu"]
        v = _scalar(v)
        if isinstance(v, int) and not isinstance(v, bool):
            return v, []
        s = _norm(str(v))
        if _MONTH_TEXT.fullmatch(s):
            return str(v), [where.finding("ITEM_IS_A_MONTH", line, label=self.label, month=s)]
        no, rest = None, ""
        if s and s[0] in CIRCLED:
            no, rest = CIRCLED.index(s[0]) + 1, s[1:]
        else:
            m = re.match(r"^(\d+)(?:\D|$)", s)
            if m:
                no, rest = int(m.group(1)), s[len(m.group(1)):]
        if no is not None:
            rest = rest.strip(" .．、,:：・-）)　")
            own = menu.get(no)
            if rest and own is not None and not _names(own, rest):
                others = [it for it in menu.values() if it.no != no and _names(it, rest)]
                meant_ja = f"名前は{item_display(others[0])}のものです" if others else "名前が一覧のどれとも違います"
                meant_en = (f"the name is that of {circled(others[0].no)} {others[0].name_en}" if others
                            else "the name is not on the list")
                return str(v), [where.finding("ITEM_TEXT_MISMATCH", line, label=self.label, text=str(v), no=circled(no),
                                              name=Text(own.name_ja, own.name_en), meant=Text(meant_ja, meant_en))]
            return no, []
        for item in menu.values():
            if s in (_norm(item.name_ja), _norm(item.name_en)):
                return item.no, []
        # Unknown text stays as typed: the plan rules report UNKNOWN_ITEM with the choices.
        return str(v), []


_MONTH_TEXT = re.compile(r"\d{1,2}\s*月")


def _names(item: MenuItem, text: str) -> bool:
    """Whether text after an item's number is that item's name (or the start of it, or the name and more)."""
    for name in (_norm(item.name_ja), _norm(item.name_en)):
        if name.startswith(text) or text.startswith(name):
            return True
    return False


class VariantColumn(Column):
    """The variant: written as its Japanese name (リアル), read from the name or the id within the item."""

    kind = "variant"

    def to_cell(self, value: Any, item: MenuItem | None = None) -> Any:
        var = item.variant(value) if item else None
        return var.name_ja if var else value

    def read(self, raw, where, ctx, line):
        s = _norm(str(_scalar(raw.value)))
        item: MenuItem | None = ctx.get("item")
        if item is not None:
            for var in item.variants:
                if s in (_norm(var.name_ja), var.id, _norm(var.name_en)):
                    return var.id, []
        return s, []


class MonthColumn(Column):
    """A month number 1–12 shown as 7月; read from 7, 7.0, "7月" or "７月"."""

    kind = "month"

    def read(self, raw, where, ctx, line):
        v = raw.value
        if isinstance(v, dt.datetime | dt.date):
            return v.month, []
        if isinstance(v, str):
            m = re.fullmatch(r"(\d{1,2})\s*月?", _norm(v))
            if m:
                return int(m.group(1)), []
            return v, [where.finding("NOT_A_NUMBER.month", line, label=self.label, value=v)]
        if isinstance(v, bool):
            return v, [where.finding("NOT_A_NUMBER.month_flag", line, label=self.label)]
        return _scalar(v), []


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
        for reading in read_dates(str(_scalar(v))):
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
            return _scalar(round(v * 100, 6))
        return v if isinstance(v, float) and not v.is_integer() else None  # check_result judges it by the unit
    if isinstance(v, str):
        m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*%|(\d+\.\d+)", _norm(v))
        if m:
            return _scalar(float(m.group(1) or m.group(2)))
    return None


class UnitColumn(Column):
    """How satisfaction is given: 割合（%） (percent) or 人数 (count)."""

    kind = "unit"
    empty: Any = "percent"

    def to_cell(self, value: Any) -> Any:
        return UNIT_LABELS.get(value, value)

    def read(self, raw, where, ctx, line):
        s = _norm(str(raw.value))
        for key, label in UNIT_LABELS.items():
            if s in (key, _norm(label), "%", "割合") or (key == "count" and s in ("人", "件数")):
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
        if raw.value is True or _norm(str(raw.value)) == self.MARK:
            return True, []
        return False, [where.finding("NOT_A_CHOICE", line, label=self.label, value=raw.value, mark=self.MARK)]


class IdColumn(Column):
    """A line's id, in a hidden column: written as text, read back as text (blank: a new line)."""

    kind = "id"

    def read(self, raw, where, ctx, line):
        return _norm(str(_scalar(raw.value))), []


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


# -- the sheets' columns, in template order (the template's header row may reorder them) -------------


def _of(kind: type[Column], table: dict[str, Field], name: str, **kw: Any) -> Column:
    """The column of a field, headed by its label in planner.fields (the form says the same)."""
    return kind(table[name].label.ja, name, **kw)


PLAN_COLUMNS: tuple[Column, ...] = (
    ComputedColumn("番号"),
    _of(ItemColumn, LINE, "item"),
    _of(VariantColumn, LINE, "variant"),
    _of(IntColumn, LINE, "quantity", minimum=1),
    ComputedColumn("単価ポイント"),
    ComputedColumn("ポイント"),
    _of(MonthColumn, LINE, "month"),
    _of(TextColumn, LINE, "title"),
    _of(TextColumn, LINE, "place"),
    _of(IntColumn, LINE, "companies"),
    _of(IntColumn, LINE, "students"),
    _of(TextColumn, LINE, "language"),
    _of(TextColumn, LINE, "notes"),
    CancelledColumn(CANCELLED_LABEL, "cancelled"),
    IdColumn(LINE_ID_LABEL, "id"),
    ComputedColumn(ITEM_NO_LABEL),
)

RESULT_COLUMNS: tuple[Column, ...] = (
    IntColumn("番号", "line", minimum=1),
    ShownColumn("メニュー"),
    ShownColumn("件名"),
    _of(DatesColumn, RESULT, "dates"),
    _of(TextColumn, RESULT, "venue"),
    _of(IntColumn, RESULT, "companies"),
    _of(IntColumn, RESULT, "company_staff"),
    _of(IntColumn, RESULT, "students"),
    _of(IntColumn, RESULT, "members"),
    ComputedColumn("参加者計"),
    _of(ShareColumn, RESULT, "very_satisfied"),
    _of(ShareColumn, RESULT, "satisfied"),
    _of(ShareColumn, RESULT, "dissatisfied"),
    _of(UnitColumn, RESULT, "satisfaction_unit"),
    _of(TextColumn, RESULT, "notes"),
    IdColumn(LINE_ID_LABEL, "line_id"),
)


def by_label(columns: tuple[Column, ...]) -> dict[str, Column]:
    return {c.label: c for c in columns}
