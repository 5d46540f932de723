"""Exceptions that cross the library's boundary. Each carries a Japanese and an English message."""

from __future__ import annotations


class PlannerError(Exception):
    """Base of every refusal the library raises; the edge shows message_ja or message_en."""

    def __init__(self, message_ja: str, message_en: str):
        super().__init__(message_en)
        self.message_ja = message_ja
        self.message_en = message_en

    def message(self, lang: str = "ja") -> str:
        return self.message_en if lang == "en" else self.message_ja


class FiscalYearError(PlannerError):
    """A fiscal-year file that cannot be used. `problems` lists (key, problem_ja, problem_en)."""

    def __init__(self, path: str, problems: list[tuple[str, str, str]]):
        self.path = path
        self.problems = problems
        ja = "\n".join(f"{path}: {key}: {pja}" for key, pja, _ in problems)
        en = "\n".join(f"{path}: {key}: {pen}" for key, _, pen in problems)
        super().__init__(f"年度データファイルを読み込めません。\n{ja}", f"The fiscal-year file cannot be used.\n{en}")


class Conflict(PlannerError):
    """Someone saved the plan after the revision the caller started from."""

    def __init__(self, message_ja: str, message_en: str, current_revision: int = 0, changes: list | None = None):
        super().__init__(message_ja, message_en)
        self.current_revision = current_revision
        self.changes = changes or []


class AccessDenied(PlannerError):
    """The user may not do this (wrong role, another consortium's plan, unknown or revoked key)."""


class NotFound(PlannerError):
    """No such plan, user or revision."""


class InvalidAction(PlannerError):
    """The action does not fit the plan's state (submit with errors, edit an accepted plan, …)."""
