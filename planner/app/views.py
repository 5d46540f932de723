"""Widgets for the secretariat app. They render a model and forward events to it, nothing more.

Every text that came from a person (titles, comments, file names) is escaped before it goes into
an HTML widget: a plan title is data, never markup.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

import ipywidgets as ipw
from ipywidgets.widgets.widget_string import HTMLStyle

from ..findings import Finding
from ..japanese import fiscal_year_label
from .models import (
    ActionsModel,
    BudgetModel,
    EditorModel,
    FindingsModel,
    HistoryModel,
    Note,
    SecretariatModel,
    TransferModel,
    status_label,
)
from .style import CSS

TEXT: dict[str, tuple[str, str]] = {
    "app_title": ("支援事業メニュー計画", "Support menu plan"),
    "user": ("利用者", "User"),
    "used": ("使用", "Used"),
    "budget": ("予算", "Budget"),
    "left": ("残り", "Left"),
    "points": ("ポイント", "points"),
    "over": ("予算超過", "over budget"),
    "status": ("状態", "Status"),
    "revision": ("版", "Revision"),
    "updated": ("最終更新（日本時間）", "Last saved (JST)"),
    "fiscal_year": ("年度", "Year"),
    "officer_comment": ("プログラム担当からのコメント", "Programme officer's comment"),
    "lines": ("計画の内容", "Plan lines"),
    "no_lines": ("まだ行がありません。下のメニューから選んで追加してください。",
                 "No lines yet. Pick from the menu below and add one."),
    "col_no": ("番号", "No."),
    "col_item": ("メニュー", "Item"),
    "col_variant": ("区分", "Variant"),
    "col_qty": ("数量", "Qty"),
    "col_points": ("ポイント", "Points"),
    "col_month": ("実施月", "Month"),
    "col_title": ("件名・開催地", "Title, place"),
    "edit": ("変更", "Edit"),
    "remove": ("削除", "Remove"),
    "form_add": ("メニューから選んで追加", "Pick from the menu and add"),
    "copy_last_year": ("前年度の計画から作成", "Start from last year's plan"),
    "copy_hint": ("{year}の計画（{n} 行）を写して始められます。写した行は保存するまで下書きにもなりません。"
                  "今年度のルールで確かめ、メニューの変更やポイントの変更は指摘として表示します。実績は写しません。",
                  "You can start from the {year} plan ({n} lines). The copied lines are not saved until you save; "
                  "they are checked against this year's rules, and changed items or points are shown as findings. "
                  "Results are not copied."),
    "form_change": ("{n}行目を変更", "Change line {n}"),
    "item": ("メニュー", "Item"),
    "variant": ("区分", "Variant"),
    "quantity": ("数量", "Quantity"),
    "month": ("実施月", "Month"),
    "title": ("件名", "Title"),
    "details": ("詳細（受託者向け・任意）", "Details for the contractor (optional)"),
    "place": ("開催地", "Place"),
    "companies": ("想定企業数", "Companies"),
    "students": ("想定留学生数", "Students"),
    "language": ("言語", "Language"),
    "notes": ("備考", "Notes"),
    "notes_ph": ("⑪は提案内容の記述が必要です", "⑪ needs a written description"),
    "add": ("追加", "Add"),
    "apply": ("変更を反映", "Apply change"),
    "cancel": ("取り消し", "Cancel"),
    "cancelled": ("中止（実施しない。ポイントを使わず、実績と履歴は残す）",
                  "Cancelled (will not take place: uses no points; its result and history stay)"),
    "cancelled_mark": ("中止", "cancelled"),
    "findings": ("チェック結果", "Checks"),
    "no_findings": ("エラー・警告はありません。", "No errors or warnings."),
    "error": ("エラー", "Error"),
    "warning": ("警告", "Warning"),
    "findings_count": ("エラー {e} 件・警告 {w} 件", "{e} error(s), {w} warning(s)"),
    "save_submit": ("保存と提出", "Save and submit"),
    "save": ("下書きを保存", "Save draft"),
    "submit": ("提出する", "Submit"),
    "withdraw": ("提出を取り下げる", "Withdraw submission"),
    "reload": ("最新の版を読み込む", "Load latest revision"),
    "submit_blocked": ("エラーがある間は提出できません。", "The plan cannot be submitted while errors stand."),
    "unsaved": ("保存していない変更があります。", "There are unsaved changes."),
    "conflict_theirs": ("その間にほかの人が行った変更", "What changed in the meantime"),
    "conflict_mine": ("あなたの未保存の変更（読み込み直すと破棄されます）",
                      "Your unsaved changes (discarded if you reload)"),
    "conflict_reload": ("最新の版を読み込む（自分の変更は破棄）", "Load the latest revision (drop my changes)"),
    "excel": ("Excel ファイル", "Excel workbook"),
    "download": ("Excel をダウンロード", "Download workbook"),
    "making": ("作成中…", "Making…"),
    "save_link": ("⬇ {name} を保存", "⬇ Save {name}"),
    "upload": ("Excel を取り込む", "Load a workbook"),
    "upload_hint": ("オフラインで記入した計画の Excel ファイル（.xlsx、10 MB まで）を選んでください。"
                    "問題がひとつでもあれば何も取り込まず、場所（シート・行・列）を一覧にします。",
                    "Choose a plan workbook filled in offline (.xlsx, up to 10 MB). If anything is wrong, "
                    "nothing is loaded and every problem is listed by sheet, row and column."),
    "col_sheet": ("シート", "Sheet"),
    "col_row": ("行", "Row"),
    "col_column": ("列", "Column"),
    "col_message": ("内容", "Message"),
    "history": ("変更履歴", "Revision history"),
    "col_at": ("日時（日本時間）", "When (JST)"),
    "col_by": ("更新者", "By"),
    "col_summary": ("変更内容", "What changed"),
    "col_comment": ("コメント", "Comment"),
    "no_history": ("まだ保存されていません。", "Not saved yet."),
    "refused": ("この画面を開けません", "This screen cannot be opened"),
}


def t(key: str, lang: str, **kw: Any) -> str:
    ja, en = TEXT[key]
    return (en if lang == "en" else ja).format(**kw)


def note_html(note: Note | None, lang: str) -> str:
    if note is None:
        return ""
    details = "".join(f"<li>{escape(d)}</li>" for d in note.detail_texts(lang))
    body = escape(note.text(lang)).replace("\n", "<br>")
    role = "alert" if note.kind == "error" else "status"
    return (f'<div class="pl-note pl-note-{note.kind}" role="{role}">{body}'
            + (f"<ul>{details}</ul>" if details else "") + "</div>")


def finding_html(f: Finding, lang: str) -> str:
    kind = "error" if f.is_error else "warning"
    return (f'<div class="pl-note pl-note-{kind}"><b>{t(kind, lang)}</b> '
            f'<code>{escape(f.code)}</code> {escape(f.message(lang))}</div>')


# Style and layout models shared by every widget whose look never changes: each model is one more
# message to the browser and one more object it builds before the first screen (about 40 % of them).
_SHARED: dict[tuple, ipw.Widget] = {}


def shared_layout(**kw: str) -> ipw.Layout:
    """One Layout per kernel for these settings; only for widgets whose layout is never changed."""
    key = ("layout", *sorted(kw.items()))
    if key not in _SHARED:
        _SHARED[key] = ipw.Layout(**kw)
    return _SHARED[key]  # type: ignore[return-value]


def _shared_style(kind: type[ipw.Widget]) -> Any:
    key = ("style", kind.__name__)
    if key not in _SHARED:
        _SHARED[key] = kind()
    return _SHARED[key]


def html(value: str = "", layout: ipw.Layout | None = None) -> ipw.HTML:
    """An HTML widget (nothing in the apps changes an HTML widget's layout or style)."""
    return ipw.HTML(value, style=_shared_style(HTMLStyle), layout=layout or shared_layout())


def sign_out_link(model: Any) -> ipw.HTML:
    """Both apps' sign-out: a plain link to the server's /logout, which ends the session in the store
    and drops the cookie (a widget could end the session, but only an HTTP response clears a cookie)."""
    import os

    base = os.environ.get("VOILA_BASE_URL", "/").rstrip("/")
    w = html()
    w.add_class("pl-signout")

    def show(_: Any = None) -> None:
        en = model.lang == "en"
        w.value = (f'<a class="pl-signout-a" href="{escape(base)}/logout{"?lang=en" if en else ""}">'
                   f'{"Sign out" if en else "サインアウト"}</a>')

    model.observe(show, "lang")
    show()
    return w


def button(cls: str, style: str = "", width: str = "auto", toggled: bool = False) -> ipw.Button:
    """A button; `toggled` ones get a layout of their own because they are shown and hidden."""
    layout = ipw.Layout(width=width, flex="0 0 auto") if toggled else shared_layout(width=width, flex="0 0 auto")
    b = ipw.Button(button_style=style, layout=layout, style=_shared_style(ipw.ButtonStyle))
    b.add_class(cls)
    return b


def upload_button() -> ipw.FileUpload:
    """One workbook at a time, without the icon font the page no longer loads from a CDN."""
    b = ipw.FileUpload(accept=".xlsx", multiple=False, icon="",
                       layout=ipw.Layout(width="auto", align_self="flex-start"))
    b.add_class("pl-upload-button")
    return b


def label_upload(upload: ipw.FileUpload, text: str) -> None:
    # the widget writes "label (number of files)" as its text; the stylesheet shows the tooltip
    # instead, since the count (always 0, the value is cleared after each file) only puzzles people
    upload.description = upload.tooltip = text


class Disclosure(ipw.VBox):
    """A section opened and closed by a button. Not an Accordion: its header cannot be reached with Tab,
    and what it hides (the notes a rule may ask for, the history) must be reachable by keyboard."""

    def __init__(self, children: list[ipw.Widget], cls: str):
        self._toggle = ipw.ToggleButton(value=False, layout=ipw.Layout(width="auto", max_width="100%",
                                                                        align_self="flex-start"))
        self._toggle.add_class(f"{cls}-toggle")
        self._body = ipw.VBox(children, layout=ipw.Layout(display="none"))
        self._body.add_class(f"{cls}-body")
        super().__init__([self._toggle, self._body])
        self.add_class(cls)
        self._title = ""
        self._toggle.observe(self._show, "value")

    @property
    def title(self) -> str:
        return self._title

    @title.setter
    def title(self, text: str) -> None:
        self._title = text
        self._show()

    @property
    def opened(self) -> bool:
        return self._toggle.value

    @opened.setter
    def opened(self, value: bool) -> None:
        self._toggle.value = value

    def _show(self, _: Any = None) -> None:
        self._toggle.description = ("▾ " if self._toggle.value else "▸ ") + self._title
        self._toggle.tooltip = self._title
        self._body.layout.display = None if self._toggle.value else "none"


class View(ipw.VBox):
    """A panel: built lazily by render(), refreshed from its model by observers."""

    def __init__(self, model: Any, **kwargs: Any):
        super().__init__(**kwargs)
        self._model = model
        self.rendered = False

    def render(self) -> None:
        if self.rendered:
            return
        self._render()
        self.rendered = True

    def _render(self) -> None:
        raise NotImplementedError


class BudgetView(View):
    """Points used, budget, 残り and a bar; always on screen (sticky at the top of the page)."""

    _model: BudgetModel

    def _render(self) -> None:
        self.add_class("pl-budget")
        self._html = html()
        self._html.add_class("pl-points")
        self.children = [self._html]
        self._model.observe(self._refresh, ["lang", "used", "budget", "left", "message"])
        self._refresh()

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        pts = t("points", lang)
        width = min(100.0, 100.0 * m.share)
        state = "over" if m.over else ("under" if m.message is not None else "ok")
        over = (f'<span class="pl-over-badge">{t("over", lang)} {-m.left} {pts}</span>' if m.over else "")
        msg = ""
        if m.message is not None:
            kind = "error" if m.message.is_error else "warning"
            msg = (f'<div class="pl-budget-msg pl-note pl-note-{kind}" role="alert">'
                   f"{escape(m.message.message(lang))}</div>")
        self._html.value = (
            f'<div class="pl-budget-inner pl-{state}">'
            f'<div class="pl-figures" aria-live="polite">'
            f'<span>{t("used", lang)} <b class="pl-used">{m.used}</b></span>'
            f'<span>{t("budget", lang)} <b class="pl-budget-value">{m.budget}</b> {pts}</span>'
            f'<span class="pl-left">{t("left", lang)} <b class="pl-left-value">{m.left}</b> {pts}</span>{over}</div>'
            f'<div class="pl-bar" role="progressbar" aria-valuemin="0" aria-valuemax="{m.budget}" '
            f'aria-valuenow="{m.used}"><div style="width:{width:.1f}%"></div></div>{msg}</div>'
        )


class LinesView(View):
    """The plan's lines, each with buttons to change or remove it.

    Row widgets are kept and updated in place: building a row makes about ten widget models, each a
    round trip to the browser, and rebuilding every row on each change made a quantity change slow.
    """

    _model: EditorModel

    def _render(self) -> None:
        self.add_class("pl-lines")
        self._title = html()
        self._empty = html()
        self._head = self._row_html([], "pl-head")
        self._head_box = ipw.HBox([self._head, html(layout=shared_layout(width="13.5em"))])
        self._pool: list[tuple[ipw.HBox, ipw.HTML, ipw.Button, ipw.Button]] = []
        self._rows = ipw.VBox()
        self.children = [self._title, self._rows]
        self._model.observe(self._refresh, ["rows", "lang", "editable", "selected"])
        self._refresh()

    @staticmethod
    def _cells_html(cells: list[str]) -> str:
        return '<div class="pl-row">' + "".join(f"<span>{c}</span>" for c in cells) + "</div>"

    def _row_html(self, cells: list[str], cls: str = "") -> ipw.HTML:
        h = html(self._cells_html(cells), layout=shared_layout(flex="1 1 0", min_width="0"))
        h.add_class("pl-row-html")
        if cls:
            h.add_class(cls)
        return h

    def _row(self, index: int) -> tuple[ipw.HBox, ipw.HTML, ipw.Button, ipw.Button]:
        """The widgets of row `index`, made once; its buttons always act on that row number."""
        while len(self._pool) <= index:
            i = len(self._pool)
            cells = self._row_html([])
            edit = button("pl-edit", width="6.5em")
            remove = button("pl-remove", "danger", width="6.5em")
            edit.on_click(self._forward(self._model.edit_line, i))
            remove.on_click(self._forward(self._model.remove_line, i))
            row = ipw.HBox([cells, edit, remove], layout=shared_layout(align_items="center"))
            row.add_class("pl-line")
            self._pool.append((row, cells, edit, remove))
        return self._pool[index]

    @staticmethod
    def _set_class(widget: ipw.DOMWidget, cls: str, on: bool) -> None:
        if on and cls not in widget._dom_classes:
            widget.add_class(cls)
        elif not on and cls in widget._dom_classes:
            widget.remove_class(cls)

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        self._title.value = f'<h3>{t("lines", lang)}</h3>'
        if not m.rows:
            self._empty.value = f'<p class="pl-empty">{t("no_lines", lang)}</p>'
            self._rows.children = [self._empty]
            return
        self._head.value = self._cells_html([t(k, lang) for k in (
            "col_no", "col_item", "col_variant", "col_qty", "col_points", "col_month", "col_title")])
        children: list[ipw.Widget] = [self._head_box]
        for i, r in enumerate(m.rows):
            row, cells, edit, remove = self._row(i)
            flag = {"error": " ⚠", "warning": " △"}.get(r["flag"], "")
            title = escape(r["title"]) + (f' <small>（{escape(r["place"])}）</small>' if r["place"] else "")
            if r.get("cancelled"):
                title = f'<b class="pl-cancelled-mark">{t("cancelled_mark", lang)}</b> ' + title
            cells.value = self._cells_html([
                f'{r["no"]}{flag}', escape(r["item"]), escape(r["variant"]),
                f'{escape(str(r["quantity"]))} {escape(r["unit"])}', f'<b>{r["points"]}</b>',
                escape(r["month"]), title])
            for kind in ("error", "warning"):
                self._set_class(cells, f"pl-flag-{kind}", r["flag"] == kind)
            self._set_class(cells, "pl-row-cancelled", bool(r.get("cancelled")))
            edit.description, remove.description = t("edit", lang), t("remove", lang)
            edit.tooltip = f'{r["no"]}: {t("edit", lang)}'
            remove.tooltip = f'{r["no"]}: {t("remove", lang)}'
            edit.disabled = remove.disabled = not m.editable
            self._set_class(row, "pl-selected", i == m.selected)
            children.append(row)
        if list(self._rows.children) != children:
            self._rows.children = children

    @staticmethod
    def _forward(action: Callable[[int], Any], index: int) -> Callable[[Any], None]:
        return lambda _b: action(index)


class EditorView(View):
    """The form: item, variant, quantity, month, title and details; add or change a line."""

    _model: EditorModel

    def _render(self) -> None:
        m = self._model
        self.add_class("pl-editor")
        self._guard = False
        style = {"description_width": "6.5em"}
        wide = ipw.Layout(width="100%", max_width="46em")
        self._heading = html()
        self._item = ipw.Dropdown(style=style, layout=wide)
        self._item.add_class("pl-item")
        self._variant = ipw.Dropdown(style=style, layout=wide)
        self._variant.add_class("pl-variant")
        # text, not a number box: a number box drops what it cannot read (1.5 became 15) and clamps
        # silently; the model reads what was typed and says what is wrong with it
        self._quantity = ipw.Text(style=style, layout=ipw.Layout(width="14em"))
        self._quantity.add_class("pl-qty")
        self._month = ipw.Dropdown(style=style, layout=ipw.Layout(width="18em"))
        self._month.add_class("pl-month")
        self._title = ipw.Text(style=style, layout=wide)
        self._title.add_class("pl-title")
        # a layout of its own: `wide` is shared, and this one is hidden while a line is being added
        self._cancelled = ipw.Checkbox(indent=False, layout=ipw.Layout(width="100%", max_width="46em"))
        self._cancelled.add_class("pl-cancelled")
        self._place = ipw.Text(style=style, layout=ipw.Layout(width="20em"))
        self._companies = ipw.Text(style=style, layout=ipw.Layout(width="14em"))
        self._students = ipw.Text(style=style, layout=ipw.Layout(width="14em"))
        self._language = ipw.Text(style=style, layout=ipw.Layout(width="20em"))
        self._notes = ipw.Textarea(style=style, layout=wide)
        self._notes.add_class("pl-notes")
        self._details = Disclosure([
            ipw.HBox([self._place, self._language], layout=ipw.Layout(flex_flow="row wrap")),
            ipw.HBox([self._companies, self._students], layout=ipw.Layout(flex_flow="row wrap")),
            self._notes], "pl-details")
        self._preview = html()
        self._preview.add_class("pl-preview")
        self._month_hint = html()
        self._month_hint.add_class("pl-month-hint")
        self._form_note = html()
        self._add = button("pl-add", "primary", "9em", toggled=True)
        self._apply = button("pl-apply", "primary", "9em", toggled=True)
        self._cancel = button("pl-cancel", "", "9em", toggled=True)
        self._lock = html()
        self._lock.add_class("pl-lock")
        self._form = ipw.VBox([
            self._item, self._variant,
            ipw.HBox([self._quantity, self._month], layout=ipw.Layout(flex_flow="row wrap")),
            self._month_hint, self._title, self._cancelled, self._details, self._preview, self._form_note,
            ipw.HBox([self._add, self._apply, self._cancel]),
        ])
        self.children = [self._heading, self._lock, self._form]
        self._bind_choice(self._item, "item", "item_options")
        self._bind_choice(self._variant, "variant", "variant_options")
        self._bind_choice(self._month, "month", "month_options")
        ipw.link((m, "quantity_text"), (self._quantity, "value"))
        for name in ("title", "place", "companies", "students", "language", "notes", "cancelled"):
            ipw.link((m, name), (getattr(self, f"_{name}"), "value"))
        self._add.on_click(lambda _b: m.add_line())
        self._apply.on_click(lambda _b: m.apply_change())
        self._cancel.on_click(lambda _b: m.cancel_edit())
        m.observe(self._refresh, ["lang", "selected", "editable", "preview", "form_note", "lock_note",
                                  "month_hint"])
        self._refresh()

    def _bind_choice(self, widget: ipw.Dropdown, trait: str, options_trait: str) -> None:
        # Replacing a Dropdown's options resets its value; the guard keeps that reset from
        # reaching the model, which stays the source of truth for what is picked.
        m = self._model

        def to_widget(_: Any = None) -> None:
            self._guard = True
            try:
                opts = getattr(m, options_trait)
                if list(widget.options) != [tuple(o) for o in opts]:
                    widget.options = [tuple(o) for o in opts]
                value = getattr(m, trait)
                if any(v == value for _, v in opts):
                    widget.value = value
            finally:
                self._guard = False

        def to_model(change: dict) -> None:
            if not self._guard and change["new"] is not None:
                setattr(m, trait, change["new"])

        m.observe(to_widget, [trait, options_trait])
        widget.observe(to_model, "value")
        to_widget()

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        changing = m.selected >= 0
        self._heading.value = "<h3>" + (t("form_change", lang, n=m.selected + 1) if changing
                                        else t("form_add", lang)) + "</h3>"
        for w, key in ((self._item, "item"), (self._variant, "variant"), (self._quantity, "quantity"),
                       (self._month, "month"), (self._title, "title"), (self._place, "place"),
                       (self._companies, "companies"), (self._students, "students"),
                       (self._language, "language"), (self._notes, "notes")):
            w.description = t(key, lang)
            w.disabled = not m.editable
        self._notes.placeholder = t("notes_ph", lang)
        self._cancelled.description = t("cancelled", lang)
        self._cancelled.disabled = not m.editable
        self._cancelled.layout.display = None if changing else "none"  # a new line is planned to happen
        self._details.title = t("details", lang)
        self._preview.value = note_html(m.preview, lang) if m.editable else ""
        self._month_hint.value = note_html(m.month_hint, lang) if m.editable else ""
        self._form_note.value = note_html(m.form_note, lang)
        self._add.description, self._apply.description = t("add", lang), t("apply", lang)
        self._cancel.description = t("cancel", lang)
        self._add.layout.display = "none" if changing else None
        self._apply.layout.display = self._cancel.layout.display = None if changing else "none"
        self._add.disabled = self._apply.disabled = not m.editable
        # a closed plan shows why it is closed instead of a form that cannot be used
        self._lock.value = note_html(m.lock_note, lang)
        self._form.layout.display = None if m.editable else "none"


class CopyLastYearView(View):
    """On an empty plan: start from last year's lines (they come in as unsaved changes)."""

    _model: SecretariatModel

    def _render(self) -> None:
        m = self._model
        self.add_class("pl-copy")
        self._hint = html()
        self._button = button("pl-copy-last-year", "info", "auto")
        self.children = [self._hint, self._button]
        self._button.on_click(lambda _b: m.copy_last_year())
        m.observe(self._refresh, ["plan", "last_year_plan", "editable", "lang"])
        self._refresh()

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        offer = m.last_year_plan is not None and m.plan is not None and not m.plan.lines and m.editable
        self.layout.display = None if offer else "none"
        if offer:
            year = fiscal_year_label(m.fy.year - 1, lang)
            n = len(m.last_year_plan.lines)
            self._hint.value = f'<p class="pl-hint">{escape(t("copy_hint", lang, year=year, n=n))}</p>'
            self._button.description = t("copy_last_year", lang)


class FindingsView(View):
    _model: FindingsModel

    def _render(self) -> None:
        self.add_class("pl-findings")
        self._html = html()
        self.children = [self._html]
        self._model.observe(self._refresh, ["findings", "errors", "warnings", "lang"])
        self._refresh()

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        head = (f'<h3>{t("findings", lang)} <small>'
                f'{t("findings_count", lang, e=m.errors, w=m.warnings)}</small></h3>')
        body = "".join(finding_html(f, lang) for f in m.findings) or f'<p>{t("no_findings", lang)}</p>'
        self._html.value = head + body


class ActionsView(View):
    """Save, submit, withdraw, reload; and when a save was refused, what changed and a reload offer."""

    _model: ActionsModel

    def __init__(self, model: ActionsModel, app: SecretariatModel, **kwargs: Any):
        super().__init__(model, **kwargs)
        self._app = app

    def _render(self) -> None:
        m = self._model
        self.add_class("pl-actions")
        self._heading = html()
        self._save = button("pl-save", "primary", "11em")
        self._submit = button("pl-submit", "success", "11em")
        self._withdraw = button("pl-withdraw", "warning", "13em", toggled=True)
        self._reload = button("pl-reload", "", "13em")
        self._hint = html()
        self._conflict_html = html()
        self._conflict_reload = button("pl-conflict-reload", "warning", "auto")
        self._conflict = ipw.VBox([self._conflict_html, self._conflict_reload])
        self._conflict.add_class("pl-conflict")
        self.children = [self._heading,
                         ipw.HBox([self._save, self._submit, self._withdraw, self._reload],
                                  layout=ipw.Layout(flex_flow="row wrap")),
                         self._hint, self._conflict]
        self._save.on_click(lambda _b: m.save())
        self._submit.on_click(lambda _b: m.submit())
        self._withdraw.on_click(lambda _b: m.withdraw())
        self._reload.on_click(lambda _b: m.reload())
        self._conflict_reload.on_click(lambda _b: m.reload())
        m.observe(self._refresh, ["lang", "can_save", "can_submit", "can_withdraw", "conflict"])
        self._app.observe(self._refresh, ["dirty", "has_errors"])
        self._refresh()

    def _refresh(self, _: Any = None) -> None:
        m, lang, app = self._model, self._model.lang, self._app
        self._heading.value = f'<h3>{t("save_submit", lang)}</h3>'
        for b, key in ((self._save, "save"), (self._submit, "submit"), (self._withdraw, "withdraw"),
                       (self._reload, "reload"), (self._conflict_reload, "conflict_reload")):
            b.description = t(key, lang)
        self._save.disabled = not m.can_save
        self._submit.disabled = not m.can_submit
        self._withdraw.layout.display = None if m.can_withdraw else "none"
        hints = []
        if app.dirty:
            hints.append(t("unsaved", lang))
        if app.editable and app.has_errors:
            hints.append(t("submit_blocked", lang))
        self._hint.value = "".join(f'<p class="pl-hint">{h}</p>' for h in hints)
        c = m.conflict
        if c is None:
            self._conflict.layout.display = "none"
            return
        self._conflict.layout.display = None

        def items(pairs: tuple[tuple[str, str], ...]) -> str:
            return "".join(f"<li>{escape(en if lang == 'en' else ja)}</li>" for ja, en in pairs)

        msg = c.message[1] if lang == "en" else c.message[0]
        self._conflict_html.value = (
            f'<div class="pl-note pl-note-error" role="alert">{escape(msg)}'
            f'<p><b>{t("conflict_theirs", lang)}</b></p><ul>{items(c.theirs)}</ul>'
            + (f'<p><b>{t("conflict_mine", lang)}</b></p><ul>{items(c.mine)}</ul>' if c.mine else "")
            + "</div>"
        )


class TransferView(View):
    """Download the plan workbook as a data: link; upload a workbook and list every finding."""

    _model: TransferModel

    def _render(self) -> None:
        m = self._model
        self.add_class("pl-transfer")
        self._heading = html()
        self._download = button("pl-download", "info", "14em")
        self._link = html()
        self._link.add_class("pl-download-link")
        self._upload = upload_button()
        self._upload.add_class("pl-upload")
        self._hint = html()
        self._note = html()
        self._note.add_class("pl-transfer-note")
        self._table = html()
        self._table.add_class("pl-upload-findings")
        self.children = [self._heading, ipw.HBox([self._download, self._link], layout=ipw.Layout(
            flex_flow="row wrap", align_items="center")), self._hint, self._upload, self._note, self._table]
        self._download.on_click(lambda _b: m.download())
        self._upload.observe(self._on_upload, "value")
        m.observe(self._refresh, ["lang", "download_uri", "note", "findings", "busy"])
        self._refresh()

    def _on_upload(self, change: dict) -> None:
        files = change["new"]
        if not files:
            return
        f = files[0]
        content = f["content"]
        self._model.upload(f["name"], content.tobytes() if hasattr(content, "tobytes") else bytes(content))
        # clear the widget so the same file can be chosen again after fixing it
        self._upload.value = ()

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        self._heading.value = f'<h3>{t("excel", lang)}</h3>'
        self._download.description = t("making", lang) if m.busy else t("download", lang)
        self._download.disabled = m.busy
        label_upload(self._upload, t("upload", lang))
        self._upload.disabled = m.busy
        self._hint.value = f'<p class="pl-hint">{t("upload_hint", lang)}</p>'
        if m.download_uri:
            self._link.value = (f'<a class="pl-download-a" href="{m.download_uri}" '
                                f'download="{escape(m.download_name)}">'
                                f'{escape(t("save_link", lang, name=m.download_name))}</a>')
        else:
            self._link.value = ""
        self._note.value = note_html(m.note, lang)
        if not m.findings:
            self._table.value = ""
            return
        rows = "".join(
            f'<tr class="pl-{"error" if f.is_error else "warning"}"><td>{t("error" if f.is_error else "warning", lang)}'
            f"</td><td>{escape(f.sheet or '')}</td><td>{'' if f.row is None else f.row}</td>"
            f"<td>{escape(f.column or '')}</td><td><code>{escape(f.code)}</code> {escape(f.message(lang))}</td></tr>"
            for f in m.findings
        )
        heads = "".join(f"<th>{t(k, lang)}</th>" for k in ("status", "col_sheet", "col_row", "col_column",
                                                            "col_message"))
        self._table.value = f'<table class="pl-table"><thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table>'


class HistoryView(View):
    _model: HistoryModel

    def _render(self) -> None:
        self._html = html()
        self._acc = Disclosure([self._html], "pl-history")
        self.children = [self._acc]
        self._model.observe(self._refresh, ["rows", "lang"])
        self._refresh()

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        self._acc.title = (f'{t("history", lang)}（{len(m.rows)}）' if lang == "ja"
                           else f'{t("history", lang)} ({len(m.rows)})')
        if not m.rows:
            self._html.value = f'<p>{t("no_history", lang)}</p>'
            return
        heads = "".join(f"<th>{t(k, lang)}</th>" for k in ("revision", "col_at", "col_by", "status",
                                                            "col_summary", "col_comment"))
        rows = "".join(
            f"<tr><td>{r['revision']}</td><td>{escape(r['at'])}</td><td>{escape(r['by'])}</td>"
            f"<td>{escape(r['status'])}</td><td>{escape(r['summary'])}</td><td>{escape(r['comment'])}</td></tr>"
            for r in m.rows
        )
        self._html.value = f'<table class="pl-table"><thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table>'


class SecretariatView(View):
    """The whole page: a refusal alone, or header, budget, lines, form, checks, actions, Excel, history."""

    _model: SecretariatModel

    def _render(self) -> None:
        m = self._model
        self.add_class("pl-app")
        style = html(f"<style>{CSS}</style>")
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
        self._lang = ipw.ToggleButtons(options=[("日本語", "ja"), ("English", "en")],
                                       style={"button_width": "6em"})
        self._lang.add_class("pl-lang")
        ipw.link((m, "lang"), (self._lang, "value"))
        self._year = ipw.Dropdown(layout=ipw.Layout(width="15em"))
        self._year.add_class("pl-year")
        self._year.observe(self._on_year, "value")
        m.observe(self._show_years, ["year", "year_options"])
        self._show_years()
        self._status = html()
        self._status.add_class("pl-status")
        self._note = html()
        self._note.add_class("pl-app-note")
        budget = BudgetView(m.budget_model)
        lines = LinesView(m.editor)
        copy = CopyLastYearView(m)
        editor = EditorView(m.editor)
        findings = FindingsView(m.findings_model)
        actions = ActionsView(m.actions, m)
        transfer = TransferView(m.transfer)
        history = HistoryView(m.history)
        for v in (budget, lines, copy, editor, findings, actions, transfer, history):
            v.render()
        top = ipw.HBox([self._header, ipw.HBox([self._year, self._lang, sign_out_link(m)])], layout=ipw.Layout(
            justify_content="space-between", align_items="center", flex_flow="row wrap"))
        top.add_class("pl-top")
        self.children = [style, top, budget, self._status, self._note, lines, copy, editor, findings, actions,
                         transfer, history]
        m.observe(self._refresh, ["lang", "status", "revision", "comment", "updated_at", "note", "dirty", "year"])
        self._refresh()

    def _show_years(self, _: Any = None) -> None:
        m = self._model
        self._showing_year = True  # setting the options and value is not a person's choice
        try:
            options = [tuple(o) for o in m.year_options]
            if list(self._year.options) != options:
                self._year.options = options
            self._year.value = m.year
        finally:
            self._showing_year = False

    def _on_year(self, change: dict) -> None:
        if not self._showing_year and change["new"] is not None and not self._model.change_year(change["new"]):
            self._show_years()  # refused (unsaved changes): the picker goes back to the year shown

    def _refresh(self, _: Any = None) -> None:
        m, lang = self._model, self._model.lang
        self._year.description = t("fiscal_year", lang)
        who = escape(m.user.display_name or m.user.name)
        self._header.value = (f'<div class="pl-header"><h2>{escape(m.fiscal_year_title)} {t("app_title", lang)}'
                              f'</h2><div>{escape(m.consortium_name)}　<small>{t("user", lang)}: {who}</small>'
                              "</div></div>")
        parts = [f'<span class="pl-chip pl-chip-{m.status or "new"}">{t("status", lang)}: '
                 f"{escape(status_label(m.status, lang))}</span>"]
        if m.revision:
            parts.append(f'<span>{t("revision", lang)} {m.revision}</span>')
            parts.append(f'<span>{t("updated", lang)}: {escape(m.updated_at)} {escape(m.updated_by)}</span>')
        if m.dirty:
            parts.append(f'<span class="pl-unsaved">● {t("unsaved", lang)}</span>')
        comment = ""
        if m.comment:
            kind = "warning" if m.status == "returned" else "info"
            comment = (f'<div class="pl-note pl-note-{kind} pl-comment"><b>{t("officer_comment", lang)}</b>'
                       f"<br>{escape(m.comment)}</div>")
        self._status.value = '<div class="pl-status-row">' + "".join(parts) + "</div>" + comment
        self._note.value = note_html(m.note, lang)
