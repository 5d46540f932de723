"""What a plan comes to under its year's menu: each line's item, variant and points, the plan's points
against its budget, and the rules' findings. The CLI's `show`, the analysts' frames and both apps
read a plan through this one projection."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .findings import Finding
from .fiscal_year import FiscalYear, MenuItem, Variant
from .plan import Line, Plan
from .rules import check, line_points


@dataclass(frozen=True)
class LineFacts:
    """A line under the menu: its item and variant (None where the line names none that exists)."""

    item: MenuItem | None
    variant: Variant | None
    points: int

    @property
    def unit_points(self) -> int | None:
        return self.variant.points if self.variant else None


def line_facts(line: Line, menu: Mapping[int, MenuItem]) -> LineFacts:
    item = menu.get(line.item) if isinstance(line.item, int) and not isinstance(line.item, bool) else None
    variant = item.variant(line.variant) if item else None
    return LineFacts(item, variant, line_points(line, menu))


@dataclass(frozen=True)
class PlanSummary:
    lines: tuple[LineFacts, ...]
    used: int
    budget: int | None  # None: the year's data sets no budget for this consortium
    findings: list[Finding]

    @property
    def left(self) -> int | None:
        return None if self.budget is None else self.budget - self.used

    @property
    def errors(self) -> int:
        return sum(f.is_error for f in self.findings)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors


def summarize(plan: Plan, fy: FiscalYear) -> PlanSummary:
    menu = fy.menu_for(plan.consortium) if isinstance(plan.consortium, str) else fy.menu
    lines = tuple(line_facts(ln, menu) for ln in plan.lines)
    budget = fy.budget(plan.consortium) if isinstance(plan.consortium, str) else None
    return PlanSummary(lines, sum(f.points for f in lines), budget, check(plan, fy))
