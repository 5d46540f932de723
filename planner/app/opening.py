"""What both apps do as a page opens: the fiscal year it shows."""

from __future__ import annotations

from ..desk import Desk
from ..fiscal_year import available_years


def pick_year(params: dict[str, str], desk: Desk, consortium: str | None = None) -> int:
    """The year the URL names if it has data; else the newest year this consortium has a plan in;
    else the newest year any consortium plans in (the programme's current round); else the newest file.

    A data file for next year may be published before anyone plans in it; it is not the default then.
    """
    years = available_years()
    asked = params.get("fy", "")
    if asked in {str(y) for y in years}:  # as written: "²", "٢٠٢٥" or 5,000 digits are no year
        return int(asked)
    for planned in (desk.plan_years(consortium) if consortium else [], desk.plan_years()):
        usable = [y for y in planned if y in years]
        if usable:
            return usable[-1]
    return years[-1]
