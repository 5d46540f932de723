"""What changed between two versions of a plan, line by line, as plain data.

Lines are matched by their id, never by position: a line that moved reads as moved (once, not as
every line after it changing), a changed field as that field, added and removed lines as such."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from .fields import LINE
from .fiscal_year import MenuItem
from .japanese import circled, month_label
from .plan import LINE_FIELDS, Plan
from .text import Text

# the comparison says a field inside a sentence ("Line 3 quantity: 2 → 3"), so in lower case
FIELD_LABELS = {name: Text(f.label.ja, f.label.en.lower()) for name, f in LINE.items()}


Menu = Mapping[int, MenuItem]


@dataclass(frozen=True)
class Change:
    """One change. An added or removed line keeps the line itself (a dict of its fields), so that it
    can be told in either language with the menu's names; revisions stored before that hold a text."""

    kind: str  # "added", "removed", "changed" or "moved"
    line: int  # 1-based 番号: where the line is after the change (before it, for a removed line)
    field: str | None = None
    before: Any = None
    after: Any = None
    # the line's item before and after: what a changed variant's names are looked up in
    item: Any = None
    item_before: Any = None
    line_id: Any = None  # the line's id; None in revisions stored before lines had one
    moved_from: Any = None  # a moved line's 番号 before the move; its fields are in `after`

    def describe(self, lang: str = "ja", menu: Menu | None = None) -> str:
        ja = lang != "en"
        if self.kind == "moved":
            what = line_summary(self.after, lang, menu)
            if ja:
                return f"{self.moved_from}行目を{self.line}行目へ移動: {what}"
            return f"Line {self.moved_from} moved to line {self.line}: {what}"
        if self.kind in ("added", "removed"):
            what = line_summary(self.after if self.kind == "added" else self.before, lang, menu)
            if self.kind == "added":
                return f"{self.line}行目を追加: {what}" if ja else f"Line {self.line} added: {what}"
            return f"{self.line}行目を削除: {what}" if ja else f"Line {self.line} removed: {what}"
        label_ja, label_en = FIELD_LABELS.get(self.field or "", (self.field, self.field))
        item_before = self.item if self.item_before is None else self.item_before
        before = _value(self.field, self.before, lang, menu, item_before)
        after = _value(self.field, self.after, lang, menu, self.item)
        if ja:
            return f"{self.line}行目の{label_ja}: {before} → {after}"
        return f"Line {self.line} {label_en}: {before} → {after}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _value(field: str | None, value: Any, lang: str, menu: Menu | None, item: Any) -> str:
    """A field's value as people read it: the menu's names for items and variants, month names."""
    ja = lang != "en"
    if field == "cancelled":
        return ("中止" if ja else "cancelled") if value is True else ("実施" if ja else "going ahead")
    if value is None or value == "":
        return "（なし）" if ja else "(none)"
    if field == "item" and isinstance(value, int):
        it = menu.get(value) if menu else None
        return f"{circled(value)} {it.name(lang)}" if it else circled(value)
    if field == "variant" and menu and isinstance(item, int) and item in menu:
        v = menu[item].variant(value)
        if v is not None:
            return v.name(lang)
    if field == "month" and isinstance(value, int):
        return month_label(value, lang)
    if field == "serves" and isinstance(value, int):
        return f"{value}行目" if ja else f"line {value}"
    if isinstance(value, str):
        return f"「{value}」" if ja else f'"{value}"'
    return str(value)


def line_summary(line: Any, lang: str = "ja", menu: Menu | None = None) -> str:
    """A line as people recognise it in a history: ⑥ 企業見学会 日帰り ×2回（9月） 見学会 in Japanese."""
    if isinstance(line, str):  # stored before lines were kept whole
        return line
    d = line if isinstance(line, Mapping) else asdict(line)
    no, quantity, month = d.get("item"), d.get("quantity"), d.get("month")
    item = menu.get(no) if menu and isinstance(no, int) else None
    variant = item.variant(d.get("variant")) if item else None
    what = f"{circled(no)} {item.name(lang)}" if item else circled(no)
    kind = variant.name(lang) if variant else (d.get("variant") or "")
    if lang == "en":
        unit = f" {item.unit('en', quantity)}" if item else ""
        when = f" ({month_label(month, 'en')})" if month is not None else ""
    else:
        unit = item.unit_ja if item else ""
        when = f"（{month_label(month)}）" if month is not None else ""
    gone = ("（中止）" if lang != "en" else "(cancelled)") if d.get("cancelled") is True else ""
    return " ".join(p for p in (what, kind, f"×{quantity}{unit}{when}", d.get("title") or "", gone) if p)


def _kept_in_order(positions: list[int]) -> set[int]:
    """Indexes into `positions` of a longest increasing run (not necessarily adjacent): the lines
    that kept their order. The others are the ones that moved, so moving one line names one line."""
    best: list[list[int]] = []  # best[i]: the longest increasing run ending at i, as indexes
    for i, p in enumerate(positions):
        run = max((best[j] for j in range(i) if positions[j] < p), key=len, default=[])
        best.append([*run, i])
    return set(max(best, key=len, default=[]))


def _number(plan: Plan | None, line_id: Any) -> Any:
    """The 番号 of the line with this id in `plan`, or None (no line, or none named)."""
    i = plan.line_index(line_id) if plan is not None and line_id is not None else None
    return None if i is None else i + 1


def diff_plans(before: Plan | None, after: Plan | None) -> list[Change]:
    """Changes line by line, matching lines by id; numbers are the 番号 people see. Removed lines come
    first (numbered as they were), then the lines of `after` in order."""
    a = list(before.lines) if before else []
    b = list(after.lines) if after else []
    # ids are unique within a plan (the store refuses duplicates); a line without one is its own line
    old = {ln.id: i for i, ln in enumerate(a) if ln.id is not None}
    new_ids = {ln.id for ln in b if ln.id is not None}
    changes = [Change("removed", i + 1, before=ln.as_dict(), line_id=ln.id)
               for i, ln in enumerate(a) if ln.id is None or ln.id not in new_ids]
    common = [j for j, ln in enumerate(b) if ln.id is not None and ln.id in old]
    kept = {common[k] for k in _kept_in_order([old[b[j].id] for j in common])}
    for j, ln in enumerate(b):
        n = j + 1
        if ln.id is None or ln.id not in old:
            changes.append(Change("added", n, after=ln.as_dict(), line_id=ln.id))
            continue
        i = old[ln.id]
        if j not in kept:
            changes.append(Change("moved", n, after=ln.as_dict(), line_id=ln.id, moved_from=i + 1))
        for f in LINE_FIELDS:
            x, y = getattr(a[i], f), getattr(ln, f)
            if x != y:
                if f == "serves":  # said as the served line's 番号 in each version, as people see it
                    x, y = _number(before, x), _number(after, y)
                changes.append(Change("changed", n, f, x, y, ln.item, a[i].item, line_id=ln.id))
    return changes


def describe(changes: list[Change], lang: str = "ja", menu: Menu | None = None) -> str:
    if not changes:
        return "内容の変更なし" if lang != "en" else "no change to the lines"
    return "; ".join(c.describe(lang, menu) for c in changes)
