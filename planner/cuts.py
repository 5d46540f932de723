"""Which lines to cut when a plan is over its budget: a suggestion for the person, never a change.

Removing a line and cancelling it free the same points (a cancelled line uses none), so one suggestion
covers both; which of the two is allowed (a line with a result can only be cancelled) is the editor's
to say when it is tried.
"""

from __future__ import annotations

from dataclasses import dataclass

from .fiscal_year import FiscalYear
from .plan import Plan
from .rules import line_points


@dataclass(frozen=True)
class Cut:
    """Lines (1-based) whose removal, together, brings the plan within its budget, and the points freed."""

    lines: tuple[int, ...]
    points: int


@dataclass(frozen=True)
class BudgetCuts:
    """How far a plan is over its budget and the cuts that would end the overrun.

    `cuts` holds single lines, each enough on its own, fewest points first (the plan loses the least);
    when no single line is enough, it holds one cut of the fewest lines that are."""

    over: int
    cuts: tuple[Cut, ...]

    @property
    def single(self) -> bool:
        return all(len(c.lines) == 1 for c in self.cuts)


def budget_cuts(plan: Plan, fy: FiscalYear, limit: int = 3) -> BudgetCuts | None:
    """The cuts that bring `plan` within its budget (at most `limit` single lines); None while it is
    within its budget or the year sets it none."""
    budget = fy.budget(plan.consortium) if isinstance(plan.consortium, str) else None
    if budget is None:
        return None
    menu = fy.menu_for(plan.consortium) if plan.consortium in fy.consortia else fy.menu
    pts = [(n, line_points(ln, menu)) for n, ln in enumerate(plan.lines, start=1)]
    pts = [(n, p) for n, p in pts if p > 0]  # cutting a line that uses no points frees nothing
    over = sum(p for _, p in pts) - budget
    if over <= 0:
        return None
    singles = sorted(((p, n) for n, p in pts if p >= over))
    if singles:
        return BudgetCuts(over, tuple(Cut((n,), p) for p, n in singles[:limit]))
    # no line is enough alone: the largest lines make the fewest, and the last of them is the smallest
    # line that still closes the gap, so the plan keeps as much as that number of cuts allows
    largest = sorted(pts, key=lambda np: (-np[1], np[0]))
    taken: list[tuple[int, int]] = []
    freed = 0
    for i, (n, p) in enumerate(largest):
        if freed + p >= over:
            last = min((q for q in largest[i:] if freed + q[1] >= over), key=lambda np: (np[1], np[0]))
            taken.append(last)
            break
        taken.append((n, p))
        freed += p
    chosen = sorted(taken)
    return BudgetCuts(over, (Cut(tuple(n for n, _ in chosen), sum(p for _, p in chosen)),))
