"""The secretariat app: one secretariat's plan for one fiscal year, the state every panel renders
from, and the page that holds the panels."""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as ipw
import traitlets as tl

from ...access import may
from ...desk import Desk
from ...diff import Change, diff_plans
from ...errors import AccessDenied, PlannerError
from ...fiscal_year import FiscalYear, available_years
from ...japanese import fiscal_year_label
from ...plan import Plan
from ...records import PlanRecord
from ...summary import summarize
from ..identity import remember_lang
from ..inbox import InboxModel, InboxView
from ..labels import jst, status_label, year_options
from ..live import DONE_TO, Follower, moved_on
from ..mail_choice import mail_choice_view
from ..notes import Note, note_html
from ..style import CSS
from ..tables import comment_box, status_chip
from ..text import t
from ..widgets import View, bind_choice, button, html, refusal_box, top_bar
from .actions import ActionsModel, ActionsView
from .budget import BudgetModel, BudgetView
from .editor import EditorModel
from .findings import FindingsModel, FindingsView
from .form import EditorView
from .history import HistoryModel, HistoryView
from .lines import LinesModel, LinesView
from .transfer import TransferModel, TransferView


def year_for(desk: Desk, consortium: str, year: int) -> FiscalYear:
    """The fiscal year's data, if this consortium takes part in that year; AccessDenied otherwise."""
    fy = desk.fiscal_year(year)
    if consortium not in fy.consortia:
        raise AccessDenied(f"コンソーシアム {consortium} は{fy.label_ja}の対象にありません。",
                           f"Consortium {consortium} is not part of FY{fy.year}.")
    return fy


class SecretariatModel(tl.HasTraits):
    """One secretariat's plan for one fiscal year: the state every panel renders from.

    A refused session carries only `refusal`: nothing is read, so no plan data can leak.
    """

    lang = tl.Unicode("ja")
    refusal = tl.Instance(Note, allow_none=True)
    plan = tl.Instance(Plan, allow_none=True)
    saved_plan = tl.Instance(Plan, allow_none=True)  # the stored revision the editor started from
    results = tl.List()  # the results recorded on the plan's lines (a plan reopened after its events)
    revision = tl.Int(0)  # 0: nothing stored yet
    status = tl.Unicode("")
    comment = tl.Unicode("")
    updated_at = tl.Unicode("")
    updated_by = tl.Unicode("")
    findings = tl.List()
    points_used = tl.Int(0)
    budget = tl.Int(0)
    points_left = tl.Int(0)
    dirty = tl.Bool(False)
    editable = tl.Bool(False)
    has_errors = tl.Bool(False)
    note = tl.Instance(Note, allow_none=True)  # the outcome of the last action
    year = tl.Int(0)  # the fiscal year shown
    year_options = tl.List()  # (label, year) for the years this consortium takes part in
    # last year's plan, offered as the start of an empty plan (None when there is none to copy)
    last_year_plan = tl.Instance(Plan, allow_none=True)
    copied_from = tl.Int(0)  # the year the unsaved lines were copied from; 0 if they were not
    # every other consortium's events per month (counts only) and the contractor's capacity
    others_by_month = tl.Dict()
    # the fiscal year shown and this consortium's menu in it: the panels follow them (links, not pushes)
    fy = tl.Instance(FiscalYear, allow_none=True)
    menu = tl.Dict()

    def __init__(self, desk: Desk | None = None, fy: FiscalYear | None = None, lang: str = "ja",
                 refusal: Note | None = None):
        super().__init__(lang=lang, refusal=refusal)
        self.desk = desk
        self.user = desk.user if desk is not None else None
        self.consortium: str | None = getattr(self.user, "consortium", None)
        if refusal is not None:
            return
        assert desk is not None and self.user is not None and fy is not None
        self.user_label = desk.display_name(self.user.name)  # as the others see them, never a bare login id
        self.fy = fy
        self.year = fy.year
        # each panel gets what it needs by name: the desk, who asks, and the commands it may give
        self.budget_model = BudgetModel(self)
        self.editor = EditorModel(self, set_plan=self.set_plan, say=self.say)
        self.lines = LinesModel(self, self.editor)
        self.findings_model = FindingsModel(self)
        self.actions = ActionsModel(self, desk=desk, user=self.user, consortium=self.consortium,
                                    reload=self.reload, unsaved_changes=self.unsaved_changes, say=self.say)
        self.history = HistoryModel(self, desk=desk, consortium=self.consortium, say=self.say)
        self.transfer = TransferModel(self, desk=desk, consortium=self.consortium, reload=self.reload)
        self.inbox = InboxModel(self, desk=desk, open_plan=self.open_notice)
        self._years = self._years_taking_part()
        self.observe(self._on_lang_years, "lang")
        self.observe(lambda ch: remember_lang(self.desk, ch["new"]), "lang")
        self._on_lang_years()
        self.reload()
        # follows what anyone changes; started on the page's loop once the page is shown (planner.app)
        self.follower = Follower(desk, self.follow)

    def _years_taking_part(self) -> list[int]:
        years = []
        for y in available_years():
            try:
                if self.consortium in self.desk.fiscal_year(y).consortia:
                    years.append(y)
            except PlannerError:  # a damaged year file is not offered; `planner years check` names the problem
                continue
        return years if self.fy.year in years else sorted([*years, self.fy.year])

    def _on_lang_years(self, _: Any = None) -> None:
        self.year_options = year_options(self._years, self.lang)

    def change_year(self, year: int) -> bool:
        """Show another fiscal year's plan (with that year's menu and budget). Nothing unsaved is
        dropped by this: with unsaved lines or a line being changed, the person finishes first."""
        if year == self.fy.year:
            return True
        if self.dirty or self.editor.selected >= 0:
            self.note = Note("error", "保存していない変更（または変更中の行）があります。下書きを保存するか、"
                             "「最新の版を読み込む」で変更を取り消してから、年度を切り替えてください。",
                             "There are unsaved changes (or a line being changed). Save the draft, or reload "
                             "to drop them, before switching the fiscal year.")
            return False
        try:  # everything is read before anything shown changes: a refusal leaves the screen as it was
            fy = year_for(self.desk, self.consortium, year)
            rec = self.desk.find(self.consortium, year)
        except PlannerError as exc:
            self.note = Note.of(exc)
            return False
        self.fy = fy  # the menu follows, and the form with it
        self.actions.conflict = None  # a refused save of the other year's plan
        self._show(rec)
        self.year = year
        self.note = Note("info", f"{fiscal_year_label(year, 'ja')}の計画を表示しています。",
                         f"Showing the plan for {fiscal_year_label(year, 'en')}.")
        return True

    def say(self, note: Note | None) -> None:
        """Put what came of an action at the top of the page (None clears it)."""
        self.note = note

    @tl.observe("fy")
    def _on_fy(self, change: dict) -> None:
        self.menu = change["new"].menu_for(self.consortium) if change["new"] is not None else {}

    @classmethod
    def refused(cls, note: Note, lang: str = "ja") -> SecretariatModel:
        return cls(lang=lang, refusal=note)

    @property
    def by(self) -> str:
        return self.user.name

    @property
    def consortium_name(self) -> str:
        c = self.fy.consortia[self.consortium]
        return c.name_en if self.lang == "en" else c.name_ja

    @property
    def fiscal_year_title(self) -> str:
        return fiscal_year_label(self.fy.year, self.lang)

    def reload(self) -> None:
        """Read the current revision from the store, dropping unsaved edits."""
        self._show(self.desk.find(self.consortium, self.fy.year))

    def _read_programme(self) -> None:
        """What the screen needs of the rest of the programme: last year's plan of this consortium (to
        copy from) and how many events the others plan per month (counts, never their plans)."""
        from ...load import others_by_month

        self.others_by_month = others_by_month(self.desk.load(self.fy), self.consortium)
        last = None
        if self.fy.year - 1 in available_years():
            rec = self.desk.find(self.consortium, self.fy.year - 1)
            last = rec.plan if rec is not None and rec.plan.lines else None
        self.last_year_plan = last

    def copy_last_year(self) -> bool:
        """Last year's lines as unsaved changes of this year's empty plan, checked by this year's rules
        (an item not offered, a variant gone, points changed: each a finding on its line)."""
        from ...copying import copy_plan

        if self.plan.lines or self.last_year_plan is None or not self.editable:
            return False
        try:
            self.desk.fiscal_year(self.fy.year - 1)
        except PlannerError as exc:
            self.note = Note.of(exc)
            return False
        self.copied_from = self.fy.year - 1
        self.set_plan(copy_plan(self.last_year_plan, self.fy))
        n = len(self.plan.lines)
        self.note = Note("info", f"{fiscal_year_label(self.copied_from, 'ja')}の計画から {n} 行を写しました"
                         "（まだ保存していません）。指摘を確かめてから、下書きを保存してください。実績は写していません。",
                         f"Copied {n} line(s) from the {fiscal_year_label(self.copied_from, 'en')} plan (not saved "
                         "yet). Check the findings, then save the draft. Results are not copied.")
        return True

    def _show(self, rec: PlanRecord | None) -> None:
        self._read_programme()
        self.copied_from = 0
        with self.hold_trait_notifications():
            if rec is None:
                self.saved_plan = None
                self.results = []
                self.revision, self.status, self.comment = 0, "", ""
                self.updated_at = self.updated_by = ""
                plan = Plan(self.consortium, self.fy.year, ())
            else:
                self.saved_plan = rec.plan
                self.results = self.desk.results(self.consortium, self.fy.year)
                self.revision, self.status, self.comment = rec.revision, rec.status, rec.comment
                self.updated_at = jst(rec.updated_at)
                self.updated_by = self.desk.display_names().get(rec.updated_by, rec.updated_by)
                plan = rec.plan
            self.set_plan(plan)

    def set_plan(self, plan: Plan) -> None:
        """Replace the working plan and recompute everything shown from it."""
        from ...copying import points_changed

        summary = summarize(plan, self.fy, others=self.others_by_month)
        findings = summary.findings
        if self.copied_from:
            findings += points_changed(plan, self.desk.fiscal_year(self.copied_from), self.fy)
        used, budget = summary.used, summary.budget or 0
        saved = self.saved_plan or Plan(self.consortium, self.fy.year, ())
        with self.hold_trait_notifications():
            self.plan = plan
            self.findings = findings
            self.points_used, self.budget, self.points_left = used, budget, budget - used
            self.has_errors = any(f.is_error for f in findings)
            self.dirty = plan.lines != saved.lines
            self.editable = may(self.user, "save", self.consortium, self.status or None) is None

    def follow(self, events: list[Any]) -> None:
        """Someone changed something (told by the follower). The plan shown is read again when nothing
        unsaved is on the screen; with unsaved changes (or a line being changed) they are kept and the
        person is told who moved the plan on and what they can do. Whatever else is shown from the rest
        of the programme (the month hints' counts) and the inbox are read again in either case."""
        self.inbox.refresh()
        rec = self.desk.find(self.consortium, self.fy.year)
        if rec is None or (rec.revision == self.revision and rec.status == self.status):
            self._read_programme()
            if rec is not None:
                self.results = self.desk.results(self.consortium, self.fy.year)
            self.set_plan(self.plan)  # the month hints follow the others' counts; the lines stay
            return
        ours = [e for e in events if (e.consortium, e.fiscal_year) == (self.consortium, self.fy.year)
                and e.revision == rec.revision]
        action = ours[-1].action if ours else DONE_TO.get(rec.status, "save")
        who = self.desk.display_names().get(rec.updated_by, rec.updated_by)
        before = self.revision
        if self.dirty or self.editor.selected >= 0:
            note = moved_on(who, action, before, rec.revision, rec.comment, kept=True)
            self._read_programme()
            self.set_plan(self.plan)
        else:
            note = moved_on(who, action, before, rec.revision, rec.comment)
            self._show(rec)
            self.actions.conflict = None
        # said at the top and by the buttons (where the person may be, far down the page), replacing what
        # was said there of their own last action
        self.note = self.actions.note = note

    def open_notice(self, consortium: str, year: int) -> bool:
        """A notice clicked: its plan is this consortium's; shown in the year it is about."""
        return consortium == self.consortium and self.change_year(year)

    def unsaved_changes(self) -> list[Change]:
        return diff_plans(self.saved_plan or Plan(self.consortium, self.fy.year, ()), self.plan)


class CopyLastYearView(View):
    """On an empty plan: start from last year's lines (they come in as unsaved changes)."""

    _model: SecretariatModel

    def _render(self) -> None:
        m = self._model
        self.add_class("pl-copy")
        self._hint = html()
        self._button = button("pl-copy-last-year", "info", "auto")
        self.children = [self._hint, self._button]
        self._button.on_click(lambda _b: m.copy_last_year())
        m.observe(self._refresh, ["plan", "last_year_plan", "editable", "lang"])
        self._refresh()

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        offer = m.last_year_plan is not None and m.plan is not None and not m.plan.lines and m.editable
        self.layout.display = None if offer else "none"
        if offer:
            year = fiscal_year_label(m.fy.year - 1, lang)
            n = len(m.last_year_plan.lines)
            self._hint.value = f'<p class="pl-hint">{escape(t("copy_hint", lang, year=year, n=n))}</p>'
            self._button.description = t("copy_last_year", lang)


class SecretariatView(View):
    """The whole page: a refusal alone, or header, budget, lines, form, checks, actions, Excel, history."""

    _model: SecretariatModel

    def _render(self) -> None:
        m = self._model
        self.add_class("pl-app")
        style = html(f"<style>{CSS}</style>")
        if m.refusal is not None:
            self.children = [style, refusal_box(m.refusal)]
            return
        self._header = html()
        self._year = ipw.Dropdown(layout=ipw.Layout(width="auto"))
        self._year.add_class("pl-year")
        bind_choice(self._year, m, "year", "year_options", choose=m.change_year)
        self._status = html()
        self._status.add_class("pl-status")
        self._note = html()
        self._note.add_class("pl-app-note")
        panels = (BudgetView(m.budget_model), LinesView(m.lines), CopyLastYearView(m), EditorView(m.editor),
                  FindingsView(m.findings_model), ActionsView(m.actions), TransferView(m.transfer),
                  HistoryView(m.history))
        for v in panels:
            v.render()
        budget, *rest = panels
        inbox = InboxView(m.inbox)
        inbox.render()
        self.children = [style, top_bar(m, self._header, inbox.toggle, self._year), inbox, budget, self._status,
                         self._note, *rest, mail_choice_view(m)]
        m.observe(self._refresh, ["lang", "status", "revision", "comment", "updated_at", "note", "dirty", "year"])
        self._refresh()

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        self._year.description = t("fiscal_year", lang)
        who = escape(m.user_label)
        self._header.value = (f'<div class="pl-header"><h2>{escape(m.fiscal_year_title)} {t("app_title", lang)}'
                              f'</h2><div>{escape(m.consortium_name)}　<small>{t("user", lang)}: {who}</small>'
                              "</div></div>")
        parts = [status_chip(m.status, status_label(m.status, lang), lang)]
        if m.revision:
            parts.append(f'<span>{t("revision", lang)} {m.revision}</span>')
            parts.append(f'<span>{t("updated", lang)}: {escape(m.updated_at)} {escape(m.updated_by)}</span>')
        if m.dirty:
            parts.append(f'<span class="pl-unsaved">● {t("unsaved", lang)}</span>')
        self._status.value = ('<div class="pl-status-row">' + "".join(parts) + "</div>"
                              + comment_box(m.comment, m.status, lang))
        self._note.value = note_html(m.note, lang)
