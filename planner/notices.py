"""Who is told of an event: the one rule that the inbox (お知らせ) and the mails both follow.

A pure decision over an event and a person, like `access.refusal`: no store, no I/O. An event concerns a
person when it is one of the kinds their role is told of (below) and they may see the plan it is about;
nobody is told of their own doing, and a disabled user is told of nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .access import User, refusal
from .text import Text

if TYPE_CHECKING:
    from .store.events import Event

# action -> roles told of it; secretariats only of their own consortium's plans (access.refusal says so)
TOLD = {
    "submit": ("officer",),
    "return": ("secretariat",),
    "accept": ("secretariat", "contractor"),
    "reopen": ("secretariat",),
    "record_result": ("officer",),
}

NOTICE_LABELS = {
    "submit": Text("計画が提出されました", "A plan was submitted"),
    "return": Text("計画が差し戻されました", "A plan was returned"),
    "accept": Text("計画が承認されました", "A plan was accepted"),
    "reopen": Text("計画が再開されました", "A plan was reopened"),
    "record_result": Text("実績が記録されました", "A result was recorded"),
}


def concerns(event: Event, user: User) -> bool:
    """Whether `user` is told of `event` (in the inbox and, if they chose so, by mail)."""
    if not user.active or event.by == user.name or user.role not in TOLD.get(event.action, ()):
        return False
    # the plan's status after the event: the contractor is told of an acceptance, and may read what is accepted
    return refusal(user, "read", event.consortium, event.status) is None


def recipients(event: Event, users: list[User]) -> list[User]:
    """The people `event` concerns, in the order given."""
    return [u for u in users if concerns(event, u)]
