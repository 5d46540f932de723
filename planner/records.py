"""A plan as it is kept: its current state (PlanRecord) and each of its revisions (Revision). Plain data,
made by the store and read by everyone else."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .diff import Change, Menu, describe
from .plan import Plan
from .workflow import STATUS_LABELS

if TYPE_CHECKING:
    from .store.events import Event


@dataclass(frozen=True)
class PlanRecord:
    plan: Plan
    status: str
    revision: int
    comment: str  # the officer's latest comment (on return or reopen)
    updated_at: str
    updated_by: str


@dataclass(frozen=True)
class Revision:
    revision: int
    plan: Plan
    by: str
    at: str
    status: str
    status_from: str | None
    comment: str
    changes: list[Change] = field(default_factory=list)

    def summary(self, lang: str = "ja", menu: Menu | None = None) -> str:
        parts = []
        if self.status_from != self.status:
            a = STATUS_LABELS.get(self.status_from or "", ("新規", "new"))
            b = STATUS_LABELS[self.status]
            parts.append(f"{a[0]}→{b[0]}" if lang == "ja" else f"{a[1]} → {b[1]}")
        if self.changes or not parts:
            parts.append(describe(self.changes, lang, menu))
        return "; ".join(parts)


@dataclass(frozen=True)
class Notice:
    """One item of a person's inbox (お知らせ): the event, the comment of the revision it made (the reason
    for a return, the secretariat's message with a submission), and whether the person has read it."""

    event: Event
    comment: str = ""
    read: bool = False
