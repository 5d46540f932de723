"""How people write numbers, months and years in Japanese documents."""

from __future__ import annotations

import datetime as dt

JST = dt.timezone(dt.timedelta(hours=9), "JST")

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# Fiscal year months in order: April of the year to March of the next.
FISCAL_MONTHS: tuple[int, ...] = (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)


def circled(n: int) -> str:
    """① for 1 … ⑳ for 20; plain digits beyond."""
    return CIRCLED[n - 1] if isinstance(n, int) and 1 <= n <= len(CIRCLED) else str(n)


def reiwa(year: int) -> str:
    """Western fiscal year 2025 → 令和7年度."""
    n = year - 2018
    return f"令和{'元' if n == 1 else n}年度"


def fiscal_year_label(year: int, lang: str = "ja") -> str:
    if lang == "en":
        return f"FY{year} (Apr {year} – Mar {year + 1})"
    return f"{reiwa(year)}（{year}年度）"


def month_label(month: int, lang: str = "ja") -> str:
    if lang == "en":
        names = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
        return names[month - 1] if isinstance(month, int) and 1 <= month <= 12 else str(month)
    return f"{month}月"


def calendar_year(fiscal_year: int, month: int) -> int:
    """The calendar year of a month within a fiscal year (Jan–Mar fall in the next year)."""
    return fiscal_year + 1 if month <= 3 else fiscal_year


def fiscal_year_span(fiscal_year: int) -> tuple[dt.date, dt.date]:
    """The first and last day of a fiscal year: FY2025 runs from 2025-04-01 to 2026-03-31."""
    return dt.date(fiscal_year, 4, 1), dt.date(fiscal_year + 1, 3, 31)


def japan_time(when: str | dt.datetime | None, lang: str | None = "ja") -> str:
    """A moment as people here read it, in Japan time to the minute, in one form everywhere.

    `when` is the store's ISO timestamp ("2026-11-23T12:13:09Z") or a datetime; a naive datetime
    or a timestamp without an offset is taken as UTC, as the store keeps it. lang "ja" gives
    "2026-11-23 21:13（日本時間）", "en" gives "2026-11-23 21:13 JST", None the bare
    "2026-11-23 21:13" (for a place already headed 日本時間). Empty gives ""; text that is not a
    timestamp is returned as it is. Machine-readable output keeps the ISO UTC form instead.
    """
    if when is None or when == "":
        return ""
    if isinstance(when, dt.datetime):
        t = when
    else:
        try:
            t = dt.datetime.fromisoformat(str(when).strip().replace("Z", "+00:00"))
        except ValueError:
            return str(when)
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.UTC)
    bare = t.astimezone(JST).strftime("%Y-%m-%d %H:%M")
    if lang is None:
        return bare
    return f"{bare} JST" if lang == "en" else f"{bare}（日本時間）"


def wareki_date(day: dt.date) -> str:
    """A date as Japanese offices write it: 2024-11-19 → 令和6年11月19日 (2019-05-01 on: 令和; earlier: 平成)."""
    if day >= dt.date(2019, 5, 1):
        n, era = day.year - 2018, "令和"
    else:
        n, era = day.year - 1988, "平成"
    return f"{era}{'元' if n == 1 else n}年{day.month}月{day.day}日"


def wareki_time(when: str | dt.datetime | None, zone: bool = True) -> str:
    """A moment in Japan time as 令和8年11月23日 21:13（日本時間）; without the zone where a heading
    says it; "" for nothing."""
    bare = japan_time(when, None)
    if not bare:
        return ""
    try:
        t = dt.datetime.strptime(bare, "%Y-%m-%d %H:%M")
    except ValueError:
        return bare
    return f"{wareki_date(t.date())} {t:%H:%M}" + ("（日本時間）" if zone else "")
