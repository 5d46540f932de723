"""The plan workbook: download the stored revision; upload one filled offline, whole or not at all."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as ipw
import traitlets as tl

from ..labels import status_label
from ..notes import Note, note_html
from ..panel import Panel
from ..tables import findings_table
from ..text import t
from ..widgets import View, button, download_link, html, label_upload, upload_button, uploaded
from ..workbooks import import_upload, make_plan_workbook, xlsx_data_uri

if TYPE_CHECKING:
    from .app import SecretariatModel



class TransferModel(Panel):
    """The plan workbook: download the stored revision; upload one filled offline, whole or not at all."""

    follows = ("lang",)

    download_uri = tl.Unicode("")
    download_name = tl.Unicode("")
    note = tl.Instance(Note, allow_none=True)
    findings = tl.List()
    busy = tl.Bool(False)

    def __init__(self, app: SecretariatModel):
        super().__init__(app)
        # a link to an older revision must not outlive the revision it was made from
        app.observe(self._forget_download, ["revision"])
        app.observe(self._forget_year, ["year"])

    def _forget_download(self, _: Any = None) -> None:
        self.download_uri = self.download_name = ""

    def _forget_year(self, _: Any = None) -> None:
        # what was said about a workbook of one year must not stand next to another year's plan
        self._forget_download()
        self.note = None
        self.findings = []

    def download(self) -> bool:
        a = self._app
        # before the first save the bridge gives a blank form to fill offline
        made = make_plan_workbook(self, a.store, a.fy, a.consortium, a.revision, a.by)
        if made is None:
            return False
        self.download_name, data = made
        self.download_uri = xlsx_data_uri(data)
        if a.dirty and a.revision:
            self.note = Note("warning", f"保存済みの版 {a.revision} を出力しました。保存していない変更は含まれません。",
                             f"Made from the saved revision {a.revision}; unsaved changes are not in it.")
        else:
            self.note = Note("success", f"版 {a.revision} の Excel ファイルができました。"
                             "表示されたリンクから保存してください。",
                             f"The workbook of revision {a.revision} is ready: save it from the link below.")
        return True

    def upload(self, name: str, content: bytes) -> bool:
        """Check a workbook and store it as a new revision if it is clean; refuse it whole otherwise."""
        a = self._app
        refusal = None
        if not a.editable:
            st_ja, st_en = status_label(a.status, "ja"), status_label(a.status, "en")
            refusal = Note("error", f"計画は「{st_ja}」のため、Excel から取り込めません。",
                           f"The plan is {st_en}, so a workbook cannot be loaded into it.")
        elif a.dirty:
            refusal = Note("error", "保存していない変更があります。"
                           "先に下書きを保存するか、最新の版を読み込み直してから取り込んでください。",
                           "There are unsaved changes. Save the draft or reload before loading a workbook.")
        outcome = import_upload(self, a.store, name, content, a.by, a.consortium, a.fy.year, refusal)
        if outcome is None:
            return False
        if outcome.revision is None:
            n = sum(f.is_error for f in outcome.findings)
            self.note = Note("error", f"{name} は取り込めませんでした（エラー {n} 件）。計画は変更していません。"
                             "下の一覧の箇所を直して、もう一度アップロードしてください。",
                             f"{name} was not loaded ({n} error(s)); the plan is unchanged. "
                             "Fix the places listed below and upload it again.")
            return False
        a.reload()
        self.note = Note("success", f"{name} を取り込みました（版 {outcome.revision}）。",
                         f"Loaded {name} as revision {outcome.revision}.")
        return True


class TransferView(View):
    """Download the plan workbook as a data: link; upload a workbook and list every finding."""

    _model: TransferModel

    def _render(self) -> None:
        m = self._model
        self.add_class("pl-transfer")
        self._heading = html()
        self._download = button("pl-download", "info", "14em")
        self._link = html()
        self._link.add_class("pl-download-link")
        self._upload = upload_button()
        self._upload.add_class("pl-upload")
        self._hint = html()
        self._note = html()
        self._note.add_class("pl-transfer-note")
        self._table = html()
        self._table.add_class("pl-upload-findings")
        self.children = [self._heading, ipw.HBox([self._download, self._link], layout=ipw.Layout(
            flex_flow="row wrap", align_items="center")), self._hint, self._upload, self._note, self._table]
        self._download.on_click(lambda _b: m.download())
        self._upload.observe(self._on_upload, "value")
        m.observe(self._refresh, ["lang", "download_uri", "note", "findings", "busy"])
        self._refresh()

    def _on_upload(self, change: dict) -> None:
        if (chosen := uploaded(self._upload, change)) is not None:
            self._model.upload(*chosen)

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        self._heading.value = f'<h3>{t("excel", lang)}</h3>'
        self._download.description = t("making", lang) if m.busy else t("download", lang)
        self._download.disabled = m.busy
        label_upload(self._upload, t("upload", lang))
        self._upload.disabled = m.busy
        self._hint.value = f'<p class="pl-hint">{t("upload_hint", lang)}</p>'
        self._link.value = download_link(m.download_uri, m.download_name, lang, "pl-secretariat-link")
        self._note.value = note_html(m.note, lang)
        self._table.value = findings_table(m.findings, lang)
