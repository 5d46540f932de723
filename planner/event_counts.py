"""Event counting: the events a plan holds per month, as the rules (LATE_CONCENTRATION) and the
contractor's load count them. Events are the quantities of the menu's event items (①–⑥) on lines with
a valid month; cancelled lines and quantities that are not positive whole numbers do not count."""

from __future__ import annotations

from collections.abc import Mapping

from .fiscal_year import MenuItem
from .plan import Plan, is_cancelled, is_month, is_whole_positive


def events_by_month(plan: Plan, menu: Mapping[int, MenuItem]) -> dict[int, int]:
    """Events of one plan per calendar month number (only months that have any)."""
    out: dict[int, int] = {}
    for ln in plan.lines:
        item = menu.get(ln.item) if isinstance(ln.item, int) and not isinstance(ln.item, bool) else None
        if item is None or not item.event or is_cancelled(ln) or not is_whole_positive(ln.quantity):
            continue
        if is_month(ln.month):
            m = int(ln.month)
            out[m] = out.get(m, 0) + int(ln.quantity)
    return out
