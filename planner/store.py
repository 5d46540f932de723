"""The SQLite store: plans and their revisions, status changes, results, users, access keys, refusals.

One file, schema versioned by `PRAGMA user_version`. Every write is one `BEGIN IMMEDIATE` transaction,
so concurrent writers queue on the lock and a process killed mid-write leaves the last good revision.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from . import limits
from .access import ROLES, User, default_display_name, refusal
from .diff import Change, Menu, describe, diff_plans
from .errors import AccessDenied, Conflict, InvalidAction, NotFound, PlannerError, SessionEnded
from .fiscal_year import FiscalYear, load_fiscal_year
from .plan import Line, Plan, new_line_id
from .results import Result, attach, check_result, edits_losing_results, results_on_other_lines
from .rules import check
from .schema import MIGRATIONS, SCHEMA_VERSION
from .workflow import MOVES, STATUS_LABELS, comment_after, state_refusal

# a session's last_seen is written at most this often: every action checks it, few need to write it
TOUCH_EVERY = 30
SESSION_KEPT = 30 * 24 * 3600


def default_db_path() -> Path:
    """PLANNER_DB, else $XDG_DATA_HOME/planner/planner.db (~/.local/share/planner/planner.db)."""
    env = os.environ.get("PLANNER_DB")
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "planner" / "planner.db"


def _clock() -> float:
    return dt.datetime.now(dt.UTC).timestamp()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def session_ref(token: str) -> str:
    """What the store keeps of a session token, and what a kernel is told: the token cannot be
    recovered from it, so neither the store file nor a kernel holds anything that signs anyone in."""
    return hashlib.sha256(token.encode()).hexdigest()


def _hash_key(salt: bytes, secret: str) -> bytes:
    # Keys are 192-bit random tokens, so a salted SHA-256 is enough: there is nothing to brute-force.
    return hashlib.sha256(salt + secret.encode()).digest()


@dataclass(frozen=True)
class PlanRecord:
    plan: Plan
    status: str
    revision: int
    comment: str  # the officer's latest comment (on return or reopen)
    updated_at: str
    updated_by: str


@dataclass(frozen=True)
class Revision:
    revision: int
    plan: Plan
    by: str
    at: str
    status: str
    status_from: str | None
    comment: str
    changes: list[Change] = field(default_factory=list)

    def summary(self, lang: str = "ja", menu: Menu | None = None) -> str:
        parts = []
        if self.status_from != self.status:
            a = STATUS_LABELS.get(self.status_from or "", ("新規", "new"))
            b = STATUS_LABELS[self.status]
            parts.append(f"{a[0]}→{b[0]}" if lang == "ja" else f"{a[1]} → {b[1]}")
        if self.changes or not parts:
            parts.append(describe(self.changes, lang, menu))
        return "; ".join(parts)


# a row written by a newer version may hold fields this one does not know
CHANGE_FIELDS = {f.name for f in fields(Change)}


class Store:
    def __init__(self, path: str | os.PathLike, budgets: Path | None = None, read_only: bool = False):
        self.path = Path(path)
        # a read-only store (an analyst's snapshot, `planner snapshot`) is read as it is: nothing is
        # created, migrated or written, and every write is refused with a message
        self.read_only = read_only
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _create_private(self.path)
        self._budgets = budgets
        # the session this store acts for (in an app's kernel); every access check re-checks it, and
        # tells on_session_end (the app's frame) once it is over
        self.session: str | None = None
        self.on_session_end: Callable[[str, str], None] | None = None
        self._years: dict[int, FiscalYear] = {}
        # isolation_level=None: we issue BEGIN IMMEDIATE ourselves so the write lock is taken up front.
        try:
            if read_only:
                self._open_read_only()
                return
            self.db = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA busy_timeout = 60000")
            self.db.execute("PRAGMA journal_mode = WAL")
            # NORMAL in WAL mode survives a killed process; only power loss can drop the last commit.
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.db.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.DatabaseError as e:
            raise PlannerError(
                f"{self.path} を planner のデータベースとして開けません（{e}）。パスを確かめてください。",
                f"{self.path} cannot be opened as a planner store ({e}). Check the path.",
            ) from None

    def _open_read_only(self) -> None:
        if not self.path.is_file():
            raise PlannerError(f"データベース {self.path} がありません。", f"There is no store at {self.path}.")
        self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=60, isolation_level=None,
                                  check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            raise PlannerError(
                f"{self.path} はスキーマ {version} で、この planner（スキーマ {SCHEMA_VERSION}）とは合いません。"
                "新しいスナップショットを管理者に依頼するか、planner を合わせてください。",
                f"{self.path} has schema {version}, this planner has schema {SCHEMA_VERSION}. Ask for a new "
                "snapshot or use the matching planner.")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing -------------------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        if self.read_only:
            raise InvalidAction(f"{self.path} は読み取り専用のスナップショットです。変更は planner のアプリか"
                                "コマンドで行ってください。",
                                f"{self.path} is a read-only snapshot. Make changes in the planner apps or "
                                "commands.")
        if self.db.in_transaction:  # a write inside a write (a session touched during a save): one transaction
            yield self.db
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _migrate(self) -> None:
        with self._write() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise PlannerError(
                    f"データベース {self.path} は新しい版（スキーマ {version}）で作られています。"
                    "planner を更新してください。",
                    f"The store {self.path} was made by a newer planner (schema {version}). Update planner.",
                )
            for n in range(version, SCHEMA_VERSION):
                step = MIGRATIONS[n]
                if callable(step):
                    step(db)
                    continue
                for stmt in step.split(";"):
                    if stmt.strip():
                        db.execute(stmt)
            if version != SCHEMA_VERSION:
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def fiscal_year(self, year: int) -> FiscalYear:
        if year not in self._years:
            self._years[year] = load_fiscal_year(year, self._budgets)
        return self._years[year]

    def _log_refusal(self, exc: PlannerError, user: str | None, action: str, target: str) -> None:
        """Write a refusal in a transaction of its own, after the refused one was rolled back."""
        kind = {AccessDenied: "access", Conflict: "conflict"}.get(type(exc), "state")
        with self._write() as db:
            db.execute(
                "INSERT INTO refusals (at, user, action, target, kind, reason) VALUES (?, ?, ?, ?, ?, ?)",
                (_now(), user, action, target, kind, exc.message_en),
            )

    def log_refusal(self, exc: PlannerError, user: str | None, action: str, target: str) -> None:
        """Record a refusal decided outside the store (e.g. a screen a role may not open)."""
        self._log_refusal(exc, user, action, target)

    @contextmanager
    def _logged(self, by: str | None, action: str, target: str) -> Iterator[None]:
        try:
            yield
        except (AccessDenied, Conflict, InvalidAction) as exc:
            self._log_refusal(exc, by, action, target)
            raise

    # -- consortia, users and keys --------------------------------------------------------------

    def add_consortium(self, cid: str, name_ja: str) -> None:
        with self._write() as db:
            db.execute(
                "INSERT INTO consortia (id, name_ja) VALUES (?, ?)"
                " ON CONFLICT(id) DO UPDATE SET name_ja = excluded.name_ja",
                (cid, name_ja),
            )

    def consortia(self) -> dict[str, str]:
        return {r["id"]: r["name_ja"] for r in self.db.execute("SELECT id, name_ja FROM consortia ORDER BY rowid")}

    def add_user(self, name: str, role: str, consortium: str | None = None, display_name: str = "",
                 hub_name: str | None = None) -> User:
        """A new user; `hub_name` is the JupyterHub user who signs in as this one (under a hub)."""
        if role not in ROLES:
            raise InvalidAction(f"役割 {role!r} はありません（{', '.join(ROLES)}）。",
                                f"Unknown role {role!r} (use one of {', '.join(ROLES)}).")
        if (role == "secretariat") != (consortium is not None):
            raise InvalidAction("事務局の利用者には --consortium が必要で、ほかの役割には指定できません。",
                                "A secretariat user needs --consortium; other roles take none.")
        if consortium is not None and consortium not in self.consortia():
            raise NotFound(f"コンソーシアム {consortium!r} は登録されていません。",
                           f"Consortium {consortium!r} is not registered.")
        _refuse_oversize([why] if (why := limits.text_problem("表示名", "display name", display_name)) else [])
        if not name or len(name) > 64 or not name.replace("-", "").replace("_", "").replace(".", "").isalnum():
            raise InvalidAction("利用者名は英数字と - _ . で、64文字以内で書いてください。",
                                "A user name may hold letters, digits, - _ and . only (64 at most).")
        _check_hub_name(hub_name)
        with self._write() as db:
            if db.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
                raise InvalidAction(f"利用者 {name} はすでにいます。", f"User {name} already exists.")
            _refuse_taken_hub_name(db, hub_name, name)
            db.execute(
                "INSERT INTO users (name, role, consortium, display_name, created_at, hub_name)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (name, role, consortium, display_name, _now(), hub_name),
            )
        return User(name, role, consortium, display_name, True, hub_name)

    def set_hub_name(self, name: str, hub_name: str | None) -> User:
        """Map an existing user to a JupyterHub user (None: no longer). Their open sessions stay as they
        are; a different hub user signs in as them from now on."""
        self.user(name)
        _check_hub_name(hub_name)
        with self._write() as db:
            _refuse_taken_hub_name(db, hub_name, name)
            db.execute("UPDATE users SET hub_name = ? WHERE name = ?", (hub_name, name))
        return self.user(name)

    def users(self) -> list[User]:
        rows = self.db.execute("SELECT * FROM users ORDER BY role, name").fetchall()
        return [_user(r) for r in rows]

    def display_names(self) -> dict[str, str]:
        """What to call each user on screen and in workbooks: login name -> the display name if one was
        given, else one made from what the store knows (「関西コンソーシアム 事務局」, 「受託者」), with the
        login added only when two people would otherwise look the same. Revisions keep the login name,
        which stays unique when a display name changes; a name not in the map (no such user any more)
        is shown as it is stored.
        Anyone signed in may read names (every role sees who saved a plan it can read), nothing else
        of a user: no role, consortium or key. A bound session is re-checked first, as for any read."""
        self._session_name()
        return self._display_names()

    def display_name(self, name: str) -> str:
        """One user's name as display_names gives it; the login name itself for an unknown user."""
        self._session_name()
        return self._display_name(name)

    def _display_name(self, name: str) -> str:
        return self._display_names().get(name, name)

    def _display_names(self) -> dict[str, str]:
        consortia = self.consortia()
        rows = self.db.execute("SELECT name, role, consortium, display_name FROM users").fetchall()
        given = {r["name"]: r["display_name"] for r in rows if r["display_name"]}
        made = {r["name"]: default_display_name(r["role"], consortia.get(r["consortium"]))
                for r in rows if not r["display_name"]}
        shown = [*given.values(), *made.values()]
        # a made name is the same for everyone of a role: whoever shares one is told apart by the login
        made = {n: (f"{m}（{n}）" if shown.count(m) > 1 else m) for n, m in made.items()}
        return {**given, **made}

    def language(self, name: str) -> str:
        """The language this user last chose in an app ("ja" or "en"); "" if none yet."""
        r = self.db.execute("SELECT lang FROM users WHERE name = ?", (name,)).fetchone()
        return (r["lang"] if r else "") or ""

    def set_language(self, name: str, lang: str) -> None:
        """Remember the language a user chose: the apps open in it when the URL does not name one. A page
        sets its own user's only (a bound session is checked first, as for any action)."""
        if lang not in ("ja", "en"):
            raise InvalidAction(f"言語 {lang!r} は使えません（ja か en）。", f"Language {lang!r} is not ja or en.")
        if self._session_name() not in (None, name):
            raise AccessDenied("この画面のサインインとは別の利用者の設定は変えられません。",
                               "This page may change only the signed-in user's settings.")
        with self._write() as db:
            db.execute("UPDATE users SET lang = ? WHERE name = ? AND lang != ?", (lang, name, lang))

    def user(self, name: str) -> User:
        r = self.db.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
        if r is None:
            raise NotFound(f"利用者 {name!r} は登録されていません。", f"User {name!r} is not registered.")
        return _user(r)

    def issue_key(self, name: str) -> str:
        """A new access key for a user; only its salted hash is stored, so show it now or never."""
        self.user(name)
        secret = secrets.token_urlsafe(24)
        salt = secrets.token_bytes(16)
        with self._write() as db:
            cur = db.execute(
                "INSERT INTO access_keys (user, salt, hash, created_at) VALUES (?, ?, ?, ?)",
                (name, salt, _hash_key(salt, secret), _now()),
            )
        return f"{cur.lastrowid}.{secret}"

    def revoke_keys(self, name: str) -> int:
        """Revoke every live key of a user; returns how many."""
        self.user(name)
        with self._write() as db:
            cur = db.execute(
                "UPDATE access_keys SET revoked_at = ? WHERE user = ? AND revoked_at IS NULL", (_now(), name)
            )
        return cur.rowcount

    def keys(self, name: str | None = None) -> list[dict[str, Any]]:
        sql = "SELECT id, user, created_at, revoked_at FROM access_keys"
        rows = self.db.execute(sql + (" WHERE user = ?" if name else "") + " ORDER BY id", (name,) if name else ())
        return [dict(r) for r in rows]

    def authenticate(self, key: str | None) -> User:
        """The user an access key belongs to; AccessDenied (logged) for a missing, wrong or revoked key."""
        denied = AccessDenied(
            "アクセスキーが無効です（未入力、誤り、または失効）。キーを発行した担当者に新しいキーを依頼してください。",
            "The access key is missing, wrong or revoked. Ask whoever issued your key for a new one.",
        )
        key_id, _, secret = (key or "").partition(".")
        row = None
        if key_id.isdigit() and secret:
            row = self.db.execute("SELECT * FROM access_keys WHERE id = ?", (int(key_id),)).fetchone()
        if row is None or row["revoked_at"] or not hmac.compare_digest(row["hash"], _hash_key(row["salt"], secret)):
            self._log_refusal(denied, None, "authenticate", f"key {key_id or '-'}")
            raise denied
        user = self.user(row["user"])
        if not user.active:
            self._log_refusal(denied, user.name, "authenticate", f"key {key_id}")
            raise denied
        return user

    def disable_user(self, name: str) -> int:
        """Disable a user: their keys stop working and every open session ends at its next action.
        Returns how many sessions were ended."""
        self.user(name)
        with self._write() as db:
            db.execute("UPDATE users SET active = 0 WHERE name = ?", (name,))
            cur = db.execute("UPDATE sessions SET ended = ?, ended_reason = 'disabled'"
                             " WHERE user = ? AND ended IS NULL", (_clock(), name))
        return cur.rowcount

    # -- sign-in sessions -----------------------------------------------------------------------

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
            self._log_refusal(denied, row["name"] if row else None, "hub_sign_in", f"hub user {hub_name}")
            raise denied
        user = _user(row)
        return self._open_session(user, None, idle_seconds, max_seconds), user

    def _open_session(self, user: User, key_id: int | None, idle_seconds: int, max_seconds: int) -> str:
        token = secrets.token_urlsafe(32)
        now = _clock()
        with self._write() as db:
            # sessions over for a month are of no further use, not even to explain a refusal
            db.execute("DELETE FROM sessions WHERE created < ? AND (ended IS NOT NULL OR created + max_seconds < ?)",
                       (now - SESSION_KEPT, now))
            db.execute("INSERT INTO sessions (hash, user, key_id, created, last_seen, idle_seconds, max_seconds)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (session_ref(token), user.name, key_id, now, now, idle_seconds, max_seconds))
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
        now = _clock()
        reason = row["ended_reason"] if row["ended"] is not None else (
            "disabled" if not row["active"] else
            "revoked" if row["revoked_at"] else
            "max_age" if now - row["created"] > row["max_seconds"] else
            "idle" if now - row["last_seen"] > row["idle_seconds"] else None)
        if reason:
            if row["ended"] is None:
                self.end_session(ref, reason)
            raise SessionEnded(reason)
        if touch and now - row["last_seen"] > TOUCH_EVERY:
            with self._write() as db:
                db.execute("UPDATE sessions SET last_seen = ? WHERE hash = ?", (now, ref))
        return self.user(row["user"])

    def end_session(self, ref: str | None, reason: str = "signed_out") -> None:
        with self._write() as db:
            db.execute("UPDATE sessions SET ended = ?, ended_reason = ? WHERE hash = ? AND ended IS NULL",
                       (_clock(), reason, ref or ""))

    def _session_name(self) -> str | None:
        """The bound session's user (None if no session is bound); SessionEnded once it is over."""
        if self.session is None:
            return None
        try:
            return self.session_user(self.session).name
        except SessionEnded as exc:
            if self.on_session_end is not None:
                self.on_session_end(exc.message_ja, exc.message_en)
            raise

    def bind_session(self, ref: str) -> User:
        """Act for this session from now on: every access check first re-checks it (an app's kernel)."""
        user = self.session_user(ref)
        self.session = ref
        return user

    # -- plans ----------------------------------------------------------------------------------

    def _plan_row(self, consortium: str, fiscal_year: int) -> sqlite3.Row | None:
        return self.db.execute(
            "SELECT * FROM plans WHERE consortium = ? AND fiscal_year = ?", (consortium, fiscal_year)
        ).fetchone()

    def _revision_row(self, plan_id: int, revision: int) -> sqlite3.Row | None:
        return self.db.execute(
            "SELECT * FROM revisions WHERE plan_id = ? AND revision = ?", (plan_id, revision)
        ).fetchone()

    @staticmethod
    def _to_revision(r: sqlite3.Row) -> Revision:
        return Revision(
            revision=r["revision"],
            plan=Plan.from_dict(json.loads(r["content"])),
            by=r["by_user"],
            at=r["at"],
            status=r["status"],
            status_from=r["status_from"],
            comment=r["comment"],
            changes=[Change(**{k: v for k, v in c.items() if k in CHANGE_FIELDS}) for c in json.loads(r["changes"])],
        )

    def _record(self, row: sqlite3.Row) -> PlanRecord:
        rev = self._to_revision(self._revision_row(row["id"], row["revision"]))
        return PlanRecord(rev.plan, row["status"], row["revision"], row["comment"], rev.at, rev.by)

    def _check_access(self, by: str, action: str, consortium: str, status: str | None) -> User:
        if self._session_name() not in (None, by):
            raise AccessDenied("この画面のサインインとは別の利用者としては操作できません。",
                               "This page may act only for the user who signed in.")
        try:
            user = self.user(by)
        except NotFound:
            user = None
        why = refusal(user, action, consortium, status)
        if why:
            raise AccessDenied(*why)
        return user  # type: ignore[return-value]

    def _read_row(self, consortium: str, fiscal_year: int, by: str) -> sqlite3.Row | None:
        row = self._plan_row(consortium, fiscal_year)
        with self._logged(by, "read", f"{consortium}/{fiscal_year}"):
            self._check_access(by, "read", consortium, row["status"] if row else None)
        return row

    def find(self, consortium: str, fiscal_year: int, by: str) -> PlanRecord | None:
        """The current state of a plan, or None if none was saved yet."""
        row = self._read_row(consortium, fiscal_year, by)
        return self._record(row) if row else None

    def get(self, consortium: str, fiscal_year: int, by: str) -> PlanRecord:
        rec = self.find(consortium, fiscal_year, by)
        if rec is None:
            raise NotFound(f"{consortium} の {fiscal_year} 年度の計画はまだありません。",
                           f"There is no FY{fiscal_year} plan for {consortium} yet.")
        return rec

    def save(self, plan: Plan, by: str, base_revision: int | None) -> int:
        """Store the plan's lines as a new revision (status becomes draft). Returns the new revision.

        base_revision is the revision the editor started from (None for a new plan). If anyone saved
        since, raises Conflict with the changes made in between; nothing is written.
        Lines keep their ids; a line without one (None) gets one now. Two lines with one id, and a save
        that would remove a line with a recorded result or change its item, raise InvalidAction.
        """
        if not isinstance(plan.consortium, str) or not isinstance(plan.fiscal_year, int):
            raise InvalidAction("計画にコンソーシアムと年度が必要です。",
                                "A plan needs a consortium and a fiscal year.")
        fy = self.fiscal_year(plan.fiscal_year)
        if plan.consortium not in fy.consortia:
            raise InvalidAction(f"コンソーシアム {plan.consortium!r} は{fy.label_ja}のデータにありません。",
                                f"Consortium {plan.consortium!r} is not in the FY{fy.year} data.")
        _refuse_oversize(limits.plan_problems(plan))
        return self._transition(plan.consortium, plan.fiscal_year, by, "save", base_revision, new_plan=plan)

    def submit(self, consortium: str, fiscal_year: int, by: str, base_revision: int | None = None) -> int:
        return self._transition(consortium, fiscal_year, by, "submit", base_revision)

    def withdraw(self, consortium: str, fiscal_year: int, by: str, base_revision: int | None = None) -> int:
        return self._transition(consortium, fiscal_year, by, "withdraw", base_revision)

    def accept(self, consortium: str, fiscal_year: int, by: str, base_revision: int | None = None,
               comment: str = "") -> int:
        return self._transition(consortium, fiscal_year, by, "accept", base_revision, comment=comment)

    def return_plan(self, consortium: str, fiscal_year: int, by: str, comment: str,
                    base_revision: int | None = None) -> int:
        return self._transition(consortium, fiscal_year, by, "return", base_revision, comment=comment)

    def reopen(self, consortium: str, fiscal_year: int, by: str, comment: str = "",
               base_revision: int | None = None) -> int:
        return self._transition(consortium, fiscal_year, by, "reopen", base_revision, comment=comment)

    def _transition(self, consortium: str, fiscal_year: int, by: str, action: str, base_revision: int | None,
                    new_plan: Plan | None = None, comment: str = "") -> int:
        with self._logged(by, action, f"{consortium}/{fiscal_year}"), self._write() as db:
            row = self._plan_row(consortium, fiscal_year)
            status = row["status"] if row else None
            self._check_access(by, action, consortium, status)
            current = row["revision"] if row else 0
            # save always names its base; status changes may (to act only on what the person saw)
            if (action == "save" or base_revision is not None) and (base_revision or 0) != current:
                raise self._conflict(row, base_revision or 0)
            move = MOVES[action]
            if why := state_refusal(action, status):  # the move itself, before reading the plan
                raise InvalidAction(*why)
            before = self._record(row).plan if row else None
            plan = self._with_line_ids(new_plan) if new_plan is not None else before
            assert plan is not None
            _refuse_oversize([why] if (why := limits.text_problem("コメント", "comment", comment)) else [])
            errors = sum(f.is_error for f in check(plan, self.fiscal_year(fiscal_year))) if move.clean else None
            if why := state_refusal(action, status, errors, len(plan.lines), comment):  # its gates
                raise InvalidAction(*why)
            if new_plan is not None and before is not None:
                self._refuse_losing_results(row["id"], before, plan)
            to = move.to
            if row is None:
                plan_id = db.execute(
                    "INSERT INTO plans (consortium, fiscal_year, status, revision) VALUES (?, ?, ?, 0)",
                    (consortium, fiscal_year, to),
                ).lastrowid
            else:
                plan_id = row["id"]
            shown = comment_after(action, comment, row["comment"] if row is not None else "")
            changes = diff_plans(before, plan)
            new_rev = current + 1
            db.execute(
                "INSERT INTO revisions (plan_id, revision, content, by_user, at, status, status_from, comment, changes)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (plan_id, new_rev, json.dumps(plan.as_dict(), ensure_ascii=False, default=str), by, _now(), to,
                 status, comment, json.dumps([c.as_dict() for c in changes], ensure_ascii=False, default=str)),
            )
            db.execute("UPDATE plans SET status = ?, revision = ?, comment = ? WHERE id = ?",
                       (to, new_rev, shown, plan_id))
        return new_rev

    @staticmethod
    def _with_line_ids(plan: Plan) -> Plan:
        """The plan as it is stored: a line without an id (None or "", e.g. from code that set it so)
        gets a fresh one now, its only chance; an id that is no text, or one that two lines share, is
        refused: the store cannot tell which line a result or a change would then be about."""
        lines, seen = [], set()
        for n, ln in enumerate(plan.lines, start=1):
            if ln.id is None or ln.id == "":
                ln = Line(**{**ln.as_dict(), "id": new_line_id()})
            elif not isinstance(ln.id, str) or len(ln.id) > 64:
                raise InvalidAction(f"{n}行目の行ID {ln.id!r} は使えません（64文字以内の文字列）。",
                                    f"Line {n}'s id {ln.id!r} cannot be used (text of at most 64 characters).")
            if ln.id in seen:
                first = next(i for i, x in enumerate(lines, start=1) if x.id == ln.id)
                raise InvalidAction(
                    f"{first}行目と{n}行目が同じ行ID {ln.id!r} を持っています。行をコピーした場合は、"
                    "コピーした行の行IDを空にしてください（新しい行として保存されます）。",
                    f"Lines {first} and {n} have the same line id {ln.id!r}. If a line was copied, clear the "
                    "copy's id (it is then saved as a new line).")
            seen.add(ln.id)
            lines.append(ln)
        return Plan(plan.consortium, plan.fiscal_year, lines)

    def _refuse_losing_results(self, plan_id: int, before: Plan, after: Plan) -> None:
        """The real check, whatever the path: a line with a recorded result is neither removed nor made
        into another item (the apps say so earlier, from the same function)."""
        menu = self.menu_or_none(after.consortium, after.fiscal_year)
        lost = edits_losing_results(before, after, self._stored_results(plan_id), menu)
        if lost:
            raise InvalidAction("\n".join(f.message_ja for f in lost), "\n".join(f.message_en for f in lost))

    def menu_or_none(self, consortium: str, fiscal_year: int) -> Menu | None:
        """The menu a plan was made with, to name its items in messages; None if the year's file is
        unreadable (the message then shows item numbers and variant ids)."""
        try:
            return self.fiscal_year(fiscal_year).menu_for(consortium)
        except PlannerError:
            return None

    def _conflict(self, row: sqlite3.Row | None, base: int) -> Conflict:
        current = self._record(row) if row else None
        base_row = self._revision_row(row["id"], base) if row and base else None
        base_plan = self._to_revision(base_row).plan if base_row else None
        changes = diff_plans(base_plan, current.plan) if current else []
        # named as the person knows them (inside the refused write: no session re-check of its own)
        who = self._display_name(current.updated_by) if current else ""
        now = current.revision if current else 0
        menu = self.menu_or_none(current.plan.consortium, current.plan.fiscal_year) if current else None
        return Conflict(
            f"この計画は、あなたが開いた後に {who} さんが保存しました（版 {base} → {now}）。"
            f"上書きはしていません。最新の版を読み込み直してから、変更をやり直してください。"
            f"その間の変更: {describe(changes, 'ja', menu)}",
            f"{who} saved this plan after you opened it (revision {base} → {now}). Nothing was overwritten. "
            "Reload the latest revision and make your change again. "
            f"Changes in between: {describe(changes, 'en', menu)}",
            current_revision=now,
            changes=changes,
            base_revision=base,
            saved_by=who,
        )

    def history(self, consortium: str, fiscal_year: int, by: str) -> list[Revision]:
        row = self._read_row(consortium, fiscal_year, by)
        if row is None:
            return []
        rows = self.db.execute("SELECT * FROM revisions WHERE plan_id = ? ORDER BY revision", (row["id"],))
        out: list[Revision] = []
        for rev in map(self._to_revision, rows):
            # changes written before lines had ids were told by position (a move read as every line
            # after it changing); the migrated contents have ids, so they are told again from those
            if any(c.line_id is None for c in rev.changes):
                rev = replace(rev, changes=diff_plans(out[-1].plan if out else None, rev.plan))
            out.append(rev)
        return out

    def revision(self, consortium: str, fiscal_year: int, revision: int, by: str) -> Revision:
        row = self._read_row(consortium, fiscal_year, by)
        r = self._revision_row(row["id"], revision) if row else None
        if r is None:
            raise NotFound(f"版 {revision} はありません。", f"There is no revision {revision}.")
        return self._to_revision(r)

    def mark_seen(self, consortium: str, fiscal_year: int, revision: int, by: str) -> None:
        """Note that `by` has looked at this revision of the plan (a later one seen earlier stays)."""
        with self._logged(by, "read", f"{consortium}/{fiscal_year}"), self._write() as db:
            row = self._plan_row(consortium, fiscal_year)
            self._check_access(by, "read", consortium, row["status"] if row else None)
            if row is None or not 0 < revision <= row["revision"]:
                raise NotFound(f"版 {revision} はありません。", f"There is no revision {revision}.")
            db.execute("INSERT INTO seen (user, plan_id, revision, at) VALUES (?, ?, ?, ?)"
                       " ON CONFLICT(user, plan_id) DO UPDATE SET revision = MAX(revision, excluded.revision),"
                       " at = excluded.at", (by, row["id"], revision, _now()))

    def last_seen(self, consortium: str, fiscal_year: int, by: str) -> int | None:
        """The latest revision of the plan that `by` has looked at (mark_seen), None if none yet."""
        row = self._read_row(consortium, fiscal_year, by)
        if row is None:
            return None
        seen = self.db.execute("SELECT revision FROM seen WHERE user = ? AND plan_id = ?",
                               (by, row["id"])).fetchone()
        return seen["revision"] if seen else None

    def compare(self, consortium: str, fiscal_year: int, a: int, b: int, by: str) -> list[Change]:
        """Changes from revision a to revision b of one plan."""
        return diff_plans(self.revision(consortium, fiscal_year, a, by).plan,
                          self.revision(consortium, fiscal_year, b, by).plan)

    # -- results --------------------------------------------------------------------------------

    def record_result(self, consortium: str, fiscal_year: int, result: Result, by: str) -> None:
        """Record what was delivered for one line of an accepted plan (replaces an earlier record)."""
        self.record_results(consortium, fiscal_year, [result], by)

    def record_results(self, consortium: str, fiscal_year: int, results: list[Result], by: str) -> None:
        """Record several results in one transaction: all of them, or none if any is refused."""
        with self._logged(by, "record_result", f"{consortium}/{fiscal_year}"), self._write() as db:
            row = self._plan_row(consortium, fiscal_year)
            self._check_access(by, "record_result", consortium, row["status"] if row else None)
            if row is None:
                raise NotFound(f"{consortium} の {fiscal_year} 年度の計画はまだありません。",
                               f"There is no FY{fiscal_year} plan for {consortium} yet.")
            plan = self._record(row).plan
            _refuse_oversize([why for r in results for why in limits.result_problems(r)])
            # a result given by 番号 only is read against the plan as it is now, inside this transaction
            results = [attach(r, plan) for r in results]
            # a warning (shares of 33/33/33 adding up to 99 %) is said where it is entered, and kept
            findings = [f for r in results for f in check_result(r, plan) if f.is_error]
            menu = self.menu_or_none(consortium, fiscal_year)
            if menu is not None:  # without the year's file no line can be told an event (nor a form made)
                findings += results_on_other_lines(results, plan, menu, self._stored_results(row["id"]))
            if findings:
                raise InvalidAction("\n".join(f.message_ja for f in findings),
                                    "\n".join(f.message_en for f in findings))
            for result in results:
                content = {k: v for k, v in result.as_dict().items() if k != "line"}  # the 番号 changes; the id not
                db.execute(
                    "INSERT INTO results (plan_id, line_id, content, by_user, at) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT(plan_id, line_id) DO UPDATE SET content = excluded.content,"
                    " by_user = excluded.by_user, at = excluded.at",
                    (row["id"], result.line_id, json.dumps(content, ensure_ascii=False), by, _now()),
                )

    def results(self, consortium: str, fiscal_year: int, by: str) -> list[Result]:
        """The plan's results, each with its line's 番号 as it is now, in the order of the lines
        (a result whose line is no longer in the plan, None as 番号, comes last)."""
        row = self._read_row(consortium, fiscal_year, by)
        if row is None:
            return []
        return _in_line_order(self._stored_results(row["id"]), self._record(row).plan)

    def _stored_results(self, plan_id: int) -> list[Result]:
        rows = self.db.execute("SELECT content FROM results WHERE plan_id = ?", (plan_id,))
        return [Result.from_dict(json.loads(r["content"])) for r in rows]

    # -- for analysts and the review screen ------------------------------------------------------

    def current(self, consortium: str, fiscal_year: int) -> PlanRecord | None:
        """A plan's current state without an access check: for the CLI and code that holds the file."""
        row = self._plan_row(consortium, fiscal_year)
        return self._record(row) if row else None

    def plan_years(self, consortium: str | None = None) -> list[int]:
        """The fiscal years that have a plan (of one consortium, or of any), oldest first."""
        sql = "SELECT DISTINCT fiscal_year FROM plans" + (" WHERE consortium = ?" if consortium else "")
        return sorted(r[0] for r in self.db.execute(sql, (consortium,) if consortium else ()))

    def plan_records(self, fiscal_year: int | None = None) -> list[PlanRecord]:
        """Every plan's current state (no access check: for code that already holds the store file,
        and the review app, which filters by role; its session is re-checked all the same)."""
        self._session_name()
        # one query for all plans: a query per plan was most of the time for a thousand plans
        sql = ("SELECT p.status, p.revision, p.comment, r.content, r.at, r.by_user FROM plans p"
               " JOIN revisions r ON r.plan_id = p.id AND r.revision = p.revision"
               + (" WHERE p.fiscal_year = ?" if fiscal_year is not None else "") + " ORDER BY p.fiscal_year, p.id")
        rows = self.db.execute(sql, (fiscal_year,) if fiscal_year is not None else ())
        return [PlanRecord(Plan.from_dict(json.loads(r["content"])), r["status"], r["revision"], r["comment"],
                           r["at"], r["by_user"]) for r in rows]

    def plans_frame(self, fiscal_year: int | None = None):
        """One row a plan line, every consortium: status, revision, item, variant, points and details."""
        from .frames import plans_frame

        return plans_frame(self, fiscal_year)

    def results_frame(self, fiscal_year: int | None = None):
        from .frames import results_frame

        return results_frame(self, fiscal_year)

    def refusals(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.execute("SELECT * FROM refusals ORDER BY id")]

    def all_results(self, fiscal_year: int | None = None) -> list[tuple[str, int, Result]]:
        """Every result with its consortium and year, each with its line's 番号 in the current plan."""
        # read first: plan_records re-checks a bound session before any result is read
        plans = {(r.plan.consortium, r.plan.fiscal_year): r.plan for r in self.plan_records(fiscal_year)}
        sql = ("SELECT p.consortium, p.fiscal_year, r.content FROM results r JOIN plans p ON p.id = r.plan_id"
               + (" WHERE p.fiscal_year = ?" if fiscal_year is not None else "") + " ORDER BY p.id")
        rows = self.db.execute(sql, (fiscal_year,) if fiscal_year is not None else ()).fetchall()
        by_plan: dict[tuple[str, int], list[Result]] = {}
        for cid, year, content in rows:
            by_plan.setdefault((cid, year), []).append(Result.from_dict(json.loads(content)))
        return [(cid, year, r) for (cid, year), results in by_plan.items()
                for r in _in_line_order(results, plans[(cid, year)])]


def _in_line_order(results: list[Result], plan: Plan) -> list[Result]:
    attached = [attach(r, plan) for r in results]
    return sorted(attached, key=lambda r: (r.line is None, r.line or 0))


def _user(r: sqlite3.Row) -> User:
    return User(r["name"], r["role"], r["consortium"], r["display_name"], bool(r["active"]), r["hub_name"])


HUB_NAME_CHARS = 255


def _check_hub_name(hub_name: str | None) -> None:
    if hub_name is not None and not (0 < len(hub_name) <= HUB_NAME_CHARS and hub_name.isprintable()
                                     and hub_name.strip() == hub_name):
        raise InvalidAction(f"JupyterHub の利用者名は空白なしの{HUB_NAME_CHARS}文字以内で書いてください。",
                            f"A JupyterHub user name must be {HUB_NAME_CHARS} characters at most, without "
                            "surrounding spaces.")


def _refuse_taken_hub_name(db: sqlite3.Connection, hub_name: str | None, name: str) -> None:
    other = db.execute("SELECT name FROM users WHERE hub_name = ? AND name != ?", (hub_name, name)).fetchone() \
        if hub_name is not None else None
    if other:
        raise InvalidAction(f"JupyterHub の利用者 {hub_name} は、すでに {other['name']} に割り当てられています。",
                            f"JupyterHub user {hub_name} is already mapped to {other['name']}.")


def _refuse_oversize(problems: list[tuple[str, str]]) -> None:
    if problems:
        raise InvalidAction("\n".join(ja for ja, _ in problems), "\n".join(en for _, en in problems))


def _create_private(path: Path) -> None:
    """Create the store file readable by its owner only (SQLite gives its -wal and -shm files the
    database file's mode). An existing file keeps the mode its administrator chose."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError:  # an unwritable place: sqlite3 says so below, in the store's own message
        pass


def open_store(path: str | os.PathLike | None = None, budgets: Path | None = None,
               read_only: bool | None = None) -> Store:
    """Open (creating if needed) the SQLite store at path, PLANNER_DB, or the default path.

    `read_only=None` opens an existing file this process may not write (an analyst's snapshot) read-only,
    so that the analysts' notebooks work on a snapshot unchanged."""
    p = Path(path if path is not None else default_db_path())
    if read_only is None:
        read_only = p.is_file() and not os.access(p, os.W_OK)
    return Store(p, budgets, read_only=read_only)
