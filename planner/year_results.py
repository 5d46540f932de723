"""The year's results figures (planner.results_summary) read through a desk or the store: the one place
the review app's 計画と実績, the year's results book and the analysts' tables get them, so all three agree."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .access import refusal
from .japanese import JST
from .results import Result
from .results_summary import YearFigures, year_figures

if TYPE_CHECKING:
    from .desk import Desk
    from .store import Store


def japan_today() -> dt.date:
    return dt.datetime.now(JST).date()


def read_year(source: Desk | Store, year: int, today: dt.date | None = None,
              consortia: set[str] | None = None) -> YearFigures:
    """The figures of the year's accepted plans that the desk's person may read (all of them from the
    store: the CLI holds the file), optionally only those of `consortia`."""
    from .desk import Desk

    fy = source.fiscal_year(year)
    records = [r for r in source.plan_records(year) if r.status == "accepted"]
    if isinstance(source, Desk):
        user = source.user
        records = [r for r in records if refusal(user, "read", r.plan.consortium, r.status) is None]
    if consortia is not None:
        records = [r for r in records if r.plan.consortium in consortia]
    kept = {r.plan.consortium for r in records}
    results: dict[str, list[Result]] = {}
    for cid, y, res in source.all_results(year):
        if y == year and cid in kept:
            results.setdefault(cid, []).append(res)
    return year_figures(fy, [r.plan for r in records], results, today or japan_today())
