"""Planned against delivered, per consortium and for the year: events, participants, satisfaction;
and the event lines whose month is over with nothing recorded, and those still to come."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING, Any

import ipywidgets as ipw
import traitlets as tl

from ...downloads import YEAR_ROLES, event_url, results_url
from ...japanese import JST, circled, month_label
from ...results import COUNT_FIELDS, EventProgress, event_progress
from ..notes import Note, note_html
from ..panel import Panel
from ..text import t
from ..widgets import View, button, download_button, html

TOTAL = "__year__"
STATES = ("unrecorded", "this_month", "planned")  # as listed: what is overdue first


def japan_today() -> dt.date:
    """Today in Japan, whatever the server's clock zone: a month is over when it is over there."""
    return dt.datetime.now(JST).date()

if TYPE_CHECKING:
    from ...desk import Desk
    from .app import ReviewModel
    from .overview import OverviewModel


class DeliveryModel(Panel):
    """Planned against delivered, per consortium and for the year: events, participants, satisfaction.

    Computed on demand (`refresh`), since it is the one panel that needs pandas.
    """

    follows = ("lang", "year")

    rows = tl.List()
    pending = tl.List()  # per accepted plan: its event lines not recorded, overdue first, then to come
    as_of = tl.Unicode("")  # the day `pending` was made for, as shown
    reports = tl.List()  # lines with results: their event reports (PDF) to download
    results_href = tl.Unicode("")  # the year's results book, where this person may have it
    stale = tl.Bool(True)
    note = tl.Instance(Note, allow_none=True)

    year = tl.Int(0)
    readable = tl.List()  # the overview's rows: the plans this person may read

    def __init__(self, app: ReviewModel, *, desk: Desk, overview: OverviewModel,
                 today: Callable[[], dt.date] = japan_today):
        super().__init__(app)
        self._desk = desk
        tl.dlink((overview, "rows"), (self, "readable"))
        self.today = today  # a test gives its own day
        self.observe(self._mark, ["year"])
        self.observe(self._relabel, ["lang"])
        self._raw: list[dict[str, Any]] = []
        self._progress: list[tuple[str, list[EventProgress]]] = []
        self._reports: list[tuple[str, int, str, int]] = []
        self._day: dt.date | None = None

    def _mark(self, _: Any = None) -> None:
        self.stale = True

    def refresh(self) -> None:
        """The year's figures (planner.year_results, as the results book has them) of the accepted
        plans this person may read: the contractor's view is the accepted plans, as everywhere."""
        from ...year_results import read_year

        desk, year = self._desk, self.year
        readable = {r["consortium"] for r in self.readable if r["status"]}
        figures = read_year(desk, year, self.today(), consortia=readable)
        raw = []
        for cid, tally in [*figures.by_consortium.items(), (TOTAL, figures.total)]:
            s = tally.satisfaction
            very, positive = s.share("very_satisfied"), s.positive
            raw.append({
                "consortium": cid, "planned": tally.planned, "held": tally.delivered,
                "participants": tally.participants, **{f: getattr(tally, f) for f in COUNT_FIELDS},
                "satisfied": None if positive is None else round(positive),
                "very_satisfied": None if very is None else round(very),
                "answered": round(s.answered, 1), "unweighted": s.unweighted,
            })
        self._raw = raw
        self._reports = self._recorded(readable)
        self.results_href = results_url(year) if desk.user.role in YEAR_ROLES else ""
        self._day = self.today()
        self._progress = self._outstanding(self._day)
        self.stale = False
        self._relabel()

    def _recorded(self, readable: set[str]) -> list[tuple[str, int, str, int]]:
        """The lines of accepted plans with results, for their event reports: (consortium, 番号, title,
        sessions recorded)."""
        from ...results_summary import session_of

        desk, year = self._desk, self.year
        out = []
        for r in self.readable:
            if r["status"] != "accepted" or r["consortium"] not in readable:
                continue
            cid = r["consortium"]
            plan = desk.get(cid, year).plan
            sessions: dict[str, set[int]] = {}
            for res in desk.results(cid, year):
                sessions.setdefault(res.line_id, set()).add(session_of(res))
            for no, ln in enumerate(plan.lines, start=1):
                if ln.id in sessions:
                    out.append((cid, no, str(ln.title or ""), len(sessions[ln.id])))
        return out

    def _outstanding(self, today: dt.date) -> list[tuple[str, list[EventProgress]]]:
        """Each accepted plan's event lines with a session still without a result, read with this person's
        own access."""
        desk, year = self._desk, self.year
        fy = desk.fiscal_year(year)
        out = []
        for r in self.readable:
            if r["status"] != "accepted":
                continue
            cid = r["consortium"]
            plan = desk.get(cid, year).plan
            results = desk.results(cid, year)
            events = event_progress(plan, results, fy.menu_for(cid), today)
            out.append((cid, sorted((e for e in events if e.state != "recorded"),
                                    key=lambda e: STATES.index(e.state))))
        return out

    def _relabel(self, _: Any = None) -> None:
        fy = self._desk.fiscal_year(self.year) if self.year else None
        rows = []
        for r in self._raw:
            cid = r["consortium"]
            if cid == TOTAL:
                name = "年度合計" if self.lang != "en" else "Year total"
            else:
                c = fy.consortia.get(cid) if fy else None
                name = c.name(self.lang) if c else cid
            rows.append({**r, "name": name, "total": cid == TOTAL})
        self.rows = rows
        en = self.lang == "en"
        pending = []
        for cid, events in self._progress:
            c = fy.consortia.get(cid) if fy else None
            menu = fy.menu_for(cid) if fy else {}
            lines = []
            for e in events:
                ln, item = e.line, menu.get(e.line.item)
                place = str(ln.place or "")
                lines.append({
                    "state": e.state, "no": e.no, "month": month_label(ln.month, self.lang),
                    "title": str(ln.title or "") + (f" ({place})" if en else f"（{place}）") * bool(place),
                    "item": f"{circled(ln.item)} {item.name(self.lang) if item else ''}".strip(),
                    "quantity": (f"{ln.quantity} {item.unit(self.lang, ln.quantity)}" if item else str(ln.quantity))
                    # delivered session by session: a line part-recorded says how far
                    + ((f" ({e.recorded} recorded)" if en else f"（{e.recorded}回記録済み）") if e.recorded else ""),
                    "recorded": e.recorded,
                })
            counts = {k: sum(e.state == k for e in events) for k in STATES}
            pending.append({"consortium": cid, "name": c.name(self.lang) if c else cid, "lines": lines, **counts})
        self.pending = pending
        self.reports = [{"consortium": cid, "name": fy.consortia[cid].name(self.lang) if fy and cid in fy.consortia
                         else cid, "no": no, "title": title, "sessions": n, "href": event_url(cid, self.year, no)}
                        for cid, no, title, n in self._reports]
        d = self._day
        self.as_of = "" if d is None else (f"{d.day} {d:%b} {d.year}" if en else f"{d.year}年{d.month}月{d.day}日")


class DeliveryView(View):
    """Planned against delivered: one row a consortium, and the year's total."""

    _model: DeliveryModel

    def _render(self) -> None:
        m = self._model
        self.add_class("rv-delivery")
        self._heading = html()
        self._refresh_button = button("rv-delivery-refresh", "", "auto")
        self._table = html()
        self._table.add_class("rv-delivery-table")
        self._pending = html()
        self._pending.add_class("rv-pending")
        self._reports = html()
        self._reports.add_class("rv-reports")
        self.children = [self._heading, ipw.HBox([self._refresh_button]), self._table, self._reports, self._pending]
        self._refresh_button.on_click(lambda _b: m.refresh())
        m.observe(self._refresh, ["rows", "pending", "as_of", "lang", "note", "reports", "results_href"])
        self._refresh()

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        self._heading.value = (f'<h3>{t("delivery", lang)}</h3>'
                               f'<p class="pl-hint">{t("delivery_note", lang)}</p>')
        self._refresh_button.description = t("delivery_refresh", lang)
        self._pending.value = self._pending_html()
        self._reports.value = self._reports_html()
        if not [r for r in m.rows if not r["total"]]:
            self._table.value = f'<p class="pl-empty">{t("no_delivery", lang)}</p>' + note_html(m.note, lang)
            return
        num = ("col_planned", "col_held", "col_participants", "col_companies", "col_staff", "col_students",
               "col_members", "col_very", "col_satisfied")
        heads = f'<th>{t("col_consortium", lang)}</th>' + "".join(
            f'<th class="rv-num">{t(k, lang)}</th>' for k in num)
        body = ""
        for r in m.rows:
            sat = "—" if r["satisfied"] is None else f'{r["satisfied"]}%'
            very = "—" if r["very_satisfied"] is None else f'{r["very_satisfied"]}%'
            cells = [r["planned"], r["held"], r["participants"], r["companies"], r["company_staff"], r["students"],
                     r["members"], very, sat]
            cls = ' class="rv-total"' if r["total"] else ""
            body += (f'<tr{cls}><td>{escape(r["name"])}</td>'
                     + "".join(f'<td class="rv-num">{c}</td>' for c in cells) + "</tr>")
        self._table.value = (f'<div class="rv-scroll"><table class="pl-table"><thead><tr>{heads}</tr></thead>'
                             f"<tbody>{body}</tbody></table></div>" + note_html(m.note, lang))

    def _reports_html(self) -> str:
        """The year's results book, and each recorded line's event report (a PDF page per session)."""
        m, lang = self._model, self._model.lang
        out = []
        if m.results_href:
            out.append(f'<p>{download_button(m.results_href, t("results_download", lang), "rv-results-download")}'
                       f' <span class="pl-hint">{t("results_download_hint", lang)}</span></p>')
        if m.reports:
            out.append(f'<h4>{t("event_reports", lang)}</h4>')
            heads = "".join(f"<th>{t(k, lang)}</th>" for k in ("col_consortium", "col_no", "col_event_title"))
            heads += f'<th class="rv-num">{t("col_sessions", lang)}</th><th></th>'
            body = "".join(
                f'<tr><td>{escape(r["name"])}</td><td class="rv-num">{r["no"]}</td><td>{escape(r["title"])}</td>'
                f'<td class="rv-num">{r["sessions"]}</td>'
                f'<td>{download_button(r["href"], t("event_report_download", lang), "rv-event-report")}</td></tr>'
                for r in m.reports)
            out.append(f'<div class="rv-scroll"><table class="pl-table"><thead><tr>{heads}</tr></thead>'
                       f"<tbody>{body}</tbody></table></div>")
        return "".join(out)

    def _pending_html(self) -> str:
        """Per accepted plan: the event lines whose month is over with nothing recorded, then those to come."""
        m, lang = self._model, self._model.lang
        if not m.pending:
            return ""
        out = [f'<h4>{t("pending", lang, day=escape(m.as_of))}</h4>',
               f'<p class="pl-hint">{t("pending_hint", lang)}</p>']
        heads = "".join(f"<th>{t(k, lang)}</th>" for k in ("col_state", "col_month", "col_no", "col_title", "col_item"))
        heads += f'<th class="rv-num">{t("col_qty", lang)}</th>'
        for c in m.pending:
            counts = t("pending_counts", lang, unrecorded=c["unrecorded"], coming=c["this_month"] + c["planned"])
            out.append(f'<h5 class="rv-pending-name rv-pending-{escape(c["consortium"])}">{escape(c["name"])}'
                       f' <span class="rv-pending-counts">{counts}</span></h5>')
            if not c["lines"]:
                out.append(f'<p class="pl-empty">{t("pending_none", lang)}</p>')
                continue
            body = "".join(
                f'<tr class="rv-state-{e["state"]}"><td><span class="pl-chip rv-chip-{e["state"]}">'
                f'{t("state_" + e["state"], lang)}</span></td><td>{escape(e["month"])}</td>'
                f'<td class="rv-num">{e["no"]}</td><td>{escape(e["title"])}</td><td>{escape(e["item"])}</td>'
                f'<td class="rv-num">{escape(e["quantity"])}</td></tr>' for e in c["lines"])
            out.append(f'<div class="rv-scroll"><table class="pl-table"><thead><tr>{heads}</tr></thead>'
                       f"<tbody>{body}</tbody></table></div>")
        return "".join(out)
