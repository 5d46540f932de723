"""The officer's decision on the opened plan: accept, return with a comment, reopen."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as ipw
import traitlets as tl

from ...access import may
from ...errors import Conflict, PlannerError
from ..notes import Note, note_html
from ..panel import Panel
from ..text import t
from ..widgets import View, button, html

if TYPE_CHECKING:
    from .app import ReviewModel


class DecisionModel(Panel):
    """The officer's decision on the opened plan: accept, return with a comment, reopen."""

    follows = ("lang",)

    comment = tl.Unicode("")
    can_accept = tl.Bool(False)
    can_return = tl.Bool(False)
    can_reopen = tl.Bool(False)
    takes_comment = tl.Bool(False)  # a comment box only where a decision can be taken
    blocked = tl.Instance(Note, allow_none=True)  # why accepting is not possible now
    note = tl.Instance(Note, allow_none=True)

    def __init__(self, app: ReviewModel):
        super().__init__(app)
        app.opened.observe(self._update, ["record", "findings"])
        self._update()

    def _update(self, _: Any = None) -> None:
        a, p = self._app, self._app.opened
        officer = a.is_officer
        errors = sum(f.is_error for f in p.findings)
        status = p.status
        lines = len(p.record.plan.lines) if p.record else 0
        self.can_accept = may(a.user, "accept", p.consortium, status or None, errors, lines) is None
        self.can_return = may(a.user, "return", p.consortium, status or None) is None
        self.can_reopen = may(a.user, "reopen", p.consortium, status or None) is None
        self.takes_comment = self.can_accept or self.can_return or self.can_reopen
        if officer and status == "submitted" and errors:
            self.blocked = Note("error", f"エラーが {errors} 件あるため承認できません。差し戻してください。",
                                f"The plan has {errors} error(s) and cannot be accepted; return it instead.")
        elif officer and status == "returned":
            self.blocked = Note("info",
                                "この計画は事務局に差し戻されています。事務局が直して再提出すると承認できます。",
                                "This plan was returned to the secretariat; it can be accepted once the "
                                "secretariat resubmits it.")
        elif officer and status == "draft":
            self.blocked = Note("info", "この計画はまだ提出されていません。提出されると承認・差し戻しができます。",
                                "This plan has not been submitted yet; it can be accepted or returned once "
                                "it is.")
        else:
            self.blocked = None

    def forget(self) -> None:
        self.note = None
        self.comment = ""

    def _act(self, action: str, run: Callable[[str, int, str, int], int]) -> bool:
        a, p = self._app, self._app.opened
        if p.record is None:
            self.note = Note("error", "計画を開いてから操作してください。", "Open a plan first.")
            return False
        name = p.name
        try:
            rev = run(p.consortium, a.year, a.by, p.record.revision)
        except Conflict as exc:
            self.note = Note.of(exc)
            p.load()
            return False
        except PlannerError as exc:
            self.note = Note.of(exc)
            return False
        p.load()
        a.overview.refresh()
        self.comment = ""
        done = {"accept": ("を承認しました", "accepted"), "return": ("を差し戻しました", "returned"),
                "reopen": ("を再開しました（下書きに戻りました）", "reopened (it is a draft again)")}[action]
        self.note = Note("success", f"{name}の計画{done[0]}（版 {rev}）。",
                         f"The plan of {name} was {done[1]} (revision {rev}).")
        return True

    def accept(self) -> bool:
        store = self._app.store
        assert store is not None
        return self._act("accept", lambda c, y, by, base: store.accept(
            c, y, by=by, base_revision=base, comment=self.comment.strip()))

    def return_plan(self) -> bool:
        store = self._app.store
        assert store is not None
        if not self.comment.strip() and self._app.is_officer:
            # the store says the same; saying it here keeps the typed-nothing case from a round trip
            self.note = Note("error", "差し戻しの理由（コメント）を書いてください。事務局の画面に表示されます。",
                             "Write a comment saying why the plan is returned; the secretariat sees it.")
            return False
        return self._act("return", lambda c, y, by, base: store.return_plan(
            c, y, by=by, comment=self.comment.strip(), base_revision=base))

    def reopen(self) -> bool:
        store = self._app.store
        assert store is not None
        # the reason for reopening, if given, is what the secretariat sees next to its reopened plan
        return self._act("reopen", lambda c, y, by, base: store.reopen(
            c, y, by=by, comment=self.comment.strip(), base_revision=base))


class DecisionView(View):
    """The officer's comment and the accept / return / reopen buttons, with why one is not possible."""

    _model: DecisionModel

    def _render(self) -> None:
        m = self._model
        self.add_class("rv-decision")
        self.add_class("rv-box")
        self._heading = html()
        self._blocked = html()
        self._comment = ipw.Textarea(layout=ipw.Layout(width="100%", max_width="46em", height="5.5em"))
        self._comment.add_class("rv-comment")
        ipw.link((m, "comment"), (self._comment, "value"))
        self._accept = button("rv-accept", "success", "10em", toggled=True)
        self._return = button("rv-return", "warning", "10em", toggled=True)
        self._reopen = button("rv-reopen", "", "16em", toggled=True)
        self._note = html()
        self._note.add_class("rv-decision-note")
        self.children = [self._heading, self._blocked, self._comment,
                         ipw.HBox([self._accept, self._return, self._reopen], layout=ipw.Layout(flex_flow="row wrap")),
                         self._note]
        self._accept.on_click(lambda _b: m.accept())
        self._return.on_click(lambda _b: m.return_plan())
        self._reopen.on_click(lambda _b: m.reopen())
        m.observe(self._refresh, ["lang", "can_accept", "can_return", "can_reopen", "takes_comment", "blocked",
                                  "note"])
        self._refresh()

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        self._heading.value = f'<h3>{t("decision", lang)}</h3>'
        self._comment.description = ""
        self._comment.placeholder = t("comment_ph" if m.can_return else "reopen_ph", lang)
        self._accept.description = t("accept", lang)
        self._return.description = t("return", lang)
        self._reopen.description = t("reopen", lang)
        self._accept.disabled = not m.can_accept
        self._return.disabled = not m.can_return
        self._accept.layout.display = self._return.layout.display = None if not m.can_reopen else "none"
        self._reopen.layout.display = None if m.can_reopen else "none"
        self._comment.layout.display = None if m.takes_comment else "none"
        self._blocked.value = note_html(m.blocked, lang)
        self._note.value = note_html(m.note, lang)
