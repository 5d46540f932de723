"""What both apps do before a page is asked for or as it opens: the store warmed ahead of the request,
and the fiscal year a page shows."""

from __future__ import annotations

from ..errors import PlannerError
from ..fiscal_year import available_years
from ..store import Store, open_store


def pick_year(params: dict[str, str], store: Store, consortium: str | None = None) -> int:
    """The year the URL names if it has data; else the newest year this consortium has a plan in;
    else the newest year any consortium plans in (the programme's current round); else the newest file.

    A data file for next year may be published before anyone plans in it; it is not the default then.
    """
    years = available_years()
    asked = params.get("fy", "")
    if asked.isdigit() and int(asked) in years:
        return int(asked)
    for planned in (store.plan_years(consortium) if consortium else [], store.plan_years()):
        usable = [y for y in planned if y in years]
        if usable:
            return usable[-1]
    return years[-1]


def warm_store() -> Store | None:
    """Open the store and read the fiscal-year files ahead of the request (preheated kernels run this
    before anyone asks); None if that fails, so the refusal is said once the page is asked for."""
    try:
        store = open_store()
        for year in available_years():
            store.fiscal_year(year)
        return store
    except PlannerError:
        return None
