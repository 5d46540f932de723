"""Planned against delivered, per consortium and for the year: events, participants, satisfaction;
and the event lines whose month is over with nothing recorded, and those still to come."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING, Any

import ipywidgets as ipw
import traitlets as tl

from ...japanese import JST, circled, month_label
from ...results import COUNT_FIELDS, EventProgress, event_progress
from ..notes import Note, note_html
from ..panel import Panel
from ..text import t
from ..widgets import View, button, html

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
        self._day: dt.date | None = None

    def _mark(self, _: Any = None) -> None:
        self.stale = True

    def refresh(self) -> None:
        from ...analysis import participants_by_kind, planned_vs_delivered, very_satisfied_share
        from ...frames import plans_frame, results_frame

        desk, year, fy = self._desk, self.year, self._desk.fiscal_year(self.year)
        plans = plans_frame(desk, year)
        results = results_frame(desk, year)
        # only what this person may read: the contractor's view is the accepted plans, as everywhere
        readable = {r["consortium"] for r in self.readable if r["status"]}
        plans = plans[plans["consortium"].isin(readable)]
        results = results[results["consortium"].isin(readable)]
        per = planned_vs_delivered(plans, results)
        whole = planned_vs_delivered(plans.assign(consortium=TOTAL), results.assign(consortium=TOTAL))
        kinds = participants_by_kind(results)
        kinds_total = participants_by_kind(results.assign(consortium=TOTAL))
        very = very_satisfied_share(results)
        very_total = very_satisfied_share(results.assign(consortium=TOTAL))
        raw = []
        for cid in [*fy.consortia, TOTAL]:
            table, ktable = (whole, kinds_total) if cid == TOTAL else (per, kinds)
            key = (year, cid)
            if key not in table.index and cid != TOTAL:
                continue
            row = table.loc[key] if key in table.index else None
            k = ktable.loc[key] if key in ktable.index else None
            share = row["満足度（大変満足＋満足）"] if row is not None else float("nan")
            v = (very_total if cid == TOTAL else very).get(key, float("nan"))
            raw.append({
                "consortium": cid,
                "planned": int(row["計画イベント数"]) if row is not None else 0,
                "held": int(row["実施イベント数"]) if row is not None else 0,
                "participants": int(row["参加者数"]) if row is not None else 0,
                **{f: (int(k[f]) if k is not None else 0) for f in COUNT_FIELDS},
                "satisfied": None if share != share else round(float(share) * 100),
                "very_satisfied": None if v != v else round(float(v) * 100),
            })
        self._raw = raw
        self._day = self.today()
        self._progress = self._outstanding(self._day)
        self.stale = False
        self._relabel()

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
        self.children = [self._heading, ipw.HBox([self._refresh_button]), self._table, self._pending]
        self._refresh_button.on_click(lambda _b: m.refresh())
        m.observe(self._refresh, ["rows", "pending", "as_of", "lang", "note"])
        self._refresh()

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        self._heading.value = (f'<h3>{t("delivery", lang)}</h3>'
                               f'<p class="pl-hint">{t("delivery_note", lang)}</p>')
        self._refresh_button.description = t("delivery_refresh", lang)
        self._pending.value = self._pending_html()
        if not [r for r in m.rows if not r["total"]]:
            self._table.value = f'<p class="pl-empty">{t("no_delivery", lang)}</p>' + note_html(m.note, lang)
            return
        num = ("col_planned", "col_held", "col_participants", "col_companies", "col_staff", "col_students",
               "col_members", "col_very", "col_satisfied")
        heads = f'<th>{t("col_consortium", lang)}</th>' + "".join(
            f'<th class="rv-num">{t(k, lang)}</th>' for k in num)
        body = ""
        for r in m.rows:
            sat = "–" if r["satisfied"] is None else f'{r["satisfied"]}%'
            very = "–" if r["very_satisfied"] is None else f'{r["very_satisfied"]}%'
            cells = [r["planned"], r["held"], r["participants"], r["companies"], r["company_staff"], r["students"],
                     r["members"], very, sat]
            cls = ' class="rv-total"' if r["total"] else ""
            body += (f'<tr{cls}><td>{escape(r["name"])}</td>'
                     + "".join(f'<td class="rv-num">{c}</td>' for c in cells) + "</tr>")
        self._table.value = (f'<div class="rv-scroll"><table class="pl-table"><thead><tr>{heads}</tr></thead>'
                             f"<tbody>{body}</tbody></table></div>" + note_html(m.note, lang))

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
