"""The contractor's load: events planned per month across every consortium, against its capacity.

Events are counted as the rules count them (event_counts). Pure functions over plans and a fiscal year;
which plans count for whom is the desk's to decide (Desk.load).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .event_counts import events_by_month
from .findings import Finding
from .fiscal_year import FiscalYear
from .japanese import FISCAL_MONTHS, month_label
from .plan import Plan
from .text import Text


@dataclass(frozen=True)
class MonthLoad:
    month: int
    events: int
    by_consortium: dict[str, int] = field(default_factory=dict)
    over: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"month": self.month, "events": self.events, "by_consortium": dict(self.by_consortium),
                "over": self.over}


@dataclass(frozen=True)
class Load:
    year: int
    capacity: int | None
    months: tuple[MonthLoad, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"fiscal_year": self.year, "capacity": self.capacity, "months": [m.as_dict() for m in self.months]}

    @property
    def over(self) -> list[MonthLoad]:
        return [m for m in self.months if m.over]


def monthly_load(plans: Iterable[Plan], fy: FiscalYear) -> Load:
    """April to March: the events of every given plan of the year, per consortium and in all."""
    per: dict[int, dict[str, int]] = {m: {} for m in FISCAL_MONTHS}
    for plan in plans:
        if plan.fiscal_year != fy.year or plan.consortium not in fy.consortia:
            continue
        for m, n in events_by_month(plan, fy.menu_for(plan.consortium)).items():
            per[m][plan.consortium] = per[m].get(plan.consortium, 0) + n
    cap = fy.monthly_capacity
    months = []
    for m in FISCAL_MONTHS:
        by = {cid: per[m][cid] for cid in fy.consortia if cid in per[m]}
        total = sum(by.values())
        months.append(MonthLoad(m, total, by, cap is not None and total > cap))
    return Load(fy.year, cap, tuple(months))


def others_by_month(load: Load, consortium: str) -> dict[int, int]:
    """Every other consortium's events per month, added up: all a secretariat is shown of them."""
    return {m.month: m.events - m.by_consortium.get(consortium, 0) for m in load.months}


def capacity_findings(plan: Plan, fy: FiscalYear, others: Mapping[int, int]) -> list[Finding]:
    """A programme-level warning for each month this plan would push over the contractor's capacity."""
    cap = fy.monthly_capacity
    if cap is None or plan.consortium not in fy.consortia:
        return []
    out = []
    for m, mine in sorted(events_by_month(plan, fy.menu_for(plan.consortium)).items(),
                          key=lambda kv: FISCAL_MONTHS.index(kv[0])):
        rest = others.get(m, 0)
        if mine and rest + mine > cap:
            out.append(Finding.of("PROGRAMME_OVER_CAPACITY", month=Text(month_label(m, "ja"), month_label(m, "en")),
                                  total=rest + mine, mine=mine, cap=cap))
    return out
