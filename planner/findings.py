"""Findings: what a check says about a plan or a workbook, as plain data.

A finding is never raised; it is returned, and turned into a message only at the edge (CLI, app).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

from .messages import Severity, message
from .text import Text

__all__ = ["Finding", "Severity", "errors", "flatten", "has_errors"]


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

    @classmethod
    def of(cls, code: str, *, line: int | None = None, sheet: str | None = None, row: int | None = None,
           column: str | None = None, **params: Any) -> Finding:
        """The finding the catalogue (planner.messages) declares for `code` (CODE or CODE.way), its
        message filled from `params` and its place; a `Text` param is taken in each message's language."""
        m = message(code)
        fields = {"line": line, "sheet": sheet, "row": row, "column": column, **params}

        def said(lang: str) -> str:
            return m.text(lang, **{k: v(lang) if isinstance(v, Text) else v for k, v in fields.items()})

        return cls(m.code, m.severity, said("ja"), said("en"), line=line, sheet=sheet, row=row, column=column)

    def placed(self, where: Text | None = None, *, ja: str | None = None, en: str | None = None,
               **location: Any) -> Finding:
        """The same finding at another place (line, sheet, row, column), its message (or `ja`/`en`
        instead) after `where` and a colon: a cell address, as a workbook's findings say it."""
        ja = self.message_ja if ja is None else ja
        en = self.message_en if en is None else en
        if where is not None:
            ja, en = f"{where.ja}: {ja}", f"{where.en}: {en}"
        return replace(self, message_ja=ja, message_en=en, **location)

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
