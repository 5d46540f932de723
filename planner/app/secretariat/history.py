"""The plan's revisions: who, when, what changed, and the status change if any."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import traitlets as tl

from ...desk import Desk
from ...errors import PlannerError
from ...fiscal_year import FiscalYear
from ..labels import history_rows
from ..notes import Note
from ..panel import Panel, Say
from ..tables import history_table
from ..text import t
from ..widgets import Disclosure, View, html

if TYPE_CHECKING:
    from .app import SecretariatModel


class HistoryModel(Panel):
    """The plan's revisions: who, when, what changed, and the status change if any."""

    follows = ("lang", "fy", "menu", "revision", "year")

    rows = tl.List()
    fy = tl.Instance(FiscalYear, allow_none=True)
    menu = tl.Dict()
    revision = tl.Int(0)
    year = tl.Int(0)

    def __init__(self, app: SecretariatModel, *, desk: Desk, consortium: str, say: Say):
        super().__init__(app)
        self._desk, self._consortium, self._say = desk, consortium, say
        self.observe(self.refresh, ["revision", "year", "lang"])
        self.refresh()

    def refresh(self, _: Any = None) -> None:
        try:
            revisions = self._desk.history(self._consortium, self.fy.year)
        except PlannerError as exc:
            self._say(Note.of(exc))
            return
        self.rows = history_rows(revisions, self._desk.display_names(), self.lang, self.menu)


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
