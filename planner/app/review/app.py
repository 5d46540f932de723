"""The review app (programme officer, contractor): a fiscal year, its plans, the plan opened, and
the page with its sections."""

from __future__ import annotations

import sys
import traceback
from html import escape
from typing import Any

import ipywidgets as ipw
import traitlets as tl

from ...access import ROLE_LABELS, User, refusal
from ...desk import Desk
from ...fiscal_year import FiscalYear, available_years
from ...text import Text
from ..identity import remember_lang
from ..inbox import InboxModel, InboxView
from ..labels import year_options
from ..live import Follower, moved_on
from ..mail_choice import mail_choice_view
from ..notes import Note, note_html
from ..style import CSS, REVIEW_CSS
from ..text import t
from ..widgets import View, bind_choice, button, html, refusal_box, top_bar
from .compare import CompareModel, HistoryCompareView
from .decision import DecisionModel, DecisionView
from .delivery import DeliveryModel, DeliveryView
from .load import LoadModel, LoadView
from .opened import OpenedPlanModel, PlanHeadView
from .overview import OverviewModel, OverviewView
from .result_form import ResultFormModel, ResultFormView
from .transfer import PlanTransferView, ReviewTransferModel

REVIEW_ROLES = ("officer", "contractor", "analyst")


class ReviewModel(tl.HasTraits):
    """One officer's or the contractor's session: a fiscal year, its plans, the plan opened.

    A refused session carries only `refusal`: nothing is read, so no plan data can leak.
    """

    lang = tl.Unicode("ja")
    refusal = tl.Instance(Note, allow_none=True)
    year = tl.Int(0)
    year_options = tl.List()
    section = tl.Unicode("overview")  # overview | plan | delivery | load
    note = tl.Instance(Note, allow_none=True)
    # the plans either side of the one opened, in the list's order, and the next one waiting for the
    # officer's decision after it (from the top when none is opened): "" when there is none
    prev_plan = tl.Unicode("")
    next_plan = tl.Unicode("")
    next_waiting = tl.Unicode("")

    def __init__(self, desk: Desk | None = None, year: int = 0, lang: str = "ja", refusal: Note | None = None):
        super().__init__(lang=lang, refusal=refusal)
        self.desk = desk
        self.user: User | None = desk.user if desk is not None else None
        if refusal is not None:
            return
        assert desk is not None and self.user is not None
        self.user_label = desk.display_name(self.user.name)  # as the others see them, never a bare login id
        self._on_lang()  # the page may open in English: its year picker too
        self.year = year
        self.overview = OverviewModel(self, desk=desk, user=self.user)
        self.opened = OpenedPlanModel(self, desk=desk, say=self.say)
        self.compare = CompareModel(self, opened=self.opened, desk=desk, say=self.say)
        self.decision = DecisionModel(self, opened=self.opened, desk=desk, user=self.user,
                                     refresh_overview=self.overview.refresh,
                                     open_next_waiting=self.open_next_waiting)
        self.result_form = ResultFormModel(self, opened=self.opened, desk=desk, user=self.user,
                                           results_recorded=self.results_recorded)
        self.transfer = ReviewTransferModel(self, opened=self.opened, desk=desk,
                                            results_recorded=self.results_recorded)
        self.delivery = DeliveryModel(self, desk=desk, overview=self.overview)
        self.load = LoadModel(self, desk=desk, user=self.user)
        self.inbox = InboxModel(self, desk=desk, open_plan=self.open_notice)
        # follows what anyone changes; started on the page's loop once the page is shown (planner.app)
        self.follower = Follower(desk, self.follow)
        self.overview.observe(self._neighbours, ["rows", "waiting"])
        self.opened.observe(self._neighbours, "consortium")
        self._neighbours()
        self.observe(self._on_lang, "lang")
        self.observe(lambda ch: remember_lang(desk, ch["new"]), "lang")
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
        assert self.desk is not None
        return self.desk.fiscal_year(self.year)

    def say(self, note: Note | None) -> None:
        """Put what came of an action at the top of the page (None clears it)."""
        self.note = note

    def results_recorded(self) -> None:
        """Results were recorded on the opened plan: read it again; planned against delivered is stale."""
        self.opened.load()
        self.delivery.stale = True

    def role_label(self, lang: str | None = None) -> str:
        return ROLE_LABELS.get(self.role, Text(self.role, self.role))(lang or self.lang)

    def _on_lang(self, _: Any = None) -> None:
        self.year_options = year_options(available_years(), self.lang)

    def _on_year(self, _: Any = None) -> None:
        # the plan opened belongs to the year left: it closes, and the list of the new year's plans shows;
        # the year-wide sections (delivered, load) stay and are read for the new year
        self.opened.close()
        self.note = None
        self._forget_outcomes()
        if self.section == "plan":
            self.section = "overview"
        else:
            self.delivery.stale = True
            self._on_section()

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

    def plan_name(self, consortium: str) -> str:
        c = self.fy.consortia.get(consortium)
        return c.name(self.lang) if c else consortium

    def _neighbours(self, _: Any = None) -> None:
        order = [r["consortium"] for r in self.overview.rows if r["status"]]  # the plans there are to open
        here = self.opened.consortium
        i = order.index(here) if here in order else -1
        with self.hold_trait_notifications():
            self.prev_plan = order[i - 1] if i > 0 else ""
            self.next_plan = order[i + 1] if 0 <= i < len(order) - 1 else ""
            after = order[i + 1:] + order[:i] if i >= 0 else order  # round to the top, never this one
            self.next_waiting = next((c for c in after if c in self.overview.waiting), "")

    def open_step(self, step: int) -> bool:
        """Open the plan after (1) or before (-1) the one opened, in the list's order."""
        target = self.next_plan if step > 0 else self.prev_plan
        if not target:
            self.note = Note("info", "この先に開ける計画はありません。", "There is no further plan to open.")
            return False
        return self.open_plan(target)

    def open_next_waiting(self) -> bool:
        """Open the next plan that waits for the officer's decision."""
        if not self.next_waiting:
            self.note = Note("info", "ほかに確認待ちの計画はありません。", "No other plan waits for a decision.")
            return False
        return self.open_plan(self.next_waiting)

    def open_first_waiting(self) -> bool:
        """Open the first plan in the list that waits for the officer's decision."""
        if not self.overview.waiting:
            self.note = Note("info", "確認待ちの計画はありません。", "No plan waits for a decision.")
            return False
        return self.open_plan(self.overview.waiting[0])

    def follow(self, events: list[Any]) -> None:
        """Someone changed something (told by the follower): the list and its 確認待ち count, the inbox,
        the plan opened (unless a result is being typed into it: that is kept, and the person told), and
        the year-wide sections are read again."""
        assert self.desk is not None and self.user is not None
        self.inbox.refresh()
        self.overview.refresh()
        self.delivery.stale = True
        if self.section in ("delivery", "load"):
            self._on_section()
        opened = self.opened
        if opened.record is None:
            return
        cid, before = opened.consortium, opened.record.revision
        rec = next((r for r in self.desk.plan_records(self.year) if r.plan.consortium == cid), None)
        names = self.desk.display_names()
        if rec is None or refusal(self.user, "read", cid, rec.status):
            # reopened under the contractor's eyes: no longer theirs to see; said, not refused and logged
            opened.close()
            self.note = Note("info", "開いていた計画は再開されたため、承認されるまで表示できません。",
                             "The plan that was open has been reopened; it can be shown again once accepted.")
            return
        ours = [e for e in events if (e.consortium, e.fiscal_year) == (cid, self.year)]
        if rec.revision == before and not ours:
            return
        if self.result_form.typed():
            last = ours[-1] if ours else None
            who = names.get(last.by, last.by) if last else names.get(rec.updated_by, rec.updated_by)
            self.note = Note("warning", f"{who}さんがこの計画を変更しました。入力中の実績は残っています。"
                             "記録すると最新の計画に記録されます。",
                             f"{who} changed this plan. The result you are typing is kept; recording it records it "
                             "on the latest plan.")
            return
        opened.load()
        if rec.revision != before:
            action = next((e.action for e in reversed(ours) if e.revision == rec.revision), "save")
            self.note = moved_on(names.get(rec.updated_by, rec.updated_by), action, before, rec.revision,
                                 rec.comment)

    def open_notice(self, consortium: str, year: int) -> bool:
        """A notice clicked: its plan opened, in the year it is about."""
        if year != self.year:
            self.year = year
        return self.open_plan(consortium)

    def open_plan(self, consortium: str) -> bool:
        """Open one consortium's plan of the year; a refusal (logged by the desk) becomes the note."""
        ok = self.opened.load(consortium)
        if ok:
            self.section = "plan"
            self.note = None
            self._forget_outcomes()
        return ok


class ReviewView(View):
    """The whole page: a refusal alone; or header, year, sections (all plans, one plan, delivered)."""

    _model: ReviewModel

    def _render(self) -> None:
        m = self._model
        self.add_class("pl-app")
        style = html(f"<style>{CSS}{REVIEW_CSS}</style>")
        if m.refusal is not None:
            self.children = [style, refusal_box(m.refusal)]
            return
        self._header = html()
        self._year = ipw.Dropdown(layout=ipw.Layout(width="22em"), style={"description_width": "4em"})
        self._year.add_class("rv-year")
        bind_choice(self._year, m, "year", "year_options")
        self._nav = ipw.ToggleButtons(style={"button_width": "auto"})
        self._nav.add_class("rv-nav")
        self._nav_guard = False
        self._nav.observe(self._on_nav, "value")
        self._note = html()
        self._note.add_class("pl-app-note")
        overview = OverviewView(m.overview, transfer=m.transfer, open_plan=m.open_plan)
        head = PlanHeadView(m.opened)
        decision = DecisionView(m.decision, plan_name=m.plan_name)
        transfer = PlanTransferView(m.transfer, result_form=m.result_form)
        results = ResultFormView(m.result_form)
        history = HistoryCompareView(m.compare, opened=m.opened)
        delivery = DeliveryView(m.delivery)
        load = LoadView(m.load)
        for v in (overview, head, decision, transfer, results, history, delivery, load):
            v.render()
        if not m.is_officer:
            decision.layout.display = "none"  # the contractor and analysts only read
        self._pick = html()
        # from one plan to the next without going back to the list
        self._prev = button("rv-prev", "", "auto", toggled=True)
        self._next = button("rv-next", "", "auto", toggled=True)
        self._next_waiting = button("rv-next-waiting", "info", "auto", toggled=True)
        self._prev.on_click(lambda _b: m.open_step(-1))
        self._next.on_click(lambda _b: m.open_step(1))
        self._next_waiting.on_click(lambda _b: m.open_next_waiting())
        steps = ipw.HBox([self._prev, self._next, self._next_waiting],
                         layout=ipw.Layout(flex_flow="row wrap", align_items="center"))
        steps.add_class("rv-steps")
        self._plan_inner = ipw.VBox([steps, head, decision, transfer, results, history])
        self._plan_box = ipw.VBox([self._pick, self._plan_inner])
        self._plan_box.add_class("rv-plan-section")
        # what waits for the officer, above the list of plans
        self._waiting = html()
        self._waiting_open = button("rv-open-waiting", "info", "auto", toggled=True)
        self._waiting_open.on_click(lambda _b: m.open_first_waiting())
        self._waiting_box = ipw.HBox([self._waiting, self._waiting_open],
                                     layout=ipw.Layout(flex_flow="row wrap", align_items="center"))
        self._waiting_box.add_class("rv-waiting")
        self._overview_box = ipw.VBox([self._waiting_box, overview])
        self._overview, self._delivery, self._load = overview, delivery, load
        inbox = InboxView(m.inbox)
        inbox.render()
        self.children = [style, top_bar(m, self._header, inbox.toggle), inbox, ipw.HBox(
            [self._year, self._nav], layout=ipw.Layout(flex_flow="row wrap", align_items="center")), self._note,
            self._overview_box, self._plan_box, delivery, load, mail_choice_view(m)]
        m.observe(self._refresh, ["lang", "section", "note", "prev_plan", "next_plan", "next_waiting"])
        m.opened.observe(self._refresh, ["record"])
        m.overview.observe(self._refresh, ["waiting"])
        self._refresh()

    def _on_nav(self, change: dict) -> None:
        if not self._nav_guard and change["new"]:
            self._model.section = change["new"]

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        assert m.user is not None
        who = escape(m.user_label)
        self._header.value = (f'<div class="pl-header"><h2>{t("review_title", lang)}</h2>'
                              f'<div><small>{t("user", lang)}: {who}</small></div></div>')
        self._year.description = t("year", lang)
        self._nav_guard = True
        try:
            self._nav.options = [(t("nav_overview", lang), "overview"), (t("nav_plan", lang), "plan"),
                                 (t("nav_delivery", lang), "delivery"), (t("nav_load", lang), "load")]
            self._nav.value = m.section
        finally:
            self._nav_guard = False
        self._note.value = note_html(m.note, lang)
        self._refresh_steps()
        self._overview_box.layout.display = None if m.section == "overview" else "none"
        self._plan_box.layout.display = None if m.section == "plan" else "none"
        self._delivery.layout.display = None if m.section == "delivery" else "none"
        self._load.layout.display = None if m.section == "load" else "none"
        opened = m.opened.record is not None
        self._pick.value = "" if opened else f'<p class="pl-hint rv-pick">{t("pick_plan", lang)}</p>'
        self._plan_inner.layout.display = None if opened else "none"

    def _refresh_steps(self) -> None:
        m, lang = self._model, self._model.lang
        waiting = m.overview.waiting
        self._waiting_box.layout.display = None if m.is_officer else "none"
        if waiting:
            self._waiting_box.add_class("rv-waiting-some")
        else:
            self._waiting_box.remove_class("rv-waiting-some")
        names = "、".join(m.plan_name(c) for c in waiting) if lang != "en" else ", ".join(
            m.plan_name(c) for c in waiting)
        self._waiting.value = (f'<p class="rv-waiting-count"><b>{t("waiting_count", lang, n=len(waiting))}</b>'
                               + (f"　{escape(names)}" if waiting else f'　{t("waiting_none", lang)}') + "</p>")
        self._waiting_open.layout.display = None if waiting else "none"
        if waiting:
            self._waiting_open.description = t("open_waiting", lang, name=m.plan_name(waiting[0]))
        for b, target, key in ((self._prev, m.prev_plan, "prev_plan"), (self._next, m.next_plan, "next_plan")):
            b.layout.display = None if target else "none"
            if target:
                b.description = t(key, lang, name=m.plan_name(target))
        # only an officer decides, so only an officer is taken to what waits for a decision
        self._next_waiting.layout.display = None if m.is_officer else "none"
        self._next_waiting.disabled = not m.next_waiting
        self._next_waiting.description = (t("next_waiting", lang, name=m.plan_name(m.next_waiting))
                                          if m.next_waiting else t("no_next_waiting", lang))
