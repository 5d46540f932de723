"""How the apps name things: times, statuses, menu choices, plan lines, and the rows of a plan's lines
and of its history. Both apps show a plan's lines and its history the same way, from these."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..findings import Finding
from ..fiscal_year import FiscalYear, MenuItem
from ..japanese import circled, fiscal_year_label, japan_time, month_label
from ..plan import Plan, is_cancelled
from ..summary import line_facts
from ..workflow import STATUS_LABELS

Menu = Mapping[int, MenuItem]


def jst(iso: str) -> str:
    """The store's UTC timestamp in Japan time, bare: the app's headings say 日本時間 once."""
    return japan_time(iso, None)


def year_options(years: Iterable[int], lang: str) -> list[tuple[str, int]]:
    """The year picker's choices, (label, year), as both apps offer them in the page's language."""
    return [(fiscal_year_label(y, lang), y) for y in years]


def status_label(status: str, lang: str) -> str:
    ja, en = STATUS_LABELS.get(status, ("未保存", "not saved yet"))
    return en if lang == "en" else ja


def item_option_label(item: MenuItem, lang: str) -> str:
    pts = sorted({v.points for v in item.variants})
    span = f"{pts[0]}" if len(pts) == 1 else f"{pts[0]}–{pts[-1]}"
    if lang == "en":
        return f"{circled(item.no)} {item.name_en} ({span} pt / {item.unit_en})"
    return f"{circled(item.no)} {item.name_ja}　{span}ポイント／{item.unit_ja}"


def variant_option_label(item: MenuItem, variant_id: str, lang: str) -> str:
    v = item.variant(variant_id)
    if v is None:
        return str(variant_id)
    if lang == "en":
        return f"{v.name_en}: {v.points} pt / {item.unit_en}"
    return f"{v.name_ja}：{v.points}ポイント／{item.unit_ja}"


def line_label(plan: Plan, n: int, lang: str, fy: FiscalYear) -> str:
    """How people name a plan line: its number, menu item and title."""
    ln = plan.lines[n - 1]
    item = fy.menu_for(plan.consortium).get(ln.item) if isinstance(ln.item, int) else None
    name = item.name(lang) if item else str(ln.item)
    return f"{n}. {circled(ln.item)} {name} — {ln.title or ''}".rstrip(" —")


def served_label(plan: Plan, index: int, menu: Menu, lang: str) -> str:
    """The line at `index` (0-based) as a ⑦ or ⑩ line names the line it serves: 「6 企業見学会」 (its
    番号 and title, or its item when it has no title)."""
    ln = plan.lines[index]
    if isinstance(ln.title, str) and ln.title.strip():
        return f"{index + 1} {ln.title.strip()}"
    item = menu.get(ln.item) if isinstance(ln.item, int) else None
    return f"{index + 1} {circled(ln.item)}{item.name(lang) if item else ''}"


def line_flags(findings: Iterable[Finding]) -> dict[int, str]:
    """The worst finding of each line: "error" or "warning"."""
    flagged: dict[int, str] = {}
    for f in findings:
        if f.line is not None:
            flagged[f.line] = "error" if f.is_error or flagged.get(f.line) == "error" else "warning"
    return flagged


def line_rows(plan: Plan, findings: Iterable[Finding], menu: Menu, lang: str,
              result: Callable[[Any], str] | None = None) -> list[dict[str, Any]]:
    """The plan's lines as the lines table shows them; `result` says a line's result (by line id)."""
    flagged = line_flags(findings)
    rows = []
    where = {ln.id: i for i, ln in enumerate(plan.lines) if isinstance(ln.id, str)}
    for n, ln in enumerate(plan.lines, start=1):
        served = where.get(ln.serves) if isinstance(ln.serves, str) else None
        facts = line_facts(ln, menu)
        item, variant = facts.item, facts.variant
        rows.append({
            "no": n,
            "id": ln.id,
            "item": f"{circled(ln.item)} {item.name(lang)}" if item else repr(ln.item),
            "variant": (variant.name_en if lang == "en" else variant.name_ja) if variant else repr(ln.variant),
            "quantity": ln.quantity,
            "unit": item.unit(lang, ln.quantity) if item else "",
            "points": facts.points,
            "month": month_label(ln.month, lang),
            "title": ln.title or "",
            "place": ln.place or "",
            "flag": flagged.get(n, ""),
            "cancelled": is_cancelled(ln),
            "result": result(ln.id) if result else "",
            # a ⑦ or ⑩ line: the line it serves, 「6 企業見学会」 (shown as 「→ 6 企業見学会」)
            "serves": served_label(plan, served, menu, lang) if served is not None else "",
            # it names a line no longer in the plan (removed): said in the row, beside the rule's error
            "serves_gone": isinstance(ln.serves, str) and bool(ln.serves) and served is None,
            "notes": ln.notes if isinstance(ln.notes, str) else "",
        })
    return rows


def history_rows(revisions: Iterable[Any], names: Mapping[str, str], lang: str, menu: Menu) -> list[dict[str, Any]]:
    """A plan's revisions, newest first: who (by display name), when, the status, what changed."""
    return [
        {"revision": r.revision, "at": jst(r.at), "by": names.get(r.by, r.by),
         "status": status_label(r.status, lang), "summary": r.summary(lang, menu), "comment": r.comment}
        for r in reversed(list(revisions))
    ]
