"""The line form's widgets: item, variant, quantity, month, title, the proposal an item may need, the
details, and add or change. They render EditorModel (editor.py) and forward clicks to it."""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as ipw

from ...rules import item_label
from ..notes import note_html
from ..text import t
from ..widgets import Disclosure, View, bind_choice, button, html
from .editor import EditorModel


class EditorView(View):
    """The form: item, variant, quantity, month, title and details; add or change a line."""

    _model: EditorModel

    def _render(self) -> None:
        m = self._model
        self.add_class("pl-editor")
        style = {"description_width": "6.5em"}
        wide = ipw.Layout(width="100%", max_width="46em")
        self._heading = html()
        self._item = ipw.Dropdown(style=style, layout=wide)
        self._item.add_class("pl-item")
        self._variant = ipw.Dropdown(style=style, layout=wide)
        self._variant.add_class("pl-variant")
        # text, not a number box: a number box drops what it cannot read (1.5 became 15) and clamps
        # silently; the model reads what was typed and says what is wrong with it
        self._quantity = ipw.Text(style=style, layout=ipw.Layout(width="14em"))
        self._quantity.add_class("pl-qty")
        self._month = ipw.Dropdown(style=style, layout=ipw.Layout(width="18em"))
        self._month.add_class("pl-month")
        self._title = ipw.Text(style=style, layout=wide)
        self._title.add_class("pl-title")
        # 対象行: a layout of its own, hidden unless the item serves another line (⑦, ⑩)
        self._serves = ipw.Dropdown(style=style, layout=ipw.Layout(width="100%", max_width="46em"))
        self._serves.add_class("pl-serves-choice")
        self._serves_hint = html()
        self._serves_box = ipw.VBox([self._serves, self._serves_hint],
                                    layout=ipw.Layout(width="100%", max_width="46em"))
        # a layout of its own: `wide` is shared, and this one is hidden while a line is being added
        self._cancelled = ipw.Checkbox(indent=False, layout=ipw.Layout(width="100%", max_width="46em"))
        self._cancelled.add_class("pl-cancelled")
        self._place = ipw.Text(style=style, layout=ipw.Layout(width="20em"))
        self._companies = ipw.Text(style=style, layout=ipw.Layout(width="14em"))
        self._students = ipw.Text(style=style, layout=ipw.Layout(width="14em"))
        self._language = ipw.Text(style=style, layout=ipw.Layout(width="20em"))
        # layouts of their own: each of the two boxes of the line's notes is hidden while the other shows
        self._notes = ipw.Textarea(style=style, layout=ipw.Layout(width="100%", max_width="46em"))
        self._notes.add_class("pl-notes")
        self._proposal_hint = html()
        self._proposal = ipw.Textarea(style=style, rows=4, layout=ipw.Layout(width="100%", max_width="46em"))
        self._proposal.add_class("pl-proposal")
        self._proposal_box = ipw.VBox([self._proposal_hint, self._proposal],
                                      layout=ipw.Layout(width="100%", max_width="46em"))
        self._proposal_box.add_class("pl-proposal-box")
        self._details = Disclosure([
            ipw.HBox([self._place, self._language], layout=ipw.Layout(flex_flow="row wrap")),
            ipw.HBox([self._companies, self._students], layout=ipw.Layout(flex_flow="row wrap")),
            self._notes], "pl-details")
        self._preview = html()
        self._preview.add_class("pl-preview")
        self._month_hint = html()
        self._month_hint.add_class("pl-month-hint")
        self._form_note = html()
        self._add = button("pl-add", "primary", "9em", toggled=True)
        self._apply = button("pl-apply", "primary", "9em", toggled=True)
        self._cancel = button("pl-cancel", "", "9em", toggled=True)
        self._lock = html()
        self._lock.add_class("pl-lock")
        self._form = ipw.VBox([
            self._item, self._variant,
            ipw.HBox([self._quantity, self._month], layout=ipw.Layout(flex_flow="row wrap")),
            self._month_hint, self._title, self._serves_box, self._proposal_box, self._cancelled, self._details,
            self._preview, self._form_note,
            ipw.HBox([self._add, self._apply, self._cancel]),
        ])
        self.children = [self._heading, self._lock, self._form]
        bind_choice(self._item, m, "item", "item_options")
        bind_choice(self._variant, m, "variant", "variant_options")
        bind_choice(self._month, m, "month", "month_options")
        bind_choice(self._serves, m, "serves", "serves_options")
        ipw.link((m, "quantity_text"), (self._quantity, "value"))
        for name in ("title", "place", "companies", "students", "language", "notes", "cancelled"):
            ipw.link((m, name), (getattr(self, f"_{name}"), "value"))
        ipw.link((m, "notes"), (self._proposal, "value"))  # the proposal is the line's notes
        self._add.on_click(lambda _b: m.add_line())
        self._apply.on_click(lambda _b: m.apply_change())
        self._cancel.on_click(lambda _b: m.cancel_change())
        m.observe(self._refresh, ["lang", "selected", "editable", "preview", "form_note", "lock_note",
                                  "month_hint", "item", "needs_description", "variant_options",
                                  "serves_shown", "serves_hint"])
        m.observe(lambda _c: self._item.focus(), "focus_form")
        self._refresh()

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        changing = m.selected >= 0
        self._heading.value = "<h3>" + (t("form_change", lang, n=m.selected + 1) if changing
                                        else t("form_add", lang)) + "</h3>"
        self._serves_box.layout.display = None if m.serves_shown else "none"
        self._serves_hint.value = note_html(m.serves_hint, lang)
        for w, key in ((self._serves, "serves"), (self._item, "item"), (self._variant, "variant"),
                       (self._quantity, "quantity"),
                       (self._month, "month"), (self._title, "title"), (self._place, "place"),
                       (self._companies, "companies"), (self._students, "students"),
                       (self._language, "language"), (self._notes, "notes"), (self._proposal, "proposal")):
            w.description = t(key, lang)
            w.disabled = not m.editable
        self._variant.disabled = not m.editable or not m.variant_options  # no item chosen yet
        item = m.menu.get(m.item)
        self._proposal_box.layout.display = None if m.needs_description else "none"
        self._notes.layout.display = "none" if m.needs_description else None
        if m.needs_description and item is not None:
            self._proposal_hint.value = (f'<p class="pl-hint">'
                                         f'{escape(t("proposal_hint", lang, item=item_label(item, lang)))}</p>')
        self._proposal.placeholder = t("proposal_ph", lang)
        self._cancelled.description = t("cancelled", lang)
        self._cancelled.disabled = not m.editable
        self._cancelled.layout.display = None if changing else "none"  # a new line is planned to happen
        self._details.title = t("details", lang)
        self._preview.value = note_html(m.preview, lang) if m.editable else ""
        self._month_hint.value = note_html(m.month_hint, lang) if m.editable else ""
        self._form_note.value = note_html(m.form_note, lang)
        self._add.description, self._apply.description = t("add", lang), t("apply", lang)
        self._cancel.description = t("cancel", lang)
        self._add.layout.display = "none" if changing else None
        self._apply.layout.display = self._cancel.layout.display = None if changing else "none"
        self._add.disabled = self._apply.disabled = not m.editable
        # a closed plan shows why it is closed instead of a form that cannot be used
        self._lock.value = note_html(m.lock_note, lang)
        self._form.layout.display = None if m.editable else "none"
