"""The review app (programme officer, contractor): a fiscal year, its plans, the plan opened, and
the page with its sections."""

from __future__ import annotations

import sys
import traceback
from html import escape
from typing import Any

import ipywidgets as ipw
import traitlets as tl

from ...access import ROLE_LABELS, User
from ...fiscal_year import FiscalYear, available_years
from ...japanese import fiscal_year_label
from ...store import Store
from ...text import Text
from ..notes import Note, note_html
from ..style import CSS, REVIEW_CSS
from ..text import t
from ..widgets import View, bind_choice, html, refusal_box, top_bar
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
        self.opened = OpenedPlanModel(self)
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
        return ROLE_LABELS.get(self.role, Text(self.role, self.role))(lang or self.lang)

    def _on_lang(self, _: Any = None) -> None:
        self.year_options = [(fiscal_year_label(y, self.lang), y) for y in available_years()]

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

    def open_plan(self, consortium: str) -> bool:
        """Open one consortium's plan of the year; a refusal (logged by the store) becomes the note."""
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
        self._nav = ipw.ToggleButtons(style={"button_width": "11em"})
        self._nav.add_class("rv-nav")
        self._nav_guard = False
        self._nav.observe(self._on_nav, "value")
        self._note = html()
        self._note.add_class("pl-app-note")
        overview = OverviewView(m.overview, m)
        head = PlanHeadView(m.opened)
        decision = DecisionView(m.decision)
        transfer = PlanTransferView(m.transfer, m)
        results = ResultFormView(m.result_form)
        history = HistoryCompareView(m.compare, m)
        delivery = DeliveryView(m.delivery)
        load = LoadView(m.load)
        for v in (overview, head, decision, transfer, results, history, delivery, load):
            v.render()
        if not m.is_officer:
            decision.layout.display = "none"  # the contractor and analysts only read
        self._pick = html()
        self._plan_inner = ipw.VBox([head, decision, transfer, results, history])
        self._plan_box = ipw.VBox([self._pick, self._plan_inner])
        self._plan_box.add_class("rv-plan-section")
        self._overview, self._delivery, self._load = overview, delivery, load
        self.children = [style, top_bar(m, self._header), ipw.HBox([self._year, self._nav], layout=ipw.Layout(
            flex_flow="row wrap", align_items="center")), self._note, overview, self._plan_box, delivery, load]
        m.observe(self._refresh, ["lang", "section", "note"])
        m.opened.observe(self._refresh, ["record"])
        self._refresh()

    def _on_nav(self, change: dict) -> None:
        if not self._nav_guard and change["new"]:
            self._model.section = change["new"]

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        assert m.user is not None
        who = escape(m.user.display_name or f"{m.user.name}（{m.role_label()}）")
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
        self._overview.layout.display = None if m.section == "overview" else "none"
        self._plan_box.layout.display = None if m.section == "plan" else "none"
        self._delivery.layout.display = None if m.section == "delivery" else "none"
        self._load.layout.display = None if m.section == "load" else "none"
        opened = m.opened.record is not None
        self._pick.value = "" if opened else f'<p class="pl-hint rv-pick">{t("pick_plan", lang)}</p>'
        self._plan_inner.layout.display = None if opened else "none"
