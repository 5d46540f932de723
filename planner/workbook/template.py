"""Templates: load one, find its header rows and labels by text, copy its styles onto data rows, and
fill its {placeholders}. The template owns the look; code only puts data in."""

from __future__ import annotations

import copy
import io
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.utils import get_column_letter
from openpyxl.utils.escape import escape
from openpyxl.worksheet.worksheet import Worksheet

from .columns import FORMULA_LEADS
from .layout import HEADER_SCAN_ROWS, templates_dir


def load_template(name: str, directory: Path | None = None) -> Workbook:
    path = (directory or templates_dir()) / name
    return load_workbook(path)


def find_header(ws: Worksheet, first_label: str) -> tuple[int, dict[str, int]]:
    """The header row (the first row whose cells include first_label) and {label: column index}."""
    for row in ws.iter_rows(min_row=1, max_row=HEADER_SCAN_ROWS):
        labels = {str(c.value).strip(): c.column for c in row if isinstance(c.value, str) and c.value.strip()}
        if first_label in labels:
            return row[0].row, labels
    raise LookupError(f"template sheet {ws.title!r} has no header row with {first_label!r}")


def label_cells(ws: Worksheet, labels: dict[str, str], max_row: int = 40) -> dict[str, Cell]:
    """{key: the cell right of the cell holding that label}."""
    wanted = {v: k for k, v in labels.items()}
    out: dict[str, Cell] = {}
    for row in ws.iter_rows(min_row=1, max_row=max_row):
        for c in row:
            if isinstance(c.value, str) and c.value.strip() in wanted:
                out[wanted[c.value.strip()]] = ws.cell(c.row, c.column + 1)
    return out


def copy_style(src: Cell, dst: Cell) -> None:
    if src.has_style:
        dst._style = copy.copy(src._style)


def style_rows(ws: Worksheet, style_row: int, first: int, last: int, columns: int) -> None:
    """Give rows first..last the style of the template's style row, cell by cell."""
    height = ws.row_dimensions[style_row].height
    styles = [ws.cell(style_row, col) for col in range(1, columns + 1)]
    for r in range(first, last + 1):
        for col, src in enumerate(styles, start=1):
            copy_style(src, ws.cell(r, col))
        if height:
            ws.row_dimensions[r].height = height


def widen(ws: Worksheet, header_row: int, style_row: int, from_col: int, to_col: int) -> None:
    """Extend a template's last styled column (header, body and width) to more columns."""
    width = ws.column_dimensions[get_column_letter(from_col)].width
    for col in range(from_col + 1, to_col + 1):
        copy_style(ws.cell(header_row, from_col), ws.cell(header_row, col))
        copy_style(ws.cell(style_row, from_col), ws.cell(style_row, col))
        if width:
            ws.column_dimensions[get_column_letter(col)].width = width


def put_text(cell: Cell, value: Any) -> None:
    """Write text as text: never a formula, even when it starts with = + - @ (shown with a quote prefix)."""
    s = "" if value is None else str(value)
    if not s:
        cell.value = None
        return
    if ILLEGAL_CHARACTERS_RE.search(s):
        s = escape(s)  # control characters cannot stand in XML; Excel's own _x0007_ form keeps them visible
    cell.value = s
    cell.data_type = "s"  # openpyxl would otherwise turn "=…" into a formula
    if s.startswith(FORMULA_LEADS):
        cell.quotePrefix = True


def put(cell: Cell, value: Any) -> None:
    if isinstance(value, str):
        put_text(cell, value)
    else:
        cell.value = value


def fill_placeholders(wb: Workbook, values: dict[str, str]) -> None:
    """Replace {name} in the title cells (first rows) and in page headers and footers."""

    def sub(text: str | None, escape: bool) -> str | None:
        if not text:
            return text
        for k, v in values.items():
            text = text.replace("{" + k + "}", v.replace("&", "&&") if escape else v)
        return text

    for ws in wb.worksheets:
        for row in ws.iter_rows(min_row=1, max_row=2):
            for c in row:
                if isinstance(c.value, str) and "{" in c.value:
                    put_text(c, sub(c.value, False))
        for hf in (ws.oddHeader, ws.oddFooter, ws.evenHeader, ws.evenFooter, ws.firstHeader, ws.firstFooter):
            for part in (hf.left, hf.center, hf.right):
                part.text = sub(part.text, True)


def to_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
