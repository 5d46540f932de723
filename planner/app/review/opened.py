"""The plan opened: its lines (with their details and any results), findings and history."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

import traitlets as tl

from ...errors import PlannerError
from ...fields import LINE
from ...load import others_by_month
from ...plan import Line
from ...records import PlanRecord
from ...results import Result
from ...summary import summarize
from ..labels import history_rows, jst, line_rows, status_label
from ..notes import Note, findings_html
from ..panel import Panel, Say
from ..tables import FLAG_MARKS, comment_box, line_title, status_chip
from ..text import t
from ..widgets import View, html

if TYPE_CHECKING:
    from ...desk import Desk
    from ...fiscal_year import FiscalYear
    from .app import ReviewModel


class OpenedPlanModel(Panel):
    """The plan opened: its lines (with any results), findings, history."""

    follows = ("lang", "year")

    consortium = tl.Unicode("")
    record = tl.Instance(PlanRecord, allow_none=True)
    rows = tl.List()
    findings = tl.List()
    history = tl.List()
    results = tl.Dict()  # (line id, session) -> Result
    # every other consortium's events per month, as this person's 月別の負荷 counts them: behind the
    # warning of a month over the contractor's capacity, the one the secretariat was shown
    others = tl.Dict()
    used = tl.Int(0)
    budget = tl.Int(0)
    left = tl.Int(0)  # negative when over budget
    updated_by = tl.Unicode("")  # who saved last, as shown on screen
    # the revision this person had looked at before opening the plan now (0: never): where the
    # comparison starts. Kept through reloads after an action, so it stays "since I last looked".
    seen_before = tl.Int(0)

    year = tl.Int(0)

    def __init__(self, app: ReviewModel, *, desk: Desk, say: Say):
        super().__init__(app)
        self._desk, self._say = desk, say
        self.revisions: list[Any] = []
        self.observe(self._derive, ["lang"])

    @property
    def fy(self) -> FiscalYear:
        return self._desk.fiscal_year(self.year)

    @property
    def name(self) -> str:
        c = self.fy.consortia.get(self.consortium)
        return c.name(self.lang) if c else self.consortium

    @property
    def status(self) -> str:
        return self.record.status if self.record else ""

    def close(self) -> None:
        with self.hold_trait_notifications():
            self.consortium = ""
            self.record = None
            self.rows, self.findings, self.history, self.results = [], [], [], {}

    def load(self, consortium: str | None = None) -> bool:
        desk = self._desk
        cid = consortium or self.consortium
        opening = consortium is not None
        try:
            rec = desk.get(cid, self.year)
            history = desk.history(cid, self.year)
            results = {r.key: r for r in desk.results(cid, self.year)}
            others = others_by_month(desk.load(self.fy), cid)
            seen = (desk.last_seen(cid, self.year) or 0) if opening else self.seen_before
            if not desk.read_only:  # a snapshot is read as it is
                desk.mark_seen(cid, self.year, rec.revision)
        except PlannerError as exc:
            self._say(Note.of(exc))
            return False
        with self.hold_trait_notifications():
            self.seen_before = seen
            self.consortium = cid
            self.revisions = history
            self.results = results
            self.others = others
            self.record = rec
            self._derive()
        return True

    def _derive(self, _: Any = None) -> None:
        rec = self.record
        if rec is None:
            return
        fy = self.fy
        menu = fy.menu_for(self.consortium)
        summary = summarize(rec.plan, fy, others=self.others)
        findings = summary.findings
        by_line: dict[Any, list[Result]] = {}
        for key in sorted(self.results, key=lambda k: (str(k[0]), k[1] if isinstance(k[1], int) else 0)):
            by_line.setdefault(key[0], []).append(self.results[key])
        rows = line_rows(rec.plan, findings, menu, self.lang,
                         lambda line_id: sessions_summary(by_line.get(line_id, []), self.lang))
        for row, ln in zip(rows, rec.plan.lines, strict=True):
            needs = isinstance(ln.item, int) and bool(fy.rules_for(ln.item, "description_required"))
            row.update(line_details(ln, needs, self.lang))
        with self.hold_trait_notifications():
            self.findings = findings
            self.used = summary.used
            self.budget = summary.budget or 0
            self.left = self.budget - self.used
            names = self._desk.display_names()
            self.updated_by = names.get(rec.updated_by, rec.updated_by)
            self.history = history_rows(self.revisions, names, self.lang, menu)
            self.rows = rows


# what the line's title cell does not already show (it shows the place)
_SHOWN_DETAILS = ("companies", "students", "language")
_UNITS = {"companies": ("社", ""), "students": ("人", "")}


def line_details(ln: Line, needs_notes: bool, lang: str) -> dict[str, Any]:
    """A line's details a decision rests on, as read under the line: the expected companies and
    students and the language as (label, value) pairs; the notes (a ⑪ proposal's description);
    whether the line's item needs notes at all."""
    facts = []
    for name in _SHOWN_DETAILS:
        value = getattr(ln, name)
        if value is None or value == "":
            continue
        ja, en = _UNITS.get(name, ("", ""))
        facts.append((LINE[name].label(lang), f"{value}{en if lang == 'en' else ja}"))
    notes = ln.notes.strip() if isinstance(ln.notes, str) else ("" if ln.notes is None else str(ln.notes))
    return {"facts": facts, "notes": notes, "needs_notes": needs_notes}


def sessions_summary(results: list[Result], lang: str) -> str:
    """A line's results, session by session (第1回: … ／ 第2回: …); a line of one session as before."""
    if len(results) == 1 and results[0].session == 1:
        return result_summary(results[0], lang)
    sep = " / " if lang == "en" else "／"
    return sep.join((f"Session {r.session}: " if lang == "en" else f"第{r.session}回: ") + result_summary(r, lang)
                    for r in results)


def result_summary(r: Result, lang: str) -> str:
    """One line a person reads: dates, venue, participants and satisfaction."""
    unit = "%" if r.satisfaction_unit == "percent" else ("" if lang == "en" else "人")
    parts = [", ".join(r.dates), r.venue or ""]
    parts.append(f"{r.participants} participants" if lang == "en" else f"参加者 {r.participants} 名")
    if r.company_list:
        k = len(r.company_list)
        parts.append(f"{k} companies listed" if lang == "en" else f"参加企業 {k} 社")
    if r.very_satisfied is not None:
        if lang == "en":
            parts.append(f"very satisfied {r.very_satisfied}{unit} / satisfied {r.satisfied}{unit}"
                         f" / dissatisfied {r.dissatisfied}{unit}")
        else:
            parts.append(f"大変満足 {r.very_satisfied}{unit}・満足 {r.satisfied}{unit}・不満 {r.dissatisfied}{unit}")
    return "　".join(p for p in parts if p)


class PlanHeadView(View):
    """The opened plan: consortium, status, revision, points, the officer's comment; lines, each with
    its details under it; checks."""

    _model: OpenedPlanModel

    def _render(self) -> None:
        self.add_class("rv-plan")
        self._head = html()
        self._head.add_class("rv-plan-head")
        self._lines = html()
        self._lines.add_class("rv-lines")
        self._findings = html()
        self._findings.add_class("rv-findings")
        self.children = [self._head, self._lines, self._findings]
        self._model.observe(self._refresh, ["rows", "record", "findings", "lang"])
        self._refresh()

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        rec = m.record
        if rec is None:
            self._head.value = self._lines.value = self._findings.value = ""
            return
        pts = t("points", lang)
        comment = comment_box(rec.comment, rec.status, lang) + message_box(m.revisions, rec, lang)
        over = ' class="rv-over"' if m.left < 0 else ""
        badge = f'<span class="pl-over-badge">{t("over", lang)} {-m.left} {pts}</span>' if m.left < 0 else ""
        self._head.value = (
            f'<h2 class="rv-plan-name">{escape(m.name)}</h2>'
            f'<div class="pl-status-row">{status_chip(rec.status, status_label(rec.status, lang), lang)}'
            f'<span>{t("revision", lang)} {rec.revision}</span>'
            f'<span>{t("updated", lang)}: {escape(jst(rec.updated_at))} {escape(m.updated_by)}</span></div>'
            f'<div class="pl-figures"><span>{t("used", lang)} <b{over}>{m.used}</b></span>'
            f'<span>{t("budget", lang)} <b>{m.budget}</b> {pts}</span>'
            f'<span class="rv-left">{t("left", lang)} <b{over}>{m.left}</b> {pts}</span>{badge}</div>{comment}'
        )
        if not m.rows:
            self._lines.value = f'<h3>{t("lines", lang)}</h3><p>{t("no_lines_read", lang)}</p>'
        else:
            heads = "".join(f"<th>{t(k, lang)}</th>" for k in ("col_no", "col_item", "col_variant", "col_qty"))
            heads += f'<th class="rv-num">{t("points", lang)}</th>'
            any_result = any(r["result"] for r in m.rows)
            heads += "".join(f"<th>{t(k, lang)}</th>" for k in ("col_month", "col_title"))
            heads += f'<th>{t("col_result", lang)}</th>' if any_result else ""
            body = ""
            span = 7 + any_result
            for r in m.rows:
                flag = FLAG_MARKS.get(r["flag"], "")
                cls = f' class="pl-{r["flag"]}"' if r["flag"] else ""
                title = line_title(r, lang)
                details = details_html(r, lang)
                body += (f'<tr{cls}><td>{r["no"]}{flag}</td><td>{escape(r["item"])}</td><td>{escape(r["variant"])}'
                         f'</td><td>{escape(str(r["quantity"]))} {escape(r["unit"])}</td>'
                         f'<td class="rv-num">{r["points"]}</td><td>{escape(r["month"])}</td><td>{title}</td>'
                         + (f'<td class="rv-result">{escape(r["result"])}</td>' if any_result else "") + "</tr>")
                if details:  # under its line, across the table: the table stays as wide as it was
                    body += f'<tr class="rv-details"><td></td><td colspan="{span - 1}">{details}</td></tr>'
            self._lines.value = (f'<h3>{t("lines", lang)}</h3><div class="rv-scroll"><table class="pl-table">'
                                 f"<thead><tr>{heads}</tr></thead><tbody>{body}</tbody></table></div>")
        self._findings.value = findings_html(m.findings, lang)


def message_box(revisions: list[Any], rec: PlanRecord, lang: str) -> str:
    """The secretariat's message to the officer (変更点・返信) sent with the submission being reviewed."""
    if rec.status != "submitted":
        return ""
    sent = next((r for r in revisions if r.revision == rec.revision), None)
    if sent is None or not sent.comment:
        return ""
    head = t("submitted_message", lang, revision=rec.revision)
    return (f'<div class="pl-note pl-note-info rv-submit-message"><b>{head}'
            f'</b><br>{escape(sent.comment).replace(chr(10), "<br>")}</div>')


def details_html(row: dict[str, Any], lang: str) -> str:
    """A line's details under it: companies, students, language on one line, the notes below."""
    facts = "".join(f'<span><span class="rv-detail-label">{escape(label)}</span> {escape(value)}</span>'
                    for label, value in row.get("facts", ()))
    out = f'<div class="rv-facts">{facts}</div>' if facts else ""
    notes = row.get("notes", "")
    # a ⑪'s notes are its proposal, named as the secretariat's form names them
    label = t("proposal" if row.get("needs_notes") else "notes", lang)
    if notes:
        out += (f'<div class="rv-notes"><span class="rv-detail-label">{label}</span> '
                f'{escape(notes).replace(chr(10), "<br>")}</div>')
    elif row.get("needs_notes"):
        out += (f'<div class="rv-notes rv-notes-missing"><span class="rv-detail-label">{label}</span> '
                f'{t("notes_missing", lang)}</div>')
    return out
