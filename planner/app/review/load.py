"""The contractor's events per month across the consortia, against its capacity: a table and a chart."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

import traitlets as tl

from ...japanese import month_label
from ..panel import Panel
from ..text import t
from ..widgets import View, html

if TYPE_CHECKING:
    from ...access import User
    from ...desk import Desk
    from ...fiscal_year import FiscalYear
    from .app import ReviewModel


class LoadModel(Panel):
    """The contractor's events per month across the consortia, against its capacity: a table and a chart.

    The officer sees every plan of the year; the contractor, as everywhere, the accepted ones only
    (access.counts_in_load, which also makes the totals behind each plan's capacity warning)."""

    follows = ("lang", "year")

    rows = tl.List()  # one a month: label, events per consortium, total, over
    capacity = tl.Int(allow_none=True)
    chart = tl.Unicode("")  # SVG
    scope = tl.Unicode("")  # which plans are counted: "all" or "accepted"

    year = tl.Int(0)

    def __init__(self, app: ReviewModel, *, desk: Desk, user: User):
        super().__init__(app)
        self._desk, self._user = desk, user
        self.observe(self._draw, "lang")
        self._load: Any = None

    def refresh(self) -> None:
        self.scope = "accepted" if self._user.role == "contractor" else "all"
        self._load = self._desk.load(self.fy)
        self.capacity = self._load.capacity
        self._draw()

    def _draw(self, _: Any = None) -> None:
        from ..load_chart import load_svg

        if self._load is None:
            return
        fy = self.fy
        names = {cid: c.short_name(self.lang) for cid, c in fy.consortia.items()}
        self.rows = [{"month": month_label(m.month, self.lang), "by": [m.by_consortium.get(c, 0) for c in names],
                      "events": m.events, "over": m.over} for m in self._load.months]
        self.chart = load_svg(self._load, names, self.lang)

    @property
    def fy(self) -> FiscalYear:
        return self._desk.fiscal_year(self.year)

    @property
    def names(self) -> list[str]:
        return [c.name(self.lang) for c in self.fy.consortia.values()]


class LoadView(View):
    """The contractor's load: the chart (stacked by consortium, the capacity a line) and its table."""

    _model: LoadModel

    def _render(self) -> None:
        m = self._model
        self.add_class("rv-load")
        self._heading = html()
        self._chart = html()
        self._chart.add_class("rv-load-chart-box")
        self._table = html()
        self._table.add_class("rv-load-table")
        self.children = [self._heading, self._chart, self._table]
        m.observe(self._refresh, ["rows", "chart", "lang"])
        self._refresh()

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        note = t("load_note_all" if m.scope == "all" else "load_note_accepted", lang)
        if m.capacity is None:
            note += " " + t("load_no_capacity", lang)
        self._heading.value = f'<h3>{t("load", lang)}</h3><p class="pl-hint">{escape(note)}</p>'
        self._chart.value = f'<div class="rv-scroll">{m.chart}</div>'
        if not m.rows:
            self._table.value = ""
            return
        heads = f'<th>{t("col_month", lang)}</th>' + "".join(
            f'<th class="rv-num">{escape(n)}</th>' for n in m.names) + f'<th class="rv-num">{t("col_total", lang)}</th>'
        body = ""
        for r in m.rows:
            over = f' <b class="rv-over">{t("load_over", lang)}</b>' if r["over"] else ""
            body += (f'<tr{" class=rv-over-row" if r["over"] else ""}><td>{escape(r["month"])}</td>'
                     + "".join(f'<td class="rv-num">{n}</td>' for n in r["by"])
                     + f'<td class="rv-num"><b>{r["events"]}</b>{over}</td></tr>')
        self._table.value = (f'<div class="rv-scroll"><table class="pl-table"><thead><tr>{heads}</tr></thead>'
                             f"<tbody>{body}</tbody></table></div>")
