"""Findings: what a check says about a plan or a workbook, as plain data.

A finding is never raised; it is returned, and turned into a message only at the edge (CLI, app).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message_ja: str
    message_en: str
    line: int | None = None  # 1-based line number (番号) as people see it; None for the whole plan
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def message(self, lang: str = "ja") -> str:
        return self.message_en if lang == "en" else self.message_ja

    def as_dict(self) -> dict:
        return asdict(self)


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.is_error]


def has_errors(findings: list[Finding]) -> bool:
    return any(f.is_error for f in findings)


def flatten(findings: list[Finding], keys: list[str]) -> list[list]:
    """Pick the same keys from every finding, so a test can compare a whole report in one line."""
    return [[getattr(f, k) for k in keys] for f in findings]
