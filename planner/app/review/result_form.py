"""The contractor's form for one line's result; checked like plans, stored only when clean."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import ipywidgets as ipw
import traitlets as tl

from ...access import may
from ...errors import PlannerError
from ...findings import Finding
from ...numbers import read_number
from ...plan import Plan
from ...results import COUNT_FIELDS, RESULT_LABELS, SATISFACTION_FIELDS, Result, check_result
from ..labels import line_label
from ..notes import Note, finding_html, note_html
from ..panel import Panel
from ..text import t
from ..widgets import View, bind_choice, button, html

_FULLWIDTH = str.maketrans("０１２３４５６７８９－ー．，", "0123456789--.,")  # for the dates typed

if TYPE_CHECKING:
    from .app import ReviewModel


def _count(text: str, field: str, n: int) -> tuple[Any, Finding | None]:
    r = read_number(text)  # a negative or a fraction is a number: check_result names what is wrong with it
    if r.problem is None or r.problem == "blank":
        return r.value, None
    ja, en = RESULT_LABELS[field]
    return None, Finding("NOT_A_NUMBER", "error", f"{n}行目の実績: {ja}「{text}」は数字で入れてください。",
                         f"Result for line {n}: {en} '{text}' must be a number.", line=n)


class ResultFormModel(Panel):
    """The contractor's form for one line's result; checked like plans, stored only when clean."""

    follows = ("lang",)

    line_id = tl.Unicode("")  # the line the form is about: by id, so a result never lands on a neighbour
    line_options = tl.List()  # (label with the 番号, line id)
    dates = tl.Unicode("")
    venue = tl.Unicode("")
    companies = tl.Unicode("")
    company_staff = tl.Unicode("")
    students = tl.Unicode("")
    members = tl.Unicode("")
    very_satisfied = tl.Unicode("")
    satisfied = tl.Unicode("")
    dissatisfied = tl.Unicode("")
    satisfaction_unit = tl.Unicode("percent")
    notes = tl.Unicode("")
    enabled = tl.Bool(False)
    findings = tl.List()
    note = tl.Instance(Note, allow_none=True)

    def __init__(self, app: ReviewModel):
        super().__init__(app)
        app.opened.observe(self._on_plan, ["record", "lang"])
        self.observe(self._fill, "line_id")

    @property
    def line(self) -> int | None:
        """The chosen line's 番号 as it is now (None if the plan has no such line)."""
        rec = self._app.opened.record
        i = rec.plan.line_index(self.line_id) if rec else None
        return None if i is None else i + 1

    def _on_plan(self, _: Any = None) -> None:
        a, p = self._app, self._app.opened
        self.enabled = may(a.user, "record_result", p.consortium, p.status or None) is None
        if p.record is None:
            self.line_options = []
            return
        lines = p.record.plan.lines
        self.line_options = [(line_label(p.record.plan, n, self.lang, a.fy), ln.id)
                             for n, ln in enumerate(lines, start=1)]
        if p.record.plan.line_index(self.line_id) is None:
            self.line_id = lines[0].id if lines else ""
        else:
            self._fill()

    def _fill(self, _: Any = None) -> None:
        """Show the line's stored result, so recording again corrects it rather than starts over."""
        r = self._app.opened.results.get(self.line_id)
        with self.hold_trait_notifications():
            self.dates = ", ".join(r.dates) if r else ""
            self.venue = (r.venue or "") if r else ""
            for f in (*COUNT_FIELDS, *SATISFACTION_FIELDS):
                v = getattr(r, f) if r else None
                setattr(self, f, "" if v is None else str(v))
            self.satisfaction_unit = r.satisfaction_unit if r else "percent"
            self.notes = (r.notes or "") if r else ""
            self.findings = []

    def forget(self) -> None:
        self.note = None
        self.findings = []

    def to_result(self) -> tuple[Result | None, list[Finding]]:
        """The form as a Result, or None with what to fix."""
        n = self.line or 0
        bad: list[Finding] = []
        values: dict[str, Any] = {}
        for f in (*COUNT_FIELDS, *SATISFACTION_FIELDS):
            v, problem = _count(getattr(self, f), f, n)
            values[f] = v
            if problem:
                bad.append(problem)
        dates = tuple(d for d in re.split(r"[,、，\s]+", self.dates.strip().translate(_FULLWIDTH)) if d)
        dates = tuple(d.replace("/", "-") for d in dates)
        if not dates:
            bad.append(Finding("DATE_REQUIRED", "error", f"{n}行目の実績: 実施日を入れてください（例 2024-11-19）。",
                               f"Result for line {n}: enter the date(s) held (e.g. 2024-11-19).", line=n))
        result = Result(line_id=self.line_id, line=self.line, dates=dates, venue=self.venue.strip(),
                        satisfaction_unit=self.satisfaction_unit, notes=self.notes.strip(), **values)
        plan = self._app.opened.record.plan if self._app.opened.record else Plan(None, None, ())
        return (None if bad else result), bad + check_result(result, plan)

    def record(self) -> bool:
        a, p = self._app, self._app.opened
        if p.record is None:
            self.note = Note("error", "計画を開いてから記録してください。", "Open a plan first.")
            return False
        result, findings = self.to_result()
        self.findings = findings
        if result is None or any(f.is_error for f in findings):
            n = sum(f.is_error for f in findings)
            self.note = Note("error", f"記録しませんでした（エラー {n} 件）。下の点を直してください。",
                             f"Not recorded ({n} error(s)). Fix the points below.")
            return False
        assert a.store is not None
        before = p.results.get(result.line_id)
        try:
            a.store.record_result(p.consortium, a.year, result, by=a.by)
        except PlannerError as exc:
            self.note = Note.of(exc)
            return False
        p.load()
        a.delivery.stale = True
        if before is None:
            self.note = Note("success", f"{result.line}行目の実績を記録しました（参加者 {result.participants} 名）。",
                             f"Recorded the result of line {result.line} ({result.participants} participants).")
        else:  # a second record replaces the first: say so, with what it was
            self.note = Note("success", f"{result.line}行目の実績を更新しました（参加者 {before.participants} 名 → "
                             f"{result.participants} 名）。",
                             f"Updated the result of line {result.line} ({before.participants} → "
                             f"{result.participants} participants).")
        return True


class ResultFormView(View):
    """The contractor's form for one line's result."""

    _model: ResultFormModel

    def _render(self) -> None:
        m = self._model
        self.add_class("rv-results")
        self.add_class("rv-box")
        style = {"description_width": "11em"}
        self._heading = html()
        self._hint = html()
        self._line = ipw.Dropdown(style=style, layout=ipw.Layout(width="100%", max_width="46em"))
        self._line.add_class("rv-result-line")
        bind_choice(self._line, m, "line_id", "line_options")
        self._fields: dict[str, ipw.Widget] = {}
        for f in ("dates", "venue", "companies", "company_staff", "students", "members", "very_satisfied",
                  "satisfied", "dissatisfied"):
            w = ipw.Text(style=style, layout=ipw.Layout(width="24em" if f in ("dates", "venue") else "17em"))
            w.add_class(f"rv-r-{f}")
            ipw.link((m, f), (w, "value"))
            self._fields[f] = w
        self._unit = ipw.ToggleButtons(style={"button_width": "8em"})
        self._unit.add_class("rv-r-unit")
        self._notes = ipw.Textarea(style=style, layout=ipw.Layout(width="100%", max_width="46em"))
        self._notes.add_class("rv-r-notes")
        ipw.link((m, "notes"), (self._notes, "value"))
        self._record = button("rv-record", "primary", "10em")
        self._note = html()
        self._note.add_class("rv-record-note")
        self._findings = html()
        self._findings.add_class("rv-record-findings")
        f = self._fields
        wrap = ipw.Layout(flex_flow="row wrap")
        self.children = [
            self._heading, self._hint, self._line,
            ipw.HBox([f["dates"], f["venue"]], layout=wrap),
            ipw.HBox([f["companies"], f["company_staff"]], layout=wrap),
            ipw.HBox([f["students"], f["members"]], layout=wrap),
            self._unit,
            ipw.HBox([f["very_satisfied"], f["satisfied"], f["dissatisfied"]], layout=wrap),
            self._notes, self._record, self._note, self._findings,
        ]
        self._unit_guard = False
        self._unit.observe(self._on_unit, "value")
        self._record.on_click(lambda _b: m.record())
        m.observe(self._refresh, ["lang", "enabled", "note", "findings", "satisfaction_unit"])
        self._refresh()

    def _on_unit(self, change: dict) -> None:
        if not self._unit_guard and change["new"]:
            self._model.satisfaction_unit = change["new"]

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        self.layout.display = None if m.enabled else "none"
        self._heading.value = f'<h3>{t("results", lang)}</h3>'
        self._hint.value = f'<p class="pl-hint">{t("results_hint", lang)}</p>'
        self._line.description = t("result_line", lang)
        for f, w in self._fields.items():
            w.description = RESULT_LABELS[f][1 if lang == "en" else 0]
        self._fields["dates"].placeholder = "2024-11-19"
        self._notes.description = RESULT_LABELS["notes"][1 if lang == "en" else 0]
        self._unit_guard = True
        try:
            self._unit.options = [(t("percent", lang), "percent"), (t("count", lang), "count")]
            self._unit.value = m.satisfaction_unit
        finally:
            self._unit_guard = False
        self._record.description = t("record", lang)
        self._note.value = note_html(m.note, lang)
        self._findings.value = "".join(finding_html(f, lang) for f in m.findings)
