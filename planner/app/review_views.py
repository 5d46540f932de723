"""Widgets for the review app (officer and contractor). They render a model and forward events to it.

Every text a person typed (titles, comments, venues, file names) is escaped before it goes into an
HTML widget. The shared pieces (Note rendering, the panel base class, the stylesheet) come from the
secretariat app, so both apps look and behave alike.
"""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as ipw

from ..japanese import fiscal_year_label
from ..results import RESULT_LABELS
from .models import jst, status_label
from .review_models import (
    CompareModel,
    DecisionModel,
    DeliveryModel,
    LoadModel,
    OverviewModel,
    PlanModel,
    ResultFormModel,
    ReviewModel,
    ReviewTransferModel,
)
from .style import CSS
from .views import TEXT as SECRETARIAT_TEXT
from .views import (
    View,
    button,
    finding_html,
    html,
    label_upload,
    note_html,
    shared_layout,
    sign_out_link,
    upload_button,
)

# the secretariat app's labels, and the review app's own or different ones
TEXT: dict[str, tuple[str, str]] = {
    **SECRETARIAT_TEXT,
    "app_title": ("支援事業メニュー計画 レビュー", "Support menu plans: review"),
    "year": ("年度", "Year"),
    "nav_overview": ("計画一覧", "All plans"),
    "nav_plan": ("計画の詳細", "Plan"),
    "nav_delivery": ("計画と実績", "Planned vs delivered"),
    "nav_load": ("月別の負荷", "Monthly load"),
    "load": ("受託者の月別の負荷", "The contractor's load per month"),
    "load_note_all": ("全コンソーシアムの計画（状態を問わない）のイベント（①〜⑥の数量、中止を除く）の数です。"
                      "赤い点線は受託者が1か月に実施できる数（年度データの例示値）です。",
                      "Events (quantities of ①–⑥, cancelled lines left out) in every consortium's plan, whatever "
                      "its status. The red dashed line is what the contractor can run in a month (illustrative "
                      "value of the year file)."),
    "load_note_accepted": ("承認済みの計画のイベント（①〜⑥の数量、中止を除く）の数です。"
                           "赤い点線は受託者が1か月に実施できる数（年度データの例示値）です。",
                           "Events (quantities of ①–⑥, cancelled lines left out) in the accepted plans. The red "
                           "dashed line is what the contractor can run in a month (illustrative value of the "
                           "year file)."),
    "load_no_capacity": ("この年度のデータには受託者の上限がありません。", "This year's file sets no capacity."),
    "col_month": ("月", "Month"),
    "col_total": ("合計", "Total"),
    "load_over": ("上限超過", "over capacity"),
    "overview": ("コンソーシアム別の計画", "Plans by consortium"),
    "col_consortium": ("コンソーシアム", "Consortium"),
    "col_status": ("状態", "Status"),
    "col_rev": ("版", "Rev."),
    "col_points": ("使用／予算", "Used / budget"),
    "col_checks": ("エラー・警告", "Errors, warnings"),
    "col_updated": ("最終更新（日本時間）", "Last change (JST)"),
    "not_created": ("未作成", "not started"),
    "open": ("開く", "Open"),
    "hidden": ("承認前の計画 {n} 件は、承認されると表示されます。",
               "{n} plan(s) not yet accepted will appear once accepted."),
    "none_visible": ("この年度に表示できる計画はありません。", "There is no plan to show for this year."),
    "year_workbook": ("年度の集約 Excel", "Consolidated workbook of the year"),
    "year_download": ("集約 Excel を作成", "Make the consolidated workbook"),
    "pick_plan": ("「計画一覧」から計画を開いてください。", "Open a plan from the list of all plans."),
    "updated": ("最終更新（日本時間）", "Last change (JST)"),
    "officer_comment": ("プログラム担当のコメント", "Programme officer's comment"),
    "col_result": ("実績", "Delivered"),
    "no_lines": ("行がありません。", "No lines."),
    "decision": ("承認・差し戻し", "Accept or return"),
    "comment": ("コメント", "Comment"),
    "reopen_ph": ("再開の理由（任意。事務局の画面に表示されます）",
                  "Why the plan is reopened (optional; the secretariat sees it)"),
    "comment_ph": ("差し戻す場合は理由を必ず書いてください（事務局の画面に表示されます）。",
                   "When returning, say why (the secretariat sees it in its app)."),
    "accept": ("承認する", "Accept"),
    "return": ("差し戻す", "Return"),
    "reopen": ("再開する（下書きに戻す）", "Reopen (back to draft)"),
    "plan_download": ("計画の Excel を作成", "Make the plan workbook"),
    "results": ("実績の記録", "Record what was delivered"),
    "results_hint": ("行を選び、実施日・会場・参加者数・満足度を入れて「記録する」を押してください。"
                     "日付は 2024-11-19 の形、複数日はカンマ区切りです。",
                     "Pick a line, enter the date(s), venue, participants and satisfaction, then Record. "
                     "Dates as 2024-11-19, several separated by commas."),
    "result_line": ("対象の行", "Line"),
    "percent": ("割合（%）", "Shares (%)"),
    "count": ("人数", "Counts"),
    "record": ("記録する", "Record"),
    "upload": ("実績入りの Excel を取り込む", "Load a workbook with results"),
    "upload_hint": ("この計画の Excel の「実績」シートに記入したファイル（.xlsx、10 MB まで）を選んでください。"
                    "問題がひとつでもあれば何も記録せず、場所（シート・行・列）を一覧にします。",
                    "Choose this plan's workbook with its 実績 (results) sheet filled in (.xlsx, up to 10 MB). "
                    "If anything is wrong, nothing is recorded and every problem is listed by sheet, row and column."),
    "compare": ("版の比較", "Compare revisions"),
    "cmp_a": ("比較元の版", "From revision"),
    "cmp_b": ("比較先の版", "To revision"),
    "cmp_none": ("この2つの版の行に違いはありません（状態の変更のみ）。",
                 "The lines of these two revisions are the same (only the status changed)."),
    "delivery": ("計画と実績（承認済みの計画）", "Planned against delivered (accepted plans)"),
    "delivery_refresh": ("最新の実績で更新", "Refresh"),
    "col_planned": ("計画イベント数", "Events planned"),
    "col_held": ("実施イベント数", "Events held"),
    "col_participants": ("参加者数", "Participants"),
    "col_companies": ("参加企業", "Companies"),
    "col_staff": ("企業参加者", "Company staff"),
    "col_students": ("留学生", "Students"),
    "col_members": ("関係者", "Members"),
    "col_very": ("大変満足", "Very satisfied"),
    "col_satisfied": ("満足度（大変満足＋満足）", "Satisfied (very + satisfied)"),
    "no_delivery": ("この年度には承認済みの計画がありません。", "No plan of this year is accepted yet."),
    "delivery_note": ("イベントは①〜⑥の数量、実施は記録された実施日の数です。"
                      "参加者は企業参加者・留学生・関係者の合計です。",
                      "Events are the quantities of items ①–⑥; held counts the recorded dates. Participants are "
                      "company staff, students and consortium members."),
}

REVIEW_CSS = """
.rv-over { color: #b91c1c; } tr.rv-over-row td { background: #fef2f2; }
.rv-row { display: grid; grid-template-columns: minmax(9em, 1.6fr) 7em 3em 8em 8em minmax(9em, 1.6fr);
  gap: 4px 8px; align-items: center; padding: 4px 0; line-height: 1.35; }
.rv-head .rv-row { font-weight: bold; color: #4b5563; border-bottom: 1px solid #d1d5db; }
.rv-overview-row { border-bottom: 1px solid #f3f4f6; }
.rv-err { color: #b91c1c; font-weight: bold; }
.rv-warn { color: #b45309; }
.rv-over { color: #b91c1c; font-weight: bold; }
.rv-plan-head { border: 1px solid #e5e7eb; border-radius: 4px; padding: 8px 12px; margin: 8px 0; background: #f9fafb; }
.rv-plan-head .pl-figures b { font-size: 1.2em; }
.pl-table tr.rv-changed td { background: #fffbeb; }
.pl-table tr.rv-moved td { background: #eff6ff; }
.pl-table tr.rv-added td:last-child { background: #f0fdf4; }
.pl-table tr.rv-removed td:nth-child(2) { background: #fef2f2; text-decoration: line-through; }
.pl-table tr.rv-total td { font-weight: bold; background: #f3f4f6; }
.pl-table td.rv-num, .pl-table th.rv-num { text-align: right; white-space: nowrap; }
.rv-box { border: 1px solid #e5e7eb; border-radius: 4px; padding: 6px 12px 10px; margin: 10px 0; }
.rv-result { color: #14532d; }
.rv-nav { margin: 8px 0; }
.rv-scroll { overflow-x: auto; max-width: 100%; }
.rv-scroll th { white-space: nowrap; }
.rv-lines .pl-table td, .rv-lines .pl-table th { padding: 3px 5px; }
@media (max-width: 820px) {
  .rv-row { grid-template-columns: minmax(8em, 1.5fr) 6.5em 2.5em 7em 6.5em; }
  .rv-row span:nth-child(6) { grid-column: 1 / -1; color: #4b5563; font-size: .92em; }
}
"""


def t(key: str, lang: str, **kw: Any) -> str:
    ja, en = TEXT[key]
    return (en if lang == "en" else ja).format(**kw)


def bind_choice(widget: ipw.Dropdown, model: Any, trait: str, options_trait: str) -> None:
    """Keep a Dropdown on a model's value and options, the model being the source of truth.

    Replacing a Dropdown's options resets its value (ipywidgets 8); the guard keeps that reset from
    reaching the model.
    """
    guard = [False]

    def to_widget(_: Any = None) -> None:
        guard[0] = True
        try:
            opts = [tuple(o) for o in getattr(model, options_trait)]
            if list(widget.options) != opts:
                widget.options = opts
            value = getattr(model, trait)
            if any(v == value for _, v in opts):
                widget.value = value
        finally:
            guard[0] = False

    def to_model(change: dict) -> None:
        if not guard[0] and change["new"] is not None:
            setattr(model, trait, change["new"])

    model.observe(to_widget, [trait, options_trait])
    widget.observe(to_model, "value")
    to_widget()


def findings_table(findings: list, lang: str) -> str:
    if not findings:
        return ""
    rows = "".join(
        f'<tr class="pl-{"error" if f.is_error else "warning"}"><td>{t("error" if f.is_error else "warning", lang)}'
        f"</td><td>{escape(f.sheet or '')}</td><td>{'' if f.row is None else f.row}</td>"
        f"<td>{escape(f.column or '')}</td><td><code>{escape(f.code)}</code> {escape(f.message(lang))}</td></tr>"
        for f in findings
    )
    heads = "".join(f"<th>{t(k, lang)}</th>" for k in ("col_status", "col_sheet", "col_row", "col_column",
                                                        "col_message"))
    return f'<table class="pl-table"><thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table>'


def download_link(uri: str, name: str, lang: str, cls: str) -> str:
    if not uri:
        return ""
    return (f'<a class="pl-download-a {cls}" href="{uri}" download="{escape(name)}">'
            f'{escape(t("save_link", lang, name=name))}</a>')


class OverviewView(View):
    """Every consortium's plan at a glance, each with an Open button; the year's consolidated workbook."""

    _model: OverviewModel

    def __init__(self, model: OverviewModel, app: ReviewModel, **kwargs: Any):
        super().__init__(model, **kwargs)
        self._app = app

    def _render(self) -> None:
        m, tr = self._model, self._app.transfer
        self.add_class("rv-overview")
        self._title = html()
        self._rows = ipw.VBox()
        self._hidden = html()
        self._year_heading = html()
        self._year_button = button("rv-year-download", "info", "auto")
        self._progress = ipw.FloatProgress(min=0.0, max=1.0, layout=ipw.Layout(width="14em"))
        self._progress.add_class("rv-progress")
        self._progress_label = html()
        self._progress_label.add_class("rv-progress-label")
        # a layout of its own: the HTML widgets share theirs, and this box is shown and hidden
        self._progress_box = ipw.HBox([self._progress, self._progress_label],
                                      layout=ipw.Layout(flex_flow="row wrap", align_items="center"))
        self._progress_box.add_class("rv-progress-box")
        self._year_link = html()
        ipw.dlink((tr, "progress"), (self._progress, "value"))
        self.children = [self._title, self._rows, self._hidden, self._year_heading,
                         ipw.HBox([self._year_button, self._progress_box],
                                  layout=ipw.Layout(flex_flow="row wrap", align_items="center")),
                         self._year_link]
        self._year_button.on_click(lambda _b: tr.download_year())
        m.observe(self._refresh, ["rows", "hidden", "lang"])
        tr.observe(self._refresh_year, ["year_uri", "progress_label", "progress_shown", "busy", "lang"])
        self._refresh()
        self._refresh_year()

    def _row(self, cells: list[str]) -> ipw.HTML:
        h = html('<div class="rv-row">' + "".join(f"<span>{c}</span>" for c in cells) + "</div>",
                     layout=shared_layout(flex="1 1 0", min_width="0"))
        return h

    def _refresh(self, _: Any = None) -> None:
        m, lang, app = self._model, self._model.lang, self._app
        self._title.value = f'<h3>{t("overview", lang)} <small>{escape(fiscal_year_label(app.year, lang))}</small></h3>'
        if not m.rows:
            self._rows.children = [html(f'<p class="pl-empty">{t("none_visible", lang)}</p>')]
        else:
            head = self._row([t(k, lang) for k in ("col_consortium", "col_status", "col_rev", "col_points",
                                                   "col_checks", "col_updated")])
            head.add_class("rv-head")
            children: list[ipw.Widget] = [ipw.HBox([head, html(layout=shared_layout(width="6.5em"))])]
            for r in m.rows:
                status = r["status"] or "new"
                chip = (f'<span class="pl-chip pl-chip-{status}">'
                        f'{escape(r["status_label"] if r["status"] else t("not_created", lang))}</span>')
                over = ' class="rv-over"' if r["left"] < 0 else ""
                checks = []
                if r["errors"]:
                    checks.append(f'<span class="rv-err">{t("error", lang)} {r["errors"]}</span>')
                if r["warnings"]:
                    checks.append(f'<span class="rv-warn">{t("warning", lang)} {r["warnings"]}</span>')
                cells = [f'<b>{escape(r["name"])}</b>', chip, str(r["revision"] or "–"),
                         f'<span{over}>{r["used"]}</span> / {r["budget"]}',
                         " ".join(checks) or ("—" if not r["status"] else "✓"),
                         f'{escape(r["updated"])} {escape(r["by"])}']
                line = self._row(cells)
                opener = button("rv-open", "", "6.5em")
                opener.description = t("open", lang)
                opener.tooltip = f'{r["name"]}: {t("open", lang)}'
                opener.disabled = not r["status"]
                opener.on_click(self._opener(r["consortium"]))
                row = ipw.HBox([line, opener], layout=shared_layout(align_items="center"))
                row.add_class("rv-overview-row")
                row.add_class(f"rv-row-{r['consortium']}")
                children.append(row)
            self._rows.children = children
        self._hidden.value = (f'<p class="pl-hint">{t("hidden", lang, n=m.hidden)}</p>' if m.hidden else "")

    def _opener(self, consortium: str) -> Any:
        return lambda _b: self._app.open_plan(consortium)

    def _refresh_year(self, _: Any = None) -> None:
        tr, lang = self._app.transfer, self._app.lang
        self._year_heading.value = f'<h3>{t("year_workbook", lang)}</h3>'
        self._year_button.description = t("year_download", lang)
        self._year_button.disabled = tr.busy
        # an empty bar before anything was asked for reads as something stuck
        self._progress_box.layout.display = None if tr.progress_shown else "none"
        self._progress_label.value = f"<span>{escape(tr.progress_label)}</span>"
        self._year_link.value = download_link(tr.year_uri, tr.year_name, lang, "rv-year-link")


class PlanHeadView(View):
    """The opened plan: consortium, status, revision, points, the officer's comment; lines; checks."""

    _model: PlanModel

    def _render(self) -> None:
        self.add_class("rv-plan")
        self._head = html()
        self._head.add_class("rv-plan-head")
        self._lines = html()
        self._lines.add_class("rv-lines")
        self._findings = html()
        self._findings.add_class("rv-findings")
        self.children = [self._head, self._lines, self._findings]
        self._model.observe(self._refresh, ["rows", "record", "findings", "lang"])
        self._refresh()

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        rec = m.record
        if rec is None:
            self._head.value = self._lines.value = self._findings.value = ""
            return
        pts = t("points", lang)
        comment = ""
        if rec.comment:
            kind = "warning" if rec.status == "returned" else "info"
            comment = (f'<div class="pl-note pl-note-{kind} pl-comment"><b>{t("officer_comment", lang)}</b>'
                       f"<br>{escape(rec.comment)}</div>")
        over = ' class="rv-over"' if m.left < 0 else ""
        badge = f'<span class="pl-over-badge">{t("over", lang)} {-m.left} {pts}</span>' if m.left < 0 else ""
        self._head.value = (
            f'<h2 class="rv-plan-name">{escape(m.name)}</h2>'
            f'<div class="pl-status-row"><span class="pl-chip pl-chip-{rec.status}">{t("col_status", lang)}: '
            f"{escape(status_label(rec.status, lang))}</span>"
            f'<span>{t("revision", lang)} {rec.revision}</span>'
            f'<span>{t("updated", lang)}: {escape(jst(rec.updated_at))} {escape(m.updated_by)}</span></div>'
            f'<div class="pl-figures"><span>{t("used", lang)} <b{over}>{m.used}</b></span>'
            f'<span>{t("budget", lang)} <b>{m.budget}</b> {pts}</span>'
            f'<span class="rv-left">{t("left", lang)} <b{over}>{m.left}</b> {pts}</span>{badge}</div>{comment}'
        )
        if not m.rows:
            self._lines.value = f'<h3>{t("lines", lang)}</h3><p>{t("no_lines", lang)}</p>'
        else:
            heads = "".join(f"<th>{t(k, lang)}</th>" for k in ("col_no", "col_item", "col_variant", "col_qty"))
            heads += f'<th class="rv-num">{t("points", lang)}</th>'
            any_result = any(r["result"] for r in m.rows)
            heads += "".join(f"<th>{t(k, lang)}</th>" for k in ("col_month", "col_title"))
            heads += f'<th>{t("col_result", lang)}</th>' if any_result else ""
            body = ""
            for r in m.rows:
                flag = {"error": " ⚠", "warning": " △"}.get(r["flag"], "")
                cls = f' class="pl-{r["flag"]}"' if r["flag"] else ""
                title = escape(r["title"]) + (f' <small>（{escape(r["place"])}）</small>' if r["place"] else "")
                if r.get("cancelled"):
                    title = f'<b class="pl-cancelled-mark">{t("cancelled_mark", lang)}</b> ' + title
                body += (f'<tr{cls}><td>{r["no"]}{flag}</td><td>{escape(r["item"])}</td><td>{escape(r["variant"])}'
                         f'</td><td>{escape(str(r["quantity"]))} {escape(r["unit"])}</td>'
                         f'<td class="rv-num">{r["points"]}</td><td>{escape(r["month"])}</td><td>{title}</td>'
                         + (f'<td class="rv-result">{escape(r["result"])}</td>' if any_result else "") + "</tr>")
            self._lines.value = (f'<h3>{t("lines", lang)}</h3><div class="rv-scroll"><table class="pl-table">'
                                 f"<thead><tr>{heads}</tr></thead><tbody>{body}</tbody></table></div>")
        errors = sum(f.is_error for f in m.findings)
        head = (f'<h3>{t("findings", lang)} <small>'
                f'{t("findings_count", lang, e=errors, w=len(m.findings) - errors)}</small></h3>')
        self._findings.value = head + ("".join(finding_html(f, lang) for f in m.findings)
                                       or f'<p>{t("no_findings", lang)}</p>')


class DecisionView(View):
    """The officer's comment and the accept / return / reopen buttons, with why one is not possible."""

    _model: DecisionModel

    def _render(self) -> None:
        m = self._model
        self.add_class("rv-decision")
        self.add_class("rv-box")
        self._heading = html()
        self._blocked = html()
        self._comment = ipw.Textarea(layout=ipw.Layout(width="100%", max_width="46em", height="5.5em"))
        self._comment.add_class("rv-comment")
        ipw.link((m, "comment"), (self._comment, "value"))
        self._accept = button("rv-accept", "success", "10em", toggled=True)
        self._return = button("rv-return", "warning", "10em", toggled=True)
        self._reopen = button("rv-reopen", "", "16em", toggled=True)
        self._note = html()
        self._note.add_class("rv-decision-note")
        self.children = [self._heading, self._blocked, self._comment,
                         ipw.HBox([self._accept, self._return, self._reopen], layout=ipw.Layout(flex_flow="row wrap")),
                         self._note]
        self._accept.on_click(lambda _b: m.accept())
        self._return.on_click(lambda _b: m.return_plan())
        self._reopen.on_click(lambda _b: m.reopen())
        m.observe(self._refresh, ["lang", "can_accept", "can_return", "can_reopen", "takes_comment", "blocked",
                                  "note"])
        self._refresh()

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        self._heading.value = f'<h3>{t("decision", lang)}</h3>'
        self._comment.description = ""
        self._comment.placeholder = t("comment_ph" if m.can_return else "reopen_ph", lang)
        self._accept.description = t("accept", lang)
        self._return.description = t("return", lang)
        self._reopen.description = t("reopen", lang)
        self._accept.disabled = not m.can_accept
        self._return.disabled = not m.can_return
        self._accept.layout.display = self._return.layout.display = None if not m.can_reopen else "none"
        self._reopen.layout.display = None if m.can_reopen else "none"
        self._comment.layout.display = None if m.takes_comment else "none"
        self._blocked.value = note_html(m.blocked, lang)
        self._note.value = note_html(m.note, lang)


class ResultFormView(View):
    """The contractor's form for one line's result."""

    _model: ResultFormModel

    def _render(self) -> None:
        m = self._model
        self.add_class("rv-results")
        self.add_class("rv-box")
        style = {"description_width": "11em"}
        self._heading = html()
        self._hint = html()
        self._line = ipw.Dropdown(style=style, layout=ipw.Layout(width="100%", max_width="46em"))
        self._line.add_class("rv-result-line")
        bind_choice(self._line, m, "line_id", "line_options")
        self._fields: dict[str, ipw.Widget] = {}
        for f in ("dates", "venue", "companies", "company_staff", "students", "members", "very_satisfied",
                  "satisfied", "dissatisfied"):
            w = ipw.Text(style=style, layout=ipw.Layout(width="24em" if f in ("dates", "venue") else "17em"))
            w.add_class(f"rv-r-{f}")
            ipw.link((m, f), (w, "value"))
            self._fields[f] = w
        self._unit = ipw.ToggleButtons(style={"button_width": "8em"})
        self._unit.add_class("rv-r-unit")
        self._notes = ipw.Textarea(style=style, layout=ipw.Layout(width="100%", max_width="46em"))
        self._notes.add_class("rv-r-notes")
        ipw.link((m, "notes"), (self._notes, "value"))
        self._record = button("rv-record", "primary", "10em")
        self._note = html()
        self._note.add_class("rv-record-note")
        self._findings = html()
        self._findings.add_class("rv-record-findings")
        f = self._fields
        wrap = ipw.Layout(flex_flow="row wrap")
        self.children = [
            self._heading, self._hint, self._line,
            ipw.HBox([f["dates"], f["venue"]], layout=wrap),
            ipw.HBox([f["companies"], f["company_staff"]], layout=wrap),
            ipw.HBox([f["students"], f["members"]], layout=wrap),
            self._unit,
            ipw.HBox([f["very_satisfied"], f["satisfied"], f["dissatisfied"]], layout=wrap),
            self._notes, self._record, self._note, self._findings,
        ]
        self._unit_guard = False
        self._unit.observe(self._on_unit, "value")
        self._record.on_click(lambda _b: m.record())
        m.observe(self._refresh, ["lang", "enabled", "note", "findings", "satisfaction_unit"])
        self._refresh()

    def _on_unit(self, change: dict) -> None:
        if not self._unit_guard and change["new"]:
            self._model.satisfaction_unit = change["new"]

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        self.layout.display = None if m.enabled else "none"
        self._heading.value = f'<h3>{t("results", lang)}</h3>'
        self._hint.value = f'<p class="pl-hint">{t("results_hint", lang)}</p>'
        self._line.description = t("result_line", lang)
        for f, w in self._fields.items():
            w.description = RESULT_LABELS[f][1 if lang == "en" else 0]
        self._fields["dates"].placeholder = "2024-11-19"
        self._notes.description = RESULT_LABELS["notes"][1 if lang == "en" else 0]
        self._unit_guard = True
        try:
            self._unit.options = [(t("percent", lang), "percent"), (t("count", lang), "count")]
            self._unit.value = m.satisfaction_unit
        finally:
            self._unit_guard = False
        self._record.description = t("record", lang)
        self._note.value = note_html(m.note, lang)
        self._findings.value = "".join(finding_html(f, lang) for f in m.findings)


class PlanTransferView(View):
    """The plan workbook to download, and (for the contractor) the workbook with results to upload."""

    _model: ReviewTransferModel

    def __init__(self, model: ReviewTransferModel, app: ReviewModel, **kwargs: Any):
        super().__init__(model, **kwargs)
        self._app = app

    def _render(self) -> None:
        m = self._model
        self.add_class("rv-transfer")
        self.add_class("rv-box")
        self._heading = html()
        self._download = button("rv-plan-download", "info", "auto")
        self._link = html()
        self._hint = html()
        self._upload = upload_button()
        self._upload.add_class("rv-upload")
        self._upload_box = ipw.VBox([self._hint, self._upload])
        self._note = html()
        self._note.add_class("rv-transfer-note")
        self._table = html()
        self._table.add_class("rv-upload-findings")
        self.children = [self._heading, ipw.HBox([self._download, self._link], layout=ipw.Layout(
            flex_flow="row wrap", align_items="center")), self._upload_box, self._note, self._table]
        self._download.on_click(lambda _b: m.download_plan())
        self._upload.observe(self._on_upload, "value")
        m.observe(self._refresh, ["lang", "plan_uri", "note", "findings", "busy"])
        self._app.plan.observe(self._refresh, ["record"])
        self._refresh()

    def _on_upload(self, change: dict) -> None:
        files = change["new"]
        if not files:
            return
        f = files[0]
        content = f["content"]
        self._model.upload(f["name"], content.tobytes() if hasattr(content, "tobytes") else bytes(content))
        # cleared so the same file can be chosen again after fixing it
        self._upload.value = ()

    def _refresh(self, _: Any = None) -> None:
        m, lang, app = self._model, self._model.lang, self._app
        self._heading.value = f'<h3>{t("excel", lang)}</h3>'
        self._download.description = t("plan_download", lang)
        self._download.disabled = m.busy
        self._link.value = download_link(m.plan_uri, m.plan_name, lang, "rv-plan-link")
        self._upload_box.layout.display = None if app.result_form.enabled else "none"
        label_upload(self._upload, t("upload", lang))
        self._upload.disabled = m.busy
        self._hint.value = f'<p class="pl-hint">{t("upload_hint", lang)}</p>'
        self._note.value = note_html(m.note, lang)
        self._table.value = findings_table(m.findings, lang)


class HistoryCompareView(View):
    """The revision history, and two revisions side by side."""

    _model: CompareModel

    def __init__(self, model: CompareModel, app: ReviewModel, **kwargs: Any):
        super().__init__(model, **kwargs)
        self._app = app

    def _render(self) -> None:
        m = self._model
        self.add_class("rv-history")
        self._history = html()
        self._cmp_heading = html()
        style = {"description_width": "8em"}
        self._a = ipw.Dropdown(style=style, layout=ipw.Layout(width="14em"))
        self._a.add_class("rv-cmp-a")
        self._b = ipw.Dropdown(style=style, layout=ipw.Layout(width="14em"))
        self._b.add_class("rv-cmp-b")
        bind_choice(self._a, m, "a", "options_pairs")
        bind_choice(self._b, m, "b", "options_pairs")
        self._table = html()
        self._table.add_class("rv-compare")
        self.children = [self._history, self._cmp_heading,
                         ipw.HBox([self._a, self._b], layout=ipw.Layout(flex_flow="row wrap")), self._table]
        self._app.plan.observe(self._refresh_history, ["history", "lang"])
        m.observe(self._refresh, ["rows", "changes", "a", "b", "lang"])
        self._refresh_history()
        self._refresh()

    def _refresh_history(self, _: Any = None) -> None:
        p, lang = self._app.plan, self._app.lang
        if not p.history:
            self._history.value = ""
            return
        heads = "".join(f"<th>{t(k, lang)}</th>" for k in ("col_rev", "col_at", "col_by", "col_status",
                                                            "col_summary", "comment"))
        rows = "".join(
            f"<tr><td>{r['revision']}</td><td>{escape(r['at'])}</td><td>{escape(r['by'])}</td>"
            f"<td>{escape(r['status'])}</td><td>{escape(r['summary'])}</td><td>{escape(r['comment'])}</td></tr>"
            for r in p.history
        )
        self._history.value = (f'<h3>{t("history", lang)}</h3><div class="rv-scroll"><table class="pl-table '
                               f'pl-history"><thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table></div>')

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        self._cmp_heading.value = f'<h3>{t("compare", lang)}</h3>'
        self._a.description = t("cmp_a", lang)
        self._b.description = t("cmp_b", lang)
        if not m.rows:
            self._table.value = ""
            return
        rev = t("revision", lang)
        body = "".join(
            f'<tr class="rv-{r["kind"]}"><td>{r["no"]}</td><td>{escape(r["left"])}</td>'
            f'<td>{escape(r["right"])}</td></tr>' for r in m.rows
        )
        changes = ("<ul>" + "".join(f"<li>{escape(c)}</li>" for c in m.changes) + "</ul>" if m.changes
                   else f'<p class="pl-hint">{t("cmp_none", lang)}</p>')
        self._table.value = (f'{changes}<div class="rv-scroll"><table class="pl-table"><thead><tr>'
                             f'<th>{t("col_no", lang)}</th><th>{rev} {m.a}</th><th>{rev} {m.b}</th></tr></thead>'
                             f"<tbody>{body}</tbody></table></div>")


class DeliveryView(View):
    """Planned against delivered: one row a consortium, and the year's total."""

    _model: DeliveryModel

    def _render(self) -> None:
        m = self._model
        self.add_class("rv-delivery")
        self._heading = html()
        self._refresh_button = button("rv-delivery-refresh", "", "auto")
        self._table = html()
        self._table.add_class("rv-delivery-table")
        self.children = [self._heading, ipw.HBox([self._refresh_button]), self._table]
        self._refresh_button.on_click(lambda _b: m.refresh())
        m.observe(self._refresh, ["rows", "lang", "note"])
        self._refresh()

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        self._heading.value = (f'<h3>{t("delivery", lang)}</h3>'
                               f'<p class="pl-hint">{t("delivery_note", lang)}</p>')
        self._refresh_button.description = t("delivery_refresh", lang)
        if not [r for r in m.rows if not r["total"]]:
            self._table.value = f'<p class="pl-empty">{t("no_delivery", lang)}</p>' + note_html(m.note, lang)
            return
        num = ("col_planned", "col_held", "col_participants", "col_companies", "col_staff", "col_students",
               "col_members", "col_very", "col_satisfied")
        heads = f'<th>{t("col_consortium", lang)}</th>' + "".join(
            f'<th class="rv-num">{t(k, lang)}</th>' for k in num)
        body = ""
        for r in m.rows:
            sat = "–" if r["satisfied"] is None else f'{r["satisfied"]}%'
            very = "–" if r["very_satisfied"] is None else f'{r["very_satisfied"]}%'
            cells = [r["planned"], r["held"], r["participants"], r["companies"], r["company_staff"], r["students"],
                     r["members"], very, sat]
            cls = ' class="rv-total"' if r["total"] else ""
            body += (f'<tr{cls}><td>{escape(r["name"])}</td>'
                     + "".join(f'<td class="rv-num">{c}</td>' for c in cells) + "</tr>")
        self._table.value = (f'<div class="rv-scroll"><table class="pl-table"><thead><tr>{heads}</tr></thead>'
                             f"<tbody>{body}</tbody></table></div>" + note_html(m.note, lang))


class LoadView(View):
    """The contractor's load: the chart (stacked by consortium, the capacity a line) and its table."""

    _model: LoadModel

    def _render(self) -> None:
        m = self._model
        self.add_class("rv-load")
        self._heading = html()
        self._chart = html()
        self._chart.add_class("rv-load-chart-box")
        self._table = html()
        self._table.add_class("rv-load-table")
        self.children = [self._heading, self._chart, self._table]
        m.observe(self._refresh, ["rows", "chart", "lang"])
        self._refresh()

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        note = t("load_note_all" if m.scope == "all" else "load_note_accepted", lang)
        if m.capacity is None:
            note += " " + t("load_no_capacity", lang)
        self._heading.value = f'<h3>{t("load", lang)}</h3><p class="pl-hint">{escape(note)}</p>'
        self._chart.value = f'<div class="rv-scroll">{m.chart}</div>'
        if not m.rows:
            self._table.value = ""
            return
        heads = f'<th>{t("col_month", lang)}</th>' + "".join(
            f'<th class="rv-num">{escape(n)}</th>' for n in m.names) + f'<th class="rv-num">{t("col_total", lang)}</th>'
        body = ""
        for r in m.rows:
            over = f' <b class="rv-over">{t("load_over", lang)}</b>' if r["over"] else ""
            body += (f'<tr{" class=rv-over-row" if r["over"] else ""}><td>{escape(r["month"])}</td>'
                     + "".join(f'<td class="rv-num">{n}</td>' for n in r["by"])
                     + f'<td class="rv-num"><b>{r["events"]}</b>{over}</td></tr>')
        self._table.value = (f'<div class="rv-scroll"><table class="pl-table"><thead><tr>{heads}</tr></thead>'
                             f"<tbody>{body}</tbody></table></div>")


class ReviewView(View):
    """The whole page: a refusal alone; or header, year, sections (all plans, one plan, delivered)."""

    _model: ReviewModel

    def _render(self) -> None:
        m = self._model
        self.add_class("pl-app")
        style = html(f"<style>{CSS}{REVIEW_CSS}</style>")
        if m.refusal is not None:
            n = m.refusal
            box = html(
                f'<div class="pl-refusal pl-note pl-note-error" role="alert">'
                f'<h2>{TEXT["refused"][0]} / {TEXT["refused"][1]}</h2>'
                f'<p lang="ja">{escape(n.ja)}</p><p lang="en">{escape(n.en)}</p></div>'
            )
            box.add_class("pl-refusal-box")
            self.children = [style, box]
            return
        self._header = html()
        self._lang = ipw.ToggleButtons(options=[("日本語", "ja"), ("English", "en")], style={"button_width": "6em"})
        self._lang.add_class("pl-lang")
        ipw.link((m, "lang"), (self._lang, "value"))
        self._year = ipw.Dropdown(layout=ipw.Layout(width="22em"), style={"description_width": "4em"})
        self._year.add_class("rv-year")
        bind_choice(self._year, m, "year", "year_options")
        self._nav = ipw.ToggleButtons(style={"button_width": "11em"})
        self._nav.add_class("rv-nav")
        self._nav_guard = False
        self._nav.observe(self._on_nav, "value")
        self._note = html()
        self._note.add_class("pl-app-note")
        overview = OverviewView(m.overview, m)
        head = PlanHeadView(m.plan)
        decision = DecisionView(m.decision)
        transfer = PlanTransferView(m.transfer, m)
        results = ResultFormView(m.result_form)
        history = HistoryCompareView(m.compare, m)
        delivery = DeliveryView(m.delivery)
        load = LoadView(m.load)
        for v in (overview, head, decision, transfer, results, history, delivery, load):
            v.render()
        if not m.is_officer:
            decision.layout.display = "none"  # the contractor and analysts only read
        self._pick = html()
        self._plan_inner = ipw.VBox([head, decision, transfer, results, history])
        self._plan_box = ipw.VBox([self._pick, self._plan_inner])
        self._plan_box.add_class("rv-plan-section")
        self._overview, self._delivery, self._load = overview, delivery, load
        top = ipw.HBox([self._header, ipw.HBox([self._lang, sign_out_link(m)])], layout=ipw.Layout(
            justify_content="space-between", align_items="center", flex_flow="row wrap"))
        top.add_class("pl-top")
        self.children = [style, top, ipw.HBox([self._year, self._nav], layout=ipw.Layout(
            flex_flow="row wrap", align_items="center")), self._note, overview, self._plan_box, delivery, load]
        m.observe(self._refresh, ["lang", "section", "note"])
        m.plan.observe(self._refresh, ["record"])
        self._refresh()

    def _on_nav(self, change: dict) -> None:
        if not self._nav_guard and change["new"]:
            self._model.section = change["new"]

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        assert m.user is not None
        who = escape(m.user.display_name or f"{m.user.name}（{m.role_label()}）")
        self._header.value = (f'<div class="pl-header"><h2>{t("app_title", lang)}</h2>'
                              f'<div><small>{t("user", lang)}: {who}</small></div></div>')
        self._year.description = t("year", lang)
        self._nav_guard = True
        try:
            self._nav.options = [(t("nav_overview", lang), "overview"), (t("nav_plan", lang), "plan"),
                                 (t("nav_delivery", lang), "delivery"), (t("nav_load", lang), "load")]
            self._nav.value = m.section
        finally:
            self._nav_guard = False
        self._note.value = note_html(m.note, lang)
        self._overview.layout.display = None if m.section == "overview" else "none"
        self._plan_box.layout.display = None if m.section == "plan" else "none"
        self._delivery.layout.display = None if m.section == "delivery" else "none"
        self._load.layout.display = None if m.section == "load" else "none"
        opened = m.plan.record is not None
        self._pick.value = "" if opened else f'<p class="pl-hint rv-pick">{t("pick_plan", lang)}</p>'
        self._plan_inner.layout.display = None if opened else "none"
