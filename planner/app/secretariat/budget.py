"""The budget panel: points used, budget and 残り, always on screen, and the budget rule's message
the moment it applies; over the budget, which lines would bring the plan back within it (planner.cuts)."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

import traitlets as tl

from ...cuts import BudgetCuts, budget_cuts
from ...findings import Finding
from ...fiscal_year import FiscalYear, MenuItem
from ...japanese import circled
from ...plan import Line, Plan
from ...rules import line_points
from ..notes import Note
from ..panel import Panel
from ..text import t
from ..widgets import View, html

if TYPE_CHECKING:
    from .app import SecretariatModel


class BudgetModel(Panel):
    """Points used, budget and 残り, and the budget rule's message the moment it applies."""

    follows = ("lang", ("points_used", "used"), "budget", ("points_left", "left"), "fy", "menu", "plan")

    used = tl.Int(0)
    budget = tl.Int(0)
    left = tl.Int(0)
    fy = tl.Instance(FiscalYear, allow_none=True)
    menu = tl.Dict()
    plan = tl.Instance(Plan, allow_none=True)
    over = tl.Bool(False)
    message = tl.Instance(Finding, allow_none=True)
    cut_hint = tl.Instance(Note, allow_none=True)  # over the budget: the lines whose cut ends the overrun

    def __init__(self, app: SecretariatModel):
        super().__init__(app)
        tl.dlink((app, "findings"), (self, "message"), self._budget_finding)
        tl.dlink((self, "left"), (self, "over"), lambda left: left < 0)
        self.observe(self._on_plan, "plan")
        self._on_plan()

    def _on_plan(self, _: Any = None) -> None:
        cuts = budget_cuts(self.plan, self.fy) if self.plan is not None else None
        self.cut_hint = cut_note(cuts, self.plan, self.menu) if cuts is not None else None

    @staticmethod
    def _budget_finding(findings: list[Finding]) -> Finding | None:
        return next((f for f in findings if f.code in ("BUDGET_EXCEEDED", "BUDGET_UNDERUSED")), None)

    @property
    def share(self) -> float:
        return self.used / self.budget if self.budget else 0.0


def _cut_label(n: int, line: Line, menu: dict[int, MenuItem], lang: str) -> str:
    item = menu[line.item]  # a line that uses points is on the menu
    name = line.title.strip() if isinstance(line.title, str) and line.title.strip() else item.name(lang)
    if len(name) > 18:  # enough to tell the line in the table below; the hint stays a line or two
        name = name[:17] + "…"
    return t("cut_line", lang, n=n, label=f"{circled(item.no)} {name}", points=line_points(line, menu))


def cut_note(cuts: BudgetCuts, plan: Plan, menu: dict[int, MenuItem]) -> Note:
    """The cuts said in words: one line, any one of a few, or several together."""
    def said(lang: str) -> str:
        sep = "、" if lang == "ja" else ", "
        lines = sep.join(_cut_label(n, plan.lines[n - 1], menu, lang) for c in cuts.cuts for n in c.lines)
        if not cuts.single:
            return t("cut_together", lang, lines=lines, n=len(cuts.cuts[0].lines))
        return t("cut_one" if len(cuts.cuts) == 1 else "cut_any", lang, lines=lines)

    return Note("info", said("ja"), said("en"))


class BudgetView(View):
    """Points used, budget, 残り and a bar; always on screen (sticky at the top of the page)."""

    _model: BudgetModel

    def _render(self) -> None:
        self.add_class("pl-budget")
        self._html = html()
        self._html.add_class("pl-points")
        self.children = [self._html]
        self._model.observe(self._refresh, ["lang", "used", "budget", "left", "message", "cut_hint"])
        self._refresh()

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        pts = t("points", lang)
        width = min(100.0, 100.0 * m.share)
        state = "over" if m.over else ("under" if m.message is not None else "ok")
        over = (f'<span class="pl-over-badge">{t("over", lang)} {-m.left} {pts}</span>' if m.over else "")
        msg = ""
        if m.message is not None:
            # one line, however long the message and its hint: the banner is sticky and must not grow
            # over the rows (the findings below say it whole; the line's title says it on hover)
            kind = "error" if m.message.is_error else "warning"
            said = m.message.message(lang) + (f" {m.cut_hint.text(lang)}" if m.cut_hint is not None else "")
            hint = (f'<span class="pl-budget-hint">{escape(m.cut_hint.text(lang))}</span>'
                    if m.cut_hint is not None else "")
            # what to cut first: over the budget, the badge above already says by how much
            msg = (f'<div class="pl-budget-msg pl-note pl-note-{kind}" role="alert" title="{escape(said)}">'
                   f"{hint}<span>{escape(m.message.message(lang))}</span></div>")
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
