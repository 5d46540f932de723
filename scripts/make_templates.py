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
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from planner.workbook import layout as L  # noqa: E402
from planner.workbook.sheet_columns import ITEM_NO_LABEL, LINE_ID_LABEL, PLAN_COLUMNS, RESULT_COLUMNS  # noqa: E402

FONT = "Yu Gothic"  # Excel's Japanese UI font; LibreOffice substitutes Noto Sans CJK JP where it is missing
NAVY = "1F4E78"
PALE = "DDEBF7"
thin = Side(style="thin", color="9BA3AE")
BOX = Border(left=thin, right=thin, top=thin, bottom=thin)

TITLE = Font(name=FONT, size=14, bold=True, color=NAVY)
HEAD = Font(name=FONT, size=10, bold=True, color="FFFFFF")
HEAD_FILL = PatternFill("solid", fgColor=NAVY)
BODY = Font(name=FONT, size=10)
# the long listings (明細, 実績): 9 pt, the smallest the printed workbooks use, so that rows of two lines
# are the rule and 40 lines print on 4 pages down rather than 5
DENSE = Font(name=FONT, size=9)
LABEL_FILL = PatternFill("solid", fgColor=PALE)
COMPUTED_FILL = PatternFill("solid", fgColor="F2F2F2")


def page(ws: Worksheet, title_rows: str | None, header: str, title_cols: str | None = None,
         one_page: bool = False, break_after: str | None = None) -> None:
    """A4 landscape at full size: a sheet too wide or long for a page goes on over more pages with its
    title rows (and, for wide sheets, its first columns) repeated, instead of being shrunk to one page
    wide (which printed 計画 at about 5 pt). Only a one-page summary (集計) is fitted to its page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = one_page
    if one_page:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 1
    else:
        ws.page_setup.scale = 100
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    if title_rows:
        ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols
    if break_after:  # a page break after the column headed break_after (header row 3)
        (col,) = [c.column for c in ws[3] if L.cell_label(c.value) == break_after]
        ws.col_breaks.append(Break(id=col))
    # {revision} and {status} are filled at export: every printed page says which version it is
    ws.oddHeader.left.text = header
    ws.oddHeader.left.size = 9
    ws.oddHeader.center.text = "&A"
    ws.oddHeader.center.size = 9
    ws.oddHeader.right.text = "{version}"
    ws.oddHeader.right.size = 9
    ws.oddFooter.left.text = "{consortium}"
    ws.oddFooter.left.size = 9
    ws.oddFooter.center.text = "&P / &N"
    ws.oddFooter.center.size = 9
    ws.oddFooter.right.text = "{exported}"
    ws.oddFooter.right.size = 9
    ws.oddHeader.scaleWithDoc = False  # the header keeps its size whatever the sheet's scale


def header_row(ws: Worksheet, row: int, labels: list[str], widths: dict[str, float], wrapped: bool = True) -> None:
    """The header cells; `wrapped`: long labels written broken between words (L.written_label). The
    headers of the sheets that are filled in and read back (計画, as the SPEC lists its labels; 実績) keep
    each label one string, so that a person's own lookup of a header (MATCH("企業参加者数", …)) still finds it."""
    for col, label in enumerate(labels, start=1):
        c = ws.cell(row, col, L.written_label(label) if wrapped else label)
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
        if c.value in (LINE_ID_LABEL, ITEM_NO_LABEL):
            ws.column_dimensions[c.column_letter].hidden = True


def style_row(ws: Worksheet, row: int, formats: list[tuple[str, str, bool, bool]], font: Font = BODY) -> None:
    """The row under the header: each column's font, border, number format, alignment (no values).
    Input cells are unlocked and computed ones locked, so the sheet protection set at export guards
    the formulas only."""
    for col, (fmt, horiz, wrap, computed) in enumerate(formats, start=1):
        c = ws.cell(row, col)
        c.font = font
        c.border = BOX
        c.number_format = fmt
        c.alignment = Alignment(horizontal=horiz or None, vertical="top", wrap_text=wrap)
        c.protection = Protection(locked=computed)
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


def findings_sheet(wb: Workbook, title: str, header: str, consolidated: bool) -> None:
    """チェック結果: a row a finding of planner check, Japanese and English side by side, about 105 width
    units: one page wide at full size."""
    ws = wb.create_sheet(L.FINDINGS)
    ws["A1"] = title
    ws["A1"].font = TITLE
    # a list made when the file was written: an edit made since is not in it
    ws["A2"] = ("書き出した時点の計画についての指摘です。ブックを編集したあとは planner check（またはアプリ）で"
                "確かめてください。 / As of the export: after editing the workbook, check it again.")
    ws["A2"].font = Font(name=FONT, size=9, color="595959")
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[2].height = 28  # two lines of 9 pt
    labels = [c for c in L.FINDINGS_COLUMNS if consolidated or c != "コンソーシアム"]
    widths = {"コンソーシアム": 16, "重要度": 5.5, "番号": 4.5, "内容": 36, "Message": 24, "コード": 19}
    if not consolidated:
        widths.update({"重要度": 6, "番号": 5, "内容": 42, "Message": 33})  # no コンソーシアム column
    header_row(ws, 3, labels, widths)
    # a code on one line (LATE_CONCENTRATION): broken at its underscore it would not read as a code
    fm = {"重要度": ("@", "center", False, False), "番号": ("0", "center", False, False),
          "コード": ("@", "", False, False)}
    style_row(ws, 4, [fm.get(label, ("@", "", True, False)) for label in labels])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(labels))
    ws.freeze_panes = "A4"
    page(ws, "$1:$3", header)


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
    cover.column_dimensions["A"].width = 26
    cover.column_dimensions["B"].width = 80
    page(cover, None, header)

    ws = wb.create_sheet(L.PLAN)
    # titles of sheets printed two pages wide start right of the columns repeated on the second page,
    # so that page shows no title cut at the repeated columns' edge (the page header names the sheet)
    ws["C1"] = "{consortium}　{fiscal_year}　計画　（{version}）"
    ws["C1"].font = TITLE
    # budget, used and left on the first printed page, right of the repeated columns
    for col, (_key, label) in zip((3, 5, 7), L.PLAN_SUMMARY_LABELS.items(), strict=True):
        label_value(ws, 2, col, L.written_label(label), "#,##0")
        ws.cell(2, col).alignment = Alignment(horizontal="right", vertical="center", wrap_text=True)
        ws.cell(2, col + 1).alignment = Alignment(horizontal="left", vertical="center")
        ws.cell(2, col + 1).font = Font(name=FONT, size=11, bold=True)
    ws.row_dimensions[2].height = 36  # two lines of 10 pt bold Yu Gothic in Excel (使用／ポイント)
    # Two A4 landscape pages wide at full size, split after 件名 with 番号 and メニュー repeated: about 105
    # width units a page (LibreOffice without Calibri's metrics draws a unit wider than Excel does).
    # Long texts wrap; rows are sized at export.
    widths = {"番号": 4.5, "メニュー": 24, "区分": 14, "数量": 5.5, "単価ポイント": 7, "ポイント": 7, "実施月": 6.5,
              "件名": 34, "対象行": 6, "開催地": 13, "想定企業数": 7, "想定留学生数": 7, "言語": 10, "備考": 29,
              "中止": 5,
              LINE_ID_LABEL: 14, ITEM_NO_LABEL: 6}
    header_row(ws, 3, [c.label for c in PLAN_COLUMNS], widths, wrapped=False)
    plan_formats = {
        "番号": ("0", "center", False, True), "数量": ("0", "right", False, False),
        "単価ポイント": ("#,##0", "right", False, True), "ポイント": ("#,##0", "right", False, True),
        "実施月": ('0"月"', "center", False, False), "件名": ("@", "", True, False),
        "備考": ("@", "", True, False), "想定企業数": ("0", "right", False, False),
        "想定留学生数": ("0", "right", False, False), "中止": ("@", "center", False, False),
        "対象行": ("0", "center", False, False),
        "メニュー": ("@", "", True, False), "区分": ("@", "", True, False), LINE_ID_LABEL: ("@", "", False, True),
        ITEM_NO_LABEL: ("General", "", False, True),
    }
    style_row(ws, 4, [plan_formats.get(c.label, ("@", "", True, False)) for c in PLAN_COLUMNS])
    hide_id_column(ws, 3)
    ws.row_dimensions[3].height = 44
    ws.freeze_panes = "A4"
    page(ws, "$1:$3", header, "$A:$B", break_after="件名")

    ws = wb.create_sheet(L.SUMMARY)
    ws["A1"] = "{consortium}　{fiscal_year}　メニュー別集計"
    ws["A1"].font = TITLE
    labels = ["番号", "メニュー", "数量", "ポイント", "行数"]
    header_row(ws, 3, labels, {"番号": 5, "メニュー": 34, "数量": 7, "ポイント": 8, "行数": 6})
    style_row(ws, 4, [("General", "center", False, True), ("@", "", True, True),
                      ("#,##0", "right", False, True), ("#,##0", "right", False, True), ("0", "right", False, True)])
    ws.freeze_panes = "A4"
    # one A4 page: the table, the budget and a chart of points by item against the budget (made at export)
    page(ws, "$1:$3", header, one_page=True)

    findings_sheet(wb, "{consortium}　{fiscal_year}　チェック結果（planner check と同じ規則）", header, False)

    ws = wb.create_sheet(L.RESULTS)
    # right of the columns repeated on the second page (番号, 回, メニュー, 件名), as on 計画
    ws["E1"] = "{consortium}　{fiscal_year}\n実績（受託者記入）"  # broken where a reader would
    ws["E1"].font = TITLE
    ws["E1"].alignment = Alignment(wrap_text=True, vertical="top")
    # over the first page's own columns (実施日 to 参加者計): two lines of 14 pt, not four
    ws.merge_cells("E1:K1")
    ws.row_dimensions[1].height = 50  # two lines of 14 pt in Excel
    ws["E2"] = ("満足度は割合（%。40% の形でも可）か人数で入れ、「満足度の単位」で選びます。"
                "実施日は {date_examples} のどれでも可。"
                "イベント（①〜⑥）の行だけ、回ごとに1行です。人数・社数は数字だけで入れます。"
                "参加企業は「参加企業」シートへ。")
    ws["E2"].font = Font(name=FONT, size=9, color="595959")
    ws["E2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells("E2:K2")  # the note stays on the first printed page, wrapped
    ws.row_dimensions[2].height = 66  # four lines of 9 pt in Excel
    # Two pages across, each under ~105 width units: the first ends at 参加者計, the second holds
    # satisfaction and a wide 備考 (a long 備考 in a narrow column made one event's row a page tall);
    # 番号, 回, メニュー and 件名 are repeated on it. メニュー at a width where LibreOffice starts no line of an
    # item's name with 「、」 or 「）」 (at 9 pt: 15–17 or 21–22; it breaks anywhere, not by kinsoku).
    widths = {"番号": 4.5, "回": 3.5, "メニュー": 17, "件名": 19.5, "実施日": 12, "会場": 15, "参加企業数": 6,
              "企業参加者数": 6, "留学生数": 6, "コンソーシアム関係者数": 7, "参加者計": 6, "大変満足": 6,
              "満足": 6, "不満": 6, "満足度の単位": 7, "備考": 34, LINE_ID_LABEL: 14}
    header_row(ws, 3, [c.label for c in RESULT_COLUMNS], widths, wrapped=False)
    res_formats = {"番号": ("0", "center", False, True), "回": ("0", "center", False, True),
                   "メニュー": ("@", "", True, True),
                   "件名": ("@", "", True, True),
                   "参加者計": ("0", "right", False, True), "会場": ("@", "", True, False),
                   "満足度の単位": ("@", "center", True, False), "備考": ("@", "", True, False),
                   "実施日": ("yyyy/m/d", "center", True, False)}
    res_formats[LINE_ID_LABEL] = ("@", "", False, True)
    style_row(ws, 4, [res_formats.get(c.label, ("0", "right", False, False)) for c in RESULT_COLUMNS], DENSE)
    hide_id_column(ws, 3)
    ws.row_dimensions[3].height = 44
    ws.freeze_panes = "A4"
    page(ws, "$1:$3", header, "$A:$D", break_after="参加者計")

    ws = wb.create_sheet(L.COMPANIES)
    ws["A1"] = "{consortium}　{fiscal_year}　参加企業（受託者記入）"
    ws["A1"].font = TITLE
    ws["A2"] = ("1行に1社。番号と回は「実績」シートの行のものです。"
                "都道府県は一覧から選びます（宮城県・宮城のどちらでも可）。担当者名など個人の情報は書きません。")
    ws["A2"].font = Font(name=FONT, size=9, color="595959")
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells("A2:D2")
    ws.row_dimensions[2].height = 40
    labels = ["番号", "回", "企業名", "都道府県"]
    header_row(ws, 3, labels, {"番号": 6, "回": 5, "企業名": 48, "都道府県": 12})
    ws.row_dimensions[3].height = 30
    style_row(ws, 4, [("0", "center", False, False), ("0", "center", False, False), ("@", "", True, False),
                      ("@", "center", False, False)])
    ws.freeze_panes = "A4"
    page(ws, "$1:$3", header)

    ws = wb.create_sheet(L.MENU)
    ws["A1"] = "{fiscal_year}　支援事業メニューとポイント（{consortium}）"
    ws["A1"].font = TITLE
    labels = ["番号", "メニュー", "区分", "区分ID", "単位", "ポイント", "1単位あたりの概算金額（円）"]
    header_row(ws, 3, labels, {"番号": 5, "メニュー": 36, "区分": 22, "区分ID": 12, "単位": 8, "ポイント": 8,
                               "1単位あたりの概算金額（円）": 14})
    ws.row_dimensions[3].height = 44
    style_row(ws, 4, [("General", "center", False, False), ("@", "", True, False), ("@", "", True, False),
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
    # 最終更新 holds the time and, under it, who (令和8年12月1日 23:21 / 北海道コンソーシアム 事務局)
    widths = {"コンソーシアム": 12, "状態": 10, "版": 4.5, L.OVERVIEW_COLUMNS[3]: 24, "予算ポイント": 7,
              "使用ポイント": 7, "残りポイント": 7, "使用率": 6.5, "概算金額（円）": 11, "担当者コメント": 19}
    header_row(ws, 3, list(L.OVERVIEW_COLUMNS), widths)
    ws.row_dimensions[3].height = 44
    style_row(ws, 4, [("@", "", True, False), ("@", "center", True, False), ("0", "center", False, False),
                      ("@", "", True, False), ("#,##0", "right", False, False), ("#,##0", "right", False, True),
                      ("#,##0", "right", False, True), ("0%", "right", False, True),
                      ("#,##0", "right", False, True), ("@", "", True, False)])
    ws.freeze_panes = "B4"
    # no repeated title rows: the six consortia fit page 1, and page 2 holds the chart alone
    page(ws, None, header)

    findings_sheet(wb, "{fiscal_year}　載せた計画のチェック結果（planner check と同じ規則）", header, True)

    for name, title in ((L.QUANTITIES, "メニュー別の数量"), (L.POINTS, "メニュー別のポイント")):
        ws = wb.create_sheet(name)
        ws["A1"] = "{fiscal_year}　コンソーシアム × " + title
        ws["A1"].font = TITLE
        # a consortium's name whole on one line (北海道コンソーシアム), eleven items and the total on one page
        header_row(ws, 3, [L.MATRIX_CORNER, "（メニュー）", L.TOTAL_LABEL], {L.MATRIX_CORNER: 20,
                                                                           "（メニュー）": 7.3, L.TOTAL_LABEL: 6.5})
        style_row(ws, 4, [("@", "", True, False), ("#,##0;-#,##0;\"\"", "right", False, True),
                          ("#,##0", "right", False, True)])
        ws.freeze_panes = "B4"
        page(ws, "$1:$3", header, "$A:$A")

    ws = wb.create_sheet(L.SCHEDULE)
    ws["B1"] = "{fiscal_year}　年間日程（実施月 × コンソーシアム）"
    ws["B1"].font = TITLE
    # every line of a month in its cell, one a line (rows sized at export); under it, events per month
    # three consortia a page (the month column repeated): the page breaks are set at export
    header_row(ws, 3, [L.SCHEDULE_CORNER, "（コンソーシアム）"], {L.SCHEDULE_CORNER: 6.5, "（コンソーシアム）": 32})
    style_row(ws, 4, [("@", "center", False, False), ("@", "", True, False)])
    ws.freeze_panes = "B4"
    page(ws, "$1:$3", header, "$A:$A")

    ws = wb.create_sheet(L.LOAD)
    ws["A1"] = "{fiscal_year}　受託者の月別の負荷（イベント＝①〜⑥の数量）"
    ws["A1"].font = TITLE
    ws["A2"] = "上限は年度データの例示値（1か月に実施できるイベント数）です。"
    header_row(ws, 3, [L.LOAD_CORNER, "（コンソーシアム）", L.LOAD_TOTAL, L.LOAD_CAPACITY, L.LOAD_OVER],
               {L.LOAD_CORNER: 8, "（コンソーシアム）": 11, L.LOAD_TOTAL: 8, L.LOAD_CAPACITY: 8, L.LOAD_OVER: 8})
    style_row(ws, 4, [("@", "center", False, False), ("#,##0", "right", False, False),
                      ("#,##0", "right", False, True), ("#,##0", "right", False, False), ("@", "center", False, True)])
    ws.freeze_panes = "B4"
    # a page: the table and, under it, its chart
    page(ws, "$1:$3", header, one_page=True)

    ws = wb.create_sheet(L.DETAIL)
    # right of the columns repeated on the second page (コンソーシアム, 番号, メニュー): not cut at their edge there
    ws["D1"] = "{fiscal_year}　全計画の明細（1行1計画行）"
    ws["D1"].font = TITLE
    # 北海道コンソーシアム on one line (a wrapped name made every row two lines high); コンソーシアム, 番号 and
    # メニュー repeated on the second page of a row, so it can be told without the page before: each page about
    # 105 width units. メニュー wide enough for ②・③・④・⑤ in two lines as LibreOffice prints them (② broken
    # after 「リアル、」; planner's row heights, with Excel's line height for Yu Gothic, 1.7 × the size, allow ②
    # three) and 状態 for 提出済み in one: at 9 pt, 40 lines print 4 pages down.
    widths = {"コンソーシアム": 16, "番号": 4.5, "メニュー": 21.5, "区分": 14.5, "数量": 5, "単価ポイント": 6.5,
              "ポイント": 6.5, "実施月": 5.5, "件名": 25, "開催地": 9, "想定企業数": 6.5, "想定留学生数": 6.5,
              "言語": 9, "備考": 23, "状態": 9}
    header_row(ws, 3, list(L.DETAIL_COLUMNS), widths)
    ws.row_dimensions[3].height = 44
    fm = {"番号": ("0", "center", False, False), "数量": ("0", "right", False, False),
          "単価ポイント": ("#,##0", "right", False, False), "ポイント": ("#,##0", "right", False, True),
          "実施月": ('0"月"', "center", False, False), "想定企業数": ("0", "right", False, False),
          "想定留学生数": ("0", "right", False, False), "件名": ("@", "", True, False), "備考": ("@", "", True, False)}
    style_row(ws, 4, [fm.get(label, ("@", "", True, False)) for label in L.DETAIL_COLUMNS], DENSE)
    ws.freeze_panes = "A4"
    ws.auto_filter.ref = "A3:O3"
    ws.row_dimensions[2].height = 6  # empty: the title's row and the header's, repeated on every page
    # (repeating the header row alone made LibreOffice drop the last pages of the second column of pages)
    page(ws, "$1:$3", header, "$A:$C", break_after="件名")
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
