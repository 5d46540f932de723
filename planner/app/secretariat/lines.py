"""The plan's lines as a table, each with buttons to change or remove it, and a way past them to the
line form (「行を追加」) for the keyboard, which would otherwise Tab through every row's two buttons."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING, Any

import ipywidgets as ipw
import traitlets as tl

from ...fiscal_year import FiscalYear
from ...plan import Plan
from ...rules import needs_description
from ..labels import line_rows
from ..notes import Note, note_html
from ..panel import Panel
from ..tables import FLAG_MARKS, line_title
from ..text import t
from ..widgets import View, button, focus_when_shown, html, shared_layout

if TYPE_CHECKING:
    from .app import SecretariatModel
    from .editor import EditorModel


class LinesModel(Panel):
    """The plan's lines as rows; changing or removing one is the line form's (EditorModel) to do."""

    follows = ("lang", "editable", "plan", "findings", "menu", "fy")

    rows = tl.List()
    editable = tl.Bool(False)
    plan = tl.Instance(Plan, allow_none=True)
    findings = tl.List()
    menu = tl.Dict()
    fy = tl.Instance(FiscalYear, allow_none=True)
    selected = tl.Int(-1)  # the row open in the form
    removed_note = tl.Instance(Note, allow_none=True)  # a line just removed, said where its row was
    removed_at = tl.Int(-1)
    focus_row = tl.Int(-1)  # the row the keyboard focus goes to: the line just added, changed or removed
    focus_add = tl.Int(0)  # each rise: the focus to 「＋ 行を追加」 (the last line was removed)

    def __init__(self, app: SecretariatModel, editor: EditorModel):
        super().__init__(app)
        self.editor = editor
        tl.dlink((editor, "selected"), (self, "selected"))
        tl.dlink((editor, "focus_line"), (self, "focus_row"))
        tl.dlink((editor, "focus_add"), (self, "focus_add"))
        tl.dlink((editor, "removed_note"), (self, "removed_note"))
        tl.dlink((editor, "removed_at"), (self, "removed_at"))
        self.observe(self._on_plan, ["plan", "findings", "lang"])
        self._on_plan()

    def _on_plan(self, _: Any = None) -> None:
        rows = line_rows(self.plan, self.findings, self.menu, self.lang) if self.plan is not None else []
        for r, ln in zip(rows, self.plan.lines if self.plan is not None else (), strict=True):
            # a proposal (⑪) is read in the table, under its line: its text is the line's point
            described = self.fy is not None and isinstance(ln.item, int) and needs_description(ln.item, self.fy)
            r["proposal"] = r["notes"] if described else ""
        self.rows = rows


class LinesView(View):
    """The plan's lines, each with buttons to change or remove it.

    Row widgets are kept and updated in place: building a row makes about ten widget models, each a
    round trip to the browser, and rebuilding every row on each change made a quantity change slow.
    """

    _model: LinesModel

    def _render(self) -> None:
        self.add_class("pl-lines")
        self._title = html()
        self._jump = button("pl-add-jump", "", "auto", toggled=True)
        self._jump.on_click(lambda _b: self._model.editor.start_adding())
        self._top = ipw.HBox([self._title, self._jump], layout=shared_layout(
            justify_content="space-between", align_items="center", flex_flow="row wrap"))
        self._empty = html()
        self._head = self._row_html([], "pl-head")
        self._head_box = ipw.HBox([self._head, html(layout=shared_layout(width="13.5em"))])
        self._pool: list[tuple[ipw.HBox, ipw.HTML, ipw.Button, ipw.Button]] = []
        self._rows = ipw.VBox()
        # a removed line's note, with 元に戻す, in the table where the row was
        self._removed_html = html()
        self._undo = button("pl-undo", "", "auto")
        self._undo.on_click(lambda _b: self._model.editor.undo_remove())
        self._removed = ipw.HBox([self._removed_html, self._undo], layout=shared_layout(align_items="center"))
        self._removed.add_class("pl-removed")
        self.children = [self._top, self._rows]
        self._model.observe(self._refresh, ["rows", "lang", "editable", "selected", "removed_note", "removed_at"])
        self._model.observe(self._on_focus_row, "focus_row")
        self._model.observe(lambda _c: focus_when_shown(self._jump), "focus_add")
        self._refresh()

    def _on_focus_row(self, _: Any = None) -> None:
        i = self._model.focus_row
        if 0 <= i < len(self._pool):
            focus_when_shown(self._pool[i][2])

    @staticmethod
    def _cells_html(cells: list[str]) -> str:
        return '<div class="pl-row">' + "".join(f"<span>{c}</span>" for c in cells) + "</div>"

    def _row_html(self, cells: list[str], cls: str = "") -> ipw.HTML:
        h = html(self._cells_html(cells), layout=shared_layout(flex="1 1 0", min_width="0"))
        h.add_class("pl-row-html")
        if cls:
            h.add_class(cls)
        return h

    def _row(self, index: int) -> tuple[ipw.HBox, ipw.HTML, ipw.Button, ipw.Button]:
        """The widgets of row `index`, made once; its buttons always act on that row number."""
        while len(self._pool) <= index:
            i = len(self._pool)
            cells = self._row_html([])
            edit = button("pl-edit", width="6.5em")
            edit._view_count = 0  # counted, so that a row made just now takes the focus once it is shown
            remove = button("pl-remove", "danger", width="6.5em")
            edit.on_click(self._forward(self._model.editor.edit_line, i))
            remove.on_click(self._forward(self._model.editor.remove_line, i))
            row = ipw.HBox([cells, edit, remove], layout=shared_layout(align_items="center"))
            row.add_class("pl-line")
            self._pool.append((row, cells, edit, remove))
        return self._pool[index]

    @staticmethod
    def _set_class(widget: ipw.DOMWidget, cls: str, on: bool) -> None:
        if on and cls not in widget._dom_classes:
            widget.add_class(cls)
        elif not on and cls in widget._dom_classes:
            widget.remove_class(cls)

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        self._title.value = f'<h3>{t("lines", lang)}</h3>'
        self._jump.description, self._jump.tooltip = t("add_jump", lang), t("add_jump_tip", lang)
        self._jump.layout.display = None if m.editable else "none"  # a closed plan has no form to go to
        self._removed_html.value = note_html(m.removed_note, lang)
        self._undo.description, self._undo.tooltip = t("undo", lang), t("undo_tip", lang)
        self._undo.disabled = not m.editable
        removed = [self._removed] if m.removed_note is not None else []
        if not m.rows:
            self._empty.value = f'<p class="pl-empty">{t("no_lines", lang)}</p>'
            self._rows.children = [self._empty, *removed]
            return
        self._head.value = self._cells_html([t(k, lang) for k in (
            "col_no", "col_item", "col_variant", "col_qty", "col_points", "col_month", "col_title")])
        children: list[ipw.Widget] = [self._head_box]
        for i, r in enumerate(m.rows):
            row, cells, edit, remove = self._row(i)
            flag = FLAG_MARKS.get(r["flag"], "")
            title = line_title(r, lang)
            if r.get("proposal"):
                title += f'<div class="pl-proposal-text">{escape(r["proposal"])}</div>'
            cells.value = self._cells_html([
                f'{r["no"]}{flag}', escape(r["item"]), escape(r["variant"]),
                f'{escape(str(r["quantity"]))} {escape(r["unit"])}', f'<b>{r["points"]}</b>',
                escape(r["month"]), title])
            for kind in ("error", "warning"):
                self._set_class(cells, f"pl-flag-{kind}", r["flag"] == kind)
            self._set_class(cells, "pl-row-cancelled", bool(r.get("cancelled")))
            edit.description, remove.description = t("edit", lang), t("remove", lang)
            edit.tooltip = f'{r["no"]}: {t("edit", lang)}'
            remove.tooltip = f'{r["no"]}: {t("remove", lang)}'
            edit.disabled = remove.disabled = not m.editable
            self._set_class(row, "pl-selected", i == m.selected)
            children.append(row)
        if removed:
            children.insert(1 + min(max(m.removed_at, 0), len(m.rows)), self._removed)
        if list(self._rows.children) != children:
            self._rows.children = children

    @staticmethod
    def _forward(action: Callable[[int], Any], index: int) -> Callable[[Any], None]:
        return lambda _b: action(index)
