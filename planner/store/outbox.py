"""Mail notices as the store keeps them: each person's address and choice, and the outbox.

A notice is a row of the outbox, written by the desk in the transaction of the change it tells of, so a
crash or a mail server that is down loses none. A sender claims due rows for a while (`claimed_until`)
so that two servers on one store never send the same row, and marks each sent, refused or dropped once
the mail server has answered. A row whose sender died between the mail server's acceptance and the
mark is sent again after its claim runs out, with the same Message-ID (the row's token), so a
duplicate can be told for one.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any

from ..access import User
from ..errors import InvalidAction
from ..mail.address import address_problem
from . import connection
from .events import Event, Events

CHOICES = ("each", "daily", "none")


@dataclass(frozen=True)
class Mail:
    """A claimed outbox row, with its recipient as the store knows them now."""

    id: int
    user: str
    kind: str  # event, digest, waiting (a reminder to the officer), results (a reminder to the contractor)
    event_id: int | None
    content: dict[str, Any]
    token: str
    attempts: int
    created_clock: float
    email: str
    notices: str
    active: bool


class Outbox(Events):
    # -- each person's address and choice ----------------------------------------------------------

    def set_email(self, name: str, address: str) -> None:
        """Where a person is mailed ("" stops their mails)."""
        self.user(name)
        address = address.strip() if isinstance(address, str) else address
        if address and (why := address_problem(address)):
            raise InvalidAction(*why)
        with self.transaction() as db:
            db.execute("UPDATE users SET email = ? WHERE name = ?", (address, name))

    def set_notices(self, name: str, choice: str) -> None:
        """How often a person is mailed: each event, a daily digest, or none."""
        if choice not in CHOICES:
            raise InvalidAction(f"メール通知の指定 {choice!r} はありません（each: 都度、daily: 1日1回まとめ、"
                                "none: なし）。",
                                f"There is no mail notice choice {choice!r} (each, daily or none).")
        self.user(name)
        with self.transaction() as db:
            db.execute("UPDATE users SET notices = ? WHERE name = ?", (choice, name))

    def mail_settings(self, name: str) -> tuple[str, str]:
        """(address, choice) of one person."""
        self.user(name)
        r = self.db.execute("SELECT email, notices FROM users WHERE name = ?", (name,)).fetchone()
        return r["email"], r["notices"]

    # -- queueing ------------------------------------------------------------------------------------

    def queue_notices(self, event: Event, recipients: list[User], more: list[Event] = ()) -> int:
        """One outbox row for each recipient with an address whose choice is not none (the desk calls
        this in the change's transaction, with `notices.recipients`); `more` are events of the same kind
        told in the same mail. Returns how many were queued."""
        content = {"more": [e.id for e in more]} if more else {}
        return sum(self._queue(u.name, "event", content, event_id=event.id) for u in recipients if u.active)

    def queue_mail(self, name: str, kind: str, content: dict[str, Any], dedupe: str) -> bool:
        """A reminder for one person, once for `dedupe` however often it is asked for; False if it was
        queued before, or the person is mailed nothing."""
        return self._queue(name, kind, content, dedupe=dedupe)

    def _queue(self, name: str, kind: str, content: dict[str, Any], event_id: int | None = None,
               dedupe: str | None = None) -> bool:
        with self.transaction() as db:
            r = db.execute("SELECT email, notices, active FROM users WHERE name = ?", (name,)).fetchone()
            if r is None or not r["active"] or not r["email"] or r["notices"] == "none":
                return False
            cur = db.execute(
                "INSERT OR IGNORE INTO outbox (user, kind, delivery, event_id, content, dedupe, token, created,"
                " created_clock, next_try) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (name, kind, r["notices"], event_id, json.dumps(content, ensure_ascii=False), dedupe,
                 secrets.token_hex(12), connection.now(), connection.clock(), connection.clock()))
            return cur.rowcount == 1

    # -- the daily digest ----------------------------------------------------------------------------

    def daily_rows(self) -> list[dict[str, Any]]:
        """Notices waiting for a digest: id, user, created_clock."""
        return [dict(r) for r in self.db.execute(
            "SELECT id, user, created_clock FROM outbox WHERE status = 'queued' AND delivery = 'daily'"
            " ORDER BY id")]

    def make_digest(self, name: str, day: str, ids: list[int]) -> bool:
        """One mail for `name` listing the notices `ids` of `day`; the notices are then in it and are not
        sent on their own. Once per person and day."""
        with self.transaction() as db:
            now = connection.clock()
            cur = db.execute(
                "INSERT OR IGNORE INTO outbox (user, kind, delivery, content, dedupe, token, created, created_clock,"
                " next_try) VALUES (?, 'digest', 'each', ?, ?, ?, ?, ?, ?)",
                (name, json.dumps({"day": day}), f"digest:{name}:{day}", secrets.token_hex(12), connection.now(),
                 now, now))
            if cur.rowcount != 1:
                return False
            marks = ",".join("?" * len(ids))
            db.execute(f"UPDATE outbox SET status = 'digested', digest_id = ?, done_at = ? WHERE id IN ({marks})"
                       " AND status = 'queued' AND delivery = 'daily'", (cur.lastrowid, connection.now(), *ids))
            return True

    def digest_items(self, digest_id: int) -> list[dict[str, Any]]:
        """The notices a digest lists: kind, event id, content, in the order they came."""
        rows = self.db.execute("SELECT kind, event_id, content, created FROM outbox WHERE digest_id = ? ORDER BY id",
                               (digest_id,)).fetchall()
        return [{**dict(r), "content": json.loads(r["content"])} for r in rows]

    # -- sending -------------------------------------------------------------------------------------

    def claim_mails(self, worker: str, lease: float, limit: int = 50) -> list[Mail]:
        """Due rows this worker sends now: nobody else takes them until `lease` seconds have passed."""
        now = connection.clock()
        with self.transaction() as db:
            ids = [r[0] for r in db.execute(
                "SELECT id FROM outbox WHERE status = 'queued' AND delivery = 'each' AND next_try <= ?"
                " AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY id LIMIT ?", (now, now, limit))]
            if not ids:
                return []
            marks = ",".join("?" * len(ids))
            db.execute(f"UPDATE outbox SET claimed_by = ?, claimed_until = ? WHERE id IN ({marks})",
                       (worker, now + lease, *ids))
            rows = db.execute(
                "SELECT o.*, u.email, u.notices, u.active FROM outbox o JOIN users u ON u.name = o.user"
                f" WHERE o.id IN ({marks}) ORDER BY o.id", ids).fetchall()
        return [Mail(r["id"], r["user"], r["kind"], r["event_id"], json.loads(r["content"]), r["token"],
                     r["attempts"], r["created_clock"], r["email"], r["notices"], bool(r["active"])) for r in rows]

    def claims(self) -> list[str]:
        """The senders holding claims on unsent rows now."""
        return [r[0] for r in self.db.execute("SELECT DISTINCT claimed_by FROM outbox WHERE status = 'queued'"
                                              " AND claimed_until >= ?", (connection.clock(),))]

    def release_claims(self, worker: str) -> int:
        """Free the rows a sender that is gone had claimed (they are sent again, with the same Message-ID)."""
        with self.transaction() as db:
            return db.execute("UPDATE outbox SET claimed_until = NULL WHERE claimed_by = ? AND status = 'queued'",
                              (worker,)).rowcount

    def _finish(self, mail_id: int, worker: str, status: str, error: str = "") -> bool:
        with self.transaction() as db:
            cur = db.execute("UPDATE outbox SET status = ?, done_at = ?, last_error = ?, claimed_until = NULL,"
                             " attempts = attempts + 1 WHERE id = ? AND claimed_by = ? AND status = 'queued'",
                             (status, connection.now(), error[:500], mail_id, worker))
            return cur.rowcount == 1

    def mark_sent(self, mail_id: int, worker: str) -> bool:
        return self._finish(mail_id, worker, "sent")

    def mark_refused(self, mail_id: int, worker: str, error: str) -> bool:
        """The mail server refused the address for good (5xx): not tried again."""
        return self._finish(mail_id, worker, "refused", error)

    def mark_dropped(self, mail_id: int, worker: str, why: str) -> bool:
        """Not to be sent after all (the person was disabled, or chose none, or has no address now)."""
        return self._finish(mail_id, worker, "dropped", why)

    def retry_later(self, mail_id: int, worker: str, next_try: float, error: str) -> None:
        with self.transaction() as db:
            db.execute("UPDATE outbox SET attempts = attempts + 1, next_try = ?, last_error = ?, claimed_until = NULL"
                       " WHERE id = ? AND claimed_by = ? AND status = 'queued'",
                       (next_try, error[:500], mail_id, worker))

    def outbox(self, status: str | None = None) -> list[dict[str, Any]]:
        """Every outbox row (of one status), oldest first: for the CLI and the tests."""
        sql = "SELECT * FROM outbox" + (" WHERE status = ?" if status else "") + " ORDER BY id"
        return [dict(r) for r in self.db.execute(sql, (status,) if status else ())]
