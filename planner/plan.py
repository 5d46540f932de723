"""A plan and its lines: what a person entered, valid or not. Constructing them never raises."""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from .fields import LINE, names

DETAIL_FIELDS = names(LINE, detail=True)
# what a person entered; the id is the line's identity, not something they enter
LINE_FIELDS = names(LINE)


def new_line_id() -> str:
    """A fresh line id: 48 random bits, so lines made apart (the app, a workbook filled offline, the
    API) never need a counter to agree on, and two ids in one plan of 200 lines meet about once in
    10^10 plans. The leading letter keeps Excel from ever reading one as a number."""
    return "L" + secrets.token_hex(6)


@dataclass(frozen=True)
class Line:
    """One line of a plan. `id` is given when the line is made (here, by default) and kept through
    every edit, move, save and workbook round trip; results and history refer to it. Field order is
    the positional order people use (`Line(2, "online", 3, 7, "…")`), so the id comes last."""

    item: Any = None
    variant: Any = None
    quantity: Any = 1
    month: Any = None
    title: Any = ""
    place: Any = ""
    companies: Any = None
    students: Any = None
    language: Any = ""
    notes: Any = ""
    # the event will not take place (decided after the plan was accepted): the line stays, with its
    # results and history, and uses no points; only True counts, anything else is "going ahead"
    cancelled: Any = False
    # the id of the line this one serves: a ⑦ (transport) or ⑩ (venue) line names its event; None: none chosen
    serves: Any = None
    id: Any = field(default_factory=new_line_id)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Line:
        return cls(**{k: v for k, v in d.items() if k in (*LINE_FIELDS, "id")})

    def content(self) -> dict[str, Any]:
        """What a person entered, without the id: what two lines are compared on field by field."""
        return {f: getattr(self, f) for f in LINE_FIELDS}


@dataclass(frozen=True)
class Plan:
    consortium: Any
    fiscal_year: Any
    lines: tuple[Line, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        # Accept a list (as people write it) but keep an immutable tuple.
        object.__setattr__(self, "lines", tuple(self.lines or ()))

    def as_dict(self) -> dict[str, Any]:
        return {
            "consortium": self.consortium,
            "fiscal_year": self.fiscal_year,
            "lines": [ln.as_dict() for ln in self.lines],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Plan:
        return cls(
            consortium=d.get("consortium"),
            fiscal_year=d.get("fiscal_year"),
            lines=[Line.from_dict(x) for x in d.get("lines", [])],
        )

    def add_line(self, line: Line) -> Plan:
        return replace(self, lines=(*self.lines, line))

    def replace_line(self, index: int, line: Line) -> Plan:
        """The line at index with new content: it stays the same line (keeps its id)."""
        lines = list(self.lines)
        lines[index] = replace(line, id=lines[index].id)
        return replace(self, lines=lines)

    def remove_line(self, index: int) -> Plan:
        return replace(self, lines=self.lines[:index] + self.lines[index + 1 :])

    def move_line(self, index: int, to: int) -> Plan:
        """The line at index moved to position `to` (0-based, in the plan without it)."""
        lines = list(self.lines)
        ln = lines.pop(index)
        lines.insert(to, ln)
        return replace(self, lines=lines)

    def line_index(self, line_id: Any) -> int | None:
        """Where the line with this id is now (0-based), or None if the plan has no such line."""
        for i, ln in enumerate(self.lines):
            if ln.id == line_id:
                return i
        return None

    def copied_to(self, fiscal_year: Any) -> Plan:
        """This plan's lines as a new plan for another year: new lines, so new ids (a result of last
        year's line must never be read as this year's). A line that serves another serves its copy."""
        new_ids = {ln.id: new_line_id() for ln in self.lines}
        return Plan(self.consortium, fiscal_year,
                    [replace(ln, id=new_ids[ln.id], serves=_mapped(ln.serves, new_ids)) for ln in self.lines])


def _mapped(serves: Any, ids: dict[Any, str]) -> Any:
    return ids.get(serves, serves) if isinstance(serves, str) else serves


def is_cancelled(line: Line) -> bool:
    return line.cancelled is True


def is_whole_positive(v: Any) -> bool:
    """A positive whole number; 3.0 from a spreadsheet counts, True and 2.5 do not."""
    if isinstance(v, bool):
        return False
    if isinstance(v, int):
        return v > 0
    if isinstance(v, float):
        return v.is_integer() and v > 0
    return False


def is_month(v: Any) -> bool:
    return not isinstance(v, bool) and isinstance(v, int | float) and float(v).is_integer() and 1 <= v <= 12
