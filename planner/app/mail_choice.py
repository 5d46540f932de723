"""「メール通知」: how often this person is mailed (each event, a daily digest, none), in both apps.

A small panel at the foot of each app, through the desk (`Desk.set_notices`): a person sets their own
choice only. Where the mails go is set by an administrator (`planner users set-email`); the panel says
which address, or that none is set.
"""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as ipw
import traitlets as tl

from ..desk import Desk
from ..errors import PlannerError
from ..text import texts
from .notes import Note, note_html
from .widgets import View, html

TEXT = texts({
    "title": ("メール通知", "Mail notices"),
    "each": ("都度", "Each event"),
    "daily": ("1日1回まとめ", "Daily digest"),
    "none": ("なし", "None"),
    "to": ("送り先: {address}", "Sent to: {address}"),
    "no_address": ("送り先のメールアドレスが登録されていません（管理者に登録を依頼してください）。",
                   "No mail address is registered for you (ask your administrator to add one)."),
    "saved": ("メール通知を「{choice}」にしました。", "Mail notices set to \"{choice}\"."),
})
CHOICES = ("each", "daily", "none")


def t(key: str, lang: str, **kw: Any) -> str:
    return TEXT[key](lang, **kw)


class MailChoiceModel(tl.HasTraits):
    """This person's choice and address, as the store has them."""

    lang = tl.Unicode("ja")
    choice = tl.Unicode("each")
    address = tl.Unicode("")
    note = tl.Instance(Note, allow_none=True)

    def __init__(self, desk: Desk, lang: str = "ja"):
        super().__init__(lang=lang)
        self.desk = desk
        self.address, self.choice = desk.mail_settings()

    def choose(self, choice: str) -> bool:
        """Keep the person's choice; False (and why, in the note) if it was refused."""
        try:
            self.desk.set_notices(choice)
        except PlannerError as exc:
            self.note = Note("error", exc.message_ja, exc.message_en)
            return False
        self.choice = choice
        label = TEXT[choice]
        self.note = Note("success", TEXT["saved"]("ja", choice=label.ja), TEXT["saved"]("en", choice=label.en))
        return True


class MailChoiceView(View):
    _model: MailChoiceModel

    def _render(self) -> None:
        m = self._model
        self.add_class("pl-mail-choice")
        self.layout.margin = "18px 0 0 0"  # apart from the panels above: a setting, not part of the plan
        self._title = html()
        self._buttons = ipw.ToggleButtons(style={"button_width": "auto"})
        self._buttons.add_class("pl-mail-choice-buttons")
        self._guard = False
        self._buttons.observe(self._on_pick, "value")
        self._where = html()
        self._note = html()
        self.children = [ipw.HBox([self._title, self._buttons, self._where],
                                  layout=ipw.Layout(flex_flow="row wrap", align_items="center")), self._note]
        m.observe(self._refresh, ["lang", "choice", "address", "note"])
        self._refresh()

    def _on_pick(self, change: dict) -> None:
        if self._guard or change["new"] is None or change["new"] == self._model.choice:
            return
        if not self._model.choose(change["new"]):
            self._refresh()

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        self._title.value = f'<strong class="pl-mail-choice-title">{t("title", lang)}:</strong>'
        self._guard = True
        try:
            self._buttons.options = [(t(c, lang), c) for c in CHOICES]
            self._buttons.value = m.choice
        finally:
            self._guard = False
        self._where.value = (f'<small>{escape(t("to", lang, address=m.address))}</small>' if m.address
                             else f'<small>{t("no_address", lang)}</small>')
        self._note.value = note_html(m.note, lang)


def mail_choice_view(app_model: Any) -> ipw.Widget:
    """The panel for an app's model (its `desk` and `lang`), rendered, following the app's language."""
    model = MailChoiceModel(app_model.desk, app_model.lang)
    tl.dlink((app_model, "lang"), (model, "lang"))
    view = MailChoiceView(model)
    view.render()
    return view
