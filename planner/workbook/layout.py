"""Where things are in the workbooks: sheet names, label texts and limits shared by the template
maker, the writers and the reader. Positions of data are found by label, never by fixed cell, so a
person may restyle or rearrange a template in Excel."""

from __future__ import annotations

import os
from pathlib import Path

from ..limits import MAX_LINES  # noqa: F401  (plan lines a workbook holds: the store's own limit)

# Plan workbook, in SPEC order; the two hidden sheets carry dropdown lists and what the file was made from.
COVER, PLAN, SUMMARY, RESULTS, MENU = "表紙", "計画", "集計", "実績", "メニュー"
COMPANIES = "参加企業"  # a row a participating company of a result; after 実績 (an older export has none)
FINDINGS = "チェック結果"  # what planner check finds in the plan(s); an older export has none
PLAN_SHEETS = (COVER, PLAN, SUMMARY, FINDINGS, RESULTS, COMPANIES, MENU)
LISTS, META = "_lists", "_meta"

# Consolidated workbook
OVERVIEW, QUANTITIES, POINTS, SCHEDULE, DETAIL = "概要", "数量", "ポイント", "年間日程", "明細"
LOAD = "受託者の負荷"
CONSOLIDATED_SHEETS = (OVERVIEW, FINDINGS, QUANTITIES, POINTS, SCHEDULE, LOAD, DETAIL)
LOAD_CORNER, LOAD_TOTAL, LOAD_CAPACITY, LOAD_OVER = "月", "合計", "上限", "超過"

FORMAT = "planner-plan-workbook"
FORMAT_VERSION = 1

MAX_FILE_BYTES = 10 * 1024 * 1024
HEADER_SCAN_ROWS = 10  # the header row is looked for in the first rows of a sheet

# A label wider than its column is written broken between its words, not where the column happens to end
# (「単価ポイ／ント」): in the consolidated workbook, 計画's budget labels and the メニュー sheet. A cell's label is
# read without its line breaks (cell_label). The headers of 計画 and 実績, which people fill in and planner
# reads back, stay one string each (header_row(wrapped=False) in scripts/make_templates.py).
WRAPPED_LABELS = {words.replace("|", ""): words.replace("|", "\n") for words in (
    "予算|ポイント", "使用|ポイント", "残り|ポイント", "単価|ポイント", "想定|企業数", "想定|留学生数",
    "概算金額|（円）", "1単位あたりの|概算金額（円）")}


def written_label(label: str) -> str:
    """How a label is written in a header or label cell: broken between words where it wraps."""
    return WRAPPED_LABELS.get(label, label)


def cell_label(value: object) -> str | None:
    """The label a header or label cell holds (None for a blank or a number): its text without the line
    breaks it may be written with, and without surrounding spaces."""
    if not isinstance(value, str):
        return None
    return value.replace("\r", "").replace("\n", "").strip() or None


# empty rows printed under a plan's lines, ruled like them, to the foot of the page (at least this many): a
# line added offline (in Excel, LibreOffice or by hand on paper) under the others prints without anyone
# widening the print area. The print area cannot follow the lines by itself: LibreOffice ignores a computed
# (OFFSET) print area and, with none, prints all 200 input rows, whose formula cells count as content
# (18 pages of empty rows for an eight-line plan).
SPARE_ROWS_MIN = 3
PAGE_HEIGHT_PT = 595.0  # A4 landscape
MAX_COLUMNS = 60  # columns read from a sheet; anything further right is ignored

# 表紙 (and the plan sheet's summary row): label in one cell, its value in the cell to the right.
COVER_LABELS = {
    "consortium": "コンソーシアム",
    "fiscal_year": "年度",
    "status": "状態",
    "revision": "版",
    "updated": "最終更新",
    "exported": "作成日時",
    "budget": "予算ポイント",
    "used": "使用ポイント",
    "left": "残りポイント",
    "yen_per_point": "1ポイントあたりの金額（円）",
    "cost": "概算金額（円）",
    "comment": "担当者コメント",
    "note": "注記",
}
PLAN_SUMMARY_LABELS = {"budget": "予算ポイント", "used": "使用ポイント", "left": "残りポイント"}

OVERVIEW_COLUMNS = ("コンソーシアム", "状態", "版", "最終更新（日本時間）", "予算ポイント", "使用ポイント",
                    "残りポイント", "使用率", "概算金額（円）", "担当者コメント")
DETAIL_COLUMNS = ("コンソーシアム", "番号", "メニュー", "区分", "数量", "単価ポイント", "ポイント", "実施月",
                  "件名", "開催地", "想定企業数", "想定留学生数", "言語", "備考", "状態")
# コンソーシアム: on the consolidated workbook only
FINDINGS_COLUMNS = ("コンソーシアム", "重要度", "番号", "内容", "Message", "コード")
MATRIX_CORNER = "コンソーシアム"
SCHEDULE_CORNER = "実施月"
TOTAL_LABEL = "合計"


def templates_dir() -> Path:
    """PLANNER_TEMPLATES, else the project's templates/xlsx folder."""
    env = os.environ.get("PLANNER_TEMPLATES")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "templates" / "xlsx"
