"""Two revisions of the opened plan side by side, line by line, with what changed; and its history."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

import ipywidgets as ipw
import traitlets as tl

from ...diff import Change
from ...errors import PlannerError
from ...fiscal_year import FiscalYear
from ...japanese import month_label
from ...plan import Plan
from ..labels import line_label
from ..notes import Note
from ..panel import Panel
from ..tables import history_table
from ..text import t
from ..widgets import View, bind_choice, html

if TYPE_CHECKING:
    from .app import ReviewModel


class CompareModel(Panel):
    """Two revisions of the opened plan side by side, line by line, with what changed."""

    follows = ("lang",)

    options = tl.List()
    options_pairs = tl.List()  # the same revisions as (label, value), for a dropdown
    a = tl.Int(0)
    b = tl.Int(0)
    rows = tl.List()  # {"no", "left", "right", "kind": same|changed|added|removed}
    changes = tl.List()  # described changes, in the current language

    def __init__(self, app: ReviewModel):
        super().__init__(app)
        app.opened.observe(self._on_plan, "record")
        self.observe(self.refresh, ["a", "b", "lang"])

    def _on_plan(self, _: Any = None) -> None:
        rec = self._app.opened.record
        revs = [h["revision"] for h in self._app.opened.history]
        with self.hold_trait_notifications():
            self.options = sorted(revs)
            self.options_pairs = [(str(n), n) for n in self.options]
            if rec is None:
                self.a = self.b = 0
            else:
                # by default: what changed since an officer last decided on it (else since the first save)
                decided = [r.revision for r in self._app.opened.revisions
                           if (r.status in ("accepted", "returned") or r.status_from == "accepted")
                           and r.revision < rec.revision]
                self.b = rec.revision
                self.a = decided[-1] if decided else 1
        self.refresh()

    def refresh(self, _: Any = None) -> None:
        a = self._app
        p = a.opened
        if p.record is None or not self.a or not self.b:
            self.rows, self.changes = [], []
            return
        assert a.store is not None
        try:
            left = a.store.revision(p.consortium, a.year, self.a, by=a.by).plan
            right = a.store.revision(p.consortium, a.year, self.b, by=a.by).plan
            changes = a.store.compare(p.consortium, a.year, self.a, self.b, by=a.by)
        except PlannerError as exc:
            a.note = Note.of(exc)
            return
        rows = compare_rows(left, right, changes, self.lang, a.fy)
        with self.hold_trait_notifications():
            self.rows = rows
            menu = a.fy.menu_for(p.consortium)
            self.changes = [c.describe(self.lang, menu) for c in changes]


def compare_rows(left: Plan, right: Plan, changes: list[Change], lang: str, fy: FiscalYear) -> list[dict[str, Any]]:
    """Two revisions side by side, a row a line matched by id: in the right revision's order, a
    removed line under the line it followed. A moved line's 番号 reads 1→4."""
    kinds: dict[Any, str] = {}
    for c in changes:
        if c.kind in ("moved", "added", "removed") or c.line_id not in kinds:
            kinds[c.line_id] = c.kind

    def label(plan: Plan, i: int) -> str:
        ln = plan.lines[i]
        return f"{line_label(plan, i + 1, lang, fy)}　×{ln.quantity}　{month_label(ln.month, lang)}"

    at_right = {ln.id: j for j, ln in enumerate(right.lines)}
    keyed: list[tuple[tuple[int, int, int], dict[str, Any]]] = []
    for j, ln in enumerate(right.lines):
        i = left.line_index(ln.id)
        kind = kinds.get(ln.id, "same") if i is not None else "added"
        no: Any = f"{i + 1}→{j + 1}" if kind == "moved" and i is not None else j + 1
        keyed.append(((j, 0, 0), {"no": no, "left": label(left, i) if i is not None else "",
                                  "right": label(right, j), "kind": kind}))
    after = -1  # the right position of the last left line that is still there
    for i, ln in enumerate(left.lines):
        if ln.id in at_right:
            after = at_right[ln.id]
            continue
        keyed.append(((after, 1, i), {"no": i + 1, "left": label(left, i), "right": "", "kind": "removed"}))
    return [row for _, row in sorted(keyed, key=lambda kr: kr[0])]


class HistoryCompareView(View):
    """The revision history, and two revisions side by side."""

    _model: CompareModel

    def __init__(self, model: CompareModel, app: ReviewModel, **kwargs: Any):
        super().__init__(model, **kwargs)
        self._app = app

    def _render(self) -> None:
        m = self._model
        self.add_class("rv-history")
        self._history = html()
        self._cmp_heading = html()
        style = {"description_width": "8em"}
        self._a = ipw.Dropdown(style=style, layout=ipw.Layout(width="14em"))
        self._a.add_class("rv-cmp-a")
        self._b = ipw.Dropdown(style=style, layout=ipw.Layout(width="14em"))
        self._b.add_class("rv-cmp-b")
        bind_choice(self._a, m, "a", "options_pairs")
        bind_choice(self._b, m, "b", "options_pairs")
        self._table = html()
        self._table.add_class("rv-compare")
        self.children = [self._history, self._cmp_heading,
                         ipw.HBox([self._a, self._b], layout=ipw.Layout(flex_flow="row wrap")), self._table]
        self._app.opened.observe(self._refresh_history, ["history", "lang"])
        m.observe(self._refresh, ["rows", "changes", "a", "b", "lang"])
        self._refresh_history()
        self._refresh()

    def _refresh_history(self, _: Any = None) -> None:
        p, lang = self._app.opened, self._app.lang
        if not p.history:
            self._history.value = ""
            return
        self._history.value = (f'<h3>{t("history", lang)}</h3><div class="rv-scroll">'
                               f'{history_table(p.history, lang, "pl-table pl-history")}</div>')

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        self._cmp_heading.value = f'<h3>{t("compare", lang)}</h3>'
        self._a.description = t("cmp_a", lang)
        self._b.description = t("cmp_b", lang)
        if not m.rows:
            self._table.value = ""
            return
        rev = t("revision", lang)
        body = "".join(
            f'<tr class="rv-{r["kind"]}"><td>{r["no"]}</td><td>{escape(r["left"])}</td>'
            f'<td>{escape(r["right"])}</td></tr>' for r in m.rows
        )
        changes = ("<ul>" + "".join(f"<li>{escape(c)}</li>" for c in m.changes) + "</ul>" if m.changes
                   else f'<p class="pl-hint">{t("cmp_none", lang)}</p>')
        self._table.value = (f'{changes}<div class="rv-scroll"><table class="pl-table"><thead><tr>'
                             f'<th>{t("col_no", lang)}</th><th>{rev} {m.a}</th><th>{rev} {m.b}</th></tr></thead>'
                             f"<tbody>{body}</tbody></table></div>")
