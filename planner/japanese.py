"""How people write numbers, months and years in Japanese documents."""

from __future__ import annotations

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
