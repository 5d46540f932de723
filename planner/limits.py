"""Sizes the store accepts, whatever the path (app, workbook, CLI, API): one place, so a workbook
import and a direct `store.save` refuse the same 2 MB title with the same words."""

from __future__ import annotations

from typing import Any

MAX_TEXT = 1000  # characters a text field holds (titles, notes, venue, the officer's comment)
MAX_LINES = 200  # lines a plan holds; the workbook's formulas and dropdowns cover this many rows
MAX_DATES = 31  # dates one result lists
MAX_COMPANIES = 500  # participating companies one result lists


def _long(value: Any) -> int:
    """How long a value is as stored text (0 if it is not text)."""
    return len(value) if isinstance(value, str) else 0


def text_problem(label_ja: str, label_en: str, value: Any) -> tuple[str, str] | None:
    """Why a text is refused (Japanese, English), or None if it fits."""
    n = _long(value)
    if n <= MAX_TEXT:
        return None
    return (f"「{label_ja}」が {n:,} 文字あります。{MAX_TEXT:,} 文字以内にしてください。",
            f"'{label_en}' has {n:,} characters. Shorten it to {MAX_TEXT:,} characters or fewer.")


def plan_problems(plan: Any) -> list[tuple[str, str]]:
    """Why a plan is too big to store: too many lines, or a text field over MAX_TEXT."""
    from .diff import FIELD_LABELS

    out: list[tuple[str, str]] = []
    if len(plan.lines) > MAX_LINES:
        out.append((f"計画の行が {len(plan.lines):,} 行あります。{MAX_LINES} 行以内にしてください。",
                    f"The plan has {len(plan.lines):,} lines; a plan holds at most {MAX_LINES}."))
    for n, line in enumerate(plan.lines[:MAX_LINES + 1], start=1):
        for field, (ja, en) in FIELD_LABELS.items():
            why = text_problem(ja, en, getattr(line, field, None))
            if why:
                out.append((f"{n}行目: {why[0]}", f"Line {n}: {why[1]}"))
    return out


def result_problems(result: Any) -> list[tuple[str, str]]:
    """Why a result is too big to store: a text over MAX_TEXT, or too many dates."""
    from .results import RESULT_LABELS

    out = [why for field in ("venue", "notes")
           if (why := text_problem(*RESULT_LABELS[field], getattr(result, field, None)))]
    dates = getattr(result, "dates", ())
    if len(dates) > MAX_DATES:
        out.append((f"実施日が {len(dates)} 件あります。{MAX_DATES} 件以内にしてください。",
                    f"{len(dates)} dates are given; at most {MAX_DATES}."))
    out += [why for d in dates[:MAX_DATES] if (why := text_problem("実施日", "date", d))]
    companies = getattr(result, "company_list", ())
    if len(companies) > MAX_COMPANIES:
        out.append((f"参加企業が {len(companies):,} 社あります。{MAX_COMPANIES} 社以内にしてください。",
                    f"{len(companies):,} companies are listed; at most {MAX_COMPANIES}."))
    for c in companies[:MAX_COMPANIES]:
        out += [why for f, ja, en in (("name", "企業名", "company name"), ("prefecture", "都道府県", "prefecture"))
                if (why := text_problem(ja, en, getattr(c, f, None)))]
    return out
