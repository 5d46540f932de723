"""Plans and their revisions as the store keeps them. What the store itself refuses, whatever the path
and whoever asks: a write on a revision other than the one it started from (a conflict), text and
lines over the limits, a line id that is no text or that two lines share, and an edit that would lose
a recorded result; invisible format characters are removed (limits.visible). Who may make a change,
and in which status, is the desk's to decide."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, fields, replace

from .. import limits
from ..diff import Change, describe, diff_plans
from ..errors import Conflict, InvalidAction, NotFound
from ..plan import Line, Plan, new_line_id
from ..records import PlanRecord, Revision
from ..results import Result, edits_losing_results
from . import connection
from .connection import refuse_oversize
from .sessions import Sessions


@dataclass(frozen=True)
class Written:
    """What a write made: the new revision, and the status the plan had before (None: a new plan)."""

    revision: int
    status_from: str | None


# a row written by a newer version may hold fields this one does not know
CHANGE_FIELDS = {f.name for f in fields(Change)}


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


class Plans(Sessions):
    def _plan_row(self, consortium: str, fiscal_year: int) -> sqlite3.Row | None:
        return self.db.execute(
            "SELECT * FROM plans WHERE consortium = ? AND fiscal_year = ?", (consortium, fiscal_year)
        ).fetchone()

    def _revision_row(self, plan_id: int, revision: int) -> sqlite3.Row | None:
        return self.db.execute(
            "SELECT * FROM revisions WHERE plan_id = ? AND revision = ?", (plan_id, revision)
        ).fetchone()

    def _record(self, row: sqlite3.Row) -> PlanRecord:
        rev = _to_revision(self._revision_row(row["id"], row["revision"]))
        return PlanRecord(rev.plan, row["status"], row["revision"], row["comment"], rev.at, rev.by)

    def current(self, consortium: str, fiscal_year: int) -> PlanRecord | None:
        """A plan's current state, None if none was saved yet."""
        row = self._plan_row(consortium, fiscal_year)
        return self._record(row) if row else None

    def plan_status(self, consortium: str, fiscal_year: int) -> str | None:
        """The plan's status (None: no plan yet), without reading its lines."""
        row = self._plan_row(consortium, fiscal_year)
        return row["status"] if row else None

    def plan_years(self, consortium: str | None = None) -> list[int]:
        """The fiscal years that have a plan (of one consortium, or of any), oldest first."""
        sql = "SELECT DISTINCT fiscal_year FROM plans" + (" WHERE consortium = ?" if consortium else "")
        return sorted(r[0] for r in self.db.execute(sql, (consortium,) if consortium else ()))

    def plan_records(self, fiscal_year: int | None = None) -> list[PlanRecord]:
        """Every plan's current state (of one year, or of all)."""
        # one query for all plans: a query per plan was most of the time for a thousand plans
        sql = ("SELECT p.status, p.revision, p.comment, r.content, r.at, r.by_user FROM plans p"
               " JOIN revisions r ON r.plan_id = p.id AND r.revision = p.revision"
               + (" WHERE p.fiscal_year = ?" if fiscal_year is not None else "") + " ORDER BY p.fiscal_year, p.id")
        rows = self.db.execute(sql, (fiscal_year,) if fiscal_year is not None else ())
        return [PlanRecord(Plan.from_dict(json.loads(r["content"])), r["status"], r["revision"], r["comment"],
                           r["at"], r["by_user"]) for r in rows]

    def revisions(self, consortium: str, fiscal_year: int) -> list[Revision]:
        """Every revision of a plan, oldest first (none if there is no plan)."""
        row = self._plan_row(consortium, fiscal_year)
        if row is None:
            return []
        rows = self.db.execute("SELECT * FROM revisions WHERE plan_id = ? ORDER BY revision", (row["id"],))
        out: list[Revision] = []
        for rev in map(_to_revision, rows):
            # changes written before lines had ids were told by position (a move read as every line
            # after it changing); the migrated contents have ids, so they are told again from those
            if any(c.line_id is None for c in rev.changes):
                rev = replace(rev, changes=diff_plans(out[-1].plan if out else None, rev.plan))
            out.append(rev)
        return out

    def revision_at(self, consortium: str, fiscal_year: int, revision: int) -> Revision:
        row = self._plan_row(consortium, fiscal_year)
        r = self._revision_row(row["id"], revision) if row else None
        if r is None:
            raise NotFound(f"版 {revision} はありません。", f"There is no revision {revision}.")
        return _to_revision(r)

    def note_seen(self, user: str, consortium: str, fiscal_year: int, revision: int) -> None:
        """Note that `user` has looked at this revision of the plan (a later one seen earlier stays)."""
        with self.transaction() as db:
            row = self._plan_row(consortium, fiscal_year)
            if row is None or not 0 < revision <= row["revision"]:
                raise NotFound(f"版 {revision} はありません。", f"There is no revision {revision}.")
            db.execute("INSERT INTO seen (user, plan_id, revision, at) VALUES (?, ?, ?, ?)"
                       " ON CONFLICT(user, plan_id) DO UPDATE SET revision = MAX(revision, excluded.revision),"
                       " at = excluded.at", (user, row["id"], revision, connection.now()))

    def seen_revision(self, user: str, consortium: str, fiscal_year: int) -> int | None:
        """The latest revision of the plan that `user` has looked at (note_seen), None if none yet."""
        seen = self.db.execute("SELECT s.revision FROM seen s JOIN plans p ON p.id = s.plan_id"
                               " WHERE s.user = ? AND p.consortium = ? AND p.fiscal_year = ?",
                               (user, consortium, fiscal_year)).fetchone()
        return seen["revision"] if seen else None

    def conflict(self, consortium: str, fiscal_year: int, base: int) -> Conflict:
        """The refusal of a write that started from revision `base`: who saved since, and what changed."""
        row = self._plan_row(consortium, fiscal_year)
        current = self._record(row) if row else None
        base_row = self._revision_row(row["id"], base) if row and base else None
        base_plan = _to_revision(base_row).plan if base_row else None
        changes = diff_plans(base_plan, current.plan) if current else []
        who = self.display_name(current.updated_by) if current else ""  # named as the person knows them
        at = current.revision if current else 0
        menu = self.menu_or_none(consortium, fiscal_year) if current else None
        return Conflict(
            f"この計画は、あなたが開いた後に {who} さんが保存しました（版 {base} → {at}）。"
            f"上書きはしていません。最新の版を読み込み直してから、変更をやり直してください。"
            f"その間の変更: {describe(changes, 'ja', menu)}",
            f"{who} saved this plan after you opened it (revision {base} → {at}). Nothing was overwritten. "
            "Reload the latest revision and make your change again. "
            f"Changes in between: {describe(changes, 'en', menu)}",
            current_revision=at,
            changes=changes,
            base_revision=base,
            saved_by=who,
            status=current.status if current else "",
        )

    def write_revision(self, plan: Plan, by: str, status: str, comment: str, shown: str) -> Written:
        """Store `plan` as its next revision, in `status`; `comment` is the revision's, `shown` the one the
        plan shows from now on. Inside the caller's transaction, after it checked the move. Lines keep
        their ids; a line without one gets one now."""
        refuse_oversize(limits.plan_problems(plan))
        refuse_oversize([why] if (why := limits.text_problem("コメント", "comment", comment)) else [])
        # whatever the path, no invisible format character (a bidi override) is kept (limits.visible)
        plan = with_line_ids(limits.visible_plan(plan))
        comment, shown = limits.visible(comment), limits.visible(shown)
        with self.transaction() as db:
            row = self._plan_row(plan.consortium, plan.fiscal_year)
            before = self._record(row).plan if row else None
            if before is not None and before.lines != plan.lines:
                self._refuse_losing_results(row["id"], before, plan)
            if row is None:
                plan_id = db.execute("INSERT INTO plans (consortium, fiscal_year, status, revision)"
                                     " VALUES (?, ?, ?, 0)", (plan.consortium, plan.fiscal_year, status)).lastrowid
                status_from, new_rev = None, 1
            else:
                plan_id, status_from, new_rev = row["id"], row["status"], row["revision"] + 1
            changes = diff_plans(before, plan)
            db.execute(
                "INSERT INTO revisions (plan_id, revision, content, by_user, at, status, status_from, comment, changes)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (plan_id, new_rev, json.dumps(plan.as_dict(), ensure_ascii=False, default=str), by,
                 connection.now(), status, status_from, comment,
                 json.dumps([c.as_dict() for c in changes], ensure_ascii=False, default=str)),
            )
            db.execute("UPDATE plans SET status = ?, revision = ?, comment = ? WHERE id = ?",
                       (status, new_rev, shown, plan_id))
        return Written(new_rev, status_from)

    def _refuse_losing_results(self, plan_id: int, before: Plan, after: Plan) -> None:
        """A line with a recorded result is neither removed nor made into another item (the apps say so
        earlier, from the same function)."""
        menu = self.menu_or_none(after.consortium, after.fiscal_year)
        lost = edits_losing_results(before, after, stored_results(self.db, plan_id), menu)
        if lost:
            raise InvalidAction("\n".join(f.message_ja for f in lost), "\n".join(f.message_en for f in lost))


def stored_results(db: sqlite3.Connection, plan_id: int) -> list[Result]:
    rows = db.execute("SELECT session, content FROM results WHERE plan_id = ? ORDER BY line_id, session", (plan_id,))
    return [read_result(r["session"], r["content"]) for r in rows]


def read_result(session: int, content: str) -> Result:
    """A kept result: its content, its session as the row keeps it (a result kept before results had
    sessions has none in its content)."""
    return Result.from_dict({**json.loads(content), "session": session})


def with_line_ids(plan: Plan) -> Plan:
    """The plan as it is stored: a line without an id (None or "", e.g. from code that set it so) gets a
    fresh one now, its only chance; an id that is no text, or one that two lines share, is refused: the
    store could not tell which line a result or a change would then be about."""
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
