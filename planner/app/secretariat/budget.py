"""The budget panel: points used, budget and 残り, always on screen, and the budget rule's message
the moment it applies."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

import traitlets as tl

from ...findings import Finding
from ..panel import Panel
from ..text import t
from ..widgets import View, html

if TYPE_CHECKING:
    from .app import SecretariatModel


class BudgetModel(Panel):
    """Points used, budget and 残り, and the budget rule's message the moment it applies."""

    follows = ("lang", ("points_used", "used"), "budget", ("points_left", "left"))

    used = tl.Int(0)
    budget = tl.Int(0)
    left = tl.Int(0)
    over = tl.Bool(False)
    message = tl.Instance(Finding, allow_none=True)

    def __init__(self, app: SecretariatModel):
        super().__init__(app)
        tl.dlink((app, "findings"), (self, "message"), self._budget_finding)
        tl.dlink((self, "left"), (self, "over"), lambda left: left < 0)

    @staticmethod
    def _budget_finding(findings: list[Finding]) -> Finding | None:
        return next((f for f in findings if f.code in ("BUDGET_EXCEEDED", "BUDGET_UNDERUSED")), None)

    @property
    def share(self) -> float:
        return self.used / self.budget if self.budget else 0.0


class BudgetView(View):
    """Points used, budget, 残り and a bar; always on screen (sticky at the top of the page)."""

    _model: BudgetModel

    def _render(self) -> None:
        self.add_class("pl-budget")
        self._html = html()
        self._html.add_class("pl-points")
        self.children = [self._html]
        self._model.observe(self._refresh, ["lang", "used", "budget", "left", "message"])
        self._refresh()

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        pts = t("points", lang)
        width = min(100.0, 100.0 * m.share)
        state = "over" if m.over else ("under" if m.message is not None else "ok")
        over = (f'<span class="pl-over-badge">{t("over", lang)} {-m.left} {pts}</span>' if m.over else "")
        msg = ""
        if m.message is not None:
            kind = "error" if m.message.is_error else "warning"
            msg = (f'<div class="pl-budget-msg pl-note pl-note-{kind}" role="alert">'
                   f"{escape(m.message.message(lang))}</div>")
        self._html.value = (
            f'<div class="pl-budget-inner pl-{state}">'
            f'<div class="pl-figures" aria-live="polite">'
            f'<span>{t("used", lang)} <b class="pl-used">{m.used}</b></span>'
            f'<span>{t("budget", lang)} <b class="pl-budget-value">{m.budget}</b> {pts}</span>'
            f'<span class="pl-left">{t("left", lang)} <b class="pl-left-value">{m.left}</b> {pts}</span>{over}</div>'
            # the bar stops at the budget; what it says in words covers an overrun
            f'<div class="pl-bar" role="progressbar" aria-label="{t("budget_bar", lang)}" aria-valuemin="0" '
            f'aria-valuemax="{m.budget}" aria-valuenow="{min(m.used, m.budget)}" '
            f'aria-valuetext="{escape(t("budget_bar_text", lang, used=m.used, budget=m.budget))}">'
            f'<div style="width:{width:.1f}%"></div></div>{msg}</div>'
        )
