"""The columns of the 計画 and 実績 sheets, in template order, and the readers that know the menu: the
menu item (②合同企業説明会の開催…, ②, 2 or the name) and its variant (区分). The column types they are
made of are planner.workbook.columns."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..fields import LINE, RESULT, Field
from ..fiscal_year import MenuItem
from ..japanese import CIRCLED, circled
from ..text import Text
from .columns import (
    CancelledColumn,
    Column,
    ComputedColumn,
    DatesColumn,
    IdColumn,
    IntColumn,
    MonthColumn,
    ShareColumn,
    ShownColumn,
    TextColumn,
    UnitColumn,
    norm,
    scalar,
)

# the hidden column on 計画 and 実績 that keeps each row's line: results and history follow it
LINE_ID_LABEL = "行ID"
CANCELLED_LABEL = "中止"
# a hidden computed column on 計画: the menu item's number as planner reads the メニュー cell (②…, 2, the
# name), so that the points lookup and the 区分 dropdown follow the item however it was typed
ITEM_NO_LABEL = "メニュー番号"


def last_shown_column(ws: Any, cols: dict[str, int]) -> int:
    """The print area's right edge: the hidden columns (line id, item number) are not printed."""
    return max((i for label, i in cols.items() if label not in (LINE_ID_LABEL, ITEM_NO_LABEL)), default=ws.max_column)


def item_display(item: MenuItem) -> str:
    """How a menu item appears in a cell and in the dropdown: ②合同企業説明会の開催（…）."""
    return f"{circled(item.no)}{item.name_ja}"


def variant_key(item: MenuItem, variant_name: str) -> str:
    """Key of the hidden points table: the item's cell text and the variant's cell text."""
    return f"{item_display(item)}|{variant_name}"


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
        v = scalar(v)
        if isinstance(v, int) and not isinstance(v, bool):
            return v, []
        s = norm(str(v))
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
            if s in (norm(item.name_ja), norm(item.name_en)):
                return item.no, []
        # Unknown text stays as typed: the plan rules report UNKNOWN_ITEM with the choices.
        return str(v), []


_MONTH_TEXT = re.compile(r"\d{1,2}\s*月")


def _names(item: MenuItem, text: str) -> bool:
    """Whether text after an item's number is that item's name (or the start of it, or the name and more)."""
    for name in (norm(item.name_ja), norm(item.name_en)):
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
        s = norm(str(scalar(raw.value)))
        item: MenuItem | None = ctx.get("item")
        if item is not None:
            for var in item.variants:
                if s in (norm(var.name_ja), var.id, norm(var.name_en)):
                    return var.id, []
        return s, []


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
    # which session of the line the row is (a row each, 1 … the line's quantity); an export made before
    # results had sessions has no such column: its rows are session 1
    IntColumn(RESULT["session"].label.ja, "session", minimum=1, required=False),
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


# the 参加企業 sheet: a row a participating company of a result, named by the result's 番号 and 回
COMPANY_COLUMNS: tuple[Column, ...] = (
    IntColumn("番号", "line", minimum=1),
    IntColumn(RESULT["session"].label.ja, "session", minimum=1, required=False),
    TextColumn("企業名", "name"),
    TextColumn("都道府県", "prefecture"),
)


def by_label(columns: tuple[Column, ...]) -> dict[str, Column]:
    return {c.label: c for c in columns}
