"""The Python API of the SPEC (`planner.open_store`): the store, with each action taken by a named
user (`by=`) going through that user's desk, so a notebook or a script meets the same refusals as an
app; and the analysts' DataFrames."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from . import store as repository
from .desk import Desk
from .diff import Change
from .frames import companies_frame, plans_frame, results_frame
from .plan import Plan
from .results import Result

if TYPE_CHECKING:
    import pandas as pd


class Store(repository.Store):
    """An open store file, with the SPEC's `by=` actions (each through `desk(by)`)."""

    def desk(self, by: str) -> Desk:
        """The desk of a named user: what the CLI's `--as USER` and the `by=` methods act through."""
        return Desk(self, by)

    def find(self, consortium: str, fiscal_year: int, by: str) -> repository.PlanRecord | None:
        return self.desk(by).find(consortium, fiscal_year)

    def get(self, consortium: str, fiscal_year: int, by: str) -> repository.PlanRecord:
        return self.desk(by).get(consortium, fiscal_year)

    def history(self, consortium: str, fiscal_year: int, by: str) -> list[repository.Revision]:
        return self.desk(by).history(consortium, fiscal_year)

    def revision(self, consortium: str, fiscal_year: int, revision: int, by: str) -> repository.Revision:
        return self.desk(by).revision(consortium, fiscal_year, revision)

    def compare(self, consortium: str, fiscal_year: int, a: int, b: int, by: str) -> list[Change]:
        return self.desk(by).compare(consortium, fiscal_year, a, b)

    def mark_seen(self, consortium: str, fiscal_year: int, revision: int, by: str) -> None:
        self.desk(by).mark_seen(consortium, fiscal_year, revision)

    def last_seen(self, consortium: str, fiscal_year: int, by: str) -> int | None:
        return self.desk(by).last_seen(consortium, fiscal_year)

    def results(self, consortium: str, fiscal_year: int, by: str) -> list[Result]:
        return self.desk(by).results(consortium, fiscal_year)

    def save(self, plan: Plan, by: str, base_revision: int | None) -> int:
        return self.desk(by).save(plan, base_revision)

    def submit(self, consortium: str, fiscal_year: int, by: str, base_revision: int | None = None,
               comment: str = "") -> int:
        """`comment`: the secretariat's message to the officer (変更点・返信) that goes with the plan."""
        return self.desk(by).submit(consortium, fiscal_year, base_revision, comment)

    def withdraw(self, consortium: str, fiscal_year: int, by: str, base_revision: int | None = None) -> int:
        return self.desk(by).withdraw(consortium, fiscal_year, base_revision)

    def accept(self, consortium: str, fiscal_year: int, by: str, base_revision: int | None = None,
               comment: str = "") -> int:
        return self.desk(by).accept(consortium, fiscal_year, base_revision, comment)

    def return_plan(self, consortium: str, fiscal_year: int, by: str, comment: str,
                    base_revision: int | None = None) -> int:
        return self.desk(by).return_plan(consortium, fiscal_year, comment, base_revision)

    def reopen(self, consortium: str, fiscal_year: int, by: str, comment: str = "",
               base_revision: int | None = None) -> int:
        return self.desk(by).reopen(consortium, fiscal_year, comment, base_revision)

    def record_result(self, consortium: str, fiscal_year: int, result: Result, by: str) -> None:
        self.desk(by).record_result(consortium, fiscal_year, result)

    def record_results(self, consortium: str, fiscal_year: int, results: list[Result], by: str) -> None:
        self.desk(by).record_results(consortium, fiscal_year, results)

    def inbox(self, by: str, limit: int = 50) -> list[repository.Notice]:
        """What concerns `by` (their お知らせ), newest first, each marked read or not."""
        return self.desk(by).inbox(limit)

    def mark_read(self, event_ids: list[int], by: str) -> int:
        return self.desk(by).mark_read(event_ids)

    def plans_frame(self, fiscal_year: int | None = None) -> pd.DataFrame:
        """One row a plan line, every consortium: status, revision, item, variant, points and details."""
        return plans_frame(self, fiscal_year)

    def results_frame(self, fiscal_year: int | None = None) -> pd.DataFrame:
        """One row a result (a session of a line): dates, venue, participants, satisfaction."""
        return results_frame(self, fiscal_year)

    def companies_frame(self, fiscal_year: int | None = None) -> pd.DataFrame:
        """One row a participating company of a result: consortium, line, session, name, prefecture."""
        return companies_frame(self, fiscal_year)


def open_store(path: str | os.PathLike | None = None, budgets: Path | None = None,
               read_only: bool | None = None) -> Store:
    """Open (creating if needed) the SQLite store at path, PLANNER_DB, or the default path; an existing
    file this process may not write (an analyst's snapshot) opens read-only unless `read_only` says."""
    return Store(path, budgets, read_only)
