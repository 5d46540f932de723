"""The review app's state and actions (programme officer and contractor): traitlets models, no widgets.

As in the secretariat app, every refusal of the library becomes a `Note` (data the views show) and is
already logged by the store; nothing here raises to the page. Tests drive these models directly.
pandas is imported only when the planned-against-delivered panel is first computed.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import traceback
from collections.abc import Callable
from typing import Any

import traitlets as tl

from ..access import ROLE_LABELS, User, may, refusal
from ..diff import Change
from ..errors import AccessDenied, Conflict, PlannerError
from ..findings import Finding
from ..fiscal_year import FiscalYear, available_years
from ..japanese import JST, circled, fiscal_year_label, month_label
from ..numbers import read_number
from ..plan import Plan, is_cancelled
from ..results import COUNT_FIELDS, RESULT_LABELS, SATISFACTION_FIELDS, Result, check_result
from ..rules import check, line_points, points
from ..store import PlanRecord, Store, open_store
from .identity import Ended, Request, identify, page_lang, query_params
from .models import Note, jst, make_plan_workbook, status_label, too_large, xlsx_data_uri
from .session import pick_year

REVIEW_ROLES = ("officer", "contractor", "analyst")
RESULT_FIELDS = ("dates", "venue", *COUNT_FIELDS, *SATISFACTION_FIELDS, "satisfaction_unit", "notes")


_FULLWIDTH = str.maketrans("０１２３４５６７８９－ー．，", "0123456789--.,")  # for the dates typed


def _both(ja: str, en: str, lang: str) -> str:
    return en if lang == "en" else ja


def line_label(plan: Plan, n: int, lang: str, fy: FiscalYear) -> str:
    """How people name a plan line: its number, menu item and title."""
    ln = plan.lines[n - 1]
    item = fy.menu_for(plan.consortium).get(ln.item) if isinstance(ln.item, int) else None
    name = item.name(lang) if item else str(ln.item)
    return f"{n}. {circled(ln.item)} {name} — {ln.title or ''}".rstrip(" —")


class ReviewModel(tl.HasTraits):
    """One officer's or the contractor's session: a fiscal year, its plans, the plan opened.

    A refused session carries only `refusal`: the store is never read, so no plan data can leak.
    """

    lang = tl.Unicode("ja")
    refusal = tl.Instance(Note, allow_none=True)
    year = tl.Int(0)
    year_options = tl.List()
    section = tl.Unicode("overview")  # overview | plan | delivery | load
    note = tl.Instance(Note, allow_none=True)

    def __init__(self, store: Store | None = None, user: User | None = None, year: int = 0,
                 lang: str = "ja", refusal: Note | None = None):
        super().__init__(lang=lang, refusal=refusal)
        self.store = store
        self.user = user
        if refusal is not None:
            return
        assert store is not None and user is not None
        self.year_options = [(fiscal_year_label(y, "ja"), y) for y in available_years()]
        self.year = year
        self.overview = OverviewModel(self)
        self.plan = PlanModel(self)
        self.compare = CompareModel(self)
        self.decision = DecisionModel(self)
        self.result_form = ResultFormModel(self)
        self.transfer = ReviewTransferModel(self)
        self.delivery = DeliveryModel(self)
        self.load = LoadModel(self)
        self.observe(self._on_lang, "lang")
        self.observe(self._on_year, "year")
        self.observe(self._on_section, "section")

    @classmethod
    def refused(cls, note: Note, lang: str = "ja") -> ReviewModel:
        return cls(lang=lang, refusal=note)

    @property
    def by(self) -> str:
        assert self.user is not None
        return self.user.name

    @property
    def role(self) -> str:
        return self.user.role if self.user else ""

    @property
    def is_officer(self) -> bool:
        return self.role == "officer"

    @property
    def is_contractor(self) -> bool:
        return self.role == "contractor"

    @property
    def fy(self) -> FiscalYear:
        assert self.store is not None
        return self.store.fiscal_year(self.year)

    def role_label(self, lang: str | None = None) -> str:
        ja, en = ROLE_LABELS.get(self.role, (self.role, self.role))
        return _both(ja, en, lang or self.lang)

    def _on_lang(self, _: Any = None) -> None:
        self.year_options = [(fiscal_year_label(y, self.lang), y) for y in available_years()]

    def _on_year(self, _: Any = None) -> None:
        self.plan.close()
        self.section = "overview"
        self.note = None
        self._forget_outcomes()

    def _forget_outcomes(self) -> None:
        # what was said about one plan must not stand next to another
        self.decision.forget()
        self.result_form.forget()

    def _on_section(self, _: Any = None) -> None:
        if self.section == "load":
            self.load.refresh()  # a few dozen numbers: read afresh each time it is shown
        # the one panel that needs pandas is computed when first shown, not at start-up
        if self.section == "delivery" and self.delivery.stale:
            try:
                self.delivery.refresh()
            except Exception:  # a fault of ours: said on the page, the traceback to the server's log
                traceback.print_exc(file=sys.__stderr__)
                self.note = Note("error", "計画と実績を集計できませんでした。管理者に連絡してください。",
                                 "Planned against delivered could not be computed; please tell the administrator.")

    def open_plan(self, consortium: str) -> bool:
        """Open one consortium's plan of the year; a refusal (logged by the store) becomes the note."""
        ok = self.plan.load(consortium)
        if ok:
            self.section = "plan"
            self.note = None
            self._forget_outcomes()
        return ok


class OverviewModel(tl.HasTraits):
    """Every consortium's plan of the year at a glance; the contractor sees accepted plans only."""

    lang = tl.Unicode("ja")
    rows = tl.List()
    hidden = tl.Int(0)  # plans the contractor may not see yet (not accepted)

    def __init__(self, app: ReviewModel):
        super().__init__()
        self._app = app
        tl.dlink((app, "lang"), (self, "lang"))
        app.observe(self.refresh, ["year", "lang"])
        self.refresh()

    def refresh(self, _: Any = None) -> None:
        a = self._app
        assert a.store is not None
        fy = a.fy
        # plan_records reads without an access check, so the same pure rule the store applies
        # decides here which plans this person may see; leaving one out is not a refusal to log
        records = {r.plan.consortium: r for r in a.store.plan_records(a.year)}
        rows, hidden = [], 0
        names = a.store.display_names()
        for cid, c in fy.consortia.items():
            rec = records.get(cid)
            status = rec.status if rec else None
            if refusal(a.user, "read", cid, status):
                hidden += rec is not None
                continue
            row: dict[str, Any] = {"consortium": cid, "name": c.name(self.lang), "budget": fy.budget(cid) or 0,
                                   "status": status or "", "status_label": status_label(status or "", self.lang)}
            if rec is None:
                row.update(revision=0, used=0, left=row["budget"], errors=0, warnings=0, updated="", by="",
                           comment="")
            else:
                findings = check(rec.plan, fy)
                used = points(rec.plan, fy)
                row.update(revision=rec.revision, used=used, left=row["budget"] - used,
                           errors=sum(f.is_error for f in findings), warnings=sum(not f.is_error for f in findings),
                           updated=jst(rec.updated_at), by=names.get(rec.updated_by, rec.updated_by),
                           comment=rec.comment)
            rows.append(row)
        self.rows = rows
        self.hidden = hidden


class PlanModel(tl.HasTraits):
    """The plan opened: its lines (with any results), findings, history."""

    lang = tl.Unicode("ja")
    consortium = tl.Unicode("")
    record = tl.Instance(PlanRecord, allow_none=True)
    rows = tl.List()
    findings = tl.List()
    history = tl.List()
    results = tl.Dict()  # line number -> Result
    used = tl.Int(0)
    budget = tl.Int(0)
    left = tl.Int(0)  # negative when over budget
    updated_by = tl.Unicode("")  # who saved last, as shown on screen

    def __init__(self, app: ReviewModel):
        super().__init__()
        self._app = app
        tl.dlink((app, "lang"), (self, "lang"))
        self.revisions: list[Any] = []
        self.observe(self._derive, ["lang"])

    @property
    def name(self) -> str:
        c = self._app.fy.consortia.get(self.consortium)
        return c.name(self.lang) if c else self.consortium

    @property
    def status(self) -> str:
        return self.record.status if self.record else ""

    def close(self) -> None:
        with self.hold_trait_notifications():
            self.consortium = ""
            self.record = None
            self.rows, self.findings, self.history, self.results = [], [], [], {}

    def load(self, consortium: str | None = None) -> bool:
        a = self._app
        assert a.store is not None
        cid = consortium or self.consortium
        try:
            rec = a.store.get(cid, a.year, by=a.by)
            history = a.store.history(cid, a.year, by=a.by)
            results = {r.line_id: r for r in a.store.results(cid, a.year, by=a.by)}
        except PlannerError as exc:
            a.note = Note.of(exc)
            return False
        with self.hold_trait_notifications():
            self.consortium = cid
            self.revisions = history
            self.results = results
            self.record = rec
            self._derive()
        return True

    def _derive(self, _: Any = None) -> None:
        rec = self.record
        if rec is None:
            return
        fy = self._app.fy
        menu = fy.menu_for(self.consortium)
        findings = check(rec.plan, fy)
        flagged: dict[int, str] = {}
        for f in findings:
            if f.line is not None:
                flagged[f.line] = "error" if f.is_error or flagged.get(f.line) == "error" else "warning"
        rows = []
        for n, ln in enumerate(rec.plan.lines, start=1):
            item = menu.get(ln.item) if isinstance(ln.item, int) else None
            variant = item.variant(ln.variant) if item else None
            res = self.results.get(ln.id)
            rows.append({
                "no": n,
                "item": f"{circled(ln.item)} {item.name(self.lang)}" if item else repr(ln.item),
                "variant": variant.name_en if variant and self.lang == "en" else (variant.name_ja if variant
                                                                                   else repr(ln.variant)),
                "quantity": ln.quantity,
                "unit": item.unit(self.lang, ln.quantity) if item else "",
                "points": line_points(ln, menu),
                "month": month_label(ln.month, self.lang),
                "title": ln.title or "",
                "place": ln.place or "",
                "flag": flagged.get(n, ""),
                "cancelled": is_cancelled(ln),
                "result": result_summary(res, self.lang) if res else "",
            })
        with self.hold_trait_notifications():
            self.findings = findings
            self.used = points(rec.plan, fy)
            self.budget = fy.budget(self.consortium) or 0
            self.left = self.budget - self.used
            names = self._app.store.display_names()
            self.updated_by = names.get(rec.updated_by, rec.updated_by)
            self.history = [
                {"revision": r.revision, "at": jst(r.at), "by": names.get(r.by, r.by),
                 "status": status_label(r.status, self.lang),
                 "summary": r.summary(self.lang, menu), "comment": r.comment}
                for r in reversed(self.revisions)
            ]
            self.rows = rows


def result_summary(r: Result, lang: str) -> str:
    """One line a person reads: dates, venue, participants and satisfaction."""
    unit = "%" if r.satisfaction_unit == "percent" else ("" if lang == "en" else "人")
    parts = [", ".join(r.dates), r.venue or ""]
    parts.append(f"{r.participants} participants" if lang == "en" else f"参加者 {r.participants} 名")
    if r.very_satisfied is not None:
        if lang == "en":
            parts.append(f"very satisfied {r.very_satisfied}{unit} / satisfied {r.satisfied}{unit}"
                         f" / dissatisfied {r.dissatisfied}{unit}")
        else:
            parts.append(f"大変満足 {r.very_satisfied}{unit}・満足 {r.satisfied}{unit}・不満 {r.dissatisfied}{unit}")
    return "　".join(p for p in parts if p)


class CompareModel(tl.HasTraits):
    """Two revisions of the opened plan side by side, line by line, with what changed."""

    lang = tl.Unicode("ja")
    options = tl.List()
    options_pairs = tl.List()  # the same revisions as (label, value), for a dropdown
    a = tl.Int(0)
    b = tl.Int(0)
    rows = tl.List()  # {"no", "left", "right", "kind": same|changed|added|removed}
    changes = tl.List()  # described changes, in the current language

    def __init__(self, app: ReviewModel):
        super().__init__()
        self._app = app
        tl.dlink((app, "lang"), (self, "lang"))
        app.plan.observe(self._on_plan, "record")
        self.observe(self.refresh, ["a", "b", "lang"])

    def _on_plan(self, _: Any = None) -> None:
        rec = self._app.plan.record
        revs = [h["revision"] for h in self._app.plan.history]
        with self.hold_trait_notifications():
            self.options = sorted(revs)
            self.options_pairs = [(str(n), n) for n in self.options]
            if rec is None:
                self.a = self.b = 0
            else:
                # by default: what changed since an officer last decided on it (else since the first save)
                decided = [r.revision for r in self._app.plan.revisions
                           if (r.status in ("accepted", "returned") or r.status_from == "accepted")
                           and r.revision < rec.revision]
                self.b = rec.revision
                self.a = decided[-1] if decided else 1
        self.refresh()

    def refresh(self, _: Any = None) -> None:
        a = self._app
        p = a.plan
        if p.record is None or not self.a or not self.b:
            self.rows, self.changes = [], []
            return
        assert a.store is not None
        try:
            left = a.store.revision(p.consortium, a.year, self.a, by=a.by).plan
            right = a.store.revision(p.consortium, a.year, self.b, by=a.by).plan
            changes = a.store.compare(p.consortium, a.year, self.a, self.b, by=a.by)
        except PlannerError as exc:
            a.note = Note.of(exc)
            return
        rows = compare_rows(left, right, changes, self.lang, a.fy)
        with self.hold_trait_notifications():
            self.rows = rows
            menu = a.fy.menu_for(p.consortium)
            self.changes = [c.describe(self.lang, menu) for c in changes]


def compare_rows(left: Plan, right: Plan, changes: list[Change], lang: str, fy: FiscalYear) -> list[dict[str, Any]]:
    """Two revisions side by side, a row a line matched by id: in the right revision's order, a
    removed line under the line it followed. A moved line's 番号 reads 1→4."""
    kinds: dict[Any, str] = {}
    for c in changes:
        if c.kind in ("moved", "added", "removed") or c.line_id not in kinds:
            kinds[c.line_id] = c.kind

    def label(plan: Plan, i: int) -> str:
        ln = plan.lines[i]
        return f"{line_label(plan, i + 1, lang, fy)}　×{ln.quantity}　{month_label(ln.month, lang)}"

    at_right = {ln.id: j for j, ln in enumerate(right.lines)}
    keyed: list[tuple[tuple[int, int, int], dict[str, Any]]] = []
    for j, ln in enumerate(right.lines):
        i = left.line_index(ln.id)
        kind = kinds.get(ln.id, "same") if i is not None else "added"
        no: Any = f"{i + 1}→{j + 1}" if kind == "moved" and i is not None else j + 1
        keyed.append(((j, 0, 0), {"no": no, "left": label(left, i) if i is not None else "",
                                  "right": label(right, j), "kind": kind}))
    after = -1  # the right position of the last left line that is still there
    for i, ln in enumerate(left.lines):
        if ln.id in at_right:
            after = at_right[ln.id]
            continue
        keyed.append(((after, 1, i), {"no": i + 1, "left": label(left, i), "right": "", "kind": "removed"}))
    return [row for _, row in sorted(keyed, key=lambda kr: kr[0])]


class DecisionModel(tl.HasTraits):
    """The officer's decision on the opened plan: accept, return with a comment, reopen."""

    lang = tl.Unicode("ja")
    comment = tl.Unicode("")
    can_accept = tl.Bool(False)
    can_return = tl.Bool(False)
    can_reopen = tl.Bool(False)
    takes_comment = tl.Bool(False)  # a comment box only where a decision can be taken
    blocked = tl.Instance(Note, allow_none=True)  # why accepting is not possible now
    note = tl.Instance(Note, allow_none=True)

    def __init__(self, app: ReviewModel):
        super().__init__()
        self._app = app
        tl.dlink((app, "lang"), (self, "lang"))
        app.plan.observe(self._update, ["record", "findings"])
        self._update()

    def _update(self, _: Any = None) -> None:
        a, p = self._app, self._app.plan
        officer = a.is_officer
        errors = sum(f.is_error for f in p.findings)
        status = p.status
        lines = len(p.record.plan.lines) if p.record else 0
        self.can_accept = may(a.user, "accept", p.consortium, status or None, errors, lines) is None
        self.can_return = may(a.user, "return", p.consortium, status or None) is None
        self.can_reopen = may(a.user, "reopen", p.consortium, status or None) is None
        self.takes_comment = self.can_accept or self.can_return or self.can_reopen
        if officer and status == "submitted" and errors:
            self.blocked = Note("error", f"エラーが {errors} 件あるため承認できません。差し戻してください。",
                                f"The plan has {errors} error(s) and cannot be accepted; return it instead.")
        elif officer and status == "returned":
            self.blocked = Note("info",
                                "この計画は事務局に差し戻されています。事務局が直して再提出すると承認できます。",
                                "This plan was returned to the secretariat; it can be accepted once the "
                                "secretariat resubmits it.")
        elif officer and status == "draft":
            self.blocked = Note("info", "この計画はまだ提出されていません。提出されると承認・差し戻しができます。",
                                "This plan has not been submitted yet; it can be accepted or returned once "
                                "it is.")
        else:
            self.blocked = None

    def forget(self) -> None:
        self.note = None
        self.comment = ""

    def _act(self, action: str, run: Callable[[str, int, str, int], int]) -> bool:
        a, p = self._app, self._app.plan
        if p.record is None:
            self.note = Note("error", "計画を開いてから操作してください。", "Open a plan first.")
            return False
        name = p.name
        try:
            rev = run(p.consortium, a.year, a.by, p.record.revision)
        except Conflict as exc:
            self.note = Note.of(exc)
            p.load()
            return False
        except PlannerError as exc:
            self.note = Note.of(exc)
            return False
        p.load()
        a.overview.refresh()
        self.comment = ""
        done = {"accept": ("を承認しました", "accepted"), "return": ("を差し戻しました", "returned"),
                "reopen": ("を再開しました（下書きに戻りました）", "reopened (it is a draft again)")}[action]
        self.note = Note("success", f"{name}の計画{done[0]}（版 {rev}）。",
                         f"The plan of {name} was {done[1]} (revision {rev}).")
        return True

    def accept(self) -> bool:
        store = self._app.store
        assert store is not None
        return self._act("accept", lambda c, y, by, base: store.accept(
            c, y, by=by, base_revision=base, comment=self.comment.strip()))

    def return_plan(self) -> bool:
        store = self._app.store
        assert store is not None
        if not self.comment.strip() and self._app.is_officer:
            # the store says the same; saying it here keeps the typed-nothing case from a round trip
            self.note = Note("error", "差し戻しの理由（コメント）を書いてください。事務局の画面に表示されます。",
                             "Write a comment saying why the plan is returned; the secretariat sees it.")
            return False
        return self._act("return", lambda c, y, by, base: store.return_plan(
            c, y, by=by, comment=self.comment.strip(), base_revision=base))

    def reopen(self) -> bool:
        store = self._app.store
        assert store is not None
        # the reason for reopening, if given, is what the secretariat sees next to its reopened plan
        return self._act("reopen", lambda c, y, by, base: store.reopen(
            c, y, by=by, comment=self.comment.strip(), base_revision=base))


def _count(text: str, field: str, n: int) -> tuple[Any, Finding | None]:
    r = read_number(text)  # a negative or a fraction is a number: check_result names what is wrong with it
    if r.problem is None or r.problem == "blank":
        return r.value, None
    ja, en = RESULT_LABELS[field]
    return None, Finding("NOT_A_NUMBER", "error", f"{n}行目の実績: {ja}「{text}」は数字で入れてください。",
                         f"Result for line {n}: {en} '{text}' must be a number.", line=n)


class ResultFormModel(tl.HasTraits):
    """The contractor's form for one line's result; checked like plans, stored only when clean."""

    lang = tl.Unicode("ja")
    line_id = tl.Unicode("")  # the line the form is about: by id, so a result never lands on a neighbour
    line_options = tl.List()  # (label with the 番号, line id)
    dates = tl.Unicode("")
    venue = tl.Unicode("")
    companies = tl.Unicode("")
    company_staff = tl.Unicode("")
    students = tl.Unicode("")
    members = tl.Unicode("")
    very_satisfied = tl.Unicode("")
    satisfied = tl.Unicode("")
    dissatisfied = tl.Unicode("")
    satisfaction_unit = tl.Unicode("percent")
    notes = tl.Unicode("")
    enabled = tl.Bool(False)
    findings = tl.List()
    note = tl.Instance(Note, allow_none=True)

    def __init__(self, app: ReviewModel):
        super().__init__()
        self._app = app
        tl.dlink((app, "lang"), (self, "lang"))
        app.plan.observe(self._on_plan, ["record", "lang"])
        self.observe(self._fill, "line_id")

    @property
    def line(self) -> int | None:
        """The chosen line's 番号 as it is now (None if the plan has no such line)."""
        rec = self._app.plan.record
        i = rec.plan.line_index(self.line_id) if rec else None
        return None if i is None else i + 1

    def _on_plan(self, _: Any = None) -> None:
        a, p = self._app, self._app.plan
        self.enabled = may(a.user, "record_result", p.consortium, p.status or None) is None
        if p.record is None:
            self.line_options = []
            return
        lines = p.record.plan.lines
        self.line_options = [(line_label(p.record.plan, n, self.lang, a.fy), ln.id)
                             for n, ln in enumerate(lines, start=1)]
        if p.record.plan.line_index(self.line_id) is None:
            self.line_id = lines[0].id if lines else ""
        else:
            self._fill()

    def _fill(self, _: Any = None) -> None:
        """Show the line's stored result, so recording again corrects it rather than starts over."""
        r = self._app.plan.results.get(self.line_id)
        with self.hold_trait_notifications():
            self.dates = ", ".join(r.dates) if r else ""
            self.venue = (r.venue or "") if r else ""
            for f in (*COUNT_FIELDS, *SATISFACTION_FIELDS):
                v = getattr(r, f) if r else None
                setattr(self, f, "" if v is None else str(v))
            self.satisfaction_unit = r.satisfaction_unit if r else "percent"
            self.notes = (r.notes or "") if r else ""
            self.findings = []

    def forget(self) -> None:
        self.note = None
        self.findings = []

    def to_result(self) -> tuple[Result | None, list[Finding]]:
        """The form as a Result, or None with what to fix."""
        n = self.line or 0
        bad: list[Finding] = []
        values: dict[str, Any] = {}
        for f in (*COUNT_FIELDS, *SATISFACTION_FIELDS):
            v, problem = _count(getattr(self, f), f, n)
            values[f] = v
            if problem:
                bad.append(problem)
        dates = tuple(d for d in re.split(r"[,、，\s]+", self.dates.strip().translate(_FULLWIDTH)) if d)
        dates = tuple(d.replace("/", "-") for d in dates)
        if not dates:
            bad.append(Finding("DATE_REQUIRED", "error", f"{n}行目の実績: 実施日を入れてください（例 2024-11-19）。",
                               f"Result for line {n}: enter the date(s) held (e.g. 2024-11-19).", line=n))
        result = Result(line_id=self.line_id, line=self.line, dates=dates, venue=self.venue.strip(),
                        satisfaction_unit=self.satisfaction_unit, notes=self.notes.strip(), **values)
        plan = self._app.plan.record.plan if self._app.plan.record else Plan(None, None, ())
        return (None if bad else result), bad + check_result(result, plan)

    def record(self) -> bool:
        a, p = self._app, self._app.plan
        if p.record is None:
            self.note = Note("error", "計画を開いてから記録してください。", "Open a plan first.")
            return False
        result, findings = self.to_result()
        self.findings = findings
        if result is None or any(f.is_error for f in findings):
            n = sum(f.is_error for f in findings)
            self.note = Note("error", f"記録しませんでした（エラー {n} 件）。下の点を直してください。",
                             f"Not recorded ({n} error(s)). Fix the points below.")
            return False
        assert a.store is not None
        before = p.results.get(result.line_id)
        try:
            a.store.record_result(p.consortium, a.year, result, by=a.by)
        except PlannerError as exc:
            self.note = Note.of(exc)
            return False
        p.load()
        a.delivery.stale = True
        if before is None:
            self.note = Note("success", f"{result.line}行目の実績を記録しました（参加者 {result.participants} 名）。",
                             f"Recorded the result of line {result.line} ({result.participants} participants).")
        else:  # a second record replaces the first: say so, with what it was
            self.note = Note("success", f"{result.line}行目の実績を更新しました（参加者 {before.participants} 名 → "
                             f"{result.participants} 名）。",
                             f"Updated the result of line {result.line} ({before.participants} → "
                             f"{result.participants} participants).")
        return True


class ReviewTransferModel(tl.HasTraits):
    """Workbooks: the opened plan's, the year's consolidated one (with progress), and results uploaded
    in the plan workbook's 実績 sheet, loaded whole or not at all."""

    lang = tl.Unicode("ja")
    plan_uri = tl.Unicode("")
    plan_name = tl.Unicode("")
    year_uri = tl.Unicode("")
    year_name = tl.Unicode("")
    progress = tl.Float(0.0)
    progress_label = tl.Unicode("")
    progress_shown = tl.Bool(False)  # from the first consolidated workbook asked for, until the year changes
    busy = tl.Bool(False)
    note = tl.Instance(Note, allow_none=True)
    findings = tl.List()

    def __init__(self, app: ReviewModel):
        super().__init__()
        self._app = app
        tl.dlink((app, "lang"), (self, "lang"))
        # a link must not outlive the revision or year it was made from
        app.plan.observe(self._forget_plan, ["record"])
        app.observe(self._forget_year, ["year"])

    def _forget_plan(self, _: Any = None) -> None:
        self.plan_uri = self.plan_name = ""
        self.findings = []
        self.note = None

    def _forget_year(self, _: Any = None) -> None:
        self.year_uri = self.year_name = ""
        self.progress, self.progress_label, self.progress_shown = 0.0, "", False

    def download_plan(self) -> bool:
        a, p = self._app, self._app.plan
        if p.record is None:
            self.note = Note("error", "計画を開いてから出力してください。", "Open a plan first.")
            return False
        assert a.store is not None
        made = make_plan_workbook(self, a.store, a.fy, p.consortium, p.record.revision, a.by)
        if made is None:
            return False
        self.plan_name, data = made
        self.plan_uri = xlsx_data_uri(data)
        self.note = Note("success",
                         f"版 {p.record.revision} の Excel ファイルができました。リンクから保存してください。",
                         f"The workbook of revision {p.record.revision} is ready: save it from the link.")
        return True

    def download_year(self) -> bool:
        a = self._app
        assert a.store is not None
        self.busy = True
        self.year_uri = ""
        self.progress, self.progress_label, self.progress_shown = 0.0, "", True

        def report(fraction: float, label: str) -> None:
            # the bridge says each step as "日本語 / English": show the half in the page's language
            ja, _, en = label.partition(" / ")
            self.progress, self.progress_label = float(fraction), (en or ja) if self.lang == "en" else ja

        try:
            from ..workbook import consolidated_workbook

            data = consolidated_workbook(a.store, a.year, progress=report, by=a.by)
        except PlannerError as exc:
            self.progress_label = exc.message(self.lang)
            return False
        finally:
            self.busy = False
        self.year_name = f"集約_{a.year}年度_{dt.datetime.now(tz=JST):%Y%m%d}.xlsx"
        self.year_uri = xlsx_data_uri(data)
        self.progress = 1.0
        return True

    def upload(self, name: str, content: bytes) -> bool:
        """Results filled into the plan workbook's 実績 sheet: checked, then recorded whole or refused whole."""
        a, p = self._app, self._app.plan
        self.findings = []
        if p.record is None:
            self.note = Note("error", "計画を開いてから取り込んでください。", "Open a plan first.")
            return False
        f = too_large(name, content)
        if f is not None:
            self.findings = [f]
            self.note = Note("error", f.message_ja, f.message_en)
            return False
        assert a.store is not None
        self.busy = True
        try:
            from ..workbook import import_workbook

            outcome = import_workbook(a.store, content, by=a.by, expect_consortium=p.consortium,
                                      expect_fiscal_year=a.year)
        except PlannerError as exc:
            self.note = Note.of(exc)
            return False
        finally:
            self.busy = False
        self.findings = list(outcome.findings)
        if not outcome.ok:
            n = sum(f.is_error for f in outcome.findings)
            self.note = Note("error", f"{name} は取り込めませんでした（エラー {n} 件）。何も記録していません。"
                             "下の一覧の箇所を直して、もう一度アップロードしてください。",
                             f"{name} was not loaded ({n} error(s)); nothing was recorded. "
                             "Fix the places listed below and upload it again.")
            return False
        p.load()
        a.delivery.stale = True
        k = outcome.results_recorded
        self.note = Note("success", f"{name} から実績 {k} 件を記録しました。",
                         f"Recorded {k} result(s) from {name}.")
        return True


TOTAL = "__year__"


class LoadModel(tl.HasTraits):
    """The contractor's events per month across the consortia, against its capacity: a table and a chart.

    The officer sees every plan of the year; the contractor, as everywhere, the accepted ones only."""

    lang = tl.Unicode("ja")
    rows = tl.List()  # one a month: label, events per consortium, total, over
    capacity = tl.Int(allow_none=True)
    chart = tl.Unicode("")  # SVG
    scope = tl.Unicode("")  # which plans are counted: "all" or "accepted"

    def __init__(self, app: ReviewModel):
        super().__init__()
        self._app = app
        tl.dlink((app, "lang"), (self, "lang"))
        self.observe(self._draw, "lang")
        self._load: Any = None

    def refresh(self) -> None:
        from ..load import monthly_load

        a = self._app
        assert a.store is not None
        records = a.store.plan_records(a.year)
        self.scope = "all" if a.is_officer else "accepted"
        plans = [r.plan for r in records if a.is_officer or r.status == "accepted"]
        self._load = monthly_load(plans, a.fy)
        self.capacity = self._load.capacity
        self._draw()

    def _draw(self, _: Any = None) -> None:
        from .load_chart import load_svg

        if self._load is None:
            return
        fy = self._app.fy
        names = {cid: c.short_name(self.lang) for cid, c in fy.consortia.items()}
        self.rows = [{"month": month_label(m.month, self.lang), "by": [m.by_consortium.get(c, 0) for c in names],
                      "events": m.events, "over": m.over} for m in self._load.months]
        self.chart = load_svg(self._load, names, self.lang)

    @property
    def names(self) -> list[str]:
        return [c.name(self.lang) for c in self._app.fy.consortia.values()]


class DeliveryModel(tl.HasTraits):
    """Planned against delivered, per consortium and for the year: events, participants, satisfaction.

    Computed on demand (`refresh`), since it is the one panel that needs pandas.
    """

    lang = tl.Unicode("ja")
    rows = tl.List()
    stale = tl.Bool(True)
    note = tl.Instance(Note, allow_none=True)

    def __init__(self, app: ReviewModel):
        super().__init__()
        self._app = app
        tl.dlink((app, "lang"), (self, "lang"))
        app.observe(self._mark, ["year"])
        self.observe(self._relabel, ["lang"])
        self._raw: list[dict[str, Any]] = []

    def _mark(self, _: Any = None) -> None:
        self.stale = True

    def refresh(self) -> None:
        from ..analysis import participants_by_kind, planned_vs_delivered, very_satisfied_share

        a = self._app
        assert a.store is not None
        plans = a.store.plans_frame(a.year)
        results = a.store.results_frame(a.year)
        # only what this person may read: the contractor's view is the accepted plans, as everywhere
        readable = {r["consortium"] for r in a.overview.rows if r["status"]}
        plans = plans[plans["consortium"].isin(readable)]
        results = results[results["consortium"].isin(readable)]
        per = planned_vs_delivered(plans, results)
        whole = planned_vs_delivered(plans.assign(consortium=TOTAL), results.assign(consortium=TOTAL))
        kinds = participants_by_kind(results)
        kinds_total = participants_by_kind(results.assign(consortium=TOTAL))
        very = very_satisfied_share(results)
        very_total = very_satisfied_share(results.assign(consortium=TOTAL))
        raw = []
        for cid in [*a.fy.consortia, TOTAL]:
            table, ktable = (whole, kinds_total) if cid == TOTAL else (per, kinds)
            key = (a.year, cid)
            if key not in table.index and cid != TOTAL:
                continue
            row = table.loc[key] if key in table.index else None
            k = ktable.loc[key] if key in ktable.index else None
            share = row["満足度（大変満足＋満足）"] if row is not None else float("nan")
            v = (very_total if cid == TOTAL else very).get(key, float("nan"))
            raw.append({
                "consortium": cid,
                "planned": int(row["計画イベント数"]) if row is not None else 0,
                "held": int(row["実施イベント数"]) if row is not None else 0,
                "participants": int(row["参加者数"]) if row is not None else 0,
                **{f: (int(k[f]) if k is not None else 0) for f in COUNT_FIELDS},
                "satisfied": None if share != share else round(float(share) * 100),
                "very_satisfied": None if v != v else round(float(v) * 100),
            })
        self._raw = raw
        self.stale = False
        self._relabel()

    def _relabel(self, _: Any = None) -> None:
        fy = self._app.fy if self._app.year else None
        rows = []
        for r in self._raw:
            cid = r["consortium"]
            if cid == TOTAL:
                name = "年度合計" if self.lang != "en" else "Year total"
            else:
                c = fy.consortia.get(cid) if fy else None
                name = c.name(self.lang) if c else cid
            rows.append({**r, "name": name, "total": cid == TOTAL})
        self.rows = rows


def require_reviewer(store: Store, user: User) -> User:
    """Officers, the contractor and analysts review; a secretariat has its own app."""
    if user.role in REVIEW_ROLES:
        return user
    denied = AccessDenied(
        "この画面はプログラム担当（JETRO）と受託者のためのレビュー画面です。事務局の方は計画入力画面"
        "（/voila/render/secretariat.ipynb）をお使いください。",
        "This is the review app for the programme officer and the contractor. Secretariats, please use "
        "the plan app (/voila/render/secretariat.ipynb).",
    )
    store.log_refusal(denied, user.name, "open_review_app", user.consortium or "-")
    raise denied


def open_review(request: Request, store: Store | None = None, ended: Ended | None = None) -> ReviewModel:
    """The review model for whoever signed in to this request; a refused model for anyone else."""
    params = query_params(request.query_string)
    lang = page_lang(params)
    try:
        store = store if store is not None else open_store()
        user = require_reviewer(store, identify(store, request.session, ended))
        return ReviewModel(store, user, pick_year(params, store), lang)
    except PlannerError as exc:
        return ReviewModel.refused(Note.of(exc), lang)
