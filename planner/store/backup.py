"""`planner backup` and `planner snapshot`: consistent copies of the store while the server runs.

SQLite's online backup copies the database page by page under its own locks, so the copy is one
committed state even while kernels write (a file copy of a WAL store can catch half a transaction, or
miss the part still in the -wal file). The copy is made beside its target, readable by its owner only,
turned into a single self-contained file (no -wal), checked with `PRAGMA integrity_check`, and only
then renamed into place: a reader never finds a half-written or unchecked backup under that name.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from ..errors import PlannerError


@dataclass(frozen=True)
class BackupReport:
    """What was copied: enough for an administrator to see the backup is the store they meant."""

    path: Path
    plans: int
    revisions: int
    users: int
    schema: int


def _refuse(ja: str, en: str) -> PlannerError:
    return PlannerError(ja, en)


# what an analyst's snapshot leaves out: the credentials' hashes, who was refused what, and which plan
# revisions each reviewer looked at (about people's work, not the plans); the mails queued and sent, and
# people's mail addresses (personal data an analysis has no use for)
SECRET_TABLES = ("sessions", "access_keys", "refusals", "seen", "outbox")


# the programme's day: the nightly 02:30 run in Japan is that day's backup, whatever the server's clock zone
JAPAN = ZoneInfo("Asia/Tokyo")


def dated_name(now: datetime | None = None) -> str:
    """`planner-YYYY-MM-DD.db`, dated by the day in Japan at `now` (default: this moment). A server
    kept in UTC would otherwise name the 02:30 JST backup after the day before."""
    return f"planner-{(now or datetime.now(JAPAN)).astimezone(JAPAN):%Y-%m-%d}.db"


def backup(db: Path, output: Path) -> BackupReport:
    """Copy the store at `db` to `output` (replacing a file there only once the copy is checked)."""
    return _publish(db, output, 0o600, None, scrub=False)


def snapshot(db: Path, output: Path, group: str | None = None) -> BackupReport:
    """A copy of the store for analysts to read (their own JupyterLab, under JupyterHub): the plans,
    revisions, results and users, without the key and session hashes and the refusals; readable by the
    owner and `group` (0640). A reader of it cannot touch the live store: it is another file, which a
    new snapshot replaces by rename (an open reader keeps the one it opened)."""
    gid = None
    if group is not None:
        import grp

        try:
            gid = grp.getgrnam(group).gr_gid
        except KeyError:
            raise _refuse(f"グループ {group} はこのサーバーにありません。",
                          f"There is no group {group} here.") from None
    return _publish(db, output, 0o640, gid, scrub=True)


def _publish(db: Path, output: Path, mode: int, gid: int | None, scrub: bool) -> BackupReport:
    if not db.is_file():
        raise _refuse(f"データベース {db} がありません。", f"There is no store at {db}.")
    if not output.parent.is_dir():
        raise _refuse(f"保存先のフォルダー {output.parent} がありません。",
                      f"The folder for the copy, {output.parent}, does not exist.")
    if output.exists() and output.resolve() == db.resolve():
        raise _refuse("保存先がデータベースそのものです。別のファイル名を指定してください。",
                      "The copy would overwrite the store itself. Choose another file name.")
    tmp = output.with_name(f".{output.name}.partial")
    tmp.unlink(missing_ok=True)
    # created here with its final mode (0600 for a backup: it holds every plan and key hash) before
    # SQLite opens it; the mode is set again, as umask may have narrowed it
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        if gid is not None:
            os.chown(tmp, -1, gid)
        os.chmod(tmp, mode)
        report = _copy(db, tmp, scrub)
        os.replace(tmp, output)
    except sqlite3.DatabaseError as exc:
        raise _refuse(f"{db} をコピーできませんでした（{exc}）。", f"{db} could not be copied ({exc}).") from None
    except PermissionError as exc:
        raise _refuse(f"{output} を作れませんでした（{exc.strerror}）。",
                      f"{output} could not be made ({exc.strerror}).") from None
    finally:
        tmp.unlink(missing_ok=True)
    _sync_folder(output.parent)
    return BackupReport(output, *report)


def _copy(db: Path, tmp: Path, scrub: bool = False) -> tuple[int, int, int, int]:
    # not open_store: a backup never migrates or creates the store it copies
    src = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=60)
    dst = sqlite3.connect(tmp, isolation_level=None)
    try:
        src.execute("PRAGMA busy_timeout = 60000")
        src.backup(dst)
        # one file that opens on its own, wherever it is copied to
        dst.execute("PRAGMA journal_mode = DELETE")
        if scrub:
            for table in SECRET_TABLES:
                dst.execute(f"DELETE FROM {table}")
            dst.execute("UPDATE users SET email = ''")
            # the deleted rows' bytes leave the file too
            dst.execute("VACUUM")
        problems = [row[0] for row in dst.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise sqlite3.DatabaseError("integrity_check: " + "; ".join(problems[:5]))
        counts = tuple(dst.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                       for table in ("plans", "revisions", "users"))
        schema = dst.execute("PRAGMA user_version").fetchone()[0]
    finally:
        dst.close()
        src.close()
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    return (*counts, schema)  # type: ignore[return-value]


def _sync_folder(folder: Path) -> None:
    """The rename is on disk too, not only the data (a power cut right after must not lose it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
