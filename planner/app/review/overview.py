"""Every consortium's plan of the year at a glance; the contractor sees accepted plans only."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

import ipywidgets as ipw
import traitlets as tl

from ...access import refusal
from ...japanese import fiscal_year_label
from ...load import others_by_month
from ...summary import summarize
from ..labels import jst, status_label
from ..panel import Panel
from ..text import t
from ..widgets import View, button, download_button, html, shared_layout

if TYPE_CHECKING:
    from collections.abc import Callable

    from ...access import User
    from ...desk import Desk
    from .app import ReviewModel
    from .transfer import ReviewTransferModel


class OverviewModel(Panel):
    """Every consortium's plan of the year at a glance; the contractor sees accepted plans only."""

    follows = ("lang", "year")

    rows = tl.List()
    hidden = tl.Int(0)  # plans the contractor may not see yet (not accepted)
    waiting = tl.List()  # the consortia whose plan waits for the officer's decision (submitted), in order

    year = tl.Int(0)

    def __init__(self, app: ReviewModel, *, desk: Desk, user: User):
        super().__init__(app)
        self._desk, self._user = desk, user
        self.contractor = user.role == "contractor"  # sees accepted plans only
        self.observe(self.refresh, ["year", "lang"])
        self.refresh()

    def refresh(self, _: Any = None) -> None:
        desk = self._desk
        fy = desk.fiscal_year(self.year)
        # plan_records gives every plan's status, so the same pure rule the desk applies
        # decides here which plans this person may see; leaving one out is not a refusal to log
        every = desk.plan_records(self.year)
        records = {r.plan.consortium: r for r in every}
        load = desk.load(fy)
        rows, hidden = [], 0
        names = desk.display_names()
        for cid, c in fy.consortia.items():
            rec = records.get(cid)
            status = rec.status if rec else None
            if refusal(self._user, "read", cid, status):
                hidden += rec is not None
                continue
            row: dict[str, Any] = {"consortium": cid, "name": c.name(self.lang), "budget": fy.budget(cid) or 0,
                                   "status": status or "", "status_label": status_label(status or "", self.lang)}
            if rec is None:
                row.update(revision=0, used=0, left=row["budget"], errors=0, warnings=0, updated="", by="",
                           comment="")
            else:
                summary = summarize(rec.plan, fy, others=others_by_month(load, cid))
                row.update(revision=rec.revision, used=summary.used, left=row["budget"] - summary.used,
                           errors=summary.errors, warnings=summary.warnings,
                           updated=jst(rec.updated_at), by=names.get(rec.updated_by, rec.updated_by),
                           comment=rec.comment)
            rows.append(row)
        self.rows = rows
        self.hidden = hidden
        # only an officer decides; for anyone else nothing waits for them
        officer = self._user.role == "officer"
        self.waiting = [r["consortium"] for r in rows if r["status"] == "submitted"] if officer else []


class OverviewView(View):
    """Every consortium's plan at a glance, each with an Open button; the year's consolidated workbook."""

    _model: OverviewModel

    def __init__(self, model: OverviewModel, *, transfer: ReviewTransferModel, open_plan: Callable[[str], bool],
                 **kwargs: Any):
        super().__init__(model, **kwargs)
        self._transfer, self._open_plan = transfer, open_plan

    def _render(self) -> None:
        m, tr = self._model, self._transfer
        self.add_class("rv-overview")
        self._title = html()
        self._rows = ipw.VBox()
        self._hidden = html()
        self._year_heading = html()
        self._year_link = html()
        self._year_link.add_class("rv-year-link")
        self.children = [self._title, self._rows, self._hidden, self._year_heading, self._year_link]
        m.observe(self._refresh, ["rows", "hidden", "lang"])
        tr.observe(self._refresh_year, ["year_href", "year_name", "lang"])
        self._refresh()
        self._refresh_year()

    def _row(self, cells: list[str]) -> ipw.HTML:
        h = html('<div class="rv-row">' + "".join(f"<span>{c}</span>" for c in cells) + "</div>",
                     layout=shared_layout(flex="1 1 0", min_width="0"))
        return h

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        self._title.value = f'<h3>{t("overview", lang)} <small>{escape(fiscal_year_label(m.year, lang))}</small></h3>'
        if not m.rows:
            self._rows.children = [html(f'<p class="pl-empty">{t("none_visible", lang)}</p>')]
        else:
            head = self._row([t(k, lang) for k in ("col_consortium", "col_status", "col_rev", "col_used_budget",
                                                   "col_checks", "col_updated")])
            head.add_class("rv-head")
            children: list[ipw.Widget] = [ipw.HBox([head, html(layout=shared_layout(width="6.5em"))])]
            for r in m.rows:
                status = r["status"] or "new"
                chip = (f'<span class="pl-chip pl-chip-{status}">'
                        f'{escape(r["status_label"] if r["status"] else t("not_created", lang))}</span>')
                over = ' class="rv-over"' if r["left"] < 0 else ""
                checks = []
                if r["errors"]:
                    checks.append(f'<span class="rv-err">{t("error", lang)} {r["errors"]}</span>')
                if r["warnings"]:
                    checks.append(f'<span class="rv-warn">{t("warning", lang)} {r["warnings"]}</span>')
                cells = [f'<b>{escape(r["name"])}</b>', chip, str(r["revision"] or "–"),
                         f'<span{over}>{r["used"]}</span> / {r["budget"]}',
                         " ".join(checks) or ("—" if not r["status"] else "✓"),
                         f'{escape(r["updated"])} {escape(r["by"])}']
                line = self._row(cells)
                opener = button("rv-open", "", "6.5em")
                opener.description = t("open", lang)
                opener.tooltip = f'{r["name"]}: {t("open", lang)}'
                opener.disabled = not r["status"]
                opener.on_click(self._opener(r["consortium"]))
                row = ipw.HBox([line, opener], layout=shared_layout(align_items="center"))
                row.add_class("rv-overview-row")
                row.add_class(f"rv-row-{r['consortium']}")
                children.append(row)
            self._rows.children = children
        self._hidden.value = (f'<p class="pl-hint">{t("hidden", lang, n=m.hidden)}</p>' if m.hidden else "")

    def _opener(self, consortium: str) -> Any:
        return lambda _b: self._open_plan(consortium)

    def _refresh_year(self, _: Any = None) -> None:
        m, tr, lang = self._model, self._transfer, self._transfer.lang
        self._year_heading.value = f'<h3>{t("year_workbook", lang)}</h3>'
        hint = t("year_workbook_hint_contractor" if m.contractor else "year_workbook_hint", lang)
        self._year_link.value = (download_button(tr.year_href, t("year_download", lang), "rv-year-download")
                                 + f' <span class="pl-hint">{escape(tr.year_name)}</span>'
                                 + f'<p class="pl-hint">{escape(hint)}</p>')
