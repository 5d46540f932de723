"""The officer's decision on the opened plan: accept, return with a comment, reopen; each asked first
(what will happen, to which plan and revision) and done on a second, confirming click."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import ipywidgets as ipw
import traitlets as tl

from ... import limits
from ...access import may
from ...errors import Conflict, PlannerError
from ..notes import Note, note_html
from ..panel import Panel
from ..text import TEXT, t
from ..widgets import View, button, html

ACTIONS = ("accept", "return", "reopen")

if TYPE_CHECKING:
    from ...access import User
    from ...desk import Desk
    from .app import ReviewModel
    from .opened import OpenedPlanModel


class DecisionModel(Panel):
    """The officer's decision on the opened plan: accept, return with a comment, reopen; each asked first
(what will happen, to which plan and revision) and done on a second, confirming click."""

    follows = ("lang", "next_waiting", "year")

    comment = tl.Unicode("")
    can_accept = tl.Bool(False)
    can_return = tl.Bool(False)
    can_reopen = tl.Bool(False)
    takes_comment = tl.Bool(False)  # a comment box only where a decision can be taken
    blocked = tl.Instance(Note, allow_none=True)  # why accepting is not possible now
    note = tl.Instance(Note, allow_none=True)
    # a decision asked for and not yet confirmed: the action, on which plan and revision, with which
    # comment; `question` says it to the officer. Confirming acts on exactly that revision, so a plan
    # changed in the meantime is the store's conflict, never a decision on something not seen.
    pending = tl.Unicode("")
    pending_consortium = tl.Unicode("")
    pending_revision = tl.Int(0)
    pending_comment = tl.Unicode("")
    question = tl.Instance(Note, allow_none=True)
    next_waiting = tl.Unicode("")  # the next plan waiting for a decision (the app's), to go on to
    year = tl.Int(0)

    def __init__(self, app: ReviewModel, *, opened: OpenedPlanModel, desk: Desk, user: User,
                 refresh_overview: Callable[[], None], open_next_waiting: Callable[[], bool]):
        super().__init__(app)
        self._opened, self._desk, self._user = opened, desk, user
        self._refresh_overview, self._open_next_waiting = refresh_overview, open_next_waiting
        self._officer = user.role == "officer"
        opened.observe(self._update, ["record", "findings"])
        self.observe(self._on_comment, "comment")
        self._update()

    def _on_comment(self, _: Any = None) -> None:
        # the question shows the comment that will be sent; another comment needs asking again
        if self.pending and self.comment.strip() != self.pending_comment:
            self.cancel(quiet=True)

    def _update(self, _: Any = None) -> None:
        p = self._opened
        rec = p.record
        if self.pending and (rec is None or (p.consortium, rec.revision)
                             != (self.pending_consortium, self.pending_revision)):
            self.cancel(quiet=True)  # this page now shows another plan or revision than was asked about
        officer = self._officer
        errors = sum(f.is_error for f in p.findings)
        status = p.status
        lines = len(p.record.plan.lines) if p.record else 0
        self.can_accept = may(self._user, "accept", p.consortium, status or None, errors, lines) is None
        self.can_return = may(self._user, "return", p.consortium, status or None) is None
        self.can_reopen = may(self._user, "reopen", p.consortium, status or None) is None
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
        self.cancel(quiet=True)
        self.note = None
        self.comment = ""

    def _names(self) -> tuple[str, str]:
        cid = self._opened.consortium
        c = self._desk.fiscal_year(self.year).consortia.get(cid)
        return (c.name("ja"), c.name("en")) if c else (cid, cid)

    def _said(self, key: str, kind: str, **kw: Any) -> Note:
        ja, en = self._names()
        text = TEXT[key]
        return Note(kind, text("ja", name=ja, **kw), text("en", name=en, **kw))

    def _missing_comment(self) -> Note | None:
        if not self.comment.strip() and self._officer:
            # the store says the same; saying it here keeps the typed-nothing case from a round trip
            return Note("error", "差し戻しの理由（コメント）を書いてください。事務局の画面に表示されます。",
                        "Write a comment saying why the plan is returned; the secretariat sees it.")
        return None

    def _may_ask(self, action: str) -> bool:
        """What every decision needs before it is asked or done: a plan open, and a return's comment."""
        if action not in ACTIONS:
            raise ValueError(action)
        if self._opened.record is None:
            self.note = Note("error", "計画を開いてから操作してください。", "Open a plan first.")
            return False
        if action == "return" and (missing := self._missing_comment()):
            self.note = missing
            return False
        return True

    def ask(self, action: str) -> bool:
        """The first click: say what `action` will do to the plan as shown, and wait for confirm()."""
        p = self._opened
        if not self._may_ask(action):
            return False
        comment = self.comment.strip()
        said = [(f"コメント: {comment}", f"Comment: {comment}")] if comment else [
            ("コメントなし", "No comment")]
        q = self._said(f"ask_{action}", "warning", n=p.record.revision)
        with self.hold_trait_notifications():
            self.note = None
            self.pending, self.pending_consortium = action, p.consortium
            self.pending_revision, self.pending_comment = p.record.revision, comment
            self.question = Note(q.kind, q.ja, q.en, tuple(said))
        return True

    def cancel(self, quiet: bool = False) -> None:
        """Not to do what was asked; nothing is changed. `quiet`: the page moved on, nothing to say."""
        was = self.pending
        with self.hold_trait_notifications():
            self.pending, self.pending_consortium, self.pending_revision, self.pending_comment = "", "", 0, ""
            self.question = None
            if was and not quiet:
                self.note = Note("info", "取りやめました。計画は変更していません。",
                                 "Cancelled; the plan was not changed.")

    def confirm(self) -> bool:
        """The second click: do what was asked, on the revision the question named."""
        action, cid, base, comment = self.pending, self.pending_consortium, self.pending_revision, self.pending_comment
        if not action:
            self.note = Note("error", "確定する操作がありません。もう一度ボタンを押してください。",
                             "There is nothing to confirm; press the button again.")
            return False
        self.cancel(quiet=True)
        if cid != self._opened.consortium:  # not reachable from the page; a model used out of order
            self.note = Note("error", "別の計画についての確認です。もう一度ボタンを押してください。",
                             "That confirmation was about another plan; press the button again.")
            return False
        return self._act(action, comment, base)

    def _act(self, action: str, comment: str, base: int | None = None) -> bool:
        """The one path of every decision: through the desk, on the revision named (else the one shown)."""
        p = self._opened
        if p.record is None:
            self.note = Note("error", "計画を開いてから操作してください。", "Open a plan first.")
            return False
        try:
            rev = self._desk.decide(action, p.consortium, self.year, comment,
                                p.record.revision if base is None else base)
        except Conflict as exc:
            self.note = Note.of(exc)
            p.load()
            return False
        except PlannerError as exc:
            self.note = Note.of(exc)
            return False
        p.load()
        self._refresh_overview()
        self.comment = ""
        self.note = self._said(f"done_{action}", "success", n=rev)
        removed = limits.removed_note(limits.invisible_in(comment))
        if removed[0]:
            self.note = replace(self.note, details=(*self.note.details, removed))
        return True

    def decide(self, action: str) -> bool:
        """Acting at once, on the revision shown: the checks of ask(), then what confirm() does."""
        return self._may_ask(action) and self._act(action, self.comment.strip())

    def accept(self) -> bool:
        return self.decide("accept")

    def return_plan(self) -> bool:
        return self.decide("return")

    def reopen(self) -> bool:
        return self.decide("reopen")

    def open_next_waiting(self) -> bool:
        return self._open_next_waiting()


class DecisionView(View):
    """The officer's comment and the accept / return / reopen buttons, with why one is not possible;
    once one is pressed, what it will do and the buttons to confirm or not."""

    _model: DecisionModel

    def __init__(self, model: DecisionModel, *, plan_name: Callable[[str], str], **kwargs: Any):
        super().__init__(model, **kwargs)
        self._plan_name = plan_name

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
        self._actions = ipw.HBox([self._accept, self._return, self._reopen], layout=ipw.Layout(flex_flow="row wrap"))
        self._question = html()
        self._question.add_class("rv-question")
        self._confirm = button("rv-confirm", "success", "auto", toggled=True)
        self._cancel = button("rv-cancel", "", "8em")
        self._asking = ipw.VBox([self._question, ipw.HBox([self._confirm, self._cancel],
                                                         layout=ipw.Layout(flex_flow="row wrap"))])
        self._asking.add_class("rv-asking")
        self._note = html()
        self._note.add_class("rv-decision-note")
        self._next = button("rv-decision-next", "info", "auto", toggled=True)
        self._next.layout.align_self = "flex-start"  # a button, not a bar across the box
        self.children = [self._heading, self._blocked, self._comment, self._actions, self._asking, self._note,
                         self._next]
        self._by_action = {"accept": self._accept, "return": self._return, "reopen": self._reopen}
        for action, b in self._by_action.items():
            b.on_click(self._asker(action))
        self._confirm.on_click(self._on_confirm)
        self._cancel.on_click(self._on_cancel)
        self._next.on_click(lambda _b: m.open_next_waiting())
        m.observe(self._refresh, ["lang", "can_accept", "can_return", "can_reopen", "takes_comment", "blocked",
                                  "note", "pending", "question", "next_waiting"])
        self._refresh()

    # the button pressed is hidden while the question stands: the keyboard's focus goes with the page
    # to the button that answers it, and back when the question is let go
    def _asker(self, action: str) -> Callable[[Any], None]:
        def ask(_b: Any) -> None:
            if self._model.ask(action):
                self._confirm.focus()
        return ask

    def _on_confirm(self, _b: Any) -> None:
        if self._model.confirm() and self._next.layout.display != "none":
            self._next.focus()

    def _on_cancel(self, _b: Any) -> None:
        action = self._model.pending
        self._model.cancel()
        if action in self._by_action:
            self._by_action[action].focus()

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
        # while asking, the comment shown in the question is the one that will be sent
        self._comment.disabled = bool(m.pending)
        self._actions.layout.display = "none" if m.pending else None
        self._asking.layout.display = None if m.pending else "none"
        self._question.value = note_html(m.question, lang)
        if m.pending:
            self._confirm.description = t(f"confirm_{m.pending}", lang)
            self._confirm.button_style = {"accept": "success", "return": "warning"}.get(m.pending, "info")
        self._cancel.description = t("confirm_cancel", lang)
        self._blocked.value = note_html(m.blocked, lang)
        self._note.value = note_html(m.note, lang)
        go_on = m.note is not None and m.note.kind == "success" and bool(m.next_waiting)
        self._next.layout.display = None if go_on else "none"
        if go_on:
            self._next.description = t("next_waiting", lang, name=self._plan_name(m.next_waiting))
