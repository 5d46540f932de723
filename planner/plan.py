"""A plan and its lines: what a person entered, valid or not. Constructing them never raises."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

DETAIL_FIELDS = ("place", "companies", "students", "language", "notes")
LINE_FIELDS = ("item", "variant", "quantity", "month", "title", *DETAIL_FIELDS)


@dataclass(frozen=True)
class Line:
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

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Line:
        return cls(**{k: v for k, v in d.items() if k in LINE_FIELDS})


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
        lines = list(self.lines)
        lines[index] = line
        return replace(self, lines=lines)

    def remove_line(self, index: int) -> Plan:
        return replace(self, lines=self.lines[:index] + self.lines[index + 1 :])


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
