"""The チェック結果 sheet of the plan and consolidated workbooks: what `planner check` finds in each plan
(the same rules and messages as the apps), in Japanese and English, so that the contractor sees a budget
overrun or a late concentration on paper, not only in the app."""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl.worksheet.worksheet import Worksheet

from ..findings import Finding
from . import layout as L
from .template import find_header, fit_row_heights, protect, put, style_rows

SEVERITY_LABELS = {"error": "エラー", "warning": "警告"}
NONE_FOUND = "問題は見つかりませんでした。"
NONE_FOUND_EN = "No problems found."


def fill_findings(ws: Worksheet, findings: Iterable[tuple[str, Finding]]) -> None:
    """One row a finding: (the consortium's name, the finding), in the order given."""
    hrow, cols = find_header(ws, L.FINDINGS_COLUMNS[1])
    rows = list(findings)
    last = hrow + max(len(rows), 1)
    style_rows(ws, hrow + 1, hrow + 2, last, max(cols.values()))
    if not rows:
        put(ws.cell(hrow + 1, cols["内容"]), NONE_FOUND)
        put(ws.cell(hrow + 1, cols["Message"]), NONE_FOUND_EN)
    for r, (name, f) in enumerate(rows, start=hrow + 1):
        values = {"コンソーシアム": name, "重要度": SEVERITY_LABELS.get(f.severity, f.severity), "番号": f.line,
                  "内容": f.message_ja, "Message": f.message_en, "コード": f.code}
        for label, value in values.items():
            if label in cols:
                put(ws.cell(r, cols[label]), value)
    fit_row_heights(ws, hrow + 1, last, minimum=18)
    protect(ws)
    ws.print_area = f"A1:{ws.cell(hrow, max(cols.values())).column_letter}{last}"
