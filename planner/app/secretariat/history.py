"""The plan's revisions: who, when, what changed, and the status change if any."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import traitlets as tl

from ...errors import PlannerError
from ..labels import history_rows
from ..notes import Note
from ..panel import Panel
from ..tables import history_table
from ..text import t
from ..widgets import Disclosure, View, html

if TYPE_CHECKING:
    from .app import SecretariatModel


class HistoryModel(Panel):
    """The plan's revisions: who, when, what changed, and the status change if any."""

    follows = ("lang",)

    rows = tl.List()

    def __init__(self, app: SecretariatModel):
        super().__init__(app)
        app.observe(self.refresh, ["revision", "year"])
        self.observe(self.refresh, ["lang"])
        self.refresh()

    def refresh(self, _: Any = None) -> None:
        a = self._app
        try:
            revisions = a.desk.history(a.consortium, a.fy.year)
        except PlannerError as exc:
            a.note = Note.of(exc)
            return
        self.rows = history_rows(revisions, a.desk.display_names(), self.lang, a.menu)


class HistoryView(View):
    _model: HistoryModel

    def _render(self) -> None:
        self._html = html()
        self._acc = Disclosure([self._html], "pl-history")
        self.children = [self._acc]
        self._model.observe(self._refresh, ["rows", "lang"])
        self._refresh()

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        self._acc.title = (f'{t("history", lang)}（{len(m.rows)}）' if lang == "ja"
                           else f'{t("history", lang)} ({len(m.rows)})')
        if not m.rows:
            self._html.value = f'<p>{t("no_history", lang)}</p>'
            return
        self._html.value = history_table(m.rows, lang)
