"""Sizes the store accepts, whatever the path (app, workbook, CLI, API): one place, so a workbook
import and a direct `store.save` refuse the same 2 MB title with the same words."""

from __future__ import annotations

import re
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


# Invisible format characters (Unicode category Cf, as of Unicode 15): bidi embeddings, overrides and
# isolates (U+202A-202E, U+2066-2069) reverse text on screen and drag the numbers beside it in; zero
# widths (U+200B-200F), the word joiner and BOM (U+2060-2064, U+FEFF), tags (U+E0000 block) hide text
# from the eye. None reaches the store (issue 26): they are removed, since a person cannot find an
# invisible character to delete it, and the checks say what was removed (INVISIBLE_CHARACTERS).
# Kept: U+200D, the zero-width joiner, which joins emoji (👩‍💻) and cannot reorder text.
_INVISIBLE = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b\u200c\u200e\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")


def invisible_in(value: Any) -> list[str]:
    """The invisible format characters in a text, each once, as `U+202E` (none for other values)."""
    if not isinstance(value, str) or value.isascii():
        return []
    return list(dict.fromkeys(f"U+{ord(c):04X}" for c in _INVISIBLE.findall(value)))


def visible(value: Any) -> Any:
    """A text without its invisible format characters; any other value as it is."""
    if not isinstance(value, str) or value.isascii():
        return value
    return _INVISIBLE.sub("", value)


def visible_plan(plan: Any) -> Any:
    """The plan as the store keeps it: every text of every line without invisible characters (the
    line's id is the store's, never shown, and stays as it is)."""
    from dataclasses import replace

    from .plan import Line

    def line(ln: Any) -> Any:
        if not isinstance(ln, Line):
            return ln
        changed = {f: visible(v) for f, v in ln.content().items() if isinstance(v, str) and visible(v) != v}
        return replace(ln, **changed) if changed else ln

    return replace(plan, lines=tuple(line(ln) for ln in plan.lines))


def visible_result(result: Any) -> Any:
    """The result as the store keeps it: its venue, notes and dates without invisible characters."""
    from dataclasses import replace

    dates = getattr(result, "dates", ())
    return replace(result, venue=visible(result.venue), notes=visible(result.notes),
                   dates=tuple(visible(d) for d in dates) if isinstance(dates, (tuple, list)) else dates)


def invisible_in_plan(plan: Any) -> list[str]:
    """The invisible format characters the store will remove from a plan's lines, each once."""
    found = [c for ln in plan.lines for v in ln.content().values() for c in invisible_in(v)]
    return list(dict.fromkeys(found))


def removed_note(chars: list[str]) -> tuple[str, str]:
    """What a person is told when invisible characters were removed from what they saved (Japanese,
    English); ("", "") when none were."""
    if not chars:
        return "", ""
    shown = ", ".join(chars[:5]) + ("…" if len(chars) > 5 else "")
    return (f"見えない書式文字（{shown}：文字の向きを変える制御文字など）を取り除きました。",
            f"Invisible format characters ({shown}: such as ones that reverse the text's direction) were removed.")
