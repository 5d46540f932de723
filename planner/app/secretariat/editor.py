"""The line form: pick an item, a variant, a quantity and a month, with a live preview of the points
left; add a line, or change the one opened from the lines table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as ipw
import traitlets as tl

from ...fiscal_year import FiscalYear
from ...japanese import FISCAL_MONTHS, calendar_year, circled, month_label
from ...numbers import read_number
from ...plan import DETAIL_FIELDS, Line, is_cancelled
from ...results import edits_losing_results
from ...rules import line_points
from ...workflow import state_refusal
from ..labels import item_option_label, variant_option_label
from ..notes import Note, note_html
from ..panel import Panel
from ..text import t
from ..widgets import Disclosure, View, bind_choice, button, html

MAX_FORM_QUANTITY = 999  # no menu item is planned by the thousand; a longer number is a slip of the hand

if TYPE_CHECKING:
    from .app import SecretariatModel


def _whole(text: str) -> int | None:
    """A whole number of 0 or more as people type it (planner.numbers); None for anything else."""
    n = read_number(text).whole
    return n if n is not None and n >= 0 else None


class EditorModel(Panel):
    """The line form: pick an item, a variant, a quantity, a month; add a line or change one."""

    # the year, not only the menu: two years' menus may be equal, their months' calendar years are not
    follows = ("lang", "editable", "menu", "fy")

    editable = tl.Bool(False)
    item = tl.Int(0)
    variant = tl.Unicode("")
    quantity = tl.Int(1)
    # what is in the quantity box, as typed: a box that drops what it cannot read would turn 1.5 into 15
    quantity_text = tl.Unicode("1")
    quantity_note = tl.Instance(Note, allow_none=True)  # why the typed quantity cannot be used
    month = tl.Int(4)
    title = tl.Unicode("")
    place = tl.Unicode("")
    companies = tl.Unicode("")
    students = tl.Unicode("")
    language = tl.Unicode("")
    notes = tl.Unicode("")
    cancelled = tl.Bool(False)  # only a line being changed can be cancelled: a new line is planned to happen
    selected = tl.Int(-1)  # the line being changed (0-based), -1 while adding a new one
    item_options = tl.List()
    variant_options = tl.List()
    month_options = tl.List()
    preview = tl.Instance(Note, allow_none=True)
    month_hint = tl.Instance(Note, allow_none=True)  # how busy the chosen month is across the programme
    form_note = tl.Instance(Note, allow_none=True)
    lock_note = tl.Instance(Note, allow_none=True)  # why the form is closed, while it is
    menu = tl.Dict()  # the year's menu of this consortium, linked from the app
    fy = tl.Instance(FiscalYear, allow_none=True)

    def __init__(self, app: SecretariatModel):
        super().__init__(app)
        app.observe(self._on_editable, ["editable", "status"])
        self.observe(self._on_lang, "lang")
        self.observe(self._on_item, "item")
        self.observe(self._on_quantity_text, "quantity_text")
        self.observe(self._on_quantity, "quantity")
        self.observe(self._update_preview, ["item", "variant", "quantity", "quantity_note", "selected", "lang"])
        app.observe(self._on_plan, ["plan"])
        app.observe(self._update_month_hint, ["plan", "others_by_month"])
        self.observe(self._update_month_hint, ["month", "lang"])
        self._on_lang()
        self.item = next(iter(self.menu))
        self._on_item()
        self.observe(self._on_year, "fy")

    def _on_year(self, _: Any = None) -> None:
        """Another fiscal year's menu: the choices, the months' calendar years and a fresh form."""
        self._on_lang()
        self.cancel_edit()

    # -- derived --------------------------------------------------------------------------------

    def _on_lang(self, _: Any = None) -> None:
        self.item_options = [(item_option_label(it, self.lang), no) for no, it in self.menu.items()]
        fy = self.fy.year
        self.month_options = [
            (f"{month_label(m, self.lang)}（{calendar_year(fy, m)}年）" if self.lang == "ja"
             else f"{month_label(m, 'en')} {calendar_year(fy, m)}", m)
            for m in FISCAL_MONTHS
        ]
        self._on_item()

    def _on_item(self, _: Any = None) -> None:
        item = self.menu.get(self.item)
        if item is None:
            self.variant_options = []
            return
        self.variant_options = [(variant_option_label(item, v.id, self.lang), v.id) for v in item.variants]
        if item.variant(self.variant) is None:
            self.variant = item.variants[0].id

    def _update_month_hint(self, _: Any = None) -> None:
        """Events already planned in the chosen month: by every other consortium (a count) and by this
        plan, against what the contractor can run in a month."""
        from ...load import events_by_month

        app, m = self._app, self.month
        cap = self.fy.monthly_capacity
        if cap is None or app.plan is None:
            self.month_hint = None
            return
        others = app.others_by_month.get(m, 0)
        mine = events_by_month(app.plan, self.menu).get(m, 0)
        total = others + mine
        label_ja, label_en = month_label(m, "ja"), month_label(m, "en")
        state_ja, state_en = ("。上限を超えています。", ": over capacity.") if total > cap else (
            ("。上限に達しています。", ": full.") if total == cap else ("", "."))
        self.month_hint = Note(
            "warning" if total >= cap else "info",
            f"{label_ja}の予定（全コンソーシアム）: {total} 件（この計画 {mine} 件）／受託者の上限 {cap} 件{state_ja}",
            f"{label_en} across the programme: {total} event(s) ({mine} in this plan) of the {cap} the contractor "
            f"can run in a month{state_en}",
        )

    def _on_plan(self, _: Any = None) -> None:
        if self.selected >= len(self._app.plan.lines):
            self.selected = -1
        self._update_preview()

    def _on_quantity_text(self, _: Any = None) -> None:
        n = _whole(self.quantity_text)
        if n is not None and 1 <= n <= MAX_FORM_QUANTITY:
            self.quantity_note = None
            self.quantity = n
            return
        shown = self.quantity_text.strip()
        self.quantity_note = Note(
            "error",
            f"数量「{shown}」は使えません。1〜{MAX_FORM_QUANTITY} の整数を入れてください。" if shown
            else f"数量を入れてください（1〜{MAX_FORM_QUANTITY} の整数）。",
            f"The quantity \"{shown}\" cannot be used. Enter a whole number from 1 to {MAX_FORM_QUANTITY}."
            if shown else f"Enter a quantity (a whole number from 1 to {MAX_FORM_QUANTITY}).",
        )

    def _on_quantity(self, _: Any = None) -> None:
        # set from elsewhere (a line opened to change, a pick): the box shows it; what was typed and
        # already means this quantity (「３」, " 3") is left as typed
        if self.quantity_note is not None or _whole(self.quantity_text) != self.quantity:
            self.quantity_text = str(self.quantity)

    def _update_preview(self, _: Any = None) -> None:
        if self.quantity_note is not None:
            self.preview = self.quantity_note
            return
        item = self.menu.get(self.item)
        variant = item.variant(self.variant) if item else None
        if variant is None or self.quantity < 1:
            self.preview = None
            return
        pts = variant.points * self.quantity
        before = 0
        if 0 <= self.selected < len(self._app.plan.lines):
            before = line_points(self._app.plan.lines[self.selected], self.menu)
        left = self._app.points_left + before - pts
        verb_ja, verb_en = ("変更後", "after this change") if self.selected >= 0 else ("追加後", "after adding")
        if left < 0:  # a warning: nothing has happened yet, the rule's error comes if the line is added
            self.preview = Note(
                "warning",
                f"この行は {pts} ポイント。{verb_ja}の残りは {left} ポイントで、予算を {-left} ポイント超えます。",
                f"This line is {pts} points; {verb_en} the plan would be {-left} points over the budget.",
            )
        else:
            self.preview = Note("info", f"この行は {pts} ポイント。{verb_ja}の残りは {left} ポイントです。",
                                f"This line is {pts} points; {verb_en} {left} points are left.")

    # -- actions --------------------------------------------------------------------------------

    def pick(self, item: int, variant: str | None = None, quantity: int | None = None,
             month: int | None = None, title: str | None = None) -> None:
        """Fill the form as a person would pick from the menu."""
        self.item = item
        if variant is not None:
            self.variant = variant
        if quantity is not None:
            self.quantity = quantity
        if month is not None:
            self.month = month
        if title is not None:
            self.title = title

    def _number(self, text: str, ja: str, en: str) -> tuple[int | None, Note | None]:
        if not text.strip():
            return None, None
        n = _whole(text)
        if n is not None:
            return n, None
        return None, Note("error", f"{ja}は数字で入れてください（空欄でも構いません）。",
                          f"Enter {en} as a number (or leave it empty).")

    def form_line(self) -> Line | None:
        """The line the form describes, or None with `form_note` saying what to fix."""
        companies, bad_c = self._number(self.companies, "想定企業数", "the expected number of companies")
        students, bad_s = self._number(self.students, "想定留学生数", "the expected number of students")
        self.form_note = bad_c or bad_s
        if self.form_note or self.quantity_note:  # a bad quantity is already said where the preview is
            return None
        return Line(item=self.item, variant=self.variant, quantity=self.quantity, month=self.month,
                    title=self.title.strip(), place=self.place.strip(), companies=companies, students=students,
                    language=self.language.strip(), notes=self.notes.strip(),
                    cancelled=self.cancelled and self.selected >= 0)

    def _on_editable(self, _: Any = None) -> None:
        why = None if self.editable else state_refusal("save", self._app.status or None)
        # the plan's state (submitted, accepted), not a mistake: said as information
        self.lock_note = Note("info", *why) if why else None

    def _refuse_if_locked(self) -> bool:
        if self.editable:
            return False
        self.form_note = self.lock_note
        return True

    def add_line(self) -> bool:
        if self._refuse_if_locked():
            return False
        line = self.form_line()
        if line is None:
            return False
        self._app.set_plan(self._app.plan.add_line(line))
        n = len(self._app.plan.lines)
        self._app.note = Note("success", f"{n}行目に {circled(line.item)} を追加しました（未保存）。",
                              f"Added {circled(line.item)} as line {n} (not saved yet).")
        self._clear_details()
        return True

    def edit_line(self, index: int) -> None:
        """Load a line into the form to change it."""
        ln = self._app.plan.lines[index]
        if isinstance(ln.item, int) and ln.item in self.menu:
            self.item = ln.item
        if isinstance(ln.variant, str):
            self.variant = ln.variant
        self.quantity_text = "" if ln.quantity is None else str(ln.quantity)
        if isinstance(ln.month, int) and 1 <= ln.month <= 12:
            self.month = ln.month
        self.title = str(ln.title or "")
        self.place = str(ln.place or "")
        self.companies = "" if ln.companies is None else str(ln.companies)
        self.students = "" if ln.students is None else str(ln.students)
        self.language = str(ln.language or "")
        self.notes = str(ln.notes or "")
        self.cancelled = is_cancelled(ln)
        self.form_note = None
        self.selected = index

    def apply_change(self) -> bool:
        if self._refuse_if_locked() or self.selected < 0:
            return False
        line = self.form_line()
        if line is None:
            return False
        n = self.selected + 1
        was = is_cancelled(self._app.plan.lines[self.selected])
        self._app.set_plan(self._app.plan.replace_line(self.selected, line))
        if is_cancelled(line) and not was:
            self._app.note = Note("success",
                                  f"{n}行目を中止にしました（未保存）。この行のポイントは使われなくなります。",
                                  f"Line {n} is cancelled (not saved yet); its points are free.")
        else:
            self._app.note = Note("success", f"{n}行目を変更しました（未保存）。", f"Changed line {n} (not saved yet).")
        self.cancel_edit()
        return True

    def cancel_edit(self) -> None:
        """Back to adding, with a fresh form: the line just changed is no proposal for a new one."""
        self.selected = -1
        self.form_note = None
        self.item = next(iter(self.menu))
        self.variant = self.menu[self.item].variants[0].id  # as on a fresh page, not the changed line's
        self.quantity_text = "1"
        self.month = FISCAL_MONTHS[0]
        self._clear_details()

    def remove_line(self, index: int) -> bool:
        if self._refuse_if_locked():
            return False
        plan = self._app.plan.remove_line(index)
        # the store refuses this save too; saying it now spares the person a draft that cannot be saved
        lost = edits_losing_results(self._app.plan, plan, self._app.results, self.menu)
        if lost:
            self._app.note = Note("error", lost[0].message_ja, lost[0].message_en)
            return False
        self._app.set_plan(plan)
        if self.selected == index:
            self.cancel_edit()
        elif self.selected > index:
            self.selected -= 1
        self._app.note = Note("success", f"{index + 1}行目を削除しました（未保存）。",
                              f"Removed line {index + 1} (not saved yet).")
        return True

    def _clear_details(self) -> None:
        self.title = ""
        self.cancelled = False
        for f in DETAIL_FIELDS:
            setattr(self, f, "")


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
        # a layout of its own: `wide` is shared, and this one is hidden while a line is being added
        self._cancelled = ipw.Checkbox(indent=False, layout=ipw.Layout(width="100%", max_width="46em"))
        self._cancelled.add_class("pl-cancelled")
        self._place = ipw.Text(style=style, layout=ipw.Layout(width="20em"))
        self._companies = ipw.Text(style=style, layout=ipw.Layout(width="14em"))
        self._students = ipw.Text(style=style, layout=ipw.Layout(width="14em"))
        self._language = ipw.Text(style=style, layout=ipw.Layout(width="20em"))
        self._notes = ipw.Textarea(style=style, layout=wide)
        self._notes.add_class("pl-notes")
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
            self._month_hint, self._title, self._cancelled, self._details, self._preview, self._form_note,
            ipw.HBox([self._add, self._apply, self._cancel]),
        ])
        self.children = [self._heading, self._lock, self._form]
        bind_choice(self._item, m, "item", "item_options")
        bind_choice(self._variant, m, "variant", "variant_options")
        bind_choice(self._month, m, "month", "month_options")
        ipw.link((m, "quantity_text"), (self._quantity, "value"))
        for name in ("title", "place", "companies", "students", "language", "notes", "cancelled"):
            ipw.link((m, name), (getattr(self, f"_{name}"), "value"))
        self._add.on_click(lambda _b: m.add_line())
        self._apply.on_click(lambda _b: m.apply_change())
        self._cancel.on_click(lambda _b: m.cancel_edit())
        m.observe(self._refresh, ["lang", "selected", "editable", "preview", "form_note", "lock_note",
                                  "month_hint"])
        self._refresh()

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        changing = m.selected >= 0
        self._heading.value = "<h3>" + (t("form_change", lang, n=m.selected + 1) if changing
                                        else t("form_add", lang)) + "</h3>"
        for w, key in ((self._item, "item"), (self._variant, "variant"), (self._quantity, "quantity"),
                       (self._month, "month"), (self._title, "title"), (self._place, "place"),
                       (self._companies, "companies"), (self._students, "students"),
                       (self._language, "language"), (self._notes, "notes")):
            w.description = t(key, lang)
            w.disabled = not m.editable
        self._notes.placeholder = t("notes_ph", lang)
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
