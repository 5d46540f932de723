"""What changed between two versions of a plan, line by line, as plain data."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from .japanese import circled
from .plan import LINE_FIELDS, Plan

FIELD_LABELS = {
    "item": ("メニュー", "item"),
    "variant": ("区分", "variant"),
    "quantity": ("数量", "quantity"),
    "month": ("実施月", "month"),
    "title": ("件名", "title"),
    "place": ("開催地", "place"),
    "companies": ("想定企業数", "companies"),
    "students": ("想定留学生数", "students"),
    "language": ("言語", "language"),
    "notes": ("備考", "notes"),
}


@dataclass(frozen=True)
class Change:
    kind: str  # "added", "removed" or "changed"
    line: int  # 1-based
    field: str | None = None
    before: Any = None
    after: Any = None

    def describe(self, lang: str = "ja") -> str:
        if self.kind == "added":
            return f"{self.line}行目を追加: {self.after}" if lang == "ja" else f"Line {self.line} added: {self.after}"
        if self.kind == "removed":
            if lang == "ja":
                return f"{self.line}行目を削除: {self.before}"
            return f"Line {self.line} removed: {self.before}"
        ja, en = FIELD_LABELS.get(self.field or "", (self.field, self.field))
        if lang == "ja":
            return f"{self.line}行目の{ja}: {self.before!r} → {self.after!r}"
        return f"Line {self.line} {en}: {self.before!r} → {self.after!r}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _summary(line: Any) -> str:
    """A line as people recognise it in a history: ⑥ day ×2 (9月) 企業見学会."""
    return f"{circled(line.item)} {line.variant} ×{line.quantity}（{line.month}月） {line.title}".strip()


def diff_plans(before: Plan | None, after: Plan | None) -> list[Change]:
    """Line-by-line changes by position (lines are numbered as people see them)."""
    a = list(before.lines) if before else []
    b = list(after.lines) if after else []
    changes: list[Change] = []
    for i in range(max(len(a), len(b))):
        n = i + 1
        if i >= len(a):
            changes.append(Change("added", n, after=_summary(b[i])))
        elif i >= len(b):
            changes.append(Change("removed", n, before=_summary(a[i])))
        else:
            for f in LINE_FIELDS:
                x, y = getattr(a[i], f), getattr(b[i], f)
                if x != y:
                    changes.append(Change("changed", n, f, x, y))
    return changes


def describe(changes: list[Change], lang: str = "ja") -> str:
    if not changes:
        return "内容の変更なし" if lang == "ja" else "no change to the lines"
    return "; ".join(c.describe(lang) for c in changes)
