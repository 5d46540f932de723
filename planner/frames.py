"""Plans and results as pandas DataFrames for analysts (one row a line), from the store or a desk."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .plan import is_cancelled
from .summary import summarize

if TYPE_CHECKING:
    import pandas as pd

    from .desk import Desk
    from .store import Store

PLAN_COLUMNS = [
    "consortium", "consortium_name", "fiscal_year", "status", "revision", "budget", "line", "line_id", "item",
    "item_name", "variant", "variant_name", "quantity", "unit_points", "points", "month", "title", "place", "companies",
    "students", "language", "notes", "cancelled", "serves", "updated_at", "updated_by",
]
RESULT_COLUMNS = [
    "consortium", "fiscal_year", "line", "line_id", "session", "item", "variant", "title", "planned_quantity",
    "planned_month", "dates", "venue", "companies", "company_staff", "students", "members", "participants",
    "very_satisfied", "satisfied", "dissatisfied", "satisfaction_unit", "notes",
    "listed_companies",
]
COMPANY_COLUMNS = ["consortium", "fiscal_year", "line", "line_id", "session", "item", "company", "prefecture"]


def plans_frame(source: Desk | Store, fiscal_year: int | None = None) -> pd.DataFrame:
    rows = []
    for rec in source.plan_records(fiscal_year):
        fy = source.fiscal_year(rec.plan.fiscal_year)
        summary = summarize(rec.plan, fy, others=None)  # a frame of lines: no findings column
        cons = fy.consortia.get(rec.plan.consortium)
        for n, (ln, facts) in enumerate(zip(rec.plan.lines, summary.lines, strict=True), start=1):
            item, variant = facts.item, facts.variant
            rows.append({
                "consortium": rec.plan.consortium,
                "consortium_name": cons.name_ja if cons else rec.plan.consortium,
                "fiscal_year": rec.plan.fiscal_year,
                "status": rec.status,
                "revision": rec.revision,
                "budget": summary.budget,
                "line": n,
                "line_id": ln.id,
                "item": ln.item,
                "item_name": item.name_ja if item else None,
                "variant": ln.variant,
                "variant_name": variant.name_ja if variant else None,
                "quantity": ln.quantity,
                "unit_points": facts.unit_points,
                "points": facts.points,
                "month": ln.month,
                "title": ln.title,
                "place": ln.place,
                "companies": ln.companies,
                "students": ln.students,
                "language": ln.language,
                "notes": ln.notes,
                "cancelled": is_cancelled(ln),
                "serves": ln.serves,  # a ⑦ or ⑩ line: the line_id of the line it serves
                "updated_at": rec.updated_at,
                "updated_by": rec.updated_by,
            })
    return _frame(rows, PLAN_COLUMNS)


def results_frame(source: Desk | Store, fiscal_year: int | None = None) -> pd.DataFrame:
    plans = {(r.plan.consortium, r.plan.fiscal_year): r.plan for r in source.plan_records(fiscal_year)}
    rows = []
    for consortium, year, res in source.all_results(fiscal_year):
        plan = plans.get((consortium, year))
        # joined by the line's id: the 番号 is where the line is now, not what the result is kept by
        i = plan.line_index(res.line_id) if plan else None
        ln = plan.lines[i] if plan and i is not None else None
        rows.append({
            "consortium": consortium,
            "fiscal_year": year,
            "line": None if i is None else i + 1,
            "line_id": res.line_id,
            "session": res.session,
            "item": ln.item if ln else None,
            "variant": ln.variant if ln else None,
            "title": ln.title if ln else None,
            "planned_quantity": ln.quantity if ln else None,
            "planned_month": ln.month if ln else None,
            "dates": ", ".join(res.dates),
            "venue": res.venue,
            "companies": res.companies,
            "company_staff": res.company_staff,
            "students": res.students,
            "members": res.members,
            "participants": res.participants,
            "very_satisfied": res.very_satisfied,
            "satisfied": res.satisfied,
            "dissatisfied": res.dissatisfied,
            "satisfaction_unit": res.satisfaction_unit,
            "notes": res.notes,
            "listed_companies": len(res.company_list),
        })
    return _frame(rows, RESULT_COLUMNS)


def companies_frame(source: Desk | Store, fiscal_year: int | None = None) -> pd.DataFrame:
    """One row a participating company of a result (a session): its name and prefecture."""
    plans = {(r.plan.consortium, r.plan.fiscal_year): r.plan for r in source.plan_records(fiscal_year)}
    rows = []
    for consortium, year, res in source.all_results(fiscal_year):
        plan = plans.get((consortium, year))
        i = plan.line_index(res.line_id) if plan else None
        for c in res.company_list:
            rows.append({"consortium": consortium, "fiscal_year": year, "line": None if i is None else i + 1,
                         "line_id": res.line_id, "session": res.session,
                         "item": plan.lines[i].item if plan and i is not None else None,
                         "company": c.name, "prefecture": c.prefecture})
    return _frame(rows, COMPANY_COLUMNS)


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    # pandas is loaded when a frame is made, not with `import planner`: the apps' kernels make none on
    # their first screen, and pandas would double each waiting kernel's memory (52 → 100 MiB)
    import pandas as pd

    return pd.DataFrame(rows, columns=columns)
