"""The inbox (お知らせ) both apps show at the top: what concerns this person (planner.notices, read
through the desk, so only what they may see), the unread count, each item opening its plan and marked
read then. The page's follower refreshes it as events come."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING, Any

import ipywidgets as ipw
import traitlets as tl

from ..errors import PlannerError
from ..japanese import fiscal_year_label
from ..notices import NOTICE_LABELS
from .labels import jst
from .panel import Panel
from .text import t
from .widgets import View, button, html

if TYPE_CHECKING:
    from ..desk import Desk

SHOWN = 20  # the newest notices listed; older ones stay in the store

OpenPlan = Callable[[str, int], bool]  # (consortium, fiscal year): opens the plan in the app


class InboxModel(Panel):
    """The person's notices, newest first, as rows the view shows; `unread` counts all not read."""

    items = tl.List()
    unread = tl.Int(0)
    opened = tl.Bool(False)

    def __init__(self, source: tl.HasTraits, *, desk: Desk, open_plan: OpenPlan):
        super().__init__(source)
        self._desk, self._open_plan = desk, open_plan
        self._notices: dict[int, Any] = {}
        self.observe(lambda _c: self._rows(), "lang")
        self.refresh()

    def refresh(self) -> None:
        notices = self._desk.inbox(SHOWN)
        self._notices = {n.event.id: n for n in notices}
        self.unread = self._desk.unread_count()
        self._rows()

    def _rows(self) -> None:
        names = self._desk.display_names()
        rows = []
        for n in self._notices.values():
            e = n.event
            try:
                c = self._desk.fiscal_year(e.fiscal_year).consortia.get(e.consortium)
                plan = c.name(self.lang) if c else e.consortium
            except PlannerError:
                plan = e.consortium
            label = NOTICE_LABELS.get(e.action)
            rows.append({"id": e.id, "read": n.read, "what": label(self.lang) if label else e.action,
                         "plan": f"{plan}　{fiscal_year_label(e.fiscal_year, self.lang)}",
                         "who": names.get(e.by, e.by), "at": jst(e.at), "revision": e.revision or 0,
                         "comment": n.comment, "action": e.action})
        self.items = rows

    def open(self, event_id: int) -> bool:
        """Open the notice's plan and mark it read; a notice not (or no longer) this person's opens nothing."""
        n = self._notices.get(event_id)
        if n is None:
            return False
        self._desk.mark_read([event_id])
        self.opened = False
        ok = self._open_plan(n.event.consortium, n.event.fiscal_year)
        self.refresh()
        return ok

    def mark_all_read(self) -> None:
        self._desk.mark_read(list(self._notices))
        self.refresh()


class InboxView(View):
    """A button at the top saying how many notices are unread, opening the list under it."""

    _model: InboxModel

    def _render(self) -> None:
        m = self._model
        self.add_class("pl-inbox")
        self.toggle = ipw.ToggleButton(layout=ipw.Layout(width="auto"))
        self.toggle.add_class("pl-inbox-toggle")
        ipw.link((m, "opened"), (self.toggle, "value"))
        self._list = ipw.VBox()
        self._list.add_class("pl-inbox-list")
        self._all_read = button("pl-inbox-all-read", "", "auto", toggled=True)
        self._all_read.on_click(lambda _b: m.mark_all_read())
        self.children = [self._list]
        m.observe(self._refresh, ["items", "unread", "opened", "lang"])
        self._refresh()

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        self.toggle.description = t("inbox_unread", lang, n=m.unread) if m.unread else t("inbox", lang)
        self.toggle.button_style = "warning" if m.unread else ""
        self.layout.display = None if m.opened else "none"
        if not m.opened:
            return
        rows: list[ipw.Widget] = [html(f'<h3>{t("inbox", lang)}</h3>')]
        if not m.items:
            rows.append(html(f'<p class="pl-hint">{t("inbox_none", lang)}</p>'))
        for item in m.items:
            rows.append(self._row(item))
        self._all_read.description = t("inbox_all_read", lang)
        self._all_read.layout.display = None if m.unread else "none"
        rows.append(self._all_read)
        self._list.children = rows

    def _row(self, item: dict) -> ipw.Widget:
        lang = self._model.lang
        new = "" if item["read"] else f'<span class="pl-inbox-new">{t("inbox_new", lang)}</span> '
        rev = f'　{t("revision", lang)} {item["revision"]}' if item["revision"] else ""
        key = "inbox_message" if item["action"] == "submit" else "inbox_comment"
        comment = (f'<div class="pl-inbox-comment">{t(key, lang)}: {escape(item["comment"])}</div>'
                   if item["comment"] else "")
        text = html(f'<div class="pl-inbox-item">{new}<b>{escape(item["what"])}</b>　{escape(item["plan"])}{rev}'
                    f'<br><small>{escape(item["at"])}　{escape(t("inbox_by", lang, who=item["who"]))}</small>'
                    f"{comment}</div>")
        go = button("pl-inbox-open", "info" if not item["read"] else "", "auto")
        go.description = t("inbox_open", lang)
        go.on_click(lambda _b, i=item["id"]: self._model.open(i))
        row = ipw.HBox([text, go], layout=ipw.Layout(align_items="center", justify_content="space-between"))
        row.add_class("pl-inbox-row")
        if not item["read"]:
            row.add_class("pl-inbox-unread")
        return row
