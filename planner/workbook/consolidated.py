"""The consolidated workbook of a fiscal year: every consortium's status and budget use (概要, with a
chart of budget against use), the consortium × item matrices of quantities and points (数量, ポイント),
the year's schedule (年間日程: month × consortium, every line of a month in its cell), the contractor's
load per month (受託者の負荷, with a chart) and every plan line (明細). The matrices and totals are
SUMIFS over 明細, so a correction there recomputes everything; each formula is saved with the value
planner computed."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference, Series
from openpyxl.formatting.rule import CellIsRule
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from ..access import User, counts_in_load, refusal
from ..desk import Desk
from ..fiscal_year import FiscalYear
from ..japanese import FISCAL_MONTHS, circled, fiscal_year_label, month_label, wareki_time
from ..load import Load, monthly_load
from ..plan import is_cancelled, is_month, is_whole_positive
from ..records import PlanRecord
from ..rules import check
from ..store import Store
from ..workflow import NO_PLAN_LABEL, NOT_READABLE_LABEL, STATUS_LABELS, not_accepted_label
from . import layout as L
from .findings_sheet import fill_findings
from .load_sheet import OTHERS, fill_load
from .sheet_columns import item_display
from .template import (
    BAD_FILL,
    BAD_FONT,
    copy_style,
    fill_placeholders,
    find_header,
    fit_row_heights,
    load_template,
    put,
    set_formula,
    style_rows,
    to_bytes,
)

Progress = Callable[[float, str], None]
NO_PLAN = NO_PLAN_LABEL[0]  # only for a consortium that has no plan at all


def consolidated_workbook(source: Desk | Store, fiscal_year: int, progress: Progress | None = None,
                          templates: Path | None = None) -> bytes:
    """The consolidated workbook of one fiscal year as .xlsx bytes. `progress(fraction, message)` is
    called as the work advances (for an app's progress bar). From a person's desk, only the plans they
    may read are included (the contractor: accepted plans); from the store, every plan (the CLI holds
    the file). People are named by their display names."""
    report = progress or (lambda fraction, message: None)
    report(0.0, "年度データと計画を読み込んでいます / loading plans")
    fy = source.fiscal_year(fiscal_year)
    records = {r.plan.consortium: r for r in source.plan_records(fiscal_year)}
    withheld: dict[str, str] = {}
    if isinstance(source, Desk):
        user = source.user
        withheld = _withheld(user, fy, records)
        load = source.load(fy)
        uncounted = [cid for cid, r in records.items() if not counts_in_load(user, r.status)]
        records = {cid: r for cid, r in records.items() if refusal(user, "read", cid, r.status) is None}
    else:
        load, uncounted = monthly_load([r.plan for r in records.values()], fy), []
    wb = build_consolidated(fy, records, templates, report, withheld=withheld, names=source.display_names(),
                            load=load, load_note=_load_note(fy, records, uncounted, load))
    report(0.9, "ファイルに書き出しています / writing the file")
    data = to_bytes(wb)
    report(1.0, "完了 / done")
    return data


def _load_note(fy: FiscalYear, records: dict[str, PlanRecord], uncounted: list[str], load: Load) -> str:
    """受託者の負荷 in words: which plans its numbers count, and which they leave out."""
    def names(ids: list[str]) -> str:
        return "・".join(fy.consortia[c].short_name() for c in fy.consortia if c in ids)

    if uncounted:
        return (f"この写しの負荷は、載せた計画（{names(list(records)) or 'なし'}）だけを数えています。"
                f"まだ承認されていない計画（{names(uncounted)}）のイベントは数えていません。実際の負荷はこれより多くなります。")
    if any(cid not in records for m in load.months for cid in m.by_consortium):
        return ("すべてのコンソーシアムの計画を数えています。"
                f"この写しに載せていないコンソーシアムは「{OTHERS}」の列に月ごとの合計だけを示します。")
    return "すべてのコンソーシアムの計画を数えています。"


def _withheld(user: User, fy: FiscalYear, records: dict[str, PlanRecord]) -> dict[str, str]:
    """The 状態 shown for each consortium whose plan this user may not read, so that it is not called
    未作成 when it has a plan: 未承認（提出済み） where the user would see it once accepted (the
    contractor), 閲覧権限なし where the user may never see that consortium's plan (a secretariat's
    neighbours: whether they have a plan at all is not said either)."""
    out = {}
    for cid in fy.consortia:
        rec = records.get(cid)
        if refusal(user, "read", cid, "accepted") is not None:
            out[cid] = NOT_READABLE_LABEL[0]
        elif rec is not None and refusal(user, "read", cid, rec.status) is not None:
            out[cid] = not_accepted_label(rec.status)
    return out


def build_consolidated(fy: FiscalYear, records: dict[str, PlanRecord], templates: Path | None = None,
                       report: Progress | None = None, withheld: Mapping[str, str] | None = None,
                       names: Mapping[str, str] | None = None, load: Load | None = None,
                       load_note: str = "") -> Workbook:
    """The workbook of these plans. `withheld`: the 状態 to show for a consortium whose plan is left out
    (else 未作成: it has none); `names`: login name -> display name (a name not in it is shown as is);
    `load`: the events per month as counted for the copy's reader (else those of these plans), and
    `load_note` what they count, in words."""
    report = report or (lambda fraction, message: None)
    wb = load_template("consolidated.xlsx", templates)
    consortia = list(fy.consortia)
    detail, points = _detail(wb[L.DETAIL], fy, records)
    report(0.3, "明細を作成しました / detail written")
    _overview(wb[L.OVERVIEW], fy, records, detail, points, withheld or {}, names or {})
    if L.FINDINGS in wb.sheetnames:  # a template restyled before the sheet existed goes without it
        fill_findings(wb[L.FINDINGS], [(cons.name_ja, f) for cid, cons in fy.consortia.items() if cid in records
                                       for f in check(records[cid].plan, fy)])
    report(0.45, "概要を作成しました / overview written")
    for name, value_label in ((L.QUANTITIES, "数量"), (L.POINTS, "ポイント")):
        _matrix(wb[name], fy, consortia, detail, value_label, points, withheld or {})
    report(0.65, "マトリクスを作成しました / matrices written")
    _schedule(wb[L.SCHEDULE], fy, records)
    fill_load(wb[L.LOAD], fy, load or monthly_load([r.plan for r in records.values()], fy), list(records),
              load_note)
    report(0.8, "年間日程と負荷を作成しました / schedule and load written")
    made = wareki_time(dt.datetime.now(dt.UTC))
    fill_placeholders(wb, {"fiscal_year": fiscal_year_label(fy.year), "consortium": "全コンソーシアム",
                           "version": f"収録した計画 {len(records)} 件", "exported": f"作成 {made}"})
    wb.active = 0
    return wb


Totals = dict[tuple[str, str], float]  # (consortium name, item cell text) -> quantity / points, as 明細 sums them


def _detail(ws: Worksheet, fy: FiscalYear, records: dict[str, PlanRecord]) -> tuple[dict[str, str], dict[str, Totals]]:
    """One row a plan line; returns {label: absolute range} of its columns for SUMIFS elsewhere, and
    the quantities and points by consortium and item as those SUMIFS compute them."""
    hrow, cols = find_header(ws, L.DETAIL_COLUMNS[0])
    c = {label: get_column_letter(i) for label, i in cols.items()}
    rows = []
    for cid, cons in fy.consortia.items():
        rec = records.get(cid)
        if rec is None:
            continue
        menu = fy.menu_for(cid)
        status = STATUS_LABELS[rec.status][0]
        for n, ln in enumerate(rec.plan.lines, start=1):
            if is_cancelled(ln):  # the year's workbook is what will be delivered; 番号 stays the plan's
                continue
            item = menu.get(ln.item) if isinstance(ln.item, int) and not isinstance(ln.item, bool) else None
            var = item.variant(ln.variant) if item else None
            rows.append({"コンソーシアム": cons.name_ja, "番号": n, "メニュー": item_display(item) if item else ln.item,
                         "区分": var.name_ja if var else ln.variant, "数量": ln.quantity,
                         "単価ポイント": var.points if var else None, "実施月": ln.month, "件名": ln.title,
                         "開催地": ln.place, "想定企業数": ln.companies, "想定留学生数": ln.students,
                         "言語": ln.language, "備考": ln.notes, "状態": status})
    first = hrow + 1
    last = hrow + max(len(rows), 1)
    style_rows(ws, first, first + 1, last, max(cols.values()))
    sums: dict[str, Totals] = {"数量": {}, "ポイント": {}}
    for i, values in enumerate(rows):
        r = first + i
        for label, value in values.items():
            if label in c:
                put(ws[f"{c[label]}{r}"], value)
        qty, unit = values["数量"], values["単価ポイント"]
        number = isinstance(qty, int | float) and not isinstance(qty, bool)
        pts = qty * unit if number and isinstance(unit, int) and is_whole_positive(qty) else 0
        key = (values["コンソーシアム"], values["メニュー"])
        sums["数量"][key] = sums["数量"].get(key, 0) + (qty if number else 0)
        sums["ポイント"][key] = sums["ポイント"].get(key, 0) + pts
        if "ポイント" in c:
            q, u = f"{c['数量']}{r}", f"{c['単価ポイント']}{r}"
            set_formula(ws[f"{c['ポイント']}{r}"],
                        f"=IF(AND(ISNUMBER({q}),ISNUMBER({u})),IF(AND({q}>0,{q}=INT({q})),{q}*{u},0),0)", pts)
    if rows:
        fit_row_heights(ws, first, last, minimum=18)
    if ws.auto_filter.ref:
        ws.auto_filter.ref = f"A{hrow}:{get_column_letter(max(cols.values()))}{last}"
    ws.print_area = f"A1:{get_column_letter(ws.max_column)}{last}"
    sheet = quote_sheetname(ws.title)
    return {label: f"{sheet}!${c[label]}${first}:${c[label]}${last}" for label in c}, sums


def _overview(ws: Worksheet, fy: FiscalYear, records: dict[str, PlanRecord], detail: dict[str, str],
              sums: dict[str, Totals], withheld: Mapping[str, str], names: Mapping[str, str]) -> None:
    hrow, cols = find_header(ws, L.OVERVIEW_COLUMNS[0])
    c = {label: get_column_letter(i) for label, i in cols.items()}
    n = len(fy.consortia)
    style_rows(ws, hrow + 1, hrow + 2, hrow + n + 1, max(cols.values()))
    totals = {"予算ポイント": 0, "使用ポイント": 0, "残りポイント": 0, "概算金額（円）": 0}
    for i, (cid, cons) in enumerate(fy.consortia.items(), start=1):
        r = hrow + i
        rec = records.get(cid)
        status = STATUS_LABELS[rec.status][0] if rec else withheld.get(cid, NO_PLAN)
        if cid in withheld:
            # a plan left out is neither 0 points used nor part of the totals: only its name and 状態,
            # 未承認 over （提出済み） rather than broken inside the word
            put(ws[f"{c['コンソーシアム']}{r}"], cons.name_ja)
            put(ws[f"{c['状態']}{r}"], status.replace("（", "\n（", 1))
            continue
        budget_value = fy.budget(cid) or 0
        used_value = sum(v for (name, _), v in sums["ポイント"].items() if name == cons.name_ja)
        who = names.get(rec.updated_by, rec.updated_by) if rec else ""
        values = {"コンソーシアム": cons.name_ja, "状態": status,
                  "版": rec.revision if rec else None,
                  # when, then who, a line each: the six consortia and the total fit one page
                  L.OVERVIEW_COLUMNS[3]: f"{wareki_time(rec.updated_at, zone=False)}\n{who}" if rec else "",
                  "予算ポイント": fy.budget(cid), "担当者コメント": rec.comment if rec else ""}
        for label, value in values.items():
            if label in c:
                put(ws[f"{c[label]}{r}"], value)
        name, budget, used = f"${c['コンソーシアム']}{r}", f"{c['予算ポイント']}{r}", f"{c['使用ポイント']}{r}"
        set_formula(ws[used], f"=SUMIFS({detail['ポイント']},{detail['コンソーシアム']},{name})", used_value)
        totals["予算ポイント"] += budget_value
        totals["使用ポイント"] += used_value
        totals["残りポイント"] += budget_value - used_value
        if "残りポイント" in c:
            set_formula(ws[f"{c['残りポイント']}{r}"], f"={budget}-{used}", budget_value - used_value)
        if "使用率" in c:
            set_formula(ws[f"{c['使用率']}{r}"], f'=IF({budget}>0,{used}/{budget},"")',
                        used_value / budget_value if budget_value > 0 else "")
        if "概算金額（円）" in c and fy.yen_per_point:
            set_formula(ws[f"{c['概算金額（円）']}{r}"], f"={used}*{fy.yen_per_point}", used_value * fy.yen_per_point)
            totals["概算金額（円）"] += used_value * fy.yen_per_point
    total = hrow + n + 1
    put(ws[f"{c['コンソーシアム']}{total}"], _total_label(withheld))
    for label in ("予算ポイント", "使用ポイント", "残りポイント", "概算金額（円）"):
        if label in c:
            set_formula(ws[f"{c[label]}{total}"], f"=SUM({c[label]}{hrow + 1}:{c[label]}{total - 1})", totals[label])
    if "使用率" in c:
        b, u = f"{c['予算ポイント']}{total}", f"{c['使用ポイント']}{total}"
        set_formula(ws[f"{c['使用率']}{total}"], f'=IF({b}>0,{u}/{b},"")',
                    totals["使用ポイント"] / totals["予算ポイント"] if totals["予算ポイント"] > 0 else "")
        ws.conditional_formatting.add(f"{c['使用率']}{hrow + 1}:{c['使用率']}{total}", CellIsRule(
            operator="greaterThan", formula=["1"], font=BAD_FONT, fill=BAD_FILL))
    if "残りポイント" in c:
        ws.conditional_formatting.add(f"{c['残りポイント']}{hrow + 1}:{c['残りポイント']}{total}", CellIsRule(
            operator="lessThan", formula=["0"], font=BAD_FONT, fill=BAD_FILL))
    fit_row_heights(ws, hrow + 1, total, minimum=18)  # the officer's comments whole

    chart = BarChart()
    chart.type = "bar"  # horizontal bars: the consortium names read level, never slanted
    chart.grouping = "clustered"
    chart.title = "予算と使用ポイント"
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    chart.y_axis.scaling.min = 0  # bars from zero: with one plan shown, the axis had started at 104
    for label in ("予算ポイント", "使用ポイント"):
        if label in cols:  # titled by the label itself: its header cell is written over two lines
            chart.series.append(Series(Reference(ws, min_col=cols[label], min_row=hrow + 1, max_row=hrow + n),
                                       title=label))
    chart.set_categories(Reference(ws, min_col=cols["コンソーシアム"], min_row=hrow + 1, max_row=hrow + n))
    chart.legend.position = "b"
    chart.height, chart.width = 8.5, 18
    ws.add_chart(chart, f"A{total + 2}")
    # the table fills page 1; the chart goes whole onto page 2 (it was cut at the foot of page 1)
    ws.row_breaks.append(Break(id=total))
    ws.print_area = f"A1:{get_column_letter(ws.max_column)}{total + 20}"


def _total_label(withheld: Mapping[str, str]) -> str:
    """合計, or 合計（載せた計画） where some consortium's plan is left out of this copy."""
    return f"{L.TOTAL_LABEL}\n（載せた計画）" if withheld else L.TOTAL_LABEL


def _matrix(ws: Worksheet, fy: FiscalYear, consortia: list[str], detail: dict[str, str], value_label: str,
            sums: dict[str, Totals], withheld: Mapping[str, str]) -> None:
    """Consortium × item: the template's first item column (header and body) is repeated per item. A
    consortium whose plan is left out has its name only, as on 概要: not a row of zeros."""
    hrow, cols = find_header(ws, L.MATRIX_CORNER)
    first_item = min(i for label, i in cols.items() if label != L.MATRIX_CORNER)
    total_src = cols.get(L.TOTAL_LABEL, first_item)
    head_style = copy.copy(ws.cell(hrow, first_item)._style)
    body_style = copy.copy(ws.cell(hrow + 1, first_item)._style)
    total_head = copy.copy(ws.cell(hrow, total_src)._style)
    total_body = copy.copy(ws.cell(hrow + 1, total_src)._style)
    item_width = ws.column_dimensions[get_column_letter(first_item)].width
    total_width = ws.column_dimensions[get_column_letter(total_src)].width
    items = list(fy.menu.values())
    total_col = first_item + len(items)
    corner = get_column_letter(cols[L.MATRIX_CORNER])
    style_rows(ws, hrow + 1, hrow + 2, hrow + len(consortia) + 1, cols[L.MATRIX_CORNER])
    for j, item in enumerate(items):
        col = first_item + j
        letter = get_column_letter(col)
        ws.cell(hrow, col)._style = copy.copy(head_style)
        put(ws.cell(hrow, col), item_display(item))
        ws.column_dimensions[letter].width = item_width
        for i in range(len(consortia) + 1):
            ws.cell(hrow + 1 + i, col)._style = copy.copy(body_style)
    ws.cell(hrow, total_col)._style = total_head
    put(ws.cell(hrow, total_col), L.TOTAL_LABEL)
    ws.column_dimensions[get_column_letter(total_col)].width = total_width
    for i in range(len(consortia) + 1):
        ws.cell(hrow + 1 + i, total_col)._style = copy.copy(total_body)
    table = sums[value_label]
    col_totals = [0.0] * (len(items) + 1)
    for i, cid in enumerate(consortia, start=1):
        r = hrow + i
        name = fy.consortia[cid].name_ja
        put(ws[f"{corner}{r}"], name)
        if cid in withheld:
            continue
        row_total = 0
        for j, item in enumerate(items):
            letter = get_column_letter(first_item + j)
            value = table.get((name, item_display(item)), 0)
            row_total += value
            col_totals[j] += value
            set_formula(ws[f"{letter}{r}"], f"=SUMIFS({detail[value_label]},{detail['コンソーシアム']},${corner}{r},"
                                            f"{detail['メニュー']},{letter}${hrow})", value)
        col_totals[-1] += row_total
        set_formula(ws.cell(r, total_col), f"=SUM({get_column_letter(first_item)}{r}:"
                                           f"{get_column_letter(total_col - 1)}{r})", row_total)
    total = hrow + len(consortia) + 1
    copy_style(ws[f"{corner}{hrow + 1}"], ws[f"{corner}{total}"])
    put(ws[f"{corner}{total}"], _total_label(withheld))
    for j, col in enumerate(range(first_item, total_col + 1)):
        letter = get_column_letter(col)
        set_formula(ws[f"{letter}{total}"], f"=SUM({letter}{hrow + 1}:{letter}{total - 1})", col_totals[j])
    fit_row_heights(ws, hrow, total, minimum=18)  # the item names in the header whole (② is long)
    ws.print_area = f"A1:{get_column_letter(total_col)}{total}"


PER_PAGE = 3  # consortia on one printed page of 年間日程


def _schedule(ws: Worksheet, fy: FiscalYear, records: dict[str, PlanRecord]) -> None:
    """Month × consortium; each cell lists every line planned for that month (②リアル×1 件名), one a
    line, and its row is as tall as its longest cell, so nothing is hidden on screen or on paper."""
    hrow, cols = find_header(ws, L.SCHEDULE_CORNER)
    first = min(i for label, i in cols.items() if label != L.SCHEDULE_CORNER)
    corner = get_column_letter(cols[L.SCHEDULE_CORNER])
    head = copy.copy(ws.cell(hrow, first)._style)
    body = copy.copy(ws.cell(hrow + 1, first)._style)
    width = ws.column_dimensions[get_column_letter(first)].width
    cells: dict[tuple[object, str], list[str]] = {}
    for cid, rec in records.items():
        if cid not in fy.consortia:
            continue
        menu = fy.menu_for(cid)
        for ln in rec.plan.lines:
            if is_cancelled(ln):
                continue
            item = menu.get(ln.item) if isinstance(ln.item, int) and not isinstance(ln.item, bool) else None
            var = item.variant(ln.variant) if item else None
            label = f"{circled(ln.item) if item else ln.item}{var.name_ja if var else ln.variant or ''}×{ln.quantity}"
            month = int(ln.month) if is_month(ln.month) else "未定"
            cells.setdefault((month, cid), []).append(f"・{label} {ln.title}".strip())
    months: list[object] = list(FISCAL_MONTHS)
    if any(m == "未定" for m, _ in cells):
        months.append("未定")
    style_rows(ws, hrow + 1, hrow + 2, hrow + len(months), cols[L.SCHEDULE_CORNER])
    for j, cid in enumerate(fy.consortia):
        col = first + j
        ws.cell(hrow, col)._style = copy.copy(head)
        put(ws.cell(hrow, col), fy.consortia[cid].name_ja)
        ws.column_dimensions[get_column_letter(col)].width = width
        for i, month in enumerate(months, start=1):
            cell = ws.cell(hrow + i, col)
            cell._style = copy.copy(body)
            put(cell, "\n".join(cells.get((month, cid), [])))
    for i, month in enumerate(months, start=1):
        put(ws[f"{corner}{hrow + i}"], month_label(month) if isinstance(month, int) else month)
    last_col = first + len(fy.consortia) - 1
    fit_row_heights(ws, hrow + 1, hrow + len(months), minimum=18)
    for col in range(first + PER_PAGE - 1, last_col, PER_PAGE):  # the month column is repeated on each page
        ws.col_breaks.append(Break(id=col))

    ws.print_area = f"A1:{get_column_letter(last_col)}{hrow + len(months)}"
