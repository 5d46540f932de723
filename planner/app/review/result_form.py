"""The contractor's form for one session of a line: its result and its participating companies (pasted
or uploaded); checked like plans, stored only when clean."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

import ipywidgets as ipw
import traitlets as tl

from ...access import may
from ...company_list import as_text, read_rows, read_text
from ...dates import date_examples, example_date, read_dates
from ...errors import PlannerError
from ...findings import Finding
from ...fiscal_year import FiscalYear
from ...japanese import circled, fiscal_year_span, month_label
from ...numbers import read_number
from ...plan import Line, Plan
from ...prefectures import order
from ...results import (
    COUNT_FIELDS,
    RESULT_LABELS,
    SATISFACTION_FIELDS,
    Company,
    Result,
    check_result,
    company_problems,
    delivered_sessions,
    event_lines,
    results_on_other_lines,
    sessions_of,
)
from ...text import Text
from ..notes import Note, finding_html, note_html
from ..panel import Panel
from ..text import t
from ..widgets import View, bind_choice, button, html, label_upload, upload_button, uploaded
from ..workbooks import too_large

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


def event_label(plan: Plan, n: int, ln: Line, lang: str, fy: FiscalYear, recorded: bool | int = False) -> str:
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
    sessions = sessions_of(ln)
    done = sessions if recorded is True else int(recorded)
    if done >= sessions:
        when += " (recorded)" if lang == "en" else "（記録済み）"
    elif done:  # delivered session by session: say how far
        when += f" ({done} of {sessions} recorded)" if lang == "en" else f"（{sessions}回中{done}回記録済み）"
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
    session = tl.Int(1)  # which of the line's sessions (1 … its quantity): each its own result
    session_options = tl.List()  # (第k回, k), each marked when recorded
    company_text = tl.Unicode("")  # the participating companies, a row each: name and prefecture
    company_summary = tl.Unicode("")  # how the rows are read: so many companies, by prefecture
    company_findings = tl.List()  # what is wrong with the rows, as they are pasted
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
        self.observe(self._on_line, "line_id")
        self.observe(self._fill, "session")
        self.observe(self._read_companies, ["company_text", "companies", "lang"])
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
            self._on_line()

    def _offer(self, _: Any = None) -> list[str]:
        """Offer the plan's event lines, named in the page's language (what is typed stays as it is), and
        the chosen line's sessions."""
        p = self._opened
        if p.record is None:
            self.line_options = []
            self.session_options = []
            return []
        plan = p.record.plan
        events = event_lines(plan, self.fy.menu_for(plan.consortium))
        done = delivered_sessions(p.results.values())
        self.line_options = [(event_label(plan, n, ln, self.lang, self.fy, done.get(ln.id, 0)), ln.id)
                             for n, ln in events]
        self._offer_sessions()
        return [ln.id for _, ln in events]

    def _offer_sessions(self) -> None:
        rec = self._opened.record
        i = rec.plan.line_index(self.line_id) if rec and self.line_id else None
        n = sessions_of(rec.plan.lines[i]) if i is not None else 1
        en = self.lang == "en"
        self.session_options = [
            ((f"Session {k}" if en else f"第{k}回")
             + ((" (recorded)" if en else "（記録済み）") if (self.line_id, k) in self._opened.results else ""), k)
            for k in range(1, n + 1)]

    def _on_line(self, _: Any = None) -> None:
        """Another line: its sessions, the first not yet recorded picked (else the first), and its result."""
        self._offer_sessions()
        ks = [k for _, k in self.session_options]
        if self.session not in ks or _ is not None:
            open_ = [k for k in ks if (self.line_id, k) not in self._opened.results]
            pick = open_[0] if open_ else 1
            if pick != self.session:
                self.session = pick  # _fill follows
                return
        self._fill()

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
        r = self._opened.results.get((self.line_id, self.session))
        self.note = None
        with self.hold_trait_notifications():
            self.company_text = as_text(r.company_list) if r else ""
            self.dates = ", ".join(r.dates) if r else ""
            self.venue = (r.venue or "") if r else ""
            for f in (*COUNT_FIELDS, *SATISFACTION_FIELDS):
                v = getattr(r, f) if r else None
                setattr(self, f, "" if v is None else str(v))
            self.satisfaction_unit = r.satisfaction_unit if r else "percent"
            self.notes = (r.notes or "") if r else ""
            self.findings = []

    def _read_companies(self, _: Any = None) -> None:
        """Say how the pasted rows are read (18 companies: 宮城 6, 山形 6, …) and what is wrong with them
        (an unknown prefecture, a company listed twice, a count that says otherwise), as they are pasted."""
        companies = read_text(self.company_text)
        count = read_number(self.companies)
        probe = Result(line=self.line, company_list=companies,
                       companies=count.whole if count.problem is None else None)
        self.company_findings = company_problems(probe, self.line or 0) if companies else []
        if not companies:
            self.company_summary = ""
            return
        by: dict[str, int] = {}
        for c in companies:
            by[c.prefecture] = by.get(c.prefecture, 0) + 1
        from ...prefectures import ENGLISH, prefecture_of

        en = self.lang == "en"
        parts = []
        for p, k in sorted(by.items(), key=lambda pk: order(prefecture_of(pk[0]) or "")):
            kept = prefecture_of(p)
            shown = (ENGLISH.get(kept, p) if en else kept) if kept else (p or ("(none)" if en else "（なし）"))
            parts.append(f"{shown} {k}")
        self.company_summary = (f"{len(companies)} companies: " + ", ".join(parts) if en
                                else f"{len(companies)}社（" + "・".join(parts) + "）")

    def upload_companies(self, name: str, content: bytes) -> bool:
        """A CSV or Excel file of companies: its rows shown in the list (to check and edit before Record)."""
        too_big = too_large(name, content)
        if too_big is not None:
            self.note = Note("error", too_big.message_ja, too_big.message_en)
            return False
        from ...workbook.company_file import company_file_rows

        rows, problems = company_file_rows(name, content)
        if rows is None:
            self.findings = problems
            self.note = Note("error", f"{name} を読めませんでした。", f"{name} could not be read.")
            return False
        companies = read_rows(rows)
        self.company_text = as_text(companies)
        self.findings = []
        self.note = Note("info", f"{name} から {len(companies)} 社を読みました。確かめて「記録する」を押してください。",
                         f"Read {len(companies)} companies from {name}. Check them, then Record.")
        return True

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
        company_list: tuple[Company, ...] = read_text(self.company_text)
        if company_list and values["companies"] is None:
            values["companies"] = len(company_list)  # the list says how many when the count is left blank
        result = Result(line_id=self.line_id, line=self.line, dates=dates, venue=self.venue.strip(),
                        satisfaction_unit=self.satisfaction_unit, notes=self.notes.strip(), session=self.session,
                        company_list=company_list, **values)
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
        before = p.results.get(result.key)
        try:
            self._desk.record_result(p.consortium, self.year, result)
        except PlannerError as exc:
            self.note = Note.of(exc)
            return False
        self._results_recorded()
        self.findings = findings  # the warnings recorded with it stay in view (reloading the line clears them)
        k, companies = result.session, len(result.company_list)
        listed_ja = f"参加企業 {companies} 社。" if companies else ""
        listed_en = f" {companies} companies listed." if companies else ""
        # a line of one session is said as before; of several, which session
        one = len(self.session_options) <= 1
        what_ja = f"{result.line}行目の実績" if one else f"{result.line}行目 第{k}回の実績"
        what_en = f"the result of line {result.line}" if one else f"session {k} of line {result.line}"
        if before is None:
            self.note = Note("success", f"{what_ja}を記録しました（参加者 {result.participants} 名）。{listed_ja}",
                             f"Recorded {what_en} ({result.participants} participants).{listed_en}")
        else:  # a second record replaces the first: say so, with what it was
            self.note = Note("success", f"{what_ja}を更新しました（参加者 {before.participants} 名 → "
                             f"{result.participants} 名）。{listed_ja}",
                             f"Updated {what_en} ({before.participants} → {result.participants} "
                             f"participants).{listed_en}")
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
        self._session = ipw.Dropdown(style=style, layout=ipw.Layout(width="20em"))
        self._session.add_class("rv-result-session")
        bind_choice(self._session, m, "session", "session_options")
        self._companies = ipw.Textarea(style=style, rows=5, layout=ipw.Layout(width="100%", max_width="46em"))
        self._companies.add_class("rv-r-company-list")
        ipw.link((m, "company_text"), (self._companies, "value"))
        self._company_upload = upload_button()
        self._company_upload.accept = ".csv,.txt,.xlsx"
        self._company_upload.add_class("rv-company-upload")
        self._company_upload.observe(self._on_company_file, "value")
        self._company_summary = html()
        self._company_summary.add_class("rv-r-company-summary")
        self._company_hint = html()
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
        companies = ipw.VBox([self._companies, ipw.HBox([self._company_upload, self._company_summary], layout=wrap),
                              self._company_hint])
        companies.add_class("rv-companies")
        self._inputs = ipw.VBox([
            self._line, self._session,
            ipw.HBox([f["dates"], f["venue"]], layout=wrap), self._dates_read,
            ipw.HBox([f["companies"], f["company_staff"]], layout=wrap),
            ipw.HBox([f["students"], f["members"]], layout=wrap),
            satisfaction, companies, self._notes, self._record,
        ])
        self.children = [self._heading, self._hint, self._empty, self._inputs, self._note, self._findings]
        self._unit_guard = False
        self._unit.observe(self._on_unit, "value")
        self._record.on_click(lambda _b: m.record())
        m.observe(self._refresh, ["lang", "enabled", "note", "findings", "satisfaction_unit", "satisfaction_sum",
                                  "line_options", "session_options", "dates_read", "date_example",
                                  "company_summary", "company_findings"])
        self._refresh()

    def _on_company_file(self, change: dict) -> None:
        got = uploaded(self._company_upload, change)
        if got is not None:
            self._model.upload_companies(*got)

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
        self._session.description = t("result_session", lang)
        # a line of one session has nothing to pick
        self._session.layout.display = None if len(m.session_options) > 1 else "none"
        self._companies.description = t("company_list", lang)
        self._companies.placeholder = t("company_list_ph", lang)
        label_upload(self._company_upload, t("company_upload", lang))
        self._company_hint.value = f'<p class="pl-hint">{t("company_list_hint", lang)}</p>'
        self._company_summary.value = (
            f'<span class="rv-company-read" aria-live="polite">{escape(m.company_summary)}</span>'
            + "".join(finding_html(f, lang) for f in m.company_findings))
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
