"""A new year's plan started from last year's: the lines come over, checked against the new year.

Nothing is dropped: a line whose item is no longer offered or whose variant is gone comes over as it
was and the new year's rules flag it (UNKNOWN_ITEM, UNKNOWN_VARIANT); a line whose points changed
gets a warning saying from what to what. Results never come over, and every line gets a new id.
"""

from __future__ import annotations

from dataclasses import replace

from .findings import Finding
from .fiscal_year import FiscalYear
from .plan import Plan
from .rules import fy_text, item_text
from .text import Text


def copy_plan(source: Plan, target_fy: FiscalYear) -> Plan:
    """Last year's lines as this year's plan: new ids, and a cancelled line planned again."""
    copied = source.copied_to(target_fy.year)
    return replace(copied, lines=[replace(ln, cancelled=False) for ln in copied.lines])


def points_changed(plan: Plan, source_fy: FiscalYear, target_fy: FiscalYear) -> list[Finding]:
    """A warning on each line of a copied plan whose variant costs other points than last year."""
    before, after = source_fy.menu_for(plan.consortium), target_fy.menu_for(plan.consortium)
    out = []
    for n, ln in enumerate(plan.lines, start=1):
        old_item, new_item = before.get(ln.item), after.get(ln.item)
        old = old_item.variant(ln.variant) if old_item else None
        new = new_item.variant(ln.variant) if new_item else None
        if old is None or new is None or old.points == new.points:
            continue
        out.append(Finding.of("POINTS_CHANGED", line=n, label=item_text(new_item),
                              variant=Text(new.name("ja"), new.name("en")), old=old.points, new=new.points,
                              old_fy=fy_text(source_fy), new_fy=fy_text(target_fy)))
    return out

