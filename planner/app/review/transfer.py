"""Workbooks: the opened plan's and the year's consolidated one, each downloaded with one click (the
server makes it for this person's session), and results uploaded in the plan workbook's 実績 sheet,
loaded whole or not at all."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

import ipywidgets as ipw
import traitlets as tl

from ...downloads import plan_file_name, plan_url, year_file_name, year_url
from ...text import Text
from ..notes import Note
from ..panel import Panel
from ..text import t
from ..widgets import download_button
from ..workbooks import ExcelPanelView, import_upload

if TYPE_CHECKING:
    from collections.abc import Callable

    from ...desk import Desk
    from .app import ReviewModel
    from .opened import OpenedPlanModel
    from .result_form import ResultFormModel


class ReviewTransferModel(Panel):
    """Workbooks: links to the opened plan's and the year's consolidated one, and results uploaded in
    the plan workbook's 実績 sheet, loaded whole or not at all.

    The consolidated workbook is made when the link is clicked, from the plans as they are then: on the
    demo store in about 0.05 s, 0.75 s for 50 plans (README, Performance), so the browser's own
    download display is all the progress there is to show."""

    follows = ("lang", "year")

    plan_href = tl.Unicode("")
    plan_name = tl.Unicode("")
    year_href = tl.Unicode("")
    year_name = tl.Unicode("")
    busy = tl.Bool(False)
    note = tl.Instance(Note, allow_none=True)
    findings = tl.List()

    year = tl.Int(0)

    def __init__(self, app: ReviewModel, *, opened: OpenedPlanModel, desk: Desk,
                 results_recorded: Callable[[], None]):
        super().__init__(app)
        self._opened, self._desk, self._results_recorded = opened, desk, results_recorded
        opened.observe(self._on_plan, ["record"])
        self.observe(self._offer_year, ["year"])
        self._offer_year()

    def _on_plan(self, _: Any = None) -> None:
        p = self._opened
        # what was said of one plan's upload must not stand next to another
        self.findings = []
        self.note = None
        if p.record is None:
            self.plan_href = self.plan_name = ""
            return
        self.plan_href = plan_url(p.consortium, self.year)
        self.plan_name = plan_file_name(self._desk.fiscal_year(self.year), p.consortium, p.record.revision)

    def _offer_year(self, _: Any = None) -> None:
        self.year_href = year_url(self.year)
        self.year_name = year_file_name(self.year)

    def upload(self, name: str, content: bytes) -> bool:
        """Results filled into the plan workbook's 実績 sheet: checked, then recorded whole or refused whole."""
        p = self._opened
        self.findings = []
        if p.record is None:
            self.note = Note("error", "計画を開いてから取り込んでください。", "Open a plan first.")
            return False
        outcome = import_upload(self, self._desk, name, content, p.consortium, self.year,
                                Text("何も記録していません。", "nothing was recorded."))
        if outcome is None:
            return False
        self._results_recorded()
        k = outcome.results_recorded
        self.note = Note("success", f"{name} から実績 {k} 件を記録しました。",
                         f"Recorded {k} result(s) from {name}.")
        return True


class PlanTransferView(ExcelPanelView):
    """The plan workbook to download, and (for the contractor) the workbook with results to upload."""

    _model: ReviewTransferModel

    def __init__(self, model: ReviewTransferModel, *, result_form: ResultFormModel, **kwargs: Any):
        super().__init__(model, **kwargs)
        self._result_form = result_form  # whether this person records results: the upload is offered then

    def _render(self) -> None:
        m = self._model
        self.add_class("rv-transfer")
        self.add_class("rv-box")
        self._parts("rv")
        self._link.add_class("rv-plan-link")
        self._upload_box = ipw.VBox([self._hint, self._upload])
        self.children = [self._heading, self._link, self._upload_box, self._note, self._table]
        m.observe(self._refresh, ["lang", "plan_href", "plan_name", "note", "findings", "busy"])
        self._result_form.observe(self._refresh, ["enabled"])
        self._refresh()

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        self._link.value = (download_button(m.plan_href, t("plan_download", lang), "rv-plan-download")
                            + f' <span class="pl-hint">{escape(m.plan_name)}</span>')
        self._upload_box.layout.display = None if self._result_form.enabled else "none"
        self._show_upload("results_upload", "results_upload_hint")
