"""Results (実績) as the store keeps them, one per session of a plan line, kept by the line's id and the
session (1 … the line's quantity). What the store itself refuses: a result over the text limits, one whose
line is not in the plan or whose session is beyond the line's quantity, one with errors (unknown
prefectures, a company listed twice among them), two for the same session at once, and one put on a
line that takes none (results_on_other_lines)."""

from __future__ import annotations

import json

from .. import limits
from ..errors import InvalidAction, NotFound
from ..findings import Finding
from ..plan import Plan
from ..results import Result, attach, check_result, results_on_other_lines, settled
from . import connection
from .connection import refuse_oversize
from .plans import Plans, read_result, stored_results


def in_line_order(results: list[Result], plan: Plan) -> list[Result]:
    """Each result with its line's 番号 as it is now, in the order of the lines (a result whose line is
    no longer in the plan, None as 番号, comes last)."""
    attached = [attach(r, plan) for r in results]
    return sorted(attached, key=lambda r: (r.line is None, r.line or 0, r.session))


def same_sessions(results: list[Result]) -> list[Finding]:
    """Two results given at once for the same session of a line: which one is meant cannot be told."""
    seen, out = set(), []
    for r in results:
        if r.key in seen:
            out.append(Finding.of("SESSION_DUPLICATE", line=r.line if isinstance(r.line, int) else None,
                                  n=r.line if r.line is not None else r.line_id, session=r.session))
        seen.add(r.key)
    return out


class Results(Plans):
    def put_results(self, consortium: str, fiscal_year: int, results: list[Result], by: str) -> list[Result]:
        """Keep several results in one transaction (each replaces the earlier one of its line's session):
        all of them, or none if any is refused. Returns them as kept, each with its line's id."""
        with self.transaction() as db:
            row = self._plan_row(consortium, fiscal_year)
            if row is None:
                raise NotFound(f"{consortium} の {fiscal_year} 年度の計画はまだありません。",
                               f"There is no FY{fiscal_year} plan for {consortium} yet.")
            plan = self._record(row).plan
            refuse_oversize([why for r in results for why in limits.result_problems(r)])
            # a result given by 番号 only is read against the plan as it is now, inside this transaction
            results = [attach(limits.visible_result(r), plan) for r in results]
            # a warning (shares of 33/33/33 adding up to 99 %) is said where it is entered, and kept
            findings = [f for r in results for f in check_result(r, plan) if f.is_error]
            findings += same_sessions(results)
            menu = self.menu_or_none(consortium, fiscal_year)
            if menu is not None:  # without the year's file no line can be told an event (nor a form made)
                findings += results_on_other_lines(results, plan, menu, stored_results(db, row["id"]))
            if findings:
                raise InvalidAction("\n".join(f.message_ja for f in findings),
                                    "\n".join(f.message_en for f in findings))
            results = [settled(r) for r in results]
            for result in results:
                content = {k: v for k, v in result.as_dict().items() if k != "line"}  # the 番号 changes; the id not
                db.execute(
                    "INSERT INTO results (plan_id, line_id, session, content, by_user, at) VALUES (?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT(plan_id, line_id, session) DO UPDATE SET content = excluded.content,"
                    " by_user = excluded.by_user, at = excluded.at",
                    (row["id"], result.line_id, result.session, json.dumps(content, ensure_ascii=False), by,
                     connection.now()),
                )
        return results

    def plan_results(self, consortium: str, fiscal_year: int) -> list[Result]:
        """The plan's results in the order of its lines (in_line_order); none if there is no plan."""
        row = self._plan_row(consortium, fiscal_year)
        if row is None:
            return []
        return in_line_order(stored_results(self.db, row["id"]), self._record(row).plan)

    def all_results(self, fiscal_year: int | None = None) -> list[tuple[str, int, Result]]:
        """Every result with its consortium and year, each with its line's 番号 in the current plan."""
        plans = {(r.plan.consortium, r.plan.fiscal_year): r.plan for r in self.plan_records(fiscal_year)}
        sql = ("SELECT p.consortium, p.fiscal_year, r.session, r.content FROM results r"
               " JOIN plans p ON p.id = r.plan_id"
               + (" WHERE p.fiscal_year = ?" if fiscal_year is not None else "") + " ORDER BY p.id")
        rows = self.db.execute(sql, (fiscal_year,) if fiscal_year is not None else ()).fetchall()
        by_plan: dict[tuple[str, int], list[Result]] = {}
        for cid, year, session, content in rows:
            by_plan.setdefault((cid, year), []).append(read_result(session, content))
        return [(cid, year, r) for (cid, year), results in by_plan.items()
                for r in in_line_order(results, plans[(cid, year)])]
