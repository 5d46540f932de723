"""Dates as people type them: one reader for the app's forms and the workbook's date column.

Read: 2025-06-14, 2025-6-14, 2025/6/14, 2025.6.14, 2025年6月14日, 令和7年6月14日 (令和元年 too), R7.6.14,
R7/6/14, in full-width forms as well (２０２５／６／１４, Ｒ７．６．１４, ㋿7年…), and with the weekday people
often add (2025年6月14日（土）). Year, month and day come in that order: 14/6/2025 or 6/14 is not read,
since the order or the year would be a guess. A day that does not exist (2025-02-30, 令和元年4月1日, a
weekday that is not that day's) is said to be wrong, never moved to a day nearby. What the reader
cannot read is said in Japanese and English. Pure functions.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from .japanese import wareki_date
from .numbers import half_width

REIWA_START = dt.date(2019, 5, 1)
_WEEKDAYS_JA = "月火水木金土日"  # date.weekday() order
_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December")
# what an IME or a word processor may put between the numbers for a hyphen (ー when typing in kana mode)
_HYPHENS = str.maketrans({c: "-" for c in "‐‑‒–—―−ーｰ"})
_WESTERN = re.compile(r"([1-9]\d{3})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})")
_WESTERN_JA = re.compile(r"([1-9]\d{3})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?")
_REIWA = re.compile(r"(?:令和|[Rr])\s*(元|\d{1,2})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?"
                    r"|([-/.])\s*(\d{1,2})\s*\4\s*(\d{1,2}))")
_WEEKDAY = re.compile(r"\s*\(\s*([月火水木金土日])\s*(?:曜日?)?\s*\)$")
# between dates in one cell or field: 2024-11-19、2024-11-20 (whitespace too, see read_dates)
_LIST = re.compile(r"[、,，;；\n]+")
_EXAMPLES_JA = "2025-06-14、2025/6/14、2025年6月14日、令和7年6月14日、R7.6.14"
_EXAMPLES_EN = "2025-06-14, 2025/6/14, 2025年6月14日, 令和7年6月14日 or R7.6.14"


@dataclass(frozen=True)
class DateReading:
    """What a typed date holds: `value`, or None with `problem`: "blank", "text" (not a date as
    people write one), "impossible" (no such day: 2025-02-30) or "weekday" (the weekday typed is not
    that day's). `message_ja` / `message_en` say what is wrong in a whole sentence about the text,
    for a form or a cell finding to put after its own words; `text` is what was read."""

    value: dt.date | None
    problem: str | None = None
    message_ja: str = ""
    message_en: str = ""
    text: str = ""

    @property
    def iso(self) -> str | None:
        """The date as results keep it ("2025-06-14"), or None."""
        return self.value.isoformat() if self.value else None


def _normal(text: str) -> str:
    return half_width(text).replace("\u32ff", "令和").translate(_HYPHENS).strip()


def _refused(text: str, problem: str, ja: str, en: str) -> DateReading:
    return DateReading(None, problem, ja, en, text)


def read_date(text: str) -> DateReading:
    """One date as typed (see the module's docstring for the forms read)."""
    t = _normal(text)
    shown = text.strip()[:40]
    if not t:
        return _refused(text, "blank", "日付が入っていません。2025-06-14 のように入れてください。",
                        "No date was entered. Enter one such as 2025-06-14.")
    weekday = None
    if m := _WEEKDAY.search(t):
        weekday, t = _WEEKDAYS_JA.index(m.group(1)), t[:m.start()]
    era, numbers = False, None
    if m := _WESTERN.fullmatch(t):
        numbers = (m.group(1), m.group(3), m.group(4))
    elif m := _WESTERN_JA.fullmatch(t):
        numbers = m.groups()
    elif m := _REIWA.fullmatch(t):
        era = True
        numbers = (m.group(1), m.group(2) or m.group(5), m.group(3) or m.group(6))
    if numbers is None:
        return _refused(text, "text",
                        f"「{shown}」は日付として読めません。年・月・日の順に、{_EXAMPLES_JA} のように入れてください。",
                        f"'{shown}' cannot be read as a date. Enter the year, month and day in that order, "
                        f"e.g. {_EXAMPLES_EN}.")
    y = 1 if numbers[0] == "元" else int(numbers[0])
    month, day = int(numbers[1]), int(numbers[2])
    if era and y == 0:
        return _refused(text, "impossible",
                        f"「{shown}」は日付として読めません: 令和0年はありません（令和元年が2019年です）。",
                        f"'{shown}' is not a date: there is no Reiwa year 0 (Reiwa 1 is 2019).")
    year = 2018 + y if era else y
    if not 1 <= month <= 12:
        return _refused(text, "impossible", f"「{shown}」は日付として読めません: {month}月はありません（月は1〜12）。",
                        f"'{shown}' is not a date: there is no month {month} (months run from 1 to 12).")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        name = f"{_MONTHS_EN[month - 1]} {year}"
        return _refused(text, "impossible",
                        f"「{shown}」は日付として読めません: {year}年{month}月{day}日はありません"
                        f"（{year}年{month}月は{last}日まで）。",
                        f"'{shown}' is not a date: {name} has no day {day} (it has {last} days).")
    value = dt.date(year, month, day)
    if era and value < REIWA_START:
        return _refused(text, "impossible",
                        f"「{shown}」は日付として読めません: 令和は2019年5月1日（令和元年5月1日）からです。",
                        f"'{shown}' is not a date: the Reiwa era began on 1 May 2019.")
    if weekday is not None and value.weekday() != weekday:
        actual = value.weekday()
        return _refused(text, "weekday",
                        f"「{shown}」: {year}年{month}月{day}日は{_WEEKDAYS_JA[actual]}曜日です"
                        f"（{_WEEKDAYS_JA[weekday]}曜日ではありません）。日付と曜日を確かめてください。",
                        f"'{shown}': {day} {_MONTHS_EN[month - 1]} {year} is a {_WEEKDAYS_EN[actual]}, not a "
                        f"{_WEEKDAYS_EN[weekday]}. Check the date and the weekday.")
    return DateReading(value, text=text)


def read_dates(text: str) -> list[DateReading]:
    """Every date in a text that may hold several (2024-11-19、2024-11-20; commas, semicolons and
    line breaks separate them, and so do spaces between whole dates); [] for a blank text.

    A space is a separator only where the pieces read as dates on their own, so 「令和 7年6月14日」 and
    「2025年6月14日 (土)」 stay one date, and 「2025 6 14」 is one text that is not a date (not three)."""
    out: list[DateReading] = []
    for part in _LIST.split(text):
        if not part.strip():
            continue
        whole = read_date(part)
        pieces = part.split()
        if whole.problem == "text" and len(pieces) > 1:
            each = [read_date(p) for p in pieces]
            if any(r.value for r in each):
                out.extend(each)
                continue
        out.append(whole)
    return out


def example_date(fiscal_year: int) -> dt.date:
    """A date inside a fiscal year for a form's placeholder: 19 November of it (the day of the
    Tohoku event in the seed), far from the year's edges, so it never reads as a default bound."""
    return dt.date(fiscal_year, 11, 19)


def date_examples(iso: str, lang: str) -> str:
    """The forms of one date the readers here take, for a hint (the results form, the 実績 sheet):
    2025-11-19, 2025/11/19, 令和7年11月19日, R7.11.19."""
    if not iso:
        return ""
    d = dt.date.fromisoformat(iso)
    forms = [iso, f"{d.year}/{d.month}/{d.day}", wareki_date(d), f"R{d.year - 2018}.{d.month}.{d.day}"]
    return ", ".join(forms) if lang == "en" else "・".join(forms)


def date_with_weekday(day: dt.date) -> tuple[str, str]:
    """A day as an event report heads it, in 令和 and in western form, each with its weekday:
    2024-11-19 → ("令和6年11月19日（火）", "2024年11月19日（火）")."""
    w = _WEEKDAYS_JA[day.weekday()]
    return f"{wareki_date(day)}（{w}）", f"{day.year}年{day.month}月{day.day}日（{w}）"


def date_with_weekday_en(day: dt.date) -> str:
    """2024-11-19 → "Tuesday, 19 November 2024"."""
    return f"{_WEEKDAYS_EN[day.weekday()]}, {day.day} {_MONTHS_EN[day.month - 1]} {day.year}"
