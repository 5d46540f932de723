"""The contractor's form for one line's result; checked like plans, stored only when clean."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

import ipywidgets as ipw
import traitlets as tl

from ...access import may
from ...dates import date_examples, example_date, read_dates
from ...errors import PlannerError
from ...findings import Finding
from ...fiscal_year import FiscalYear
from ...japanese import circled, fiscal_year_span, month_label
from ...numbers import read_number
from ...plan import Line, Plan
from ...results import (
    COUNT_FIELDS,
    RESULT_LABELS,
    SATISFACTION_FIELDS,
    Result,
    check_result,
    event_lines,
    results_on_other_lines,
)
from ...text import Text
from ..notes import Note, finding_html, note_html
from ..panel import Panel
from ..text import t
from ..widgets import View, bind_choice, button, html

if TYPE_CHECKING:
    from collections.abc import Callable

    from ...access import User
    from ...desk import Desk
    from ...fiscal_year import FiscalYear
    from .app import ReviewModel
    from .opened import OpenedPlanModel

_DAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _count(text: str, field: str, n: int) -> tuple[Any, Finding | None]:
    r = read_number(text)  # a negative or a fraction is a number: check_result names what is wrong with it
    if r.problem is None or r.problem == "blank":
        return r.value, None
    return None, Finding.of("NOT_A_NUMBER.result", line=n, n=n, label=RESULT_LABELS[field], text=text)


def event_label(plan: Plan, n: int, ln: Line, lang: str, fy: FiscalYear, recorded: bool = False) -> str:
    """A line as the contractor picks it: what and where first, then when, then its 番号 and item, so
    that two lines of one item read apart even where a narrow picker cuts the end."""
    item = fy.menu_for(plan.consortium).get(ln.item)
    title, place = str(ln.title or "").strip(), str(ln.place or "").strip()
    what = title or (item.name(lang) if item else str(ln.item))
    if place and place not in what:
        what += f" ({place})" if lang == "en" else f"（{place}）"
    when = month_label(ln.month, lang)
    qty = ln.quantity if isinstance(ln.quantity, int) and not isinstance(ln.quantity, bool) else 1
    if qty > 1 and item:
        when += f", {qty} {item.unit(lang, qty)}" if lang == "en" else f"・{qty}{item.unit(lang)}"
    if recorded:
        when += " (recorded)" if lang == "en" else "（記録済み）"
    name = item.name(lang) if item else ""
    no = f"line {n}" if lang == "en" else f"番号{n}"
    return f"{what} — {when} — {no} {circled(ln.item)} {name}".rstrip()


def _sum_text(values: list[str], unit: str, people: int | None, lang: str) -> str:
    """The three satisfaction figures added up as they are typed, in their unit ("" while none is a number)."""
    read = [read_number(v) for v in values]
    if not any(r.problem is None for r in read) or any(r.problem not in (None, "blank") for r in read):
        return ""
    total = sum(r.value for r in read if r.problem is None)
    shown = int(total) if float(total).is_integer() else round(total, 1)
    if unit == "percent":
        return f"Total {shown} %" if lang == "en" else f"合計 {shown}%"
    if lang == "en":
        return f"Total {shown} people" + (f" (participants: {people})" if people else "")
    return f"合計 {shown} 人" + (f"（参加者 {people} 名）" if people else "")


class ResultFormModel(Panel):
    """The contractor's form for one line's result; checked like plans, stored only when clean."""

    follows = ("lang", "year")

    line_id = tl.Unicode("")  # the line the form is about: by id, so a result never lands on a neighbour
    line_options = tl.List()  # (label with the 番号, line id): the plan's event lines that go ahead
    dates = tl.Unicode("")
    dates_read = tl.Unicode("")  # how the dates typed are read, or why one cannot be, as they are typed
    date_example = tl.Unicode("")  # a day of the plan's year, for the placeholder and the hint
    venue = tl.Unicode("")
    companies = tl.Unicode("")
    company_staff = tl.Unicode("")
    students = tl.Unicode("")
    members = tl.Unicode("")
    very_satisfied = tl.Unicode("")
    satisfied = tl.Unicode("")
    dissatisfied = tl.Unicode("")
    satisfaction_unit = tl.Unicode("percent")
    satisfaction_sum = tl.Unicode("")  # the three figures added up, with their unit
    notes = tl.Unicode("")
    enabled = tl.Bool(False)
    findings = tl.List()
    note = tl.Instance(Note, allow_none=True)

    year = tl.Int(0)

    def __init__(self, app: ReviewModel, *, opened: OpenedPlanModel, desk: Desk, user: User,
                 results_recorded: Callable[[], None]):
        super().__init__(app)
        self._opened, self._desk, self._user, self._results_recorded = opened, desk, user, results_recorded
        opened.observe(self._on_plan, ["record", "results"])  # 記録済み follows the results
        self.observe(self._offer, "lang")
        self.observe(self._fill, "line_id")
        self.observe(self._read_back, ["dates", "lang"])
        self.observe(self._add_up, [*SATISFACTION_FIELDS, "company_staff", "students", "members",
                                    "satisfaction_unit", "lang"])

    @property
    def fy(self) -> FiscalYear:
        return self._desk.fiscal_year(self.year)

    @property
    def line(self) -> int | None:
        """The chosen line's 番号 as it is now (None if the plan has no such line)."""
        rec = self._opened.record
        i = rec.plan.line_index(self.line_id) if rec else None
        return None if i is None else i + 1

    def _on_plan(self, _: Any = None) -> None:
        p = self._opened
        self.enabled = may(self._user, "record_result", p.consortium, p.status or None) is None
        self.date_example = example_date(self.year).isoformat() if self.year else ""
        ids = self._offer()
        if self.line_id not in ids:
            self.line_id = ids[0] if ids else ""
        else:
            self._fill()

    def _offer(self, _: Any = None) -> list[str]:
        """Offer the plan's event lines, named in the page's language (what is typed stays as it is)."""
        p = self._opened
        if p.record is None:
            self.line_options = []
            return []
        plan = p.record.plan
        events = event_lines(plan, self.fy.menu_for(plan.consortium))
        self.line_options = [(event_label(plan, n, ln, self.lang, self.fy, ln.id in p.results), ln.id)
                             for n, ln in events]
        return [ln.id for _, ln in events]

    def _read_back(self, _: Any = None) -> None:
        """Say how each date typed is read (2025/6/14 → 2025年6月14日（土）), so a slip shows before Record."""
        en, shown = self.lang == "en", []
        first, last = fiscal_year_span(self.year) if self.year else (None, None)
        for r in read_dates(self.dates):
            if r.value is None:
                shown.append(r.message_en if en else r.message_ja)
                continue
            d = r.value
            day = (f"{_DAYS_EN[d.weekday()]} {d.day} {month_label(d.month, 'en')} {d.year}" if en
                   else f"{d.year}年{d.month}月{d.day}日（{'月火水木金土日'[d.weekday()]}）")
            if first and last and not first <= r.value <= last:
                day += " — outside the plan's year" if en else " — この計画の年度の外です"
            shown.append(day)
        self.dates_read = ("; " if en else "／").join(shown)

    def _add_up(self, _: Any = None) -> None:
        people = [read_number(getattr(self, f)) for f in ("company_staff", "students", "members")]
        known = [r.value for r in people if r.problem is None]
        total = int(sum(known)) if known and all(float(v).is_integer() and v >= 0 for v in known) else None
        self.satisfaction_sum = _sum_text([getattr(self, f) for f in SATISFACTION_FIELDS], self.satisfaction_unit,
                                          total, self.lang)

    def _fill(self, _: Any = None) -> None:
        """Show the line's stored result, so recording again corrects it rather than starts over. What
        was said about the line goes with it: another line is picked, or the plan's results changed
        (a workbook uploaded, say); record() says its outcome after this, when it reloads the plan."""
        self.note = None
        with self.hold_trait_notifications():
            for name, value in self._stored().items():
                setattr(self, name, value)
            self.findings = []

    def _stored(self) -> dict[str, str]:
        """The form's fields as the chosen line's stored result fills them (empty without one)."""
        r = self._opened.results.get(self.line_id)
        out = {"dates": ", ".join(r.dates) if r else "", "venue": (r.venue or "") if r else ""}
        for f in (*COUNT_FIELDS, *SATISFACTION_FIELDS):
            v = getattr(r, f) if r else None
            out[f] = "" if v is None else str(v)
        out["satisfaction_unit"] = r.satisfaction_unit if r else "percent"
        out["notes"] = (r.notes or "") if r else ""
        return out

    def typed(self) -> bool:
        """Whether the form holds something not recorded (typed, not saved yet): kept when others change
        the plan while it is open."""
        return bool(self.line_id) and any(getattr(self, k) != v for k, v in self._stored().items())

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
        # the reader the 実績 sheet uses too: 2025/6/14, 令和7年6月14日, R7.6.14, full-width digits
        readings = read_dates(self.dates)
        for r in readings:
            if r.value is None:
                bad.append(Finding.of("DATE_INVALID.form", line=n, n=n, problem=Text(r.message_ja, r.message_en)))
        dates = tuple(r.iso for r in readings if r.iso)
        if not readings:
            ex = self.date_example or "2025-11-19"
            bad.append(Finding.of("DATE_REQUIRED", line=n, n=n, example=ex))
        result = Result(line_id=self.line_id, line=self.line, dates=dates, venue=self.venue.strip(),
                        satisfaction_unit=self.satisfaction_unit, notes=self.notes.strip(), **values)
        plan = self._opened.record.plan if self._opened.record else Plan(None, None, ())
        found = check_result(result, plan)
        if self._opened.record is not None:
            # the picker offers only event lines; a line id sent from elsewhere is refused here all the same
            menu = self.fy.menu_for(plan.consortium)
            found += results_on_other_lines([result], plan, menu, self._opened.results.values())
        return (None if bad else result), bad + found

    def record(self) -> bool:
        p = self._opened
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
        before = p.results.get(result.line_id)
        try:
            self._desk.record_result(p.consortium, self.year, result)
        except PlannerError as exc:
            self.note = Note.of(exc)
            return False
        self._results_recorded()
        self.findings = findings  # the warnings recorded with it stay in view (reloading the line clears them)
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
        self._empty = html()
        self._line = ipw.Dropdown(style=style, layout=ipw.Layout(width="100%", max_width="52em"))
        self._line.add_class("rv-result-line")
        bind_choice(self._line, m, "line_id", "line_options")
        self._fields: dict[str, ipw.Widget] = {}
        for f in ("dates", "venue", "companies", "company_staff", "students", "members", "very_satisfied",
                  "satisfied", "dissatisfied"):
            w = ipw.Text(style=style, layout=ipw.Layout(width="24em" if f in ("dates", "venue") else "17em"))
            w.add_class(f"rv-r-{f}")
            ipw.link((m, f), (w, "value"))
            self._fields[f] = w
        self._unit = ipw.ToggleButtons(style={"button_width": "8em", "description_width": "11em"})
        self._unit.add_class("rv-r-unit")
        self._sum = html()
        self._sum.add_class("rv-r-sum")
        self._dates_read = html()
        self._dates_read.add_class("rv-r-dates-read")
        self._notes = ipw.Textarea(style=style, layout=ipw.Layout(width="100%", max_width="46em"))
        self._notes.add_class("rv-r-notes")
        ipw.link((m, "notes"), (self._notes, "value"))
        self._record = button("rv-record", "primary", "10em")
        self._note = html()
        self._note.add_class("rv-record-note")
        self._findings = html()
        self._findings.add_class("rv-record-findings")
        f = self._fields
        wrap = ipw.Layout(flex_flow="row wrap", align_items="center")
        # the unit, the three figures in it and their sum stand together, so what a figure means is in view
        satisfaction = ipw.VBox([self._unit, ipw.HBox([f["very_satisfied"], f["satisfied"], f["dissatisfied"],
                                                      self._sum], layout=wrap)])
        satisfaction.add_class("rv-satisfaction")
        self._inputs = ipw.VBox([
            self._line,
            ipw.HBox([f["dates"], f["venue"]], layout=wrap), self._dates_read,
            ipw.HBox([f["companies"], f["company_staff"]], layout=wrap),
            ipw.HBox([f["students"], f["members"]], layout=wrap),
            satisfaction, self._notes, self._record,
        ])
        self.children = [self._heading, self._hint, self._empty, self._inputs, self._note, self._findings]
        self._unit_guard = False
        self._unit.observe(self._on_unit, "value")
        self._record.on_click(lambda _b: m.record())
        m.observe(self._refresh, ["lang", "enabled", "note", "findings", "satisfaction_unit", "satisfaction_sum",
                                  "line_options", "dates_read", "date_example"])
        self._refresh()

    def _on_unit(self, change: dict) -> None:
        if not self._unit_guard and change["new"]:
            self._model.satisfaction_unit = change["new"]

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        self.layout.display = None if m.enabled else "none"
        self._heading.value = f'<h3>{t("results", lang)}</h3>'
        examples = date_examples(m.date_example, lang)
        self._hint.value = f'<p class="pl-hint">{t("results_hint", lang, examples=examples)}</p>'
        self._empty.value = "" if m.line_options else f'<p class="pl-empty">{t("results_no_events", lang)}</p>'
        self._inputs.layout.display = None if m.line_options else "none"
        self._line.description = t("result_line", lang)
        unit = t("unit_percent" if m.satisfaction_unit == "percent" else "unit_people", lang)
        for f, w in self._fields.items():
            label = RESULT_LABELS[f][1 if lang == "en" else 0]
            if f in SATISFACTION_FIELDS:
                label = f"{label} ({unit})" if lang == "en" else f"{label}（{unit}）"
            w.description = label
        self._fields["dates"].placeholder = t("dates_ph", lang, example=m.date_example)
        self._dates_read.value = (f'<p class="pl-hint rv-dates-read" aria-live="polite">{escape(m.dates_read)}</p>'
                                  if m.dates_read else "")
        self._notes.description = RESULT_LABELS["notes"][1 if lang == "en" else 0]
        self._unit_guard = True
        try:
            self._unit.description = t("satisfaction_unit", lang)
            self._unit.options = [(t("percent", lang), "percent"), (t("count", lang), "count")]
            self._unit.value = m.satisfaction_unit
        finally:
            self._unit_guard = False
        self._sum.value = f'<span class="rv-sum" aria-live="polite">{m.satisfaction_sum}</span>'
        self._record.description = t("record", lang)
        self._note.value = note_html(m.note, lang)
        self._findings.value = "".join(finding_html(f, lang) for f in m.findings)
