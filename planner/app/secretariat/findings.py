"""The plan's checks: every error and warning of the rules, with the line it is on."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import traitlets as tl

from ..notes import findings_html
from ..panel import Panel
from ..widgets import View, html

if TYPE_CHECKING:
    from .app import SecretariatModel


class FindingsModel(Panel):
    follows = ("lang", "findings")

    lang = tl.Unicode("ja")
    findings = tl.List()
    errors = tl.Int(0)
    warnings = tl.Int(0)

    def __init__(self, app: SecretariatModel):
        super().__init__(app)
        tl.dlink((app, "findings"), (self, "errors"), lambda fs: sum(f.is_error for f in fs))
        tl.dlink((app, "findings"), (self, "warnings"), lambda fs: sum(not f.is_error for f in fs))


class FindingsView(View):
    _model: FindingsModel

    def _render(self) -> None:
        self.add_class("pl-findings")
        self._html = html()
        self.children = [self._html]
        self._model.observe(self._refresh, ["findings", "errors", "warnings", "lang"])
        self._refresh()

    def _refresh(self, _: Any = None) -> None:
        self._html.value = findings_html(self._model.findings, self._model.lang)
