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
from ...plan import Line, Plan
from ...rules import needs_description
from ..labels import jst, line_label, status_label
from ..notes import Note
from ..panel import Panel, Say
from ..tables import history_table
from ..text import t
from ..widgets import View, bind_choice, html

if TYPE_CHECKING:
    from ...desk import Desk
    from .app import ReviewModel
    from .opened import OpenedPlanModel


class CompareModel(Panel):
    """Two revisions of the opened plan side by side, line by line, with what changed."""

    follows = ("lang", "year")

    options = tl.List()
    # the same revisions as (label, value), newest first, each named by its status, time and who
    options_pairs = tl.List()
    a = tl.Int(0)
    b = tl.Int(0)
    # why `a` was chosen for the plan just opened: "seen" (the revision this person last looked at),
    # "decided" (the last accept, return or reopen) or "first"; `unchanged` when nothing was saved
    # since they last looked. The view says it while the default pair stands.
    basis = tl.Unicode("")
    unchanged = tl.Bool(False)
    default = tl.Tuple((0, 0))
    rows = tl.List()  # {"no", "left", "right", "kind": same|changed|added|removed, "left_notes", "right_notes"}
    changes = tl.List()  # described changes, in the current language

    year = tl.Int(0)

    def __init__(self, app: ReviewModel, *, opened: OpenedPlanModel, desk: Desk, say: Say):
        super().__init__(app)
        self._opened, self._desk, self._say = opened, desk, say
        opened.observe(self._on_plan, "record")
        self.observe(self.refresh, ["a", "b"])
        self.observe(self._on_lang, "lang")

    def _on_lang(self, _: Any = None) -> None:
        self._label_options()
        self.refresh()

    def _label_options(self) -> None:
        names = self._desk.display_names()
        self.options_pairs = [(revision_label(r, names, self.lang), r.revision)
                              for r in reversed(self._opened.revisions)]

    def _on_plan(self, _: Any = None) -> None:
        p = self._opened
        rec = p.record
        with self.hold_trait_notifications():
            self.options = sorted(r.revision for r in p.revisions) if rec is not None else []
            if rec is None:
                self.options_pairs = []
                self.a = self.b = 0
                self.basis, self.unchanged, self.default = "", False, (0, 0)
            else:
                self._label_options()
                a, self.basis, self.unchanged = default_base(p.revisions, rec.revision, p.seen_before)
                self.a, self.b = a, rec.revision
                self.default = (a, rec.revision)
        self.refresh()

    def refresh(self, _: Any = None) -> None:
        p, desk = self._opened, self._desk
        if p.record is None or not self.a or not self.b:
            self.rows, self.changes = [], []
            return
        try:
            left = desk.revision(p.consortium, self.year, self.a).plan
            right = desk.revision(p.consortium, self.year, self.b).plan
            changes = desk.compare(p.consortium, self.year, self.a, self.b)
        except PlannerError as exc:
            self._say(Note.of(exc))
            return
        fy = desk.fiscal_year(self.year)
        rows = compare_rows(left, right, changes, self.lang, fy)
        with self.hold_trait_notifications():
            self.rows = rows
            menu = fy.menu_for(p.consortium)
            self.changes = [c.describe(self.lang, menu) for c in changes]


def default_base(revisions: list[Any], current: int, seen: int) -> tuple[int, str, bool]:
    """Which revision to compare the current one with, why, and whether nothing was saved since the
    person last looked: the revision they last looked at if something came after it; else the last
    decision on the plan (accept, return, reopen) before now; else the first revision."""
    if 0 < seen < current:
        return seen, "seen", False
    decided = [r.revision for r in revisions
               if (r.status in ("accepted", "returned") or r.status_from == "accepted") and r.revision < current]
    unchanged = seen == current
    return (decided[-1], "decided", unchanged) if decided else (1, "first", unchanged)


def revision_label(r: Any, names: dict[str, str], lang: str) -> str:
    """A revision as people pick it: 版3 提出済み 2025-05-12 10:20 東北コンソーシアム 事務局."""
    rev = f"版{r.revision}" if lang != "en" else f"Rev. {r.revision}"
    return f"{rev} {status_label(r.status, lang)} {jst(r.at)} {names.get(r.by, r.by)}"


def _notes(plan: Plan, i: int | None) -> str:
    if i is None:
        return ""
    notes = plan.lines[i].notes
    return notes.strip() if isinstance(notes, str) else ("" if notes is None else str(notes))


def _proposal(ln: Line, fy: FiscalYear) -> bool:
    """Whether a line's notes are its proposal (⑪), named 提案内容 as the secretariat's form names them."""
    return isinstance(ln.item, int) and not isinstance(ln.item, bool) and needs_description(ln.item, fy)


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
        # the notes (a ⑪ proposal's description) are shown where they are new or changed: the
        # officer reads what was proposed, not only that something was
        before, now = _notes(left, i), _notes(right, j)
        shown = before != now
        keyed.append(((j, 0, 0), {"no": no, "left": label(left, i) if i is not None else "",
                                  "right": label(right, j), "kind": kind, "proposal": _proposal(ln, fy),
                                  "left_notes": before if shown else "", "right_notes": now if shown else ""}))
    after = -1  # the right position of the last left line that is still there
    for i, ln in enumerate(left.lines):
        if ln.id in at_right:
            after = at_right[ln.id]
            continue
        keyed.append(((after, 1, i), {"no": i + 1, "left": label(left, i), "right": "", "kind": "removed",
                                      "proposal": _proposal(ln, fy), "left_notes": _notes(left, i),
                                      "right_notes": ""}))
    return [row for _, row in sorted(keyed, key=lambda kr: kr[0])]


class HistoryCompareView(View):
    """The revision history, and two revisions side by side."""

    _model: CompareModel

    def __init__(self, model: CompareModel, *, opened: OpenedPlanModel, **kwargs: Any):
        super().__init__(model, **kwargs)
        self._opened = opened  # its history is listed above the comparison

    def _render(self) -> None:
        m = self._model
        self.add_class("rv-history")
        self._history = html()
        self._cmp_heading = html()
        style = {"description_width": "8em"}
        # wide enough for 版12 提出済み 2025-05-12 10:20 and a display name
        self._a = ipw.Dropdown(style=style, layout=ipw.Layout(width="38em", max_width="100%"))
        self._a.add_class("rv-cmp-a")
        self._b = ipw.Dropdown(style=style, layout=ipw.Layout(width="38em", max_width="100%"))
        self._b.add_class("rv-cmp-b")
        bind_choice(self._a, m, "a", "options_pairs")
        bind_choice(self._b, m, "b", "options_pairs")
        self._basis = html()
        self._basis.add_class("rv-cmp-basis")
        self._table = html()
        self._table.add_class("rv-compare")
        self.children = [self._history, self._cmp_heading, self._basis,
                         ipw.VBox([self._a, self._b]), self._table]
        self._opened.observe(self._refresh_history, ["history", "lang"])
        m.observe(self._refresh, ["rows", "changes", "a", "b", "basis", "lang"])
        self._refresh_history()
        self._refresh()

    def _refresh_history(self, _: Any = None) -> None:
        p, lang = self._opened, self._opened.lang
        if not p.history:
            self._history.value = ""
            return
        self._history.value = (f'<h3>{t("history", lang)}</h3><div class="rv-scroll">'
                               f'{history_table(p.history, lang, "pl-table pl-history")}</div>')

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        self._cmp_heading.value = f'<h3>{t("compare", lang)} <small>{t("cmp_times", lang)}</small></h3>'
        self._a.description = t("cmp_a", lang)
        self._b.description = t("cmp_b", lang)
        self._basis.value = basis_html(m, lang)
        if not m.rows:
            self._table.value = ""
            return
        rev = t("revision", lang)
        body = "".join(
            f'<tr class="rv-{r["kind"]}"><td>{r["no"]}</td>'
            f'<td>{_cell(r["left"], r["left_notes"], r.get("proposal", False), lang)}</td>'
            f'<td>{_cell(r["right"], r["right_notes"], r.get("proposal", False), lang)}</td></tr>' for r in m.rows
        )
        none = "cmp_same" if m.a == m.b else "cmp_none"
        changes = ("<ul>" + "".join(f"<li>{escape(c)}</li>" for c in m.changes) + "</ul>" if m.changes
                   else f'<p class="pl-hint">{t(none, lang)}</p>')
        self._table.value = (f'{changes}<div class="rv-scroll"><table class="pl-table"><thead><tr>'
                             f'<th>{t("col_no", lang)}</th><th>{rev} {m.a}</th><th>{rev} {m.b}</th></tr></thead>'
                             f"<tbody>{body}</tbody></table></div>")


def _cell(label: str, notes: str, proposal: bool, lang: str) -> str:
    if not notes:
        return escape(label)
    head = t("proposal" if proposal else "notes", lang)
    return (f'{escape(label)}<div class="rv-notes"><span class="rv-detail-label">{head}</span> '
            f'{escape(notes).replace(chr(10), "<br>")}</div>')


def basis_html(m: CompareModel, lang: str) -> str:
    """Why these two revisions are compared, while the pair chosen on opening stands."""
    if not m.basis or (m.a, m.b) != tuple(m.default):
        return ""
    said = []
    if m.unchanged:
        said.append(t("cmp_unchanged", lang, n=m.b))
    elif m.basis != "seen":  # nothing of this plan was seen by this person before
        said.append(t("cmp_first_look", lang))
    said.append(t(f"cmp_basis_{m.basis}", lang, a=m.a, b=m.b))
    return f'<p class="pl-hint">{escape(" ".join(said))}</p>'
