"""The plan workbook: download the stored revision; upload one filled offline, whole or not at all."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING, Any

import ipywidgets as ipw
import traitlets as tl

from ...desk import Desk
from ...downloads import plan_file_name, plan_url
from ...fiscal_year import FiscalYear
from ...text import Text
from ..labels import status_label
from ..notes import Note, note_html
from ..panel import Panel
from ..text import t
from ..widgets import button, download_button, focus_when_shown, html
from ..workbooks import ExcelPanelView, import_upload

if TYPE_CHECKING:
    from .app import SecretariatModel


class TransferModel(Panel):
    """The plan workbook: a link that downloads the stored revision in one click (the server makes it
    for this person's session); upload one filled offline, whole or not at all."""

    follows = ("lang", "fy", "revision", "dirty", "editable", "status", "year")

    download_href = tl.Unicode("")
    download_name = tl.Unicode("")  # what the file will be called: the revision it holds
    download_hint = tl.Instance(Note, allow_none=True)  # what is (not) in it, when that needs saying
    note = tl.Instance(Note, allow_none=True)
    findings = tl.List()
    busy = tl.Bool(False)
    # a clean workbook waiting for the person's yes: its name and what it changes, by line ((ja, en) pairs)
    pending_name = tl.Unicode("")
    pending_changes = tl.List()
    fy = tl.Instance(FiscalYear, allow_none=True)
    revision = tl.Int(0)
    dirty = tl.Bool(False)
    editable = tl.Bool(False)
    status = tl.Unicode("")
    year = tl.Int(0)

    def __init__(self, app: SecretariatModel, *, desk: Desk, consortium: str, reload: Callable[[], None]):
        super().__init__(app)
        self._desk, self._consortium, self._reload = desk, consortium, reload
        self._pending: tuple[str, bytes] | None = None
        self.observe(self._offer, ["revision", "dirty", "fy"])
        self.observe(lambda _c: self.cancel_upload(quiet=True), ["revision", "dirty", "year"])
        self.observe(self._forget_year, ["year"])
        self._offer()

    def _offer(self, _: Any = None) -> None:
        self.download_href = plan_url(self._consortium, self.fy.year)
        self.download_name = plan_file_name(self.fy, self._consortium, self.revision)
        if not self.revision:
            self.download_hint = Note("info", "まだ保存された計画がないため、オフラインで記入する空の Excel に"
                                      "なります。",
                                      "Nothing is saved yet: the workbook is a blank form to fill offline.")
        elif self.dirty:
            self.download_hint = Note("warning", f"ダウンロードされるのは保存済みの版 {self.revision} です。"
                                      "保存していない変更は含まれません。",
                                      f"The download is the saved revision {self.revision}; unsaved changes are "
                                      "not in it.")
        else:
            self.download_hint = None

    def _forget_year(self, _: Any = None) -> None:
        # what was said about a workbook of one year must not stand next to another year's plan
        self.note = None
        self.findings = []

    def upload(self, name: str, content: bytes) -> bool:
        """Check a workbook; if it is clean, show what loading it would change and wait for the person's
        yes (`confirm_upload`); refuse it whole otherwise. True when it waits."""
        self.cancel_upload(quiet=True)
        outcome = self._import(name, content, dry_run=True)
        if outcome is None:
            return False
        if not outcome.pending:  # the same as the stored plan: nothing to ask
            self.note = Note("info", f"{name} は保存済みの版と同じ内容です（版 {outcome.revision}）。",
                             f"{name} is the same as the saved revision {outcome.revision}.")
            return False
        menu = self.fy.menu_for(self._consortium)
        self._pending = (name, content)
        self.pending_changes = [(c.describe("ja", menu), c.describe("en", menu)) for c in outcome.changes]
        self.pending_name = name
        self.note = None
        return True

    def confirm_upload(self) -> bool:
        """Store the workbook shown in the preview (checked again: a save in between refuses it as stale)."""
        if self._pending is None:
            return False
        name, content = self._pending
        self.cancel_upload(quiet=True)
        outcome = self._import(name, content)
        if outcome is None:
            return False
        self._reload()
        self.note = Note("success", f"{name} を取り込みました（版 {outcome.revision}）。",
                         f"Loaded {name} as revision {outcome.revision}.")
        return True

    def cancel_upload(self, quiet: bool = False) -> None:
        name = self.pending_name
        self._pending = None
        self.pending_name = ""
        self.pending_changes = []
        if name and not quiet:
            self.note = Note("info", f"{name} は取り込みませんでした。計画は変更していません。",
                             f"{name} was not loaded; the plan is unchanged.")

    def _import(self, name: str, content: bytes, dry_run: bool = False) -> Any:
        refusal = None
        if not self.editable:
            st_ja, st_en = status_label(self.status, "ja"), status_label(self.status, "en")
            refusal = Note("error", f"計画は「{st_ja}」のため、Excel から取り込めません。",
                           f"The plan is {st_en}, so a workbook cannot be loaded into it.")
        elif self.dirty:
            refusal = Note("error", "保存していない変更があります。"
                           "先に下書きを保存するか、最新の版を読み込み直してから取り込んでください。",
                           "There are unsaved changes. Save the draft or reload before loading a workbook.")
        return import_upload(self, self._desk, name, content, self._consortium, self.fy.year,
                             Text("計画は変更していません。", "the plan is unchanged."), refusal, dry_run=dry_run)


class TransferView(ExcelPanelView):
    """Download the plan workbook with one click; upload a workbook and list every finding."""

    _model: TransferModel

    def _render(self) -> None:
        m = self._model
        self.add_class("pl-transfer")
        self._parts("pl")
        self._link.add_class("pl-download-link")
        self._download_hint = html()
        self._preview = html()
        self._preview_yes = button("pl-upload-confirm", "success", "auto")
        self._preview_no = button("pl-upload-cancel", "", "auto")
        self._preview_yes.on_click(lambda _b: m.confirm_upload())
        self._preview_no.on_click(lambda _b: m.cancel_upload())
        self._preview_box = ipw.VBox([self._preview, ipw.HBox([self._preview_yes, self._preview_no])])
        self._preview_box.add_class("pl-upload-preview")
        self.children = [self._heading, self._link, self._download_hint, self._hint, self._upload, self._preview_box,
                         self._note, self._table]
        m.observe(self._refresh, ["lang", "download_href", "download_name", "download_hint", "note", "findings",
                                  "busy", "pending_name", "pending_changes"])
        m.observe(lambda c: c["new"] and focus_when_shown(self._preview_yes), "pending_name")
        self._refresh()

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        self._link.value = (download_button(m.download_href, t("download", lang), "pl-download")
                            + f' <span class="pl-hint pl-download-name">{escape(m.download_name)}</span>')
        self._download_hint.value = note_html(m.download_hint, lang)
        self._show_upload("upload", "upload_hint")
        self._preview_box.layout.display = None if m.pending_name else "none"
        if m.pending_name:
            items = "".join(f"<li>{escape(en if lang == 'en' else ja)}</li>" for ja, en in m.pending_changes)
            self._preview.value = (f'<div class="pl-note pl-note-info" role="alertdialog">'
                                   f'<b>{escape(t("upload_preview_head", lang, name=m.pending_name))}</b>'
                                   f"<ul>{items}</ul></div>")
            self._preview_yes.description = t("upload_confirm", lang)
            self._preview_no.description = t("upload_cancel", lang)
