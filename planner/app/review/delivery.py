"""Planned against delivered, per consortium and for the year: events, participants, satisfaction."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

import ipywidgets as ipw
import traitlets as tl

from ...results import COUNT_FIELDS
from ..notes import Note, note_html
from ..panel import Panel
from ..text import t
from ..widgets import View, button, html

TOTAL = "__year__"

if TYPE_CHECKING:
    from .app import ReviewModel


class DeliveryModel(Panel):
    """Planned against delivered, per consortium and for the year: events, participants, satisfaction.

    Computed on demand (`refresh`), since it is the one panel that needs pandas.
    """

    follows = ("lang",)

    rows = tl.List()
    stale = tl.Bool(True)
    note = tl.Instance(Note, allow_none=True)

    def __init__(self, app: ReviewModel):
        super().__init__(app)
        app.observe(self._mark, ["year"])
        self.observe(self._relabel, ["lang"])
        self._raw: list[dict[str, Any]] = []

    def _mark(self, _: Any = None) -> None:
        self.stale = True

    def refresh(self) -> None:
        from ...analysis import participants_by_kind, planned_vs_delivered, very_satisfied_share

        a = self._app
        assert a.store is not None
        plans = a.store.plans_frame(a.year)
        results = a.store.results_frame(a.year)
        # only what this person may read: the contractor's view is the accepted plans, as everywhere
        readable = {r["consortium"] for r in a.overview.rows if r["status"]}
        plans = plans[plans["consortium"].isin(readable)]
        results = results[results["consortium"].isin(readable)]
        per = planned_vs_delivered(plans, results)
        whole = planned_vs_delivered(plans.assign(consortium=TOTAL), results.assign(consortium=TOTAL))
        kinds = participants_by_kind(results)
        kinds_total = participants_by_kind(results.assign(consortium=TOTAL))
        very = very_satisfied_share(results)
        very_total = very_satisfied_share(results.assign(consortium=TOTAL))
        raw = []
        for cid in [*a.fy.consortia, TOTAL]:
            table, ktable = (whole, kinds_total) if cid == TOTAL else (per, kinds)
            key = (a.year, cid)
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
        self.stale = False
        self._relabel()

    def _relabel(self, _: Any = None) -> None:
        fy = self._app.fy if self._app.year else None
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
        self.children = [self._heading, ipw.HBox([self._refresh_button]), self._table]
        self._refresh_button.on_click(lambda _b: m.refresh())
        m.observe(self._refresh, ["rows", "lang", "note"])
        self._refresh()

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        self._heading.value = (f'<h3>{t("delivery", lang)}</h3>'
                               f'<p class="pl-hint">{t("delivery_note", lang)}</p>')
        self._refresh_button.description = t("delivery_refresh", lang)
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
