"""One log line for every action and refusal, in `planner serve`'s log.

Actions and most refusals happen in the apps' kernels, separate processes whose output goes to the
page, not to the server's log. Every one of them is already a row in the store (a revision, a result,
a refusal), written in the same transaction as the change itself, so the server reads the new rows
every few seconds and logs each once: the log cannot claim an action the store did not keep, and
actions taken with the CLI on the same store appear too. Lines name the user, the action and the plan,
never a key or a kernel id (and the server's log filter would hide one anyway).
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

log = logging.getLogger("planner.serve.access")

# (status before, status after) -> the store's action that makes that move
_ACTIONS = {("submitted", "draft"): "withdraw", ("accepted", "draft"): "reopen"}
_INTO = {"submitted": "submit", "accepted": "accept", "returned": "return", "draft": "save"}
# refusals of sign-in (by key or through the hub) are logged by the sign-in itself, with the client's address
_LOGGED_ELSEWHERE = ("authenticate", "hub_sign_in")
REASON_CHARS = 200


def _action(status_from: str | None, status: str) -> str:
    return _ACTIONS.get((status_from or "", status)) or _INTO.get(status, status)


class ActivityLog:
    """Follows the store's revisions, results and refusals from the moment it is made."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db
        self._revision = self._max("revisions", "rowid")
        self._refusal = self._max("refusals", "id")
        # results are updated in place (same row): followed by their time (whole seconds), with what
        # was logged at the latest time remembered, so another write within that second is not lost
        self._result_at = self._max("results", "at") or ""
        self._result_seen: set[tuple[int, str, str]] = set()

    def _max(self, table: str, column: str) -> Any:
        return self.db.execute(f"SELECT max({column}) FROM {table}").fetchone()[0] or 0

    def poll(self) -> int:
        """Log what is new since the last poll; returns how many lines were written."""
        try:
            return self._revisions() + self._results() + self._refusals()
        except sqlite3.Error as exc:  # a busy or moved store: the next poll tries again
            log.warning("activity log: store not readable now (%s)", exc)
            return 0

    def _revisions(self) -> int:
        rows = self.db.execute(
            "SELECT r.rowid AS n, r.by_user, r.revision, r.status, r.status_from, p.consortium, p.fiscal_year"
            " FROM revisions r JOIN plans p ON p.id = r.plan_id WHERE r.rowid > ? ORDER BY r.rowid",
            (self._revision,)).fetchall()
        for r in rows:
            log.info("action: %s %s %s FY%s revision %s (%s -> %s)", r["by_user"],
                     _action(r["status_from"], r["status"]), r["consortium"], r["fiscal_year"], r["revision"],
                     r["status_from"] or "new", r["status"])
            self._revision = r["n"]
        return len(rows)

    def _results(self) -> int:
        rows = self.db.execute(
            "SELECT x.rowid AS n, x.at, x.by_user, x.line_id, x.content, p.consortium, p.fiscal_year"
            " FROM results x JOIN plans p ON p.id = x.plan_id WHERE x.at >= ? ORDER BY x.at, x.rowid",
            (self._result_at,)).fetchall()
        written = 0
        for r in rows:
            seen = (r["n"], r["at"], r["content"])
            if seen in self._result_seen:
                continue
            if r["at"] != self._result_at:
                self._result_at, self._result_seen = r["at"], set()
            self._result_seen.add(seen)
            log.info("action: %s record_result %s FY%s line %s", r["by_user"], r["consortium"], r["fiscal_year"],
                     r["line_id"])
            written += 1
        return written

    def _refusals(self) -> int:
        rows = self.db.execute("SELECT * FROM refusals WHERE id > ? ORDER BY id", (self._refusal,)).fetchall()
        written = 0
        for r in rows:
            self._refusal = r["id"]
            if r["action"] in _LOGGED_ELSEWHERE:
                continue
            reason = " ".join((r["reason"] or "").split())
            if len(reason) > REASON_CHARS:
                reason = reason[:REASON_CHARS] + "…"
            log.warning("refusal: %s %s %s (%s): %s", r["user"] or "-", r["action"], r["target"], r["kind"], reason)
            written += 1
        return written
