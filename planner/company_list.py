"""A list of participating companies as people bring it: rows pasted from a registration form's export
or from Excel (tab- or comma-separated), a CSV or Excel file's rows, or a page's list grouped under
prefecture headings (「宮城」 then 「⑤アンデックス株式会社」…). Only each company's name and prefecture are
taken: a registration export's other columns (a person's name, a mail address) are never kept.
Pure functions: what cannot be read is left for check_result to name (an unknown prefecture, a
company listed twice)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from .numbers import half_width
from .prefectures import prefecture_of
from .results import Company

NAME_HEADS = ("企業名", "会社名", "社名", "法人名", "事業所名", "企業", "company", "company name", "name")
PREFECTURE_HEADS = ("都道府県", "所在地", "都道府県名", "所在都道府県", "県", "prefecture")
# a numbering people put before a name: ①, 1., 1), (1), 1、 No.1
_NUMBERING = re.compile(r"^\s*(?:[\u2460-\u2473\u3251-\u325f\u32b1-\u32bf]|\(?\d{1,3}[.)、．）]|No\.?\s*\d+)\s*")


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    # full-width letters and spaces as ASCII, but ① stays ① (NFKC would make it a 1 glued to the name)
    return half_width(str(v)).strip()


def _head(cell: str, heads: Sequence[str]) -> bool:
    c = cell.replace(" ", "").casefold()
    return any(c == h.replace(" ", "").casefold() for h in heads)


def _is_number(cell: str) -> bool:
    return bool(re.fullmatch(r"(No\.?\s*)?\d{1,4}[.)、）]?", cell))


def _unnumbered(name: str) -> str:
    return _NUMBERING.sub("", name, count=1).strip()


def split_text(text: str) -> list[list[str]]:
    """Pasted text as rows of cells: tab-separated if any line has a tab (Excel, a web form's table),
    else comma-separated (CSV, with its quotes); blank lines dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    delimiter = "\t" if "\t" in text else ","
    rows = csv.reader(io.StringIO(text), delimiter=delimiter)
    return [cells for cells in ([_cell(c) for c in r] for r in rows) if any(cells)]


def read_rows(rows: Iterable[Sequence[Any]]) -> tuple[Company, ...]:
    """Companies from rows of cells. A header row naming the columns (企業名, 都道府県, …) says where the
    name and the prefecture are; without one, the column that mostly holds prefectures is theirs and the
    first other column that is not a number (a 番号) is the name. A row of one cell is either a
    prefecture heading for the rows under it, or a company (its numbering ① or 1. dropped) under the
    heading above it, or 「青森 ①フジプラント株式会社」: a prefecture, a space and a name."""
    cells = [[_cell(c) for c in r] for r in rows]
    cells = [r for r in cells if any(r)]
    name_col = pref_col = None
    if cells:
        head = cells[0]
        names = [i for i, c in enumerate(head) if _head(c, NAME_HEADS)]
        prefs = [i for i, c in enumerate(head) if _head(c, PREFECTURE_HEADS)]
        if names and prefs:
            name_col, pref_col = names[0], prefs[0]
            cells = cells[1:]
    wide = [r for r in cells if sum(1 for c in r if c) >= 2]
    if pref_col is None and wide:
        width = max(len(r) for r in wide)
        hits = [sum(1 for r in wide if i < len(r) and prefecture_of(r[i])) for i in range(width)]
        pref_col = max(range(width), key=lambda i: hits[i]) if max(hits) else None
        others = [i for i in range(width) if i != pref_col
                  and not all(_is_number(r[i]) for r in wide if i < len(r) and r[i])]
        name_col = others[0] if others else 0
        if pref_col is None:
            pref_col = name_col + 1
    out: list[Company] = []
    heading = ""
    for r in cells:
        filled = [c for c in r if c]
        if len(filled) == 1 and (name_col is None or len(wide) < len(cells)):
            one = filled[0]
            if prefecture_of(one):
                heading = one
                continue
            first, _, rest = one.partition(" ")
            if rest.strip() and prefecture_of(first):
                heading = first
                out.append(Company(_unnumbered(rest), first))
                continue
            out.append(Company(_unnumbered(one), heading))
            continue
        name = r[name_col] if name_col is not None and name_col < len(r) else ""
        pref = r[pref_col] if pref_col is not None and pref_col < len(r) else ""
        out.append(Company(_unnumbered(name), pref))
    return tuple(out)


def read_text(text: str) -> tuple[Company, ...]:
    """Companies from pasted text (see split_text and read_rows)."""
    return read_rows(split_text(text))


def as_text(companies: Iterable[Company]) -> str:
    """Companies as the form shows them: a row each, name and prefecture separated by a tab."""
    return "\n".join(f"{c.name}\t{c.prefecture}" for c in companies)
