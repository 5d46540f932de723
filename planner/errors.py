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
    """Someone saved the plan after the revision the caller started from. The message says it all (for
    the CLI); a screen that lists `changes` itself builds its headline from the other fields."""

    def __init__(self, message_ja: str, message_en: str, current_revision: int = 0, changes: list | None = None,
                 base_revision: int = 0, saved_by: str = "", status: str = ""):
        super().__init__(message_ja, message_en)
        self.current_revision = current_revision
        self.changes = changes or []
        self.base_revision = base_revision
        self.saved_by = saved_by  # who saved in between, as people know them (the display name)
        self.status = status  # the plan's status now (a submit in between leaves the lines as they were)


class AccessDenied(PlannerError):
    """The user may not do this (wrong role, another consortium's plan, unknown or revoked key)."""


class NotFound(PlannerError):
    """No such plan, user or revision."""


class InvalidAction(PlannerError):
    """The action does not fit the plan's state (submit with errors, edit an accepted plan, …)."""


class SessionEnded(AccessDenied):
    """The sign-in session behind an open page is over (signed out, expired, key revoked, user
    disabled); `reason` says which, so the page can say it and send the person to sign in again."""

    REASONS = {
        "signed_out": ("サインアウトしました。", "You signed out."),
        "idle": ("しばらく操作がなかったため、サインインの有効期限が切れました。",
                 "Your sign-in expired after a time without activity."),
        "max_age": ("サインインしてから時間がたったため、有効期限が切れました。",
                    "Your sign-in reached its maximum age."),
        "revoked": ("アクセスキーが失効されたため、サインインが終了しました。",
                    "Your access key was revoked, which ended your sign-in."),
        "disabled": ("この利用者は無効にされたため、サインインが終了しました。",
                     "This user was disabled, which ended your sign-in."),
        "unknown": ("サインインしていません。", "You are not signed in."),
    }

    def __init__(self, reason: str):
        ja, en = self.REASONS.get(reason, self.REASONS["unknown"])
        super().__init__(f"{ja}この操作は行っていません（何も保存していません）。もう一度サインインしてください。",
                         f"{en} This action was not carried out (nothing was saved). Please sign in again.")
        self.reason = reason
