"""One log line for every action and refusal, in `planner serve`'s log.

Actions and most refusals happen in the apps' kernels, separate processes whose output goes to the
page, not to the server's log. Every action is an event in the store, written by the desk in the same
transaction as the change itself, and every refusal a row of its own, so the server reads the new ones
every few seconds and logs each once: the log cannot claim an action the store did not keep, and
actions taken with the CLI on the same store appear too. Lines name the user, the action and the plan,
never a key or a kernel id (and the server's log filter would hide one anyway).
"""

from __future__ import annotations

import logging
import sqlite3

from ..store import Store

log = logging.getLogger("planner.serve.access")

# refusals of sign-in (by key or through the hub) are logged by the sign-in itself, with the client's address
_LOGGED_ELSEWHERE = ("authenticate", "hub_sign_in")
REASON_CHARS = 200


class ActivityLog:
    """Follows the store's events and refusals from the moment it is made."""

    def __init__(self, store: Store):
        self.store = store
        self._event = store.last_event()
        self._refusal = store.last_refusal()

    def poll(self) -> int:
        """Log what is new since the last poll; returns how many lines were written."""
        try:
            return self._events() + self._refusals()
        except sqlite3.Error as exc:  # a busy or moved store: the next poll tries again
            log.warning("activity log: store not readable now (%s)", exc)
            return 0

    def _events(self) -> int:
        events = self.store.events(self._event)
        for e in events:
            if e.line_id is not None:
                log.info("action: %s %s %s FY%s line %s", e.by, e.action, e.consortium, e.fiscal_year, e.line_id)
            else:
                log.info("action: %s %s %s FY%s revision %s (%s -> %s)", e.by, e.action, e.consortium,
                         e.fiscal_year, e.revision, e.status_from or "new", e.status)
            self._event = e.id
        return len(events)

    def _refusals(self) -> int:
        written = 0
        for r in self.store.refusals(self._refusal):
            self._refusal = r["id"]
            if r["action"] in _LOGGED_ELSEWHERE:
                continue
            reason = " ".join((r["reason"] or "").split())
            if len(reason) > REASON_CHARS:
                reason = reason[:REASON_CHARS] + "…"
            log.warning("refusal: %s %s %s (%s): %s", r["user"] or "-", r["action"], r["target"], r["kind"], reason)
            written += 1
        return written
