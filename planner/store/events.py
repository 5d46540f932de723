"""Events: what happened, to which plan, by whom. The desk adds one inside the transaction of the
change it tells of, so a reader that follows them (the server's log; open pages and notices) sees
every change the store kept and none it did not."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import connection
from .results import Results


@dataclass(frozen=True)
class Event:
    id: int
    at: str
    by: str
    action: str  # the desk's action: save, submit, withdraw, accept, return, reopen, record_result
    consortium: str
    fiscal_year: int
    revision: int | None = None
    status_from: str | None = None
    status: str | None = None
    line_id: str | None = None  # the line a result was recorded for


class Events(Results):
    def add_event(self, by: str, action: str, consortium: str, fiscal_year: int, revision: int | None = None,
                  status_from: str | None = None, status: str | None = None, line_id: str | None = None) -> Event:
        """Keep an event; returns it as kept (the desk tells whom it concerns in the same transaction)."""
        at = connection.now()
        with self.transaction() as db:
            cur = db.execute("INSERT INTO events (at, by_user, action, consortium, fiscal_year, revision, status_from,"
                             " status, line_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             (at, by, action, consortium, fiscal_year, revision, status_from, status, line_id))
        return Event(cur.lastrowid, at, by, action, consortium, fiscal_year, revision, status_from, status, line_id)

    def events(self, after: int = 0) -> list[Event]:
        """The events after the id `after`, oldest first."""
        rows = self.db.execute("SELECT * FROM events WHERE id > ? ORDER BY id", (after,)).fetchall()
        return [_event(r) for r in rows]

    def events_of(self, actions: tuple[str, ...]) -> list[tuple[Event, str]]:
        """The events of these actions, newest first, each with the comment of the revision it made
        (the officer's reason for a return, the secretariat's message with a submission)."""
        marks = ", ".join("?" * len(actions))
        rows = self.db.execute(
            "SELECT e.*, coalesce(r.comment, '') AS revision_comment FROM events e"
            " LEFT JOIN plans p ON p.consortium = e.consortium AND p.fiscal_year = e.fiscal_year"
            " LEFT JOIN revisions r ON r.plan_id = p.id AND r.revision = e.revision"
            f" WHERE e.action IN ({marks}) ORDER BY e.id DESC", actions).fetchall()
        return [(_event(r), r["revision_comment"]) for r in rows]

    def read_notices(self, user: str) -> set[int]:
        """The ids of the events `user` has marked read in their inbox."""
        return {r[0] for r in self.db.execute("SELECT event_id FROM notice_reads WHERE user = ?", (user,))}

    def mark_notices_read(self, user: str, event_ids: list[int]) -> None:
        with self.transaction() as db:
            db.executemany("INSERT OR IGNORE INTO notice_reads (user, event_id, at) VALUES (?, ?, ?)",
                           [(user, i, connection.now()) for i in event_ids])

    def data_version(self) -> int:
        """A number that changes when another connection commits to the file: the cheapest way for a
        page to learn that something may have changed (no table is read)."""
        return self.db.execute("PRAGMA data_version").fetchone()[0]

    def event(self, event_id: int) -> Event | None:
        r = self.db.execute("SELECT * FROM events WHERE id = ?", (event_id,)).fetchone()
        return Event(r["id"], r["at"], r["by_user"], r["action"], r["consortium"], r["fiscal_year"], r["revision"],
                     r["status_from"], r["status"], r["line_id"]) if r else None

    def last_event(self) -> int:
        """The id of the latest event (0: none yet): where a reader that starts now begins."""
        return self.db.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]


def _event(r: Any) -> Event:
    return Event(r["id"], r["at"], r["by_user"], r["action"], r["consortium"], r["fiscal_year"], r["revision"],
                 r["status_from"], r["status"], r["line_id"])
