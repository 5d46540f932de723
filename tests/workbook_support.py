"""Shared by the workbook tests: change cells of a workbook as a person would in Excel."""

from __future__ import annotations

import io

import openpyxl

from planner.workbook import layout as L


def edit(data: bytes, cells: dict[str, object], sheet: str = L.PLAN) -> bytes:
    """The workbook with these cells set (openpyxl load and save)."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for ref, value in cells.items():
        wb[sheet][ref] = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
