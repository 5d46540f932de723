"""Workbooks in the apps: the size limit, the upload flow and the Excel panel's parts both apps share.
(Downloads are links to `planner serve`, planner.downloads.)"""

from __future__ import annotations

from typing import Any

import traitlets as tl

from ..desk import Desk
from ..errors import PlannerError
from ..findings import Finding
from ..text import Text
from .notes import Note, note_html
from .tables import findings_table
from .text import t
from .widgets import View, html, label_upload, upload_button, uploaded

# The page refuses bigger files itself; `planner serve` raises the websocket limit above this so the
# refusal is a message rather than a silently dropped connection.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def too_large(name: str, content: bytes) -> Finding | None:
    """The upload limit, said before anything reads the file."""
    if len(content) <= MAX_UPLOAD_BYTES:
        return None
    mb = len(content) / 1024 / 1024
    return Finding.of("FILE_TOO_LARGE.upload", name=name, mb=mb)


def import_upload(shown: tl.HasTraits, desk: Desk, name: str, content: bytes, consortium: str,
                  year: int, unchanged: Text, refusal: Note | None = None, dry_run: bool = False) -> Any | None:
    """A workbook uploaded into a panel that shows `busy`, `note` and `findings`: checked against the plan
    it must be of and stored whole if clean (planner.workbook.import_workbook). The outcome of a loaded
    workbook, whose findings (warnings) the panel lists. None when it was not loaded, the reason in
    `note`: refused before it was read (too large, or the panel's own `refusal`: the size is said
    first), unreadable, or refused whole for its errors (listed in `findings`; `unchanged` says what
    was left as it was). With `dry_run`, a clean workbook comes back `pending`, not stored."""
    too_big = too_large(name, content)
    shown.findings = [too_big] if too_big else []
    if too_big is not None or refusal is not None:
        shown.note = Note("error", too_big.message_ja, too_big.message_en) if too_big else refusal
        return None
    shown.busy = True
    shown.note = Note("info", f"{name} を確認しています…", f"Checking {name}…")
    try:
        from ..workbook import import_workbook

        outcome = import_workbook(desk, content, expect_consortium=consortium, expect_fiscal_year=year,
                                  dry_run=dry_run)
    except PlannerError as exc:
        shown.note = Note.of(exc)
        return None
    finally:
        shown.busy = False
    shown.findings = list(outcome.findings)
    if not outcome.ok and not outcome.pending:
        n = sum(f.is_error for f in outcome.findings)
        shown.note = Note("error", f"{name} は取り込めませんでした（エラー {n} 件）。{unchanged.ja}"
                          "下の一覧の箇所を直して、もう一度アップロードしてください。",
                          f"{name} was not loaded ({n} error(s)); {unchanged.en} "
                          "Fix the places listed below and upload it again.")
        return None
    return outcome


class ExcelPanelView(View):
    """What both apps' Excel panels show alike: a heading, the download link, an upload button with its
    hint, the outcome of the last upload and its findings. A panel makes the parts with its own class
    prefix, places them, and fills them with `_show_upload` from its own refresh."""

    def _parts(self, prefix: str) -> None:
        self._heading = html()
        self._link = html()
        self._hint = html()
        self._upload = upload_button()
        self._upload.add_class(f"{prefix}-upload")
        self._note = html()
        self._note.add_class(f"{prefix}-transfer-note")
        self._table = html()
        self._table.add_class(f"{prefix}-upload-findings")
        self._upload.observe(self._on_upload, "value")

    def _on_upload(self, change: dict) -> None:
        if (chosen := uploaded(self._upload, change)) is not None:
            self._model.upload(*chosen)

    def _show_upload(self, label: str, hint: str) -> None:
        m, lang = self._model, self._model.lang
        self._heading.value = f'<h3>{t("excel", lang)}</h3>'
        label_upload(self._upload, t(label, lang))
        self._upload.disabled = m.busy
        self._hint.value = f'<p class="pl-hint">{t(hint, lang)}</p>'
        self._note.value = note_html(m.note, lang)
        self._table.value = findings_table(m.findings, lang)
