"""Templates: load one, find its header rows and labels by text, copy its styles onto data rows, and
fill its {placeholders}. The template owns the look; code only puts data in."""

from __future__ import annotations

import copy
import io
import math
import re
import unicodedata
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as escape_xml

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.utils.escape import escape
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .columns import FORMULA_LEADS
from .layout import HEADER_SCAN_ROWS, cell_label, templates_dir


def load_template(name: str, directory: Path | None = None) -> Workbook:
    path = (directory or templates_dir()) / name
    return load_workbook(path)


def find_header(ws: Worksheet, first_label: str) -> tuple[int, dict[str, int]]:
    """The header row (the first row whose cells include first_label) and {label: column index}."""
    for row in ws.iter_rows(min_row=1, max_row=HEADER_SCAN_ROWS):
        labels = {label: c.column for c in row if (label := cell_label(c.value))}
        if first_label in labels:
            return row[0].row, labels
    raise LookupError(f"template sheet {ws.title!r} has no header row with {first_label!r}")


def label_cells(ws: Worksheet, labels: dict[str, str], max_row: int = 40) -> dict[str, Cell]:
    """{key: the cell right of the cell holding that label}."""
    wanted = {v: k for k, v in labels.items()}
    out: dict[str, Cell] = {}
    for row in ws.iter_rows(min_row=1, max_row=max_row):
        for c in row:
            if (label := cell_label(c.value)) in wanted:
                out[wanted[label]] = ws.cell(c.row, c.column + 1)
    return out


def col_letter(cols: dict[str, int], label: str) -> str:
    """The letter of the column headed `label`."""
    return get_column_letter(cols[label])


def add_validation(ws: Worksheet, rng: str, title_ja: str, message_ja: str, **kw: Any) -> None:
    """A dropdown or a bound on `rng`: what Excel refuses as typed, with a title and message in Japanese."""
    dv = DataValidation(showErrorMessage=True, errorStyle="stop", errorTitle=title_ja, error=message_ja,
                        allow_blank=True, **kw)
    for part in rng.split():  # several ranges, separated by spaces, share one rule
        dv.add(part)
    ws.add_data_validation(dv)


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


# -- row heights ------------------------------------------------------------------------------------
# Excel and LibreOffice store a row's height; neither grows a row for wrapped text when the file comes
# from elsewhere (LibreOffice fixes such rows at one line when it re-saves). So the height is set here
# from the text, for the narrower of the two programs: in Excel (Calibri's 7-pixel digit is the width
# unit) a full-width character takes about 1.9 units at 10 pt, a narrow one about 1.05; a line of Yu
# Gothic takes about 1.7 × its size (Excel's own row for Yu Gothic 11 pt is 18.75 pt). LibreOffice,
# printing Noto Sans CJK JP for Yu Gothic and a wider unit where Calibri is missing, needs fewer and
# lower lines: its rows show some room under the text, never a cut.


LINE = 1.7  # a line's height, times the font size


def text_units(text: str, size: float = 10.0) -> float:
    """How much column width a text takes on one line, in Excel width units."""
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WFA")
    return (wide * 1.9 + (len(text) - wide) * 1.05) * size / 10.0


def lines_needed(text: str, width: float, size: float = 10.0) -> int:
    room = max(width - 1.2, 1.0)  # the cell's own padding
    return sum(max(1, math.ceil(text_units(part, size) / room)) for part in text.split("\n"))


def fit_row_heights(ws: Worksheet, first: int, last: int, minimum: float | None = None) -> None:
    """Make rows first..last tall enough for every wrapped cell's whole text."""
    wb = ws.parent
    widths: dict[int, float] = {}
    looks: dict[tuple[int, int], tuple[float, bool]] = {}  # (font id, alignment id) -> (size, wraps)
    best: dict[int, float] = dict.fromkeys(range(first, last + 1), minimum or 0.0)
    for (r, col), cell in ws._cells.items():  # the cells the sheet holds, not every cell of the rows
        v = cell._value
        if not first <= r <= last or not isinstance(v, str) or not v or cell.data_type == "f":
            continue
        key = (cell._style.fontId, cell._style.alignmentId)
        if key not in looks:
            font, align = wb._fonts[key[0]], wb._alignments[key[1]]
            looks[key] = (float(font.sz or 11), bool(align.wrapText))
        size, wraps = looks[key]
        if wraps:
            if col not in widths:
                widths[col] = ws.column_dimensions[get_column_letter(col)].width or 8.43
            n = lines_needed(v, widths[col], size)
        else:
            n = v.count("\n") + 1
        best[r] = max(best[r], n * size * LINE + 3)
    for r, height in best.items():
        if height:
            ws.row_dimensions[r].height = round(height, 1)


# -- cached values ----------------------------------------------------------------------------------
# openpyxl writes a formula cell with an empty value, so whatever does not recalculate (a mail or file
# preview, openpyxl's data_only) shows it blank. planner knows every total it writes as a formula, so
# the saved file is given those values as the formulas' cached results: the same <v> Excel itself writes
# beside <f>. Excel and LibreOffice recalculate on opening (openpyxl marks the file fullCalcOnLoad), so a
# cached value is only what is shown before that, never what a person's edit computes.

_CACHE = "_planner_cached_values"
_FORMULA_CELL = re.compile(r'<c r="([A-Z]{1,3}[0-9]{1,7})"([^>]*)><f>([^<]*)</f><v\s*/></c>|'
                           r'<c r="([A-Z]{1,3}[0-9]{1,7})"([^>]*)><f>([^<]*)</f><v></v></c>')


def set_formula(cell: Cell, formula: str, value: Any) -> None:
    """Put a formula in a cell and remember the value planner computed for it (None: not cached)."""
    cell.value = formula
    if value is not None:
        wb = cell.parent.parent
        wb.__dict__.setdefault(_CACHE, {})[(cell.parent.title, cell.coordinate)] = value


def cached_value(cell: Cell) -> Any:
    """The value set_formula remembered for a cell (None: none)."""
    return cell.parent.parent.__dict__.get(_CACHE, {}).get((cell.parent.title, cell.coordinate))


def _cached_xml(xml: str, values: dict[str, Any]) -> str:
    def sub(m: re.Match) -> str:
        coord, attrs, formula = (m.group(1), m.group(2), m.group(3)) if m.group(1) else m.group(4, 5, 6)
        if coord not in values:
            return m.group(0)
        v = values[coord]
        if isinstance(v, bool):
            return f'<c r="{coord}"{attrs} t="b"><f>{formula}</f><v>{int(v)}</v></c>'
        if isinstance(v, int | float):
            return f'<c r="{coord}"{attrs}><f>{formula}</f><v>{repr(float(v)) if isinstance(v, float) else v}</v></c>'
        return f'<c r="{coord}"{attrs} t="str"><f>{formula}</f><v>{escape_xml(str(v))}</v></c>'

    return _FORMULA_CELL.sub(sub, xml)


def to_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    cached: dict[tuple[str, str], Any] = wb.__dict__.get(_CACHE, {})
    if not cached:
        return buf.getvalue()
    by_part: dict[str, dict[str, Any]] = {}
    for ws in wb.worksheets:
        values = {coord: v for (title, coord), v in cached.items() if title == ws.title}
        if values:
            by_part[ws.path.lstrip("/")] = values
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename in by_part:
                data = _cached_xml(data.decode("utf-8"), by_part[info.filename]).encode("utf-8")
            dst.writestr(info, data)
    return out.getvalue()


# -- protection -------------------------------------------------------------------------------------

UNLOCKED = Protection(locked=False)
# conditional formats: what planner would refuse, seen before anyone runs a check
BAD_FILL = PatternFill("solid", fgColor="FCE4E4")
BAD_FONT = Font(color="C00000", bold=True)
LOCKED = Protection(locked=True)
# a value planner reads, but typed in a way the spreadsheet may not (a count as text: 「37名」)
TEXT_FILL = PatternFill("solid", fgColor="FFF2CC")
TEXT_FONT = Font(color="7F6000", bold=True)


def protect(ws: Worksheet) -> None:
    """Sheet protection without a password: formulas and ids cannot be typed over by accident, yet
    anyone can lift it (校閲 → シート保護の解除) when they really mean to. Rows and columns may still be
    resized; rows cannot be inserted or deleted, because a row inserted in Excel has no formulas and would
    drop out of the totals while planner counted it."""
    p = ws.protection
    p.sheet = True
    p.formatColumns = False
    p.formatRows = False
    p.formatCells = True
    p.insertRows = True
    p.deleteRows = True
    p.selectLockedCells = False
    p.selectUnlockedCells = False
