"""The line form: pick an item, a variant, a quantity and a month, with a live preview of the points
left; add a line, or change the one opened from the lines table. An item the year's rules ask a written
proposal of gets its box in the form itself, and the line is refused here without one. The model is
here; its widgets are in form.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import traitlets as tl

from ...fiscal_year import FiscalYear
from ...japanese import FISCAL_MONTHS, calendar_year, circled, month_label
from ...numbers import read_number
from ...plan import DETAIL_FIELDS, Line, Plan, is_cancelled
from ...results import edits_losing_results
from ...rules import line_points, needs_description, serve_choices, serves_items
from ...workflow import state_refusal
from ..labels import item_option_label, served_label, variant_option_label
from ..notes import Note
from ..panel import Panel, Say
from ..text import t
from .form_notes import (
    MAX_FORM_QUANTITY,
    month_hint_note,
    no_item_note,
    preview_note,
    proposal_missing_note,
    quantity_note,
)

NO_ITEM = 0  # the item of a fresh form: 「選んでください」, nothing chosen yet

if TYPE_CHECKING:
    from .app import SecretariatModel


def _whole(text: str) -> int | None:
    """A whole number of 0 or more as people type it (planner.numbers); None for anything else."""
    n = read_number(text).whole
    return n if n is not None and n >= 0 else None


class EditorModel(Panel):
    """The line form: pick an item, a variant, a quantity, a month; add a line or change one."""

    # the year, not only the menu: two years' menus may be equal, their months' calendar years are not
    follows = ("lang", "editable", "menu", "fy", "plan", "status", "results", "others_by_month", "points_left",
               "revision")

    editable = tl.Bool(False)
    # a fresh form has no item: one picked for the person drew a preview and an overrun warning for a
    # line nobody asked for, and a second Enter on 追加 added it again
    item = tl.Int(NO_ITEM)
    needs_description = tl.Bool(False)  # the item needs a written proposal (the year's rule), in `notes`
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
    # 対象行: the id of the line a ⑦ or ⑩ line serves ("" none chosen), chosen from serves_options
    serves = tl.Unicode("")
    serves_options = tl.List()
    serves_shown = tl.Bool(False)  # the item serves another line (⑦, ⑩): the form asks which
    serves_hint = tl.Instance(Note, allow_none=True)  # no line in the plan it could serve
    # the lines removed since the last save, newest last, as (index it had, the line): 元に戻す puts the
    # newest back; `removed_note` says so beside the place it was removed from (`removed_at`)
    removed = tl.List()
    removed_note = tl.Instance(Note, allow_none=True)
    removed_at = tl.Int(-1)
    selected = tl.Int(-1)  # the line being changed (0-based), -1 while adding a new one
    item_options = tl.List()
    variant_options = tl.List()
    month_options = tl.List()
    preview = tl.Instance(Note, allow_none=True)
    month_hint = tl.Instance(Note, allow_none=True)  # how busy the chosen month is across the programme
    form_note = tl.Instance(Note, allow_none=True)
    lock_note = tl.Instance(Note, allow_none=True)  # why the form is closed, while it is
    # where the keyboard focus goes once the form is done with a line: to that line's row (0-based), the
    # one just added, changed or left unchanged; the button pressed is hidden or would add a copy
    focus_line = tl.Int(-1)
    focus_form = tl.Int(0)  # each rise asks for the keyboard focus on the form's first field
    focus_add = tl.Int(0)  # each rise asks for it on 「＋ 行を追加」: the last line was removed, no row is left
    menu = tl.Dict()  # the year's menu of this consortium, linked from the app
    fy = tl.Instance(FiscalYear, allow_none=True)
    plan = tl.Instance(Plan, allow_none=True)  # the working plan, linked from the app; changed by set_plan
    status = tl.Unicode("")
    results = tl.List()
    others_by_month = tl.Dict()
    points_left = tl.Int(0)
    revision = tl.Int(0)

    def __init__(self, app: SecretariatModel, *, set_plan: Callable[[Plan], None], say: Say):
        super().__init__(app)
        self._set_plan, self._say = set_plan, say
        self.observe(self._on_editable, ["editable", "status"])
        self.observe(self._on_lang, "lang")
        self.observe(self._on_item, "item")
        self.observe(self._on_quantity_text, "quantity_text")
        self.observe(self._on_quantity, "quantity")
        self.observe(self._update_preview, ["item", "variant", "quantity", "quantity_note", "selected", "lang"])
        self.observe(self._on_plan, ["plan", "points_left"])
        self.observe(self._update_month_hint, ["plan", "others_by_month"])
        self.observe(self._update_month_hint, ["month", "item", "lang"])
        self.observe(self._update_month_options, ["plan", "others_by_month"])
        self.observe(self._update_serves, ["item", "plan", "selected", "lang"])
        self.observe(self._forget_removed, ["revision", "fy"])
        self._on_lang()
        self.observe(self._on_year, "fy")

    def _on_year(self, _: Any = None) -> None:
        """Another fiscal year's menu: the choices, the months' calendar years and a fresh form."""
        self._on_lang()
        self.cancel_edit()

    # -- derived --------------------------------------------------------------------------------

    def _on_lang(self, _: Any = None) -> None:
        self.item_options = [(t("choose", self.lang), NO_ITEM)] + [
            (item_option_label(it, self.lang), no) for no, it in self.menu.items()]
        self._update_month_options()
        self._on_item()
        self._update_serves()

    def _update_month_options(self, _: Any = None) -> None:
        """Each month with the programme's events in it against the contractor's capacity (「10月 6/6 満」),
        so that a person sees where there is room before picking."""
        from ...load import events_by_month

        fy, lang, cap = self.fy.year, self.lang, self.fy.monthly_capacity
        mine = events_by_month(self.plan, self.menu) if self.plan is not None and cap is not None else {}
        options = []
        for m in FISCAL_MONTHS:
            label = (f"{month_label(m, lang)}（{calendar_year(fy, m)}年）" if lang == "ja"
                     else f"{month_label(m, 'en')} {calendar_year(fy, m)}")
            if cap is not None:
                total = self.others_by_month.get(m, 0) + mine.get(m, 0)
                state = t("month_over" if total > cap else "month_full", lang) if total >= cap else ""
                label += f"　{total}/{cap}{state}" if lang == "ja" else f" · {total}/{cap}{state}"
            options.append((label, m))
        if options != self.month_options:
            self.month_options = options

    def _update_serves(self, _: Any = None) -> None:
        """The lines a ⑦ or ⑩ line may serve, as 対象行's choices: 「6 企業見学会」."""
        item = self.menu.get(self.item)
        items = serves_items(item.no, self.menu, self.fy) if item is not None and self.fy is not None else None
        self.serves_shown = items is not None
        if items is None or self.plan is None:
            self.serves_options, self.serves, self.serves_hint = [], "", None
            return
        index = self.selected if self.selected >= 0 else None
        choices = serve_choices(self.plan, index, item.no, self.menu, self.fy)
        options = [(t("choose_line", self.lang), "")] + [
            (served_label(self.plan, i, self.menu, self.lang), self.plan.lines[i].id) for i in choices]
        self.serves_options = options
        ids = [v for _, v in options[1:]]
        if self.serves not in ids:
            self.serves = ids[0] if len(ids) == 1 else ""  # the one line it can serve is taken for it
        names = "・".join(circled(c) for c in items)
        self.serves_hint = None if ids else Note("warning", *(t("serves_none", lang, names=names)
                                                              for lang in ("ja", "en")))

    def _on_item(self, _: Any = None) -> None:
        item = self.menu.get(self.item)
        self.needs_description = item is not None and needs_description(item.no, self.fy)
        if item is None:
            self.variant_options = []
            self.variant = ""
            return
        self.variant_options = [(variant_option_label(item, v.id, self.lang), v.id) for v in item.variants]
        if item.variant(self.variant) is None:
            self.variant = item.variants[0].id

    def _update_month_hint(self, _: Any = None) -> None:
        """Events already planned in the chosen month: by every other consortium (a count) and by this
        plan, against what the contractor can run in a month. Said for an event item (①–⑥) only: before
        an item is chosen, or for one the contractor does not run as an event, the count is about no line."""
        from ...load import events_by_month

        m, item = self.month, self.menu.get(self.item)
        cap = self.fy.monthly_capacity
        if cap is None or self.plan is None or item is None or not item.event:
            self.month_hint = None
            return
        self.month_hint = month_hint_note(m, self.others_by_month.get(m, 0),
                                          events_by_month(self.plan, self.menu).get(m, 0), cap)

    def _on_plan(self, _: Any = None) -> None:
        if self.selected >= len(self.plan.lines):
            self.selected = -1
        self._update_preview()

    def _on_quantity_text(self, _: Any = None) -> None:
        n = _whole(self.quantity_text)
        if n is not None and 1 <= n <= MAX_FORM_QUANTITY:
            self.quantity_note = None
            self.quantity = n
            return
        self.quantity_note = quantity_note(self.quantity_text.strip())

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
        if 0 <= self.selected < len(self.plan.lines):
            before = line_points(self.plan.lines[self.selected], self.menu)
        self.preview = preview_note(pts, self.points_left + before - pts, self.selected >= 0)

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
        item = self.menu.get(self.item)
        if item is None:
            self.form_note = no_item_note()
            return None
        companies, bad_c = self._number(self.companies, "想定企業数", "the expected number of companies")
        students, bad_s = self._number(self.students, "想定留学生数", "the expected number of students")
        self.form_note = bad_c or bad_s
        if self.form_note or self.quantity_note:  # a bad quantity is already said where the preview is
            return None
        if self.needs_description and not self.notes.strip():
            self.form_note = proposal_missing_note(item, self.selected >= 0)
            return None
        offered = [v for _, v in self.serves_options if v]
        # none chosen while there is a choice, or one that was never offered (a forged message): refused here
        if self.serves_shown and (self.serves not in offered if self.serves else offered):
            self.form_note = Note("error", t("serves_missing", "ja"), t("serves_missing", "en"))
            return None
        return Line(item=self.item, variant=self.variant, quantity=self.quantity, month=self.month,
                    title=self.title.strip(), place=self.place.strip(), companies=companies, students=students,
                    language=self.language.strip(), notes=self.notes.strip(),
                    cancelled=self.cancelled and self.selected >= 0,
                    serves=(self.serves or None) if self.serves_shown else None)

    def _on_editable(self, _: Any = None) -> None:
        why = None if self.editable else state_refusal("save", self.status or None)
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
        self._set_plan(self.plan.add_line(line))
        n = len(self.plan.lines)
        self._say(Note("success", f"{n}行目に {circled(line.item)} を追加しました（未保存）。",
                              f"Added {circled(line.item)} as line {n} (not saved yet)."))
        self._fresh_form()
        self._focus_line(n - 1)
        return True

    def _focus_line(self, index: int) -> None:
        self.focus_line = -1  # the same row may take the focus twice (added, removed, added again)
        self.focus_line = index

    def edit_line(self, index: int) -> None:
        """Load a line into the form to change it."""
        ln = self.plan.lines[index]
        # an item no longer on the menu is picked anew (True is no item ① either)
        known = isinstance(ln.item, int) and not isinstance(ln.item, bool) and ln.item in self.menu
        self.item = ln.item if known else NO_ITEM
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
        self._update_serves()
        # the line's own choice, if it is still one the line may make (else it is chosen anew)
        if isinstance(ln.serves, str) and any(v == ln.serves for _, v in self.serves_options):
            self.serves = ln.serves
        self.focus_form += 1  # the line is in the form now, further down the page

    def apply_change(self) -> bool:
        if self._refuse_if_locked() or self.selected < 0:
            return False
        line = self.form_line()
        if line is None:
            return False
        n = self.selected + 1
        was = is_cancelled(self.plan.lines[self.selected])
        self._set_plan(self.plan.replace_line(self.selected, line))
        if is_cancelled(line) and not was:
            self._say(Note("success",
                                  f"{n}行目を中止にしました（未保存）。この行のポイントは使われなくなります。",
                                  f"Line {n} is cancelled (not saved yet); its points are free."))
        else:
            self._say(Note("success", f"{n}行目を変更しました（未保存）。", f"Changed line {n} (not saved yet)."))
        self.cancel_edit()
        self._focus_line(n - 1)
        return True

    def cancel_change(self) -> None:
        """The form's 取り消し: the line stays as it was, and the focus goes back to its row."""
        index = self.selected
        self.cancel_edit()
        if index >= 0:
            self._focus_line(index)

    def cancel_edit(self) -> None:
        """Back to adding, with a fresh form: the line just changed is no proposal for a new one."""
        self.selected = -1
        self._fresh_form()

    def start_adding(self) -> None:
        """To the form from the top of the lines table (「行を追加」): the keyboard focus goes to its first
        field. A line being changed is left as it is (its change was not applied)."""
        if self.selected >= 0:
            self.cancel_edit()
        self.focus_form += 1

    def _fresh_form(self) -> None:
        """The form as on a fresh page: no item, so no variant, no preview; the last line is no
        proposal for the next one."""
        self.form_note = None
        self.item = NO_ITEM
        self.variant = ""
        self.quantity_text = "1"
        self.month = FISCAL_MONTHS[0]
        self._clear_details()

    def remove_line(self, index: int) -> bool:
        if self._refuse_if_locked():
            return False
        if not 0 <= index < len(self.plan.lines):  # a click that reached the kernel after its row went
            return False
        line, plan = self.plan.lines[index], self.plan.remove_line(index)
        # the store refuses this save too; saying it now spares the person a draft that cannot be saved
        lost = edits_losing_results(self.plan, plan, self.results, self.menu)
        if lost:
            self._say(Note("error", lost[0].message_ja, lost[0].message_en))
            return False
        # the note first, said where the row was with 元に戻す (not at the top of the page), then the rows:
        # the table changes last, so a row's buttons are not redrawn (and their focus lost) after it
        self.removed = [*self.removed, (index, line)]
        self._say(None)
        self._show_removed(plan)
        self._set_plan(plan)
        if self.selected == index:
            self.cancel_edit()
        elif self.selected > index:
            self.selected -= 1
        # the button pressed is gone with its row (or now removes the next line): the focus goes to the
        # next line, which took this row, else the one before, else past the empty table to the form;
        # to 変更, so that a second Enter opens a line rather than removing one more
        left = len(plan.lines)
        if left:
            self._focus_line(min(index, left - 1))
        else:
            self.focus_add += 1
        return True

    def _show_removed(self, plan: Plan | None = None) -> None:
        """The note of the line removed last, at its place in `plan` (the plan it is removed from)."""
        if not self.removed:
            self.removed_note, self.removed_at = None, -1
            return
        index, line = self.removed[-1]
        label = circled(line.item) + (f" {line.title}" if isinstance(line.title, str) and line.title else "")
        self.removed_at = min(index, len((plan or self.plan).lines))
        self.removed_note = Note("success", f"{index + 1}行目（{label}）を削除しました（未保存）。",
                                 f"Removed line {index + 1} ({label}) (not saved yet).")

    def undo_remove(self) -> bool:
        """元に戻す: the line removed last goes back where it was, the same line (its id, so a ⑦ or ⑩
        that served it serves it again), until the plan is saved."""
        if self._refuse_if_locked() or not self.removed:
            return False
        *rest, (index, line) = self.removed
        self.removed = rest
        if self.plan.line_index(line.id) is not None:  # back already (a reload brought it back)
            self._show_removed()
            return True
        at = min(index, len(self.plan.lines))
        lines = list(self.plan.lines)
        lines.insert(at, line)
        plan = Plan(self.plan.consortium, self.plan.fiscal_year, lines)
        self._show_removed(plan)  # the note first, the rows last (as on removing)
        if self.selected >= at:
            self.selected += 1
        self._set_plan(plan)
        self._focus_line(at)
        self._say(Note("success", f"{at + 1}行目を元に戻しました（未保存）。",
                       f"Line {at + 1} is back (not saved yet)."))
        return True

    def _forget_removed(self, _: Any = None) -> None:
        """Saved (or another year shown): what was removed is removed; nothing is left to undo."""
        self.removed = []
        self._show_removed()

    def _clear_details(self) -> None:
        self.title = ""
        self.serves = ""
        self.cancelled = False
        for f in DETAIL_FIELDS:
            setattr(self, f, "")
