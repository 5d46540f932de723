"""A file of participating companies uploaded into the results form: a CSV (UTF-8, or Shift_JIS as
Japanese Excel writes it) or an Excel workbook (its 参加企業 sheet if it has one, else its first sheet),
as rows of cells for planner.company_list to read. An .xlsx is checked like a plan workbook (safety)
before openpyxl parses it."""

from __future__ import annotations

import io
from typing import Any

from ..findings import Finding, has_errors
from . import layout as L
from .safety import inspect

MAX_ROWS = 2000  # a list of companies is tens of rows; a bigger file is not one


def company_file_rows(name: str, data: bytes) -> tuple[list[list[Any]] | None, list[Finding]]:
    """The file's rows, or None with why it cannot be read."""
    if name.lower().endswith((".csv", ".txt", ".tsv")) or not data.startswith((b"PK\x03\x04", b"\xd0\xcf")):
        return _text_rows(name, data)
    insp = inspect(data)
    if has_errors(insp.findings):
        return None, insp.findings
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # noqa: BLE001 - whatever openpyxl trips on, the answer is a finding
        return None, [Finding.of("NOT_A_WORKBOOK.contents", name=type(e).__name__)]
    try:
        ws = wb[L.COMPANIES] if L.COMPANIES in wb.sheetnames else wb.worksheets[0]
        rows = [list(r) for _, r in zip(range(MAX_ROWS + 1), ws.iter_rows(max_col=20, values_only=True),
                                        strict=False)]
    except Exception as e:  # noqa: BLE001 - a malformed part found late still only refuses the file
        return None, [Finding.of("NOT_A_WORKBOOK.contents", name=type(e).__name__)]
    finally:
        wb.close()
    return _bounded(name, rows)


def _text_rows(name: str, data: bytes) -> tuple[list[list[Any]] | None, list[Finding]]:
    from ..company_list import split_text

    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return None, [Finding.of("COMPANY_FILE_UNREADABLE", name=name)]
    if "\x00" in text:
        return None, [Finding.of("COMPANY_FILE_UNREADABLE", name=name)]
    return _bounded(name, split_text(text))


def _bounded(name: str, rows: list[list[Any]]) -> tuple[list[list[Any]] | None, list[Finding]]:
    if len(rows) > MAX_ROWS:
        return None, [Finding.of("COMPANY_FILE_TOO_LONG", name=name, max=MAX_ROWS)]
    return rows, []
