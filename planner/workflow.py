"""The plan workflow as one table: which action moves a plan from which status to which, who may take
it, whether the plan must be clean, whether it takes a comment, and what becomes of the comment the
secretariat sees. The store enforces it; the apps ask it which actions to offer (`access.may`).
Plain data and pure functions."""

from __future__ import annotations

from dataclasses import dataclass

from .text import Text

STATUS_LABELS = {
    "draft": Text("下書き", "draft"),
    "submitted": Text("提出済み", "submitted"),
    "accepted": Text("承認済み", "accepted"),
    "returned": Text("差し戻し", "returned"),
}

# what a list of every consortium's plan says where it shows no plan: none was made yet, or the one
# made is not the reader's to see yet (the contractor sees accepted plans only; not "not started")
NO_PLAN_LABEL = ("未作成", "not started")
NOT_ACCEPTED_LABEL = ("未承認", "not yet accepted")
# a consortium whose plans the reader may not see at all (a secretariat's neighbours): whether it has a
# plan is not theirs to know either
NOT_READABLE_LABEL = ("閲覧権限なし", "not yours to see")


def not_accepted_label(status: str, lang: str = "ja") -> str:
    """A plan the contractor may not see yet, with how far it is: 未承認（提出済み）, not yet accepted (submitted)."""
    ja, en = STATUS_LABELS.get(status, (status, status))
    return f"{NOT_ACCEPTED_LABEL[1]} ({en})" if lang == "en" else f"{NOT_ACCEPTED_LABEL[0]}（{ja}）"


@dataclass(frozen=True)
class Move:
    sources: tuple[str | None, ...]  # None: no plan stored yet
    to: str
    roles: frozenset[str]
    clean: bool = False  # the plan must have lines and no errors
    comment: str = "none"  # "required", "optional" or "none"
    shown: str = "keep"  # the comment the secretariat sees afterwards: "keep" it, the "new" one, or "clear" it

    @property
    def verb(self) -> tuple[str, str]:
        return VERBS[self.to]


VERBS = {"submitted": ("提出", "submitted"), "accepted": ("承認", "accepted"), "draft": ("保存", "saved"),
         "returned": ("差し戻し", "returned")}

SECRETARIAT, OFFICER = frozenset({"secretariat"}), frozenset({"officer"})
MOVES: dict[str, Move] = {
    "save": Move((None, "draft", "returned"), "draft", SECRETARIAT),
    # the officer's last word is cleared when the secretariat submits again; the secretariat's message to
    # the officer (変更点・返信) is the revision's comment, read in the plan's history and the inbox
    "submit": Move(("draft", "returned"), "submitted", SECRETARIAT, clean=True, comment="optional", shown="clear"),
    "withdraw": Move(("submitted",), "draft", SECRETARIAT),
    "accept": Move(("submitted",), "accepted", OFFICER, clean=True, comment="optional", shown="new"),
    "return": Move(("submitted",), "returned", OFFICER, comment="required", shown="new"),
    "reopen": Move(("accepted",), "draft", OFFICER, comment="optional", shown="new"),
}
# what a person calls each move, in messages (never the internal action name)
ACTION_NAMES = {"save": Text("保存", "saving"), "submit": Text("提出", "submitting"),
                "withdraw": Text("提出の取り下げ", "withdrawing the submission"), "accept": Text("承認", "accepting"),
                "return": Text("差し戻し", "returning"), "reopen": Text("再開", "reopening")}
EDITING_STATUSES = MOVES["save"].sources  # where the secretariat's lines can change


def state_refusal(action: str, status: str | None, errors: int | None = None, lines: int | None = None,
                  comment: str | None = None) -> tuple[str, str] | None:
    """Why the plan's state does not allow the move (Japanese, English), or None. A fact not given
    (errors, lines, comment: None) is not checked: the apps ask before the person typed a comment."""
    move = MOVES[action]
    if status not in move.sources:
        return _invalid_move(action, status)
    verb_ja, verb_en = move.verb
    if move.clean and lines is not None and lines == 0:
        return (f"行のない計画は{verb_ja}できません。メニューから行を追加してください。",
                f"A plan with no lines cannot be {verb_en}. Add lines from the menu first.")
    if move.clean and errors:
        return (f"エラーが {errors} 件ある計画は{verb_ja}できません。エラーを直してから、もう一度お試しください。",
                f"A plan with {errors} error(s) cannot be {verb_en}. Fix the errors first.")
    if move.comment == "required" and comment is not None and not comment.strip():
        return ("差し戻しの理由（コメント）を書いてください。", "Write a comment saying why the plan is returned.")
    return None


def comment_after(action: str, new: str, before: str) -> str:
    """The comment the secretariat sees once the move is made."""
    shown = MOVES[action].shown
    return new if shown == "new" else "" if shown == "clear" else before


def _invalid_move(action: str, status: str | None) -> tuple[str, str]:
    if status == "accepted" and action == "save":
        return ("承認済みの計画は読み取り専用です。変更が必要な場合はプログラム担当に再開を依頼してください。",
                "An accepted plan is read-only. Ask the programme officer to reopen it.")
    if status == "submitted" and action == "save":
        return ("提出済みの計画は編集できません。提出を取り下げてから編集してください。",
                "A submitted plan cannot be edited. Withdraw the submission first.")
    st_ja, st_en = STATUS_LABELS.get(status or "", ("未作成", "not created"))
    act_ja, act_en = ACTION_NAMES.get(action, Text(action, action))
    return (f"「{st_ja}」の計画は、{act_ja}ができる状態ではありません。",
            f"{act_en[0].upper()}{act_en[1:]} is not possible on a plan that is {st_en}.")
