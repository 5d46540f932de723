"""Workbooks: the opened plan's, the year's consolidated one (with progress), and results uploaded
in the plan workbook's 実績 sheet, loaded whole or not at all."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import ipywidgets as ipw
import traitlets as tl

from ...errors import PlannerError
from ...japanese import JST
from ..notes import Note, note_html
from ..panel import Panel
from ..tables import findings_table
from ..text import t
from ..widgets import View, button, download_link, html, label_upload, upload_button, uploaded
from ..workbooks import import_upload, make_plan_workbook, xlsx_data_uri

if TYPE_CHECKING:
    from .app import ReviewModel



class ReviewTransferModel(Panel):
    """Workbooks: the opened plan's, the year's consolidated one (with progress), and results uploaded
    in the plan workbook's 実績 sheet, loaded whole or not at all."""

    follows = ("lang",)

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
        super().__init__(app)
        # a link must not outlive the revision or year it was made from
        app.opened.observe(self._forget_plan, ["record"])
        app.observe(self._forget_year, ["year"])

    def _forget_plan(self, _: Any = None) -> None:
        self.plan_uri = self.plan_name = ""
        self.findings = []
        self.note = None

    def _forget_year(self, _: Any = None) -> None:
        self.year_uri = self.year_name = ""
        self.progress, self.progress_label, self.progress_shown = 0.0, "", False

    def download_plan(self) -> bool:
        a, p = self._app, self._app.opened
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
            from ...workbook import consolidated_workbook

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
        a, p = self._app, self._app.opened
        self.findings = []
        if p.record is None:
            self.note = Note("error", "計画を開いてから取り込んでください。", "Open a plan first.")
            return False
        assert a.store is not None
        outcome = import_upload(self, a.store, name, content, a.by, p.consortium, a.year)
        if outcome is None:
            return False
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


class PlanTransferView(View):
    """The plan workbook to download, and (for the contractor) the workbook with results to upload."""

    _model: ReviewTransferModel

    def __init__(self, model: ReviewTransferModel, app: ReviewModel, **kwargs: Any):
        super().__init__(model, **kwargs)
        self._app = app

    def _render(self) -> None:
        m = self._model
        self.add_class("rv-transfer")
        self.add_class("rv-box")
        self._heading = html()
        self._download = button("rv-plan-download", "info", "auto")
        self._link = html()
        self._hint = html()
        self._upload = upload_button()
        self._upload.add_class("rv-upload")
        self._upload_box = ipw.VBox([self._hint, self._upload])
        self._note = html()
        self._note.add_class("rv-transfer-note")
        self._table = html()
        self._table.add_class("rv-upload-findings")
        self.children = [self._heading, ipw.HBox([self._download, self._link], layout=ipw.Layout(
            flex_flow="row wrap", align_items="center")), self._upload_box, self._note, self._table]
        self._download.on_click(lambda _b: m.download_plan())
        self._upload.observe(self._on_upload, "value")
        m.observe(self._refresh, ["lang", "plan_uri", "note", "findings", "busy"])
        self._app.opened.observe(self._refresh, ["record"])
        self._refresh()

    def _on_upload(self, change: dict) -> None:
        if (chosen := uploaded(self._upload, change)) is not None:
            self._model.upload(*chosen)

    def _refresh(self, _: Any = None) -> None:
        m, lang, app = self._model, self._model.lang, self._app
        self._heading.value = f'<h3>{t("excel", lang)}</h3>'
        self._download.description = t("plan_download", lang)
        self._download.disabled = m.busy
        self._link.value = download_link(m.plan_uri, m.plan_name, lang, "rv-plan-link")
        self._upload_box.layout.display = None if app.result_form.enabled else "none"
        label_upload(self._upload, t("results_upload", lang))
        self._upload.disabled = m.busy
        self._hint.value = f'<p class="pl-hint">{t("results_upload_hint", lang)}</p>'
        self._note.value = note_html(m.note, lang)
        self._table.value = findings_table(m.findings, lang)
