"""Sign-in sessions as the store keeps them: only a hash of the token, the limits chosen at sign-in,
and when and why a session ended. An ended session never comes back."""

from __future__ import annotations

import hashlib
import secrets

from ..access import User
from ..errors import AccessDenied, SessionEnded
from . import connection
from .users import Users, user_from_row

# a session's last_seen is written at most this often: every action checks it, few need to write it
TOUCH_EVERY = 30
SESSION_KEPT = 30 * 24 * 3600


def session_ref(token: str) -> str:
    """What the store keeps of a session token, and what a kernel is told: the token cannot be
    recovered from it, so neither the store file nor a kernel holds anything that signs anyone in."""
    return hashlib.sha256(token.encode()).hexdigest()


class Sessions(Users):
    def sign_in(self, key: str | None, idle_seconds: int, max_seconds: int) -> tuple[str, User]:
        """A new session for the holder of an access key: (token for the cookie, user).
        AccessDenied (logged) for a missing, wrong or revoked key or a disabled user."""
        user = self.authenticate(key)
        return self._open_session(user, int((key or "").partition(".")[0]), idle_seconds, max_seconds), user

    def sign_in_hub(self, hub_name: str, idle_seconds: int, max_seconds: int) -> tuple[str, User]:
        """A new session for a JupyterHub user the hub's OAuth vouched for, as the planner user mapped to
        them (`add_user(..., hub_name=)`): the same session as a key's, without a key. AccessDenied (logged)
        for a hub user mapped to nobody, or mapped to a disabled user."""
        row = self.db.execute("SELECT * FROM users WHERE hub_name = ?", (hub_name,)).fetchone()
        if row is None or not row["active"]:
            denied = AccessDenied(
                f"JupyterHub の利用者 {hub_name} は planner の利用者として登録されていません（または無効です）。"
                "管理者に登録を依頼してください。",
                f"JupyterHub user {hub_name} is not registered as a planner user (or is disabled). "
                "Ask the administrator to register you.")
            self.log_refusal(denied, row["name"] if row else None, "hub_sign_in", f"hub user {hub_name}")
            raise denied
        user = user_from_row(row)
        return self._open_session(user, None, idle_seconds, max_seconds), user

    def _open_session(self, user: User, key_id: int | None, idle_seconds: int, max_seconds: int) -> str:
        token = secrets.token_urlsafe(32)
        at = connection.clock()
        with self.transaction() as db:
            # sessions over for a month are of no further use, not even to explain a refusal
            db.execute("DELETE FROM sessions WHERE created < ? AND (ended IS NOT NULL OR created + max_seconds < ?)",
                       (at - SESSION_KEPT, at))
            db.execute("INSERT INTO sessions (hash, user, key_id, created, last_seen, idle_seconds, max_seconds)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (session_ref(token), user.name, key_id, at, at, idle_seconds, max_seconds))
        return token

    def session_user(self, ref: str | None, touch: bool = True) -> User:
        """The user of a live session, by its ref (see `session_ref`); SessionEnded says why not.

        A session ends when signed out, idle too long, too old, when its key is revoked or its user
        disabled; an ended session never comes back. `touch` counts this as activity."""
        row = self.db.execute(
            "SELECT s.*, k.revoked_at, u.active FROM sessions s JOIN users u ON u.name = s.user"
            " LEFT JOIN access_keys k ON k.id = s.key_id WHERE s.hash = ?", (ref or "",)).fetchone()
        if row is None:
            raise SessionEnded("unknown")
        at = connection.clock()
        reason = row["ended_reason"] if row["ended"] is not None else (
            "disabled" if not row["active"] else
            "revoked" if row["revoked_at"] else
            "max_age" if at - row["created"] > row["max_seconds"] else
            "idle" if at - row["last_seen"] > row["idle_seconds"] else None)
        if reason:
            if row["ended"] is None:
                self.end_session(ref, reason)
            raise SessionEnded(reason)
        if touch and at - row["last_seen"] > TOUCH_EVERY:
            with self.transaction() as db:
                db.execute("UPDATE sessions SET last_seen = ? WHERE hash = ?", (at, ref))
        return self.user(row["user"])

    def end_session(self, ref: str | None, reason: str = "signed_out") -> None:
        with self.transaction() as db:
            db.execute("UPDATE sessions SET ended = ?, ended_reason = ? WHERE hash = ? AND ended IS NULL",
                       (connection.clock(), reason, ref or ""))
