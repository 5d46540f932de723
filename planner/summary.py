"""What a plan comes to under its year's menu: each line's item, variant and points, the plan's points
against its budget, and its findings: the rules' and, given the rest of the programme's events per
month, a warning for each month the plan would push over the contractor's capacity. The CLI's `show`,
the analysts' frames and both apps read a plan through this one projection, so the secretariat, the
officer and the CLI see the same findings for the same plan."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .findings import Finding
from .fiscal_year import FiscalYear, MenuItem, Variant
from .load import capacity_findings
from .plan import Line, Plan
from .rules import check, line_points, unchosen_companions


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


def summarize(plan: Plan, fy: FiscalYear, *, others: Mapping[int, int] | None) -> PlanSummary:
    """The plan under the year's menu. `others`: the events every other consortium plans per month
    (load.others_by_month of load.load_in_view), which the capacity warnings add this plan's to; None
    only where findings are not read (the analysts' frame of lines). It is a required word so that no
    screen leaves the warnings out by forgetting them."""
    menu = fy.menu_for(plan.consortium) if isinstance(plan.consortium, str) else fy.menu
    lines = tuple(line_facts(ln, menu) for ln in plan.lines)
    budget = fy.budget(plan.consortium) if isinstance(plan.consortium, str) else None
    findings = list(check(plan, fy))
    findings += unchosen_companions(plan, fy)
    if others is not None:
        findings += capacity_findings(plan, fy, others)
    return PlanSummary(lines, sum(f.points for f in lines), budget, findings)
