"""The store's file: opening it (created readable by its owner only, migrated to this schema), and the
one way to write, a `BEGIN IMMEDIATE` transaction, so concurrent writers queue on the lock and a
process killed mid-write leaves the last good state."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import AccessDenied, Conflict, InvalidAction, PlannerError
from ..fiscal_year import FiscalYear, load_fiscal_year
from .schema import MIGRATIONS, SCHEMA_VERSION


def default_db_path() -> Path:
    """PLANNER_DB, else $XDG_DATA_HOME/planner/planner.db (~/.local/share/planner/planner.db)."""
    env = os.environ.get("PLANNER_DB")
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "planner" / "planner.db"


def clock() -> float:
    return dt.datetime.now(dt.UTC).timestamp()


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def refuse_oversize(problems: list[tuple[str, str]]) -> None:
    """The store's own limits (text lengths, lines a plan), whatever the path the data came by."""
    if problems:
        raise InvalidAction("\n".join(ja for ja, _ in problems), "\n".join(en for _, en in problems))


class Connection:
    """The open file. `db` is the sqlite3 connection; the other parts of the store read through it and
    write inside `transaction()`."""

    def __init__(self, path: str | os.PathLike | None = None, budgets: Path | None = None,
                 read_only: bool | None = None):
        """Open (creating if needed) the store at path, PLANNER_DB, or the default path.

        `read_only=None` opens an existing file this process may not write (an analyst's snapshot)
        read-only, so that the analysts' notebooks work on a snapshot unchanged."""
        self.path = Path(path if path is not None else default_db_path())
        if read_only is None:
            read_only = self.path.is_file() and not os.access(self.path, os.W_OK)
        # a read-only store (an analyst's snapshot, `planner snapshot`) is read as it is: nothing is
        # created, migrated or written, and every write is refused with a message
        self.read_only = read_only
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _create_private(self.path)
        self._budgets = budgets
        self._years: dict[int, FiscalYear] = {}
        try:
            if read_only:
                self._open_read_only()
                return
            # isolation_level=None: we issue BEGIN IMMEDIATE ourselves so the write lock is taken up front.
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

    def __enter__(self):  # noqa: ANN204 (the subclass's own type)
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; a transaction opened inside another joins it (a desk's check, change
        and event, or a session touched during a save, are one commit)."""
        if self.read_only:
            raise InvalidAction(f"{self.path} は読み取り専用のスナップショットです。変更は planner のアプリか"
                                "コマンドで行ってください。",
                                f"{self.path} is a read-only snapshot. Make changes in the planner apps or "
                                "commands.")
        if self.db.in_transaction:
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
        with self.transaction() as db:
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

    def log_refusal(self, exc: PlannerError, user: str | None, action: str, target: str) -> None:
        """Keep a refusal, in a transaction of its own (after the refused one was rolled back)."""
        kind = {AccessDenied: "access", Conflict: "conflict"}.get(type(exc), "state")
        with self.transaction() as db:
            db.execute(
                "INSERT INTO refusals (at, user, action, target, kind, reason) VALUES (?, ?, ?, ?, ?, ?)",
                (now(), user, action, target, kind, exc.message_en),
            )

    def refusals(self, after: int = 0) -> list[dict[str, Any]]:
        """Every refusal kept, oldest first (those after the id `after`)."""
        return [dict(r) for r in self.db.execute("SELECT * FROM refusals WHERE id > ? ORDER BY id", (after,))]

    def last_refusal(self) -> int:
        """The id of the latest refusal (0: none yet): where a reader that starts now begins."""
        return self.db.execute("SELECT coalesce(max(id), 0) FROM refusals").fetchone()[0]

    def healthy(self) -> bool:
        """Whether the file answers a query (the server's health check)."""
        return self.db.execute("SELECT 1").fetchone()[0] == 1

    def fiscal_year(self, year: int) -> FiscalYear:
        if year not in self._years:
            self._years[year] = load_fiscal_year(year, self._budgets)
        return self._years[year]

    def menu_or_none(self, consortium: str, fiscal_year: int):  # -> Menu | None
        """The menu a plan was made with, to name its items in messages; None if the year's file is
        unreadable (the message then shows item numbers and variant ids)."""
        try:
            return self.fiscal_year(fiscal_year).menu_for(consortium)
        except PlannerError:
            return None


def _create_private(path: Path) -> None:
    """Create the store file readable by its owner only (SQLite gives its -wal and -shm files the
    database file's mode). An existing file keeps the mode its administrator chose."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError:  # an unwritable place: sqlite3 says so below, in the store's own message
        pass
