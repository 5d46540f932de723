"""The fields of a plan line and of a result: one registry that the plan, the comparison, the limits,
the workbook columns and the app forms read, so that adding a field is adding a row here.

`kind` says how a field is entered and read: "item" and "variant" are picked from the menu, "count"
is a whole number people type, "month" a fiscal month, "text" free text, "flag" yes or no, "dates",
"share" (a count or a percentage), "unit" and "session" (which of a line's sessions) belong to
results. `detail` marks a line's details for the contractor (optional in the form, in the form's 詳細
section)."""

from __future__ import annotations

from dataclasses import dataclass

from .text import Text


@dataclass(frozen=True)
class Field:
    name: str
    label: Text
    kind: str
    detail: bool = False


def _table(*fields: Field) -> dict[str, Field]:
    return {f.name: f for f in fields}


LINE = _table(
    Field("item", Text("メニュー", "Item"), "item"),
    Field("variant", Text("区分", "Variant"), "variant"),
    Field("quantity", Text("数量", "Quantity"), "count"),
    Field("month", Text("実施月", "Month"), "month"),
    Field("title", Text("件名", "Title"), "text"),
    # a ⑦ or ⑩ line names the line it serves by that line's id; people see and type its 番号
    Field("serves", Text("対象行", "Serves"), "line"),
    Field("place", Text("開催地", "Place"), "text", detail=True),
    Field("companies", Text("想定企業数", "Companies"), "count", detail=True),
    Field("students", Text("想定留学生数", "Students"), "count", detail=True),
    Field("language", Text("言語", "Language"), "text", detail=True),
    Field("notes", Text("備考", "Notes"), "text", detail=True),
    Field("cancelled", Text("中止", "Cancelled"), "flag"),
)

RESULT = _table(
    Field("session", Text("回", "Session"), "session"),
    Field("dates", Text("実施日", "Date(s)"), "dates"),
    Field("venue", Text("会場", "Venue"), "text"),
    Field("companies", Text("参加企業数", "Companies"), "count"),
    Field("company_staff", Text("企業参加者数", "Company staff"), "count"),
    Field("students", Text("留学生数", "Students"), "count"),
    Field("members", Text("コンソーシアム関係者数", "Consortium members"), "count"),
    Field("very_satisfied", Text("大変満足", "Very satisfied"), "share"),
    Field("satisfied", Text("満足", "Satisfied"), "share"),
    Field("dissatisfied", Text("不満", "Dissatisfied"), "share"),
    Field("satisfaction_unit", Text("満足度の単位", "Satisfaction unit"), "unit"),
    Field("notes", Text("備考", "Notes"), "text"),
)


def names(table: dict[str, Field], kind: str | None = None, detail: bool | None = None) -> tuple[str, ...]:
    """The field names of a table, in order, optionally of one kind or only details / non-details."""
    return tuple(f.name for f in table.values()
                 if (kind is None or f.kind == kind) and (detail is None or f.detail == detail))
