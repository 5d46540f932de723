#!/usr/bin/env python3
"""Make templates/xlsx/plan.xlsx and consolidated.xlsx: the look of the workbooks (fonts, colours,
widths, print setup, header and footer, sample-free style rows).

Run once; the files are then committed and may be restyled in Excel or LibreOffice. The code that
exports workbooks fills data only: it finds header rows and labels by their text, copies each
column's style from the row under the header (the "style row"), and replaces {consortium} and
{fiscal_year} in page headers and titles.

    .venv/bin/python scripts/make_templates.py [OUTDIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from planner.workbook import layout as L  # noqa: E402
from planner.workbook.columns import LINE_ID_LABEL, PLAN_COLUMNS, RESULT_COLUMNS  # noqa: E402

FONT = "Yu Gothic"  # Excel's Japanese UI font; LibreOffice substitutes Noto Sans CJK JP where it is missing
NAVY = "1F4E78"
PALE = "DDEBF7"
thin = Side(style="thin", color="9BA3AE")
BOX = Border(left=thin, right=thin, top=thin, bottom=thin)

TITLE = Font(name=FONT, size=14, bold=True, color=NAVY)
HEAD = Font(name=FONT, size=10, bold=True, color="FFFFFF")
HEAD_FILL = PatternFill("solid", fgColor=NAVY)
BODY = Font(name=FONT, size=10)
LABEL_FILL = PatternFill("solid", fgColor=PALE)
COMPUTED_FILL = PatternFill("solid", fgColor="F2F2F2")


def page(ws: Worksheet, title_rows: str | None, header: str) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddHeader.left.text = header
    ws.oddHeader.left.size = 9
    ws.oddHeader.right.text = "&A"
    ws.oddHeader.right.size = 9
    ws.oddFooter.center.text = "&P / &N"
    ws.oddFooter.center.size = 9
    ws.oddFooter.right.text = "planner"
    ws.oddFooter.right.size = 8


def header_row(ws: Worksheet, row: int, labels: list[str], widths: dict[str, float]) -> None:
    for col, label in enumerate(labels, start=1):
        c = ws.cell(row, col, label)
        c.font = HEAD
        c.fill = HEAD_FILL
        c.border = BOX
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[c.column_letter].width = widths.get(label, 12)
    ws.row_dimensions[row].height = 30


def hide_id_column(ws: Worksheet, row: int) -> None:
    """The line id is the workbook's memory of which line a row is: hidden so nobody types over it
    by accident (unhiding it is possible; an edited id is refused on reading)."""
    for c in ws[row]:
        if c.value == LINE_ID_LABEL:
            ws.column_dimensions[c.column_letter].hidden = True


def style_row(ws: Worksheet, row: int, formats: list[tuple[str, str, bool, bool]]) -> None:
    """The row under the header: each column's font, border, number format, alignment (no values)."""
    for col, (fmt, horiz, wrap, computed) in enumerate(formats, start=1):
        c = ws.cell(row, col)
        c.font = BODY
        c.border = BOX
        c.number_format = fmt
        c.alignment = Alignment(horizontal=horiz or None, vertical="top", wrap_text=wrap)
        if computed:
            c.fill = COMPUTED_FILL


def label_value(ws: Worksheet, row: int, col: int, label: str, fmt: str = "General") -> None:
    a = ws.cell(row, col, label)
    a.font = Font(name=FONT, size=10, bold=True)
    a.fill = LABEL_FILL
    a.border = BOX
    a.alignment = Alignment(vertical="top")
    b = ws.cell(row, col + 1)
    b.font = BODY
    b.border = BOX
    b.number_format = fmt
    b.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)


def plan_template() -> Workbook:
    wb = Workbook()
    header = "&\"Yu Gothic\"{consortium}　{fiscal_year}　支援事業メニュー計画"

    cover = wb.active
    cover.title = L.COVER
    cover["A1"] = "高度外国人材活躍地域コンソーシアム事業　支援事業メニュー（選択式）・ポイント制　実施計画"
    cover["A1"].font = TITLE
    cover.row_dimensions[1].height = 28
    formats = {"budget": "#,##0", "used": "#,##0", "left": "#,##0", "yen_per_point": "#,##0",
               "cost": '#,##0"円"', "revision": "0"}
    for i, (key, label) in enumerate(L.COVER_LABELS.items(), start=3):
        label_value(cover, i, 1, label, formats.get(key, "General"))
    cover.column_dimensions["A"].width = 30
    cover.column_dimensions["B"].width = 90
    page(cover, None, header)

    ws = wb.create_sheet(L.PLAN)
    ws["A1"] = "{consortium}　{fiscal_year}　計画"
    ws["A1"].font = TITLE
    for col, (_key, label) in zip((2, 8, 12), L.PLAN_SUMMARY_LABELS.items(), strict=True):
        label_value(ws, 2, col, label, "#,##0")
        ws.cell(2, col).alignment = Alignment(horizontal="right")
        ws.cell(2, col + 1).alignment = Alignment(horizontal="left")
    widths = {"番号": 6, "メニュー": 46, "区分": 18, "数量": 7, "単価ポイント": 8, "ポイント": 8, "実施月": 8,
              "件名": 40, "開催地": 14, "想定企業数": 9, "想定留学生数": 9, "言語": 12, "備考": 40, "中止": 6}
    header_row(ws, 3, [c.label for c in PLAN_COLUMNS], widths)
    plan_formats = {
        "番号": ("0", "center", False, True), "数量": ("0", "right", False, False),
        "単価ポイント": ("#,##0", "right", False, True), "ポイント": ("#,##0", "right", False, True),
        "実施月": ('0"月"', "center", False, False), "件名": ("@", "", True, False),
        "備考": ("@", "", True, False), "想定企業数": ("0", "right", False, False),
        "想定留学生数": ("0", "right", False, False), "中止": ("@", "center", False, False),
    }
    style_row(ws, 4, [plan_formats.get(c.label, ("@", "", True, False)) for c in PLAN_COLUMNS])
    hide_id_column(ws, 3)
    ws.freeze_panes = "A4"
    page(ws, "$1:$3", header)

    ws = wb.create_sheet(L.SUMMARY)
    ws["A1"] = "{consortium}　{fiscal_year}　メニュー別集計"
    ws["A1"].font = TITLE
    labels = ["番号", "メニュー", "数量", "ポイント", "行数"]
    header_row(ws, 3, labels, {"番号": 6, "メニュー": 50, "数量": 10, "ポイント": 10, "行数": 8})
    style_row(ws, 4, [("General", "center", False, False), ("@", "", False, False),
                      ("#,##0", "right", False, True), ("#,##0", "right", False, True), ("0", "right", False, True)])
    ws.freeze_panes = "A4"
    page(ws, "$1:$3", header)

    ws = wb.create_sheet(L.RESULTS)
    ws["A1"] = "{consortium}　{fiscal_year}　実績（受託者記入）"
    ws["A1"].font = TITLE
    ws["A2"] = "満足度は割合（%、合計100）または人数で入力し、「満足度の単位」で選んでください。"
    ws["A2"].font = Font(name=FONT, size=9, color="595959")
    widths = {"番号": 6, "メニュー": 30, "件名": 30, "実施日": 14, "会場": 24, "参加企業数": 8, "企業参加者数": 8,
              "留学生数": 8, "コンソーシアム関係者数": 10, "参加者計": 8, "大変満足": 7, "満足": 7, "不満": 7,
              "満足度の単位": 10, "備考": 40}
    header_row(ws, 3, [c.label for c in RESULT_COLUMNS], widths)
    res_formats = {"番号": ("0", "center", False, False), "メニュー": ("@", "", True, True),
                   "件名": ("@", "", True, True), "実施日": ("yyyy-mm-dd", "center", False, False),
                   "参加者計": ("0", "right", False, True), "会場": ("@", "", True, False),
                   "満足度の単位": ("@", "center", False, False), "備考": ("@", "", True, False)}
    res_formats[LINE_ID_LABEL] = ("@", "", False, False)
    style_row(ws, 4, [res_formats.get(c.label, ("0", "right", False, False)) for c in RESULT_COLUMNS])
    hide_id_column(ws, 3)
    ws.freeze_panes = "A4"
    page(ws, "$1:$3", header)

    ws = wb.create_sheet(L.MENU)
    ws["A1"] = "{fiscal_year}　支援事業メニューとポイント（{consortium}）"
    ws["A1"].font = TITLE
    labels = ["番号", "メニュー", "区分", "区分ID", "単位", "ポイント", "1単位あたりの概算金額（円）"]
    header_row(ws, 3, labels, {"番号": 6, "メニュー": 50, "区分": 26, "区分ID": 12, "単位": 10, "ポイント": 9,
                               "1単位あたりの概算金額（円）": 16})
    style_row(ws, 4, [("General", "center", False, False), ("@", "", False, False), ("@", "", False, False),
                      ("@", "", False, False), ("@", "center", False, False), ("#,##0", "right", False, False),
                      ("#,##0", "right", False, False)])
    ws.freeze_panes = "A4"
    page(ws, "$1:$3", header)

    for name in (L.LISTS, L.META):
        hidden = wb.create_sheet(name)
        hidden.sheet_state = "hidden"
    return wb


def consolidated_template() -> Workbook:
    wb = Workbook()
    header = "&\"Yu Gothic\"{fiscal_year}　支援事業メニュー計画　全コンソーシアム集約"

    ws = wb.active
    ws.title = L.OVERVIEW
    ws["A1"] = "{fiscal_year}　全コンソーシアム　計画の状態と予算の使用状況"
    ws["A1"].font = TITLE
    widths = {"コンソーシアム": 22, "状態": 10, "版": 6, "最終更新": 46, "予算ポイント": 10, "使用ポイント": 10,
              "残りポイント": 10, "使用率": 9, "概算金額（円）": 14, "担当者コメント": 60}
    header_row(ws, 3, list(L.OVERVIEW_COLUMNS), widths)
    style_row(ws, 4, [("@", "", False, False), ("@", "center", False, False), ("0", "center", False, False),
                      ("@", "", False, False), ("#,##0", "right", False, False), ("#,##0", "right", False, True),
                      ("#,##0", "right", False, True), ("0%", "right", False, True),
                      ("#,##0", "right", False, True), ("@", "", True, False)])
    ws.freeze_panes = "B4"
    page(ws, "$1:$3", header)

    for name, title in ((L.QUANTITIES, "メニュー別の数量"), (L.POINTS, "メニュー別のポイント")):
        ws = wb.create_sheet(name)
        ws["A1"] = "{fiscal_year}　コンソーシアム × " + title
        ws["A1"].font = TITLE
        header_row(ws, 3, [L.MATRIX_CORNER, "（メニュー）", L.TOTAL_LABEL], {L.MATRIX_CORNER: 22,
                                                                           "（メニュー）": 12, L.TOTAL_LABEL: 10})
        style_row(ws, 4, [("@", "", False, False), ("#,##0;-#,##0;\"\"", "right", False, True),
                          ("#,##0", "right", False, True)])
        ws.freeze_panes = "B4"
        page(ws, "$1:$3", header)

    ws = wb.create_sheet(L.SCHEDULE)
    ws["A1"] = "{fiscal_year}　年間日程（実施月 × コンソーシアム）"
    ws["A1"].font = TITLE
    header_row(ws, 3, [L.SCHEDULE_CORNER, "（コンソーシアム）"], {L.SCHEDULE_CORNER: 9, "（コンソーシアム）": 32})
    style_row(ws, 4, [("@", "center", False, False), ("@", "", True, False)])
    ws.freeze_panes = "B4"
    page(ws, "$1:$3", header)

    ws = wb.create_sheet(L.LOAD)
    ws["A1"] = "{fiscal_year}　受託者の月別の負荷（イベント＝①〜⑥の数量、全コンソーシアム）"
    ws["A1"].font = TITLE
    ws["A2"] = "上限は年度データの例示値（1か月に実施できるイベント数）です。"
    header_row(ws, 3, [L.LOAD_CORNER, "（コンソーシアム）", L.LOAD_TOTAL, L.LOAD_CAPACITY, L.LOAD_OVER],
               {L.LOAD_CORNER: 8, "（コンソーシアム）": 11, L.LOAD_TOTAL: 8, L.LOAD_CAPACITY: 8, L.LOAD_OVER: 8})
    style_row(ws, 4, [("@", "center", False, False), ("#,##0", "right", False, False),
                      ("#,##0", "right", False, True), ("#,##0", "right", False, False), ("@", "center", False, True)])
    ws.freeze_panes = "B4"
    page(ws, "$1:$3", header)

    ws = wb.create_sheet(L.DETAIL)
    ws["A1"] = "{fiscal_year}　全計画の明細（1行1計画行）"
    ws["A1"].font = TITLE
    widths = {"コンソーシアム": 20, "番号": 6, "メニュー": 34, "区分": 16, "数量": 7, "単価ポイント": 8,
              "ポイント": 8, "実施月": 7, "件名": 40, "開催地": 14, "想定企業数": 9, "想定留学生数": 9,
              "言語": 12, "備考": 40, "状態": 10}
    header_row(ws, 3, list(L.DETAIL_COLUMNS), widths)
    fm = {"番号": ("0", "center", False, False), "数量": ("0", "right", False, False),
          "単価ポイント": ("#,##0", "right", False, False), "ポイント": ("#,##0", "right", False, True),
          "実施月": ('0"月"', "center", False, False), "想定企業数": ("0", "right", False, False),
          "想定留学生数": ("0", "right", False, False), "件名": ("@", "", True, False), "備考": ("@", "", True, False)}
    style_row(ws, 4, [fm.get(label, ("@", "", False, False)) for label in L.DETAIL_COLUMNS])
    ws.freeze_panes = "A4"
    ws.auto_filter.ref = "A3:O3"
    page(ws, "$1:$3", header)
    return wb


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1] / "templates" / "xlsx"
    out.mkdir(parents=True, exist_ok=True)
    plan_template().save(out / "plan.xlsx")
    consolidated_template().save(out / "consolidated.xlsx")
    print(f"wrote {out / 'plan.xlsx'} and {out / 'consolidated.xlsx'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
