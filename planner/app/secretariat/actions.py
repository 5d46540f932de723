"""Save a draft, submit, withdraw, reload; a refused save shows what changed in between."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

import ipywidgets as ipw
import traitlets as tl

from ... import limits
from ...access import may
from ...desk import Desk
from ...diff import Change, Menu
from ...errors import Conflict, PlannerError
from ...fiscal_year import FiscalYear
from ...plan import Plan
from ...workflow import MOVES
from ..labels import status_label
from ..live import DONE_TO, moved_on
from ..notes import Note, note_html
from ..panel import Panel, Say
from ..text import t
from ..widgets import View, button, focus_when_shown, html

if TYPE_CHECKING:
    from ...access import User
    from .app import SecretariatModel


@dataclass(frozen=True)
class ConflictInfo:
    """A refused save: who saved what in between, and what this person had not saved yet. The store's
    message lists the changes too (for the CLI); the screen lists them once, under its own headline."""

    current_revision: int
    base_revision: int
    saved_by: str  # as people know them (the display name)
    theirs: tuple[tuple[str, str], ...]
    mine: tuple[tuple[str, str], ...]
    status: str = ""  # the plan's status now

    @classmethod
    def of(cls, exc: Conflict, menu: Menu, mine: list[Change]) -> ConflictInfo:
        return cls(exc.current_revision, exc.base_revision, exc.saved_by, _both(exc.changes, menu), _both(mine, menu),
                   exc.status)


def _both(changes: list[Change], menu: Menu) -> tuple[tuple[str, str], ...]:
    return tuple((c.describe("ja", menu), c.describe("en", menu)) for c in changes)


class ActionsModel(Panel):
    """Save a draft, submit, withdraw, reload. What came of the last one is `note`, said next to the
    buttons (where the person clicked); a refused save keeps what happened in `conflict`."""

    follows = ("lang", "plan", "findings", "fy", "menu", "revision", "status", "dirty", "editable", "has_errors",
               "year", "comment")

    can_save = tl.Bool(False)
    can_submit = tl.Bool(False)
    can_withdraw = tl.Bool(False)
    conflict = tl.Instance(ConflictInfo, allow_none=True)
    note = tl.Instance(Note, allow_none=True)
    # each rise asks for the keyboard focus on 最新の版を読み込む: after 提出 or 取り下げ the button pressed
    # is disabled or hidden (the focus fell to the page); not to the opposite move, which a second Enter
    # would make at once, but to the one button of the row that is harmless with nothing unsaved
    focus_reload = tl.Int(0)
    plan = tl.Instance(Plan, allow_none=True)
    findings = tl.List()
    fy = tl.Instance(FiscalYear, allow_none=True)
    menu = tl.Dict()
    revision = tl.Int(0)
    status = tl.Unicode("")
    dirty = tl.Bool(False)
    editable = tl.Bool(False)
    has_errors = tl.Bool(False)
    year = tl.Int(0)
    comment = tl.Unicode("")  # the officer's comment the plan shows (with a return)
    # 提出 asks first: the warnings it is submitted with, and the message to the officer (変更点・返信)
    confirming = tl.Bool(False)
    warnings = tl.List()
    message = tl.Unicode("")

    def __init__(self, app: SecretariatModel, *, desk: Desk, user: User, consortium: str,
                 reload: Callable[[], None], unsaved_changes: Callable[[], list[Change]], say: Say):
        super().__init__(app)
        self.desk, self.user, self.consortium = desk, user, consortium
        self._reload, self._unsaved_changes, self._say_above = reload, unsaved_changes, say
        self.observe(self._update, ["dirty", "editable", "has_errors", "status", "plan", "findings"])
        self.observe(self._on_dirty, ["dirty"])
        self.observe(self._on_year, ["year"])
        # the question was about the plan as it was: another revision (someone saved) needs asking again
        self.observe(lambda _c: setattr(self, "confirming", False), ["revision", "year"])
        self._update()

    def _update(self, _: Any = None) -> None:
        errors = sum(f.is_error for f in self.findings)
        lines = len(self.plan.lines) if self.plan else 0
        # unsaved lines are saved first (a draft then), so submitting is asked of the plan as saved
        status = MOVES["save"].to if self.dirty else self.status or None
        self.can_save = self.editable and self.dirty
        self.can_submit = self.editable and may(self.user, "submit", self.consortium, status, errors, lines) is None
        self.can_withdraw = may(self.user, "withdraw", self.consortium, self.status or None) is None

    def _on_dirty(self, change: dict) -> None:
        # "saved" must not stand next to changes made after it
        if change["new"] and self.note is not None and self.note.kind in ("success", "info"):
            self.note = None

    def _on_year(self, _: Any = None) -> None:
        self.note = None  # said of the other year's plan

    def _say(self, note: Note | None) -> None:
        self.note = note
        self._say_above(None)  # an older message at the top of the page is not about this

    def save(self) -> bool:
        if not (self.editable and self.dirty):
            # the button is disabled then, but a click can be sent all the same: no empty revision, and a
            # returned plan stays returned
            n = self.revision
            self._say(Note("info", f"保存する変更はありません（版 {n} のまま）。",
                           f"There are no changes to save (still revision {n})."))
            return False
        removed_ja, removed_en = limits.removed_note(limits.invisible_in_plan(self.plan))
        try:
            rev = self.desk.save(self.plan, base_revision=self.revision or None)
        except Conflict as exc:
            self.conflict = ConflictInfo.of(exc, self.menu, self._unsaved_changes())
            self._say(None)  # the conflict box says it, with what changed
            return False
        except PlannerError as exc:
            self._say(Note.of(exc))
            return False
        self.conflict = None
        self._reload()
        self._say(Note("success", f"下書きを保存しました（版 {rev}）。{removed_ja}",
                       f"Draft saved (revision {rev}). {removed_en}".rstrip()))
        return True

    def _errors_refuse(self) -> bool:
        if self.has_errors:
            n = sum(f.is_error for f in self.findings)
            self._say(Note("error", f"エラーが {n} 件あるため提出できません。エラーを直してから提出してください。",
                           f"The plan has {n} error(s) and cannot be submitted. Fix them first."))
            return True
        return False

    def ask_submit(self) -> bool:
        """提出 asks first: the warnings the plan goes with, and room for a message to the officer."""
        if self._errors_refuse():
            return False
        self.warnings = [f for f in self.findings if not f.is_error]
        self.confirming = True
        return True

    def cancel_submit(self) -> None:
        self.confirming = False  # the message typed stays, should they ask again

    def submit(self) -> bool:
        """Submit (after the question): unsaved lines are saved first; `message` goes with it."""
        self.confirming = False
        if self._errors_refuse():
            return False
        if self.dirty and not self.save():
            return False
        try:
            rev = self.desk.submit(self.consortium, self.fy.year, base_revision=self.revision,
                                   comment=self.message.strip())
        except Conflict as exc:
            self.conflict = ConflictInfo.of(exc, self.menu, [])
            self._say(None)
            return False
        except PlannerError as exc:
            self._say(Note.of(exc))
            return False
        self.message = ""
        self._reload()
        self.focus_reload += 1
        self._say(Note("success", f"計画を提出しました（版 {rev}）。プログラム担当の確認をお待ちください。"
                       "提出中は編集できません。変更する場合は「提出を取り下げる」を押してください。",
                       f"Plan submitted (revision {rev}). The programme officer will review it. While it is "
                       "submitted it cannot be edited; to change it, withdraw the submission."))
        return True

    def withdraw(self) -> bool:
        try:
            rev = self.desk.withdraw(self.consortium, self.fy.year, base_revision=self.revision)
        except Conflict as exc:
            # moved on since this page last looked (returned, accepted, withdrawn in another tab): say what
            # happened to it, with the officer's comment, and show it as it is now
            self._reload()
            said = moved_on(exc.saved_by, DONE_TO.get(exc.status, "save"), exc.base_revision, exc.current_revision,
                            self.comment)
            self._say(Note("warning", "提出の取り下げはしていません。" + said.ja,
                           "Nothing was withdrawn. " + said.en))
            return False
        except PlannerError as exc:
            self._say(Note.of(exc))
            return False
        self._reload()
        self.focus_reload += 1
        self._say(Note("success", f"提出を取り下げました。下書きとして編集できます（版 {rev}）。",
                       f"Submission withdrawn; the plan is a draft again (revision {rev})."))
        return True

    def reload(self) -> None:
        lost = len(self._unsaved_changes()) if self.dirty else 0
        self._reload()
        self.conflict = None
        if not self.revision:
            self._say(None)
            return
        extra_ja = f"保存していなかった変更 {lost} 件は破棄しました。" if lost else ""
        extra_en = f" {lost} unsaved change(s) were discarded." if lost else ""
        self._say(Note("info", f"最新の版 {self.revision} を読み込みました。{extra_ja}",
                       f"Loaded the latest revision {self.revision}.{extra_en}"))


class ActionsView(View):
    """Save, submit, withdraw, reload; and when a save was refused, what changed and a reload offer."""

    _model: ActionsModel

    def _render(self) -> None:
        m = self._model
        self.add_class("pl-actions")
        self._heading = html()
        self._save = button("pl-save", "primary", "11em")
        self._submit = button("pl-submit", "success", "11em")
        self._withdraw = button("pl-withdraw", "warning", "13em", toggled=True)
        self._reload = button("pl-reload", "", "13em")
        # right under the buttons, a live region of its own (pl-live): the outcome is said where the
        # person clicked, not only at the top of the page, under the budget bar
        self._outcome = html()
        self._outcome.add_class("pl-live")
        self._outcome.add_class("pl-actions-note")
        self._hint = html()
        self._conflict_html = html()
        self._conflict_reload = button("pl-conflict-reload", "warning", "auto")
        self._conflict = ipw.VBox([self._conflict_html, self._conflict_reload])
        self._conflict.add_class("pl-conflict")
        # the question before 提出: the warnings, the message to the officer, submit or cancel
        self._confirm_html = html()
        self._message = ipw.Textarea(layout=ipw.Layout(width="100%", height="5em"))
        self._message.add_class("pl-submit-message")
        ipw.link((m, "message"), (self._message, "value"))
        self._confirm_yes = button("pl-submit-confirm", "success", "auto")
        self._confirm_no = button("pl-submit-cancel", "", "auto")
        self._confirm_yes.on_click(lambda _b: m.submit())
        self._confirm_no.on_click(lambda _b: m.cancel_submit())
        self._confirm = ipw.VBox([self._confirm_html, self._message,
                                  ipw.HBox([self._confirm_yes, self._confirm_no])])
        self._confirm.add_class("pl-submit-confirm-box")
        self.children = [self._heading,
                         ipw.HBox([self._save, self._submit, self._withdraw, self._reload],
                                  layout=ipw.Layout(flex_flow="row wrap")),
                         self._confirm, self._outcome, self._hint, self._conflict]
        self._save.on_click(lambda _b: m.save())
        self._submit.on_click(lambda _b: m.ask_submit())
        self._withdraw.on_click(lambda _b: m.withdraw())
        self._reload.on_click(lambda _b: m.reload())
        self._conflict_reload.on_click(lambda _b: m.reload())
        m.observe(lambda _c: self._reload.focus(), "focus_reload")
        m.observe(self._refresh, ["lang", "can_save", "can_submit", "can_withdraw", "conflict", "note", "confirming",
                                  "warnings"])
        m.observe(lambda c: c["new"] and focus_when_shown(self._message), "confirming")
        # a refused save is said where the person is looking: the focus goes to the way out, which the
        # browser scrolls into view (the explanation had opened below the screen); after _refresh has
        # shown the box, as a hidden button takes no focus
        m.observe(lambda c: c["new"] is not None and focus_when_shown(self._conflict_reload), "conflict")
        m.observe(self._refresh, ["dirty", "has_errors"])
        self._refresh()

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        self._heading.value = f'<h3>{t("save_submit", lang)}</h3>'
        drop = m.conflict is not None and bool(m.conflict.mine)
        for b, key in ((self._save, "save"), (self._submit, "submit"), (self._withdraw, "withdraw"),
                       (self._reload, "reload"), (self._conflict_reload, "conflict_reload" if drop else "reload")):
            b.description = t(key, lang)
        self._save.disabled = not m.can_save
        self._submit.disabled = not m.can_submit
        self._withdraw.layout.display = None if m.can_withdraw else "none"
        self._outcome.value = note_html(m.note, lang, role=False)
        self._show_confirm()
        hints = []
        if m.dirty:
            hints.append(t("unsaved", lang))
        if m.editable and m.has_errors:
            hints.append(t("submit_blocked", lang))
        self._hint.value = "".join(f'<p class="pl-hint">{h}</p>' for h in hints)
        c = m.conflict
        if c is None:
            self._conflict.layout.display = "none"
            return
        self._conflict.layout.display = None

        def items(pairs: tuple[tuple[str, str], ...]) -> str:
            return "".join(f"<li>{escape(en if lang == 'en' else ja)}</li>" for ja, en in pairs)

        # who moved it on (perhaps this person, in another tab), what it is now, and what is left to do
        head = t("conflict_head", lang, who=c.saved_by, base=c.base_revision, now=c.current_revision,
                 status=status_label(c.status, lang))
        editable = may(m.user, "save", m.consortium, c.status or None) is None
        still = ("conflict_redo" if editable else "conflict_locked") if c.mine else "conflict_nothing"
        theirs = f'<ul>{items(c.theirs)}</ul>' if c.theirs else f'<p>{t("conflict_no_lines", lang)}</p>'
        self._conflict_html.value = (
            f'<div class="pl-note pl-note-error" role="alert">{escape(head)} {escape(t(still, lang))}'
            f'<p><b>{t("conflict_theirs", lang)}</b></p>{theirs}'
            + (f'<p><b>{t("conflict_mine", lang)}</b></p><ul>{items(c.mine)}</ul>' if c.mine else "")
            + "</div>"
        )

    def _show_confirm(self) -> None:
        m, lang = self._model, self._model.lang
        self._confirm.layout.display = None if m.confirming else "none"
        if not m.confirming:
            return
        if m.warnings:
            items = "".join(f"<li>{escape(f.message(lang))}</li>" for f in m.warnings)
            said = f'<p>{t("submit_confirm_warnings", lang, n=len(m.warnings))}</p><ul>{items}</ul>'
        else:
            said = f'<p>{t("submit_confirm_clean", lang)}</p>'
        self._confirm_html.value = (f'<div class="pl-note pl-note-{"warning" if m.warnings else "info"}" '
                                    f'role="alertdialog"><b>{t("submit_confirm_head", lang)}</b>{said}</div>'
                                    f'<label class="pl-hint">{t("submit_message", lang)}</label>')
        self._message.placeholder = t("submit_message", lang)
        self._confirm_yes.description = t("submit_confirm", lang)
        self._confirm_no.description = t("submit_cancel", lang)
