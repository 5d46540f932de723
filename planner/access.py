"""Who may do what: a pure decision over a user, an action and a plan's consortium and status."""

from __future__ import annotations

from dataclasses import dataclass

from .text import Text
from .workflow import MOVES, state_refusal

ROLES = ("secretariat", "officer", "contractor", "analyst")
ROLE_LABELS = {
    "secretariat": Text("事務局", "secretariat"),
    "officer": Text("プログラム担当（JETRO）", "programme officer"),
    "contractor": Text("受託者", "contractor"),
    "analyst": Text("分析担当", "analyst"),
}


def default_display_name(role: str, consortium_name: str | None = None) -> str:
    """What to call a user given no display name: the role the apps already name them by (a
    secretariat by its consortium too), rather than a login id people never chose."""
    label = ROLE_LABELS[role].ja if role in ROLE_LABELS else role
    return f"{consortium_name} {label}" if role == "secretariat" and consortium_name else label

# action -> roles allowed; secretariats only on their own consortium (checked below); the plan's moves
# take their roles from the workflow's table
_ALLOWED = {
    "read": {"secretariat", "officer", "contractor", "analyst"},
    "record_result": {"contractor"},
    **{action: set(move.roles) for action, move in MOVES.items()},
}

ACTION_LABELS = {
    "read": Text("閲覧", "view"),
    "save": Text("保存", "save"),
    "submit": Text("提出", "submit"),
    "withdraw": Text("提出の取り下げ", "withdraw"),
    "accept": Text("承認", "accept"),
    "return": Text("差し戻し", "return"),
    "reopen": Text("再開", "reopen"),
    "record_result": Text("実績の記録", "record results"),
}


@dataclass(frozen=True)
class User:
    name: str
    role: str
    consortium: str | None = None
    display_name: str = ""
    active: bool = True
    hub_name: str | None = None  # the JupyterHub user signed in as this user (a hub service), if any


def refusal(user: User | None, action: str, consortium: str, status: str | None) -> tuple[str, str] | None:
    """None if allowed, else (message_ja, message_en) saying why not."""
    act_ja, act_en = ACTION_LABELS.get(action, Text(action, action))
    if user is None or not user.active:
        return ("ログインしていません。配布されたアクセスキー付きのURLから開いてください。",
                "You are not signed in. Open the app from the URL with your access key.")
    if user.role not in _ALLOWED.get(action, set()):
        role_ja, role_en = ROLE_LABELS.get(user.role, (user.role, user.role))
        return (f"{role_ja}の権限では「{act_ja}」はできません。",
                f"A {role_en} may not {act_en} a plan.")
    if user.role == "secretariat" and user.consortium != consortium:
        return (f"ほかのコンソーシアム（{consortium}）の計画は{act_ja}できません。",
                f"You may not {act_en} another consortium's plan ({consortium}).")
    if user.role == "contractor" and status != "accepted":
        return ("受託者が見られるのは承認済みの計画だけです。",
                "The contractor sees accepted plans only.")
    return None


def may(user: User | None, action: str, consortium: str, status: str | None, errors: int | None = None,
        lines: int | None = None, comment: str | None = None) -> tuple[str, str] | None:
    """Whether this user may take this action on a plan in this state: None, or why not (Japanese,
    English). Who may, then the workflow's table: the move, the clean-plan gate, the comment rule.
    A fact not given (errors, lines, comment) is not checked."""
    why = refusal(user, action, consortium, status)
    if why is None and action in MOVES:
        why = state_refusal(action, status or None, errors, lines, comment)
    return why


def counts_in_load(user: User | None, status: str | None) -> bool:
    """Whether a plan in this status counts in the events per month this user is shown (the 月別の負荷
    tab and the warning of a month over the contractor's capacity). A month's total names no plan and
    no line, so a secretariat's total counts every consortium's plan, as the officer's does; the
    contractor's counts only the plans it may see (accepted), so the totals tell it nothing of the rest."""
    if user is None or not user.active:
        return False
    return user.role != "contractor" or status == "accepted"
