"""The desk: the one way the apps, workbook import and export, downloads and served pages reach the data.

`Desk(store, user)` acts for one person. Before every read and change it re-checks the sign-in session
it was opened for (if any) and the person's record (a disabled user can do nothing), asks who may
(`access.refusal`) and what the plan's status allows (the workflow table), logs each refusal, and
writes each change with its event in one transaction. The store keeps; the desk decides.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from .access import User, counts_in_load, refusal
from .diff import Change, diff_plans
from .errors import AccessDenied, Conflict, InvalidAction, NotFound, PlannerError, SessionEnded
from .fiscal_year import FiscalYear, available_years
from .load import Load, monthly_load
from .notices import TOLD, concerns, recipients
from .plan import Plan
from .records import Notice, PlanRecord, Revision
from .results import Result
from .rules import check
from .store import Event, Store
from .workflow import MOVES, comment_after, state_refusal

Ended = Callable[[str, str], None]  # told once the session is over: (message_ja, message_en)


def warm_store() -> Store | None:
    """Open the store and read the fiscal-year files ahead of a page's request (preheated kernels run
    this before anyone asks); None if that fails, so the refusal is said once the page is asked for."""
    try:
        store = Store()
        for year in available_years():
            store.fiscal_year(year)
        return store
    except PlannerError:
        return None


class Desk:
    """One person's way to the store. `session` is the ref of the sign-in session behind an open page
    (None for the CLI and the Python API, which act as a named user); `ended` is told, once, what to say
    when that session is over."""

    def __init__(self, store: Store, user: User | str, session: str | None = None, ended: Ended | None = None):
        self.store = store
        self.name = user.name if isinstance(user, User) else user
        self.session = session
        self.ended = ended

    @classmethod
    def for_session(cls, store: Store | None, session: str | None, ended: Ended | None = None) -> Desk:
        """The desk of the person signed in with this session (on the store given, else the one of
        PLANNER_DB); AccessDenied (logged) if the session is not live."""
        store = store if store is not None else Store()
        try:
            user = store.session_user(session or "")
        except AccessDenied as exc:
            store.log_refusal(exc, None, "open_app", "-")
            raise
        return cls(store, user, session, ended)

    # -- who is asking ---------------------------------------------------------------------------

    @property
    def user(self) -> User:
        """The person as the store knows them now (after the session's re-check)."""
        self._check_session()
        return self.store.user(self.name)

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    def _check_session(self) -> None:
        if self.session is None:
            return
        try:
            self.store.session_user(self.session)
        except SessionEnded as exc:
            if self.ended is not None:
                self.ended(exc.message_ja, exc.message_en)
            raise

    def _may(self, action: str, consortium: str, status: str | None) -> User:
        """The person, if they may take this action on a plan of this consortium in this status."""
        self._check_session()
        user = self.store.user_or_none(self.name)
        why = refusal(user, action, consortium, status)
        if why:
            raise AccessDenied(*why)
        return user  # type: ignore[return-value]

    @contextmanager
    def _logged(self, action: str, target: str) -> Iterator[None]:
        try:
            yield
        except (AccessDenied, Conflict, InvalidAction) as exc:
            self.store.log_refusal(exc, self.name, action, target)
            raise

    def refuse(self, exc: PlannerError, action: str, target: str) -> PlannerError:
        """Log a refusal decided outside the desk (a screen this role may not open); returns it to raise."""
        self.store.log_refusal(exc, self.name, action, target)
        return exc

    # -- what anyone signed in may read ----------------------------------------------------------

    def fiscal_year(self, year: int) -> FiscalYear:
        return self.store.fiscal_year(year)

    def menu_or_none(self, consortium: str, fiscal_year: int):  # -> Menu | None
        return self.store.menu_or_none(consortium, fiscal_year)

    def plan_years(self, consortium: str | None = None) -> list[int]:
        return self.store.plan_years(consortium)

    def display_names(self) -> dict[str, str]:
        """Anyone signed in may read names (every role sees who saved a plan it can read), nothing else
        of a user: no role, consortium or key."""
        self._check_session()
        return self.store.display_names()

    def display_name(self, name: str) -> str:
        self._check_session()
        return self.store.display_name(name)

    def language(self) -> str:
        return self.store.language(self.name)

    def set_language(self, lang: str) -> None:
        """A page sets its own person's language only."""
        self._check_session()
        self.store.set_language(self.name, lang)

    def plan_records(self, fiscal_year: int | None = None) -> list[PlanRecord]:
        """Every plan's current state: the lists show each consortium's status, and a screen shows the
        lines only of the plans `may(read)` allows (the review app's overview)."""
        self._check_session()
        return self.store.plan_records(fiscal_year)

    def all_results(self, fiscal_year: int | None = None) -> list[tuple[str, int, Result]]:
        self._check_session()
        return self.store.all_results(fiscal_year)

    def load(self, fy: FiscalYear) -> Load:
        """The contractor's monthly load as this person may be shown it: of the plans that count for them
        (access.counts_in_load). Each app reads it here, so a warning's totals are those of 月別の負荷."""
        user = self.user  # the session re-checked once, here
        records = self.store.plan_records(fy.year)
        return monthly_load([r.plan for r in records if counts_in_load(user, r.status)], fy)

    # -- one plan --------------------------------------------------------------------------------

    def _readable(self, consortium: str, fiscal_year: int) -> None:
        with self._logged("read", f"{consortium}/{fiscal_year}"):
            self._may("read", consortium, self.store.plan_status(consortium, fiscal_year))

    def find(self, consortium: str, fiscal_year: int) -> PlanRecord | None:
        """The current state of a plan, or None if none was saved yet."""
        self._readable(consortium, fiscal_year)
        return self.store.current(consortium, fiscal_year)

    def get(self, consortium: str, fiscal_year: int) -> PlanRecord:
        rec = self.find(consortium, fiscal_year)
        if rec is None:
            raise NotFound(f"{consortium} の {fiscal_year} 年度の計画はまだありません。",
                           f"There is no FY{fiscal_year} plan for {consortium} yet.")
        return rec

    def history(self, consortium: str, fiscal_year: int) -> list[Revision]:
        self._readable(consortium, fiscal_year)
        return self.store.revisions(consortium, fiscal_year)

    def revision(self, consortium: str, fiscal_year: int, revision: int) -> Revision:
        self._readable(consortium, fiscal_year)
        return self.store.revision_at(consortium, fiscal_year, revision)

    def compare(self, consortium: str, fiscal_year: int, a: int, b: int) -> list[Change]:
        """Changes from revision a to revision b of one plan."""
        return diff_plans(self.revision(consortium, fiscal_year, a).plan,
                          self.revision(consortium, fiscal_year, b).plan)

    def mark_seen(self, consortium: str, fiscal_year: int, revision: int) -> None:
        """Note that this person has looked at this revision of the plan."""
        with self._logged("read", f"{consortium}/{fiscal_year}"), self.store.transaction():
            self._may("read", consortium, self.store.plan_status(consortium, fiscal_year))
            self.store.note_seen(self.name, consortium, fiscal_year, revision)

    def last_seen(self, consortium: str, fiscal_year: int) -> int | None:
        self._readable(consortium, fiscal_year)
        return self.store.seen_revision(self.name, consortium, fiscal_year)

    def results(self, consortium: str, fiscal_year: int) -> list[Result]:
        """The plan's results, one a recorded session, each with its line's 番号 as it is now, in the order
        of the lines and sessions."""
        self._readable(consortium, fiscal_year)
        return self.store.plan_results(consortium, fiscal_year)

    # -- changes ---------------------------------------------------------------------------------

    def save(self, plan: Plan, base_revision: int | None) -> int:
        """Store the plan's lines as a new revision (status becomes draft). Returns the new revision.

        base_revision is the revision the editor started from (None for a new plan). If anyone saved
        since, raises Conflict with the changes made in between; nothing is written."""
        if not isinstance(plan.consortium, str) or not isinstance(plan.fiscal_year, int):
            raise InvalidAction("計画にコンソーシアムと年度が必要です。",
                                "A plan needs a consortium and a fiscal year.")
        fy = self.store.fiscal_year(plan.fiscal_year)
        if plan.consortium not in fy.consortia:
            raise InvalidAction(f"コンソーシアム {plan.consortium!r} は{fy.label_ja}のデータにありません。",
                                f"Consortium {plan.consortium!r} is not in the FY{fy.year} data.")
        return self._move("save", plan.consortium, plan.fiscal_year, base_revision, new_plan=plan)

    def submit(self, consortium: str, fiscal_year: int, base_revision: int | None = None, comment: str = "") -> int:
        """Submit the plan for review; `comment` is the secretariat's message to the officer (変更点・返信),
        kept as the revision's comment: the officer reads it in the plan and the inbox."""
        return self._move("submit", consortium, fiscal_year, base_revision, comment=comment)

    def withdraw(self, consortium: str, fiscal_year: int, base_revision: int | None = None) -> int:
        return self._move("withdraw", consortium, fiscal_year, base_revision)

    def accept(self, consortium: str, fiscal_year: int, base_revision: int | None = None, comment: str = "") -> int:
        return self._move("accept", consortium, fiscal_year, base_revision, comment=comment)

    def return_plan(self, consortium: str, fiscal_year: int, comment: str, base_revision: int | None = None) -> int:
        return self._move("return", consortium, fiscal_year, base_revision, comment=comment)

    def reopen(self, consortium: str, fiscal_year: int, comment: str = "", base_revision: int | None = None) -> int:
        return self._move("reopen", consortium, fiscal_year, base_revision, comment=comment)

    def decide(self, action: str, consortium: str, fiscal_year: int, comment: str = "",
               base_revision: int | None = None) -> int:
        """An officer's move by its name (accept, return, reopen): one path for the review app's buttons."""
        if action not in ("accept", "return", "reopen"):
            raise InvalidAction(f"「{action}」という判断はありません。", f"There is no decision {action!r}.")
        return self._move(action, consortium, fiscal_year, base_revision, comment=comment)

    def _move(self, action: str, consortium: str, fiscal_year: int, base_revision: int | None,
              new_plan: Plan | None = None, comment: str = "") -> int:
        """One move of the workflow, checked and written with its event in one transaction."""
        with self._logged(action, f"{consortium}/{fiscal_year}"), self.store.transaction():
            rec = self.store.current(consortium, fiscal_year)
            status = rec.status if rec else None
            self._may(action, consortium, status)
            current = rec.revision if rec else 0
            # save always names its base; status changes may (to act only on what the person saw)
            if (action == "save" or base_revision is not None) and (base_revision or 0) != current:
                raise self.store.conflict(consortium, fiscal_year, base_revision or 0)
            if why := state_refusal(action, status):  # the move itself, before reading the plan
                raise InvalidAction(*why)
            plan = new_plan if new_plan is not None else rec.plan  # type: ignore[union-attr]
            move = MOVES[action]
            errors = sum(f.is_error for f in check(plan, self.store.fiscal_year(fiscal_year))) if move.clean else None
            if why := state_refusal(action, status, errors, len(plan.lines), comment):  # its gates
                raise InvalidAction(*why)
            written = self.store.write_revision(plan, self.name, move.to, comment,
                                                comment_after(action, comment, rec.comment if rec else ""))
            self._tell(self.store.add_event(self.name, action, consortium, fiscal_year, written.revision,
                                            written.status_from, move.to))
        return written.revision

    def record_result(self, consortium: str, fiscal_year: int, result: Result) -> None:
        """Record what was delivered for one session of a line of an accepted plan (`result.session`,
        1 … the line's quantity; replaces an earlier record of that session)."""
        self.record_results(consortium, fiscal_year, [result])

    def record_results(self, consortium: str, fiscal_year: int, results: list[Result]) -> None:
        """Record several results in one transaction: all of them, or none if any is refused."""
        with self._logged("record_result", f"{consortium}/{fiscal_year}"), self.store.transaction():
            self._may("record_result", consortium, self.store.plan_status(consortium, fiscal_year))
            events = [self.store.add_event(self.name, "record_result", consortium, fiscal_year, line_id=r.line_id)
                      for r in self.store.put_results(consortium, fiscal_year, results, self.name)]
            if events:  # one mail for the results recorded together (a workbook's 実績 sheet), not one a line
                self._tell(events[0], events[1:])

    # -- following changes and the inbox (お知らせ) ------------------------------------------------

    def last_event(self) -> int:
        """The latest event's number: a page compares it with the one it last showed. Not re-checked
        against the session (an open page asks every second or two, and learns only that something
        changed); what it then reads is."""
        return self.store.last_event()

    def changed(self) -> int:
        """A number that moves when another process or page may have changed something (SQLite's
        data_version): reading it reads no table, so a page can ask often for nothing."""
        return self.store.data_version()

    def events_since(self, after: int) -> list[Event]:
        """The events after `after` about plans this person may read now (what an open page tells of)."""
        user = self.user
        status: dict[tuple[str, int], str | None] = {}
        out = []
        for e in self.store.events(after):
            key = (e.consortium, e.fiscal_year)
            if key not in status:
                status[key] = self.store.plan_status(*key)
            if refusal(user, "read", e.consortium, status[key]) is None:
                out.append(e)
        return out

    def inbox(self, limit: int = 50) -> list[Notice]:
        """What concerns this person (notices.concerns: their role is told of it and they may see the
        plan), newest first, each marked read or not."""
        user = self.user
        read = self.store.read_notices(user.name)
        out = []
        for event, comment in self.store.events_of(tuple(TOLD)):
            if concerns(event, user):
                out.append(Notice(event, comment, event.id in read))
                if len(out) >= limit:
                    break
        return out

    def unread_count(self) -> int:
        user = self.user
        read = self.store.read_notices(user.name)
        return sum(1 for e, _ in self.store.events_of(tuple(TOLD)) if e.id not in read and concerns(e, user))

    def mark_read(self, event_ids: list[int]) -> int:
        """Mark notices read; only events that concern this person are marked (another's are ignored, so
        a forged id marks nothing). Returns how many were marked."""
        user = self.user
        wanted = set(event_ids)
        mine = [e.id for e, _ in self.store.events_of(tuple(TOLD)) if e.id in wanted and concerns(e, user)]
        if mine and not self.read_only:
            self.store.mark_notices_read(user.name, mine)
        return len(mine)

    def _tell(self, event: Event, more: list[Event] | None = None) -> None:
        """Queue the mails of an event (and of `more` like it, told in the same mail), in its change's
        transaction: whom it concerns is notices' rule, whether and how often each is mailed their own
        choice (the store's outbox)."""
        self.store.queue_notices(event, recipients(event, self.store.users()), more or [])

    # -- this person's mail notices ------------------------------------------------------------------

    def mail_settings(self) -> tuple[str, str]:
        """(address, choice) of this person's mail notices; the choice is each, daily or none."""
        self._check_session()
        return self.store.mail_settings(self.name)

    def set_notices(self, choice: str) -> None:
        """A page sets its own person's choice only (each event, a daily digest, or none)."""
        with self._logged("set_notices", self.name):
            if not self.user.active:  # the session re-checked here
                raise AccessDenied(*refusal(None, "read", "-", None))  # type: ignore[misc]
            self.store.set_notices(self.name, choice)
