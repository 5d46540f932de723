"""The secretariat app's state and actions: one traitlets model per panel, no widgets.

Every action turns the library's refusals into `Note`s (data the views show); nothing here raises
to the page. Tests drive these models directly, without a browser.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import traitlets as tl

from ..access import may
from ..diff import Change, Menu, diff_plans
from ..errors import AccessDenied, Conflict, PlannerError
from ..findings import Finding
from ..fiscal_year import FiscalYear, MenuItem, available_years
from ..japanese import FISCAL_MONTHS, calendar_year, circled, fiscal_year_label, japan_time, month_label
from ..numbers import read_number
from ..plan import DETAIL_FIELDS, Line, Plan, is_cancelled
from ..results import edits_losing_results
from ..rules import check, line_points, points
from ..store import PlanRecord, Store
from ..workflow import MOVES, STATUS_LABELS, state_refusal

# The page refuses bigger files itself; `planner serve` raises the websocket limit above this so the
# refusal is a message rather than a silently dropped connection.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_FORM_QUANTITY = 999  # no menu item is planned by the thousand; a longer number is a slip of the hand


def _whole(text: str) -> int | None:
    """A whole number of 0 or more as people type it (planner.numbers); None for anything else."""
    n = read_number(text).whole
    return n if n is not None and n >= 0 else None


def year_for(store: Store, consortium: str, year: int) -> FiscalYear:
    """The fiscal year's data, if this consortium takes part in that year; AccessDenied otherwise."""
    fy = store.fiscal_year(year)
    if consortium not in fy.consortia:
        raise AccessDenied(f"コンソーシアム {consortium} は{fy.label_ja}の対象にありません。",
                           f"Consortium {consortium} is not part of FY{fy.year}.")
    return fy


@dataclass(frozen=True)
class Note:
    """A message for the person, in both languages; kind is info, success, warning or error."""

    kind: str
    ja: str
    en: str
    details: tuple[tuple[str, str], ...] = ()

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else self.ja

    def detail_texts(self, lang: str) -> list[str]:
        return [en if lang == "en" else ja for ja, en in self.details]

    @classmethod
    def of(cls, exc: PlannerError, kind: str = "error") -> Note:
        return cls(kind, exc.message_ja, exc.message_en)


@dataclass(frozen=True)
class ConflictInfo:
    """A refused save: who saved what in between, and what this person had not saved yet."""

    current_revision: int
    message: tuple[str, str]
    theirs: tuple[tuple[str, str], ...]
    mine: tuple[tuple[str, str], ...]


def _both(changes: list[Change], menu: Menu) -> tuple[tuple[str, str], ...]:
    return tuple((c.describe("ja", menu), c.describe("en", menu)) for c in changes)


def jst(iso: str) -> str:
    """The store's UTC timestamp in Japan time, bare: the app's headings say 日本時間 once."""
    return japan_time(iso, None)


def make_plan_workbook(shown: tl.HasTraits, store: Store, fiscal_year: FiscalYear, consortium: str,
                       revision: int, by: str) -> tuple[str, bytes] | None:
    """A plan workbook and its file name, for a model that shows `busy` and `note` while it is made;
    None (with the reason in `note`) if it cannot be made. Revision 0 is the blank form to fill offline."""
    shown.busy = True
    shown.note = Note("info", "Excel ファイルを作成しています…", "Making the workbook…")
    try:
        from ..workbook import plan_workbook

        data = plan_workbook(store, consortium, fiscal_year.year, by=by)
    except PlannerError as exc:
        shown.note = Note.of(exc)
        return None
    finally:
        shown.busy = False
    name = fiscal_year.consortia[consortium].name_ja
    return f"計画_{name}_{fiscal_year.year}年度_{f'版{revision}' if revision else '新規'}.xlsx", data


def xlsx_data_uri(data: bytes) -> str:
    """A workbook as a link target: downloads never go through /voila/files, which needs no login."""
    return f"data:{XLSX_MIME};base64,{base64.b64encode(data).decode('ascii')}"


def too_large(name: str, content: bytes) -> Finding | None:
    """The upload limit, said before anything reads the file."""
    if len(content) <= MAX_UPLOAD_BYTES:
        return None
    mb = len(content) / 1024 / 1024
    return Finding("FILE_TOO_LARGE", "error",
                   f"ファイル {name} は {mb:.1f} MB あり、上限の 10 MB を超えています。"
                   "計画の Excel ファイルを選んでください。",
                   f"The file {name} is {mb:.1f} MB, over the 10 MB limit. Choose the plan workbook.")


def status_label(status: str, lang: str) -> str:
    ja, en = STATUS_LABELS.get(status, ("未保存", "not saved yet"))
    return en if lang == "en" else ja


def item_option_label(item: MenuItem, lang: str) -> str:
    pts = sorted({v.points for v in item.variants})
    span = f"{pts[0]}" if len(pts) == 1 else f"{pts[0]}–{pts[-1]}"
    if lang == "en":
        return f"{circled(item.no)} {item.name_en} ({span} pt / {item.unit_en})"
    return f"{circled(item.no)} {item.name_ja}　{span}ポイント／{item.unit_ja}"


def variant_option_label(item: MenuItem, variant_id: str, lang: str) -> str:
    v = item.variant(variant_id)
    if v is None:
        return str(variant_id)
    if lang == "en":
        return f"{v.name_en}: {v.points} pt / {item.unit_en}"
    return f"{v.name_ja}：{v.points}ポイント／{item.unit_ja}"


class SecretariatModel(tl.HasTraits):
    """One secretariat's plan for one fiscal year: the state every panel renders from.

    A refused session carries only `refusal`: no store reads happen, so no plan data can leak.
    """

    lang = tl.Unicode("ja")
    refusal = tl.Instance(Note, allow_none=True)
    plan = tl.Instance(Plan, allow_none=True)
    saved_plan = tl.Instance(Plan, allow_none=True)  # the stored revision the editor started from
    results = tl.List()  # the results recorded on the plan's lines (a plan reopened after its events)
    revision = tl.Int(0)  # 0: nothing stored yet
    status = tl.Unicode("")
    comment = tl.Unicode("")
    updated_at = tl.Unicode("")
    updated_by = tl.Unicode("")
    findings = tl.List()
    points_used = tl.Int(0)
    budget = tl.Int(0)
    points_left = tl.Int(0)
    dirty = tl.Bool(False)
    editable = tl.Bool(False)
    has_errors = tl.Bool(False)
    note = tl.Instance(Note, allow_none=True)  # the outcome of the last action
    year = tl.Int(0)  # the fiscal year shown
    year_options = tl.List()  # (label, year) for the years this consortium takes part in
    # last year's plan, offered as the start of an empty plan (None when there is none to copy)
    last_year_plan = tl.Instance(Plan, allow_none=True)
    copied_from = tl.Int(0)  # the year the unsaved lines were copied from; 0 if they were not
    # every other consortium's events per month (counts only) and the contractor's capacity
    others_by_month = tl.Dict()
    # the fiscal year shown and this consortium's menu in it: the panels follow them (links, not pushes)
    fy = tl.Instance(FiscalYear, allow_none=True)
    menu = tl.Dict()

    def __init__(self, store: Store | None = None, user: Any = None, fy: FiscalYear | None = None,
                 lang: str = "ja", refusal: Note | None = None):
        super().__init__(lang=lang, refusal=refusal)
        self.store = store
        self.user = user
        self.consortium: str | None = getattr(user, "consortium", None)
        if refusal is not None:
            return
        assert store is not None and user is not None and fy is not None
        self.fy = fy
        self.year = fy.year
        self.budget_model = BudgetModel(self)
        self.editor = EditorModel(self)
        self.findings_model = FindingsModel(self)
        self.actions = ActionsModel(self)
        self.history = HistoryModel(self)
        self.transfer = TransferModel(self)
        self._years = self._years_taking_part()
        self.observe(self._on_lang_years, "lang")
        self._on_lang_years()
        self.reload()

    def _years_taking_part(self) -> list[int]:
        years = []
        for y in available_years():
            try:
                if self.consortium in self.store.fiscal_year(y).consortia:
                    years.append(y)
            except PlannerError:  # a damaged year file is not offered; `planner years check` names the problem
                continue
        return years if self.fy.year in years else sorted([*years, self.fy.year])

    def _on_lang_years(self, _: Any = None) -> None:
        self.year_options = [(fiscal_year_label(y, self.lang), y) for y in self._years]

    def change_year(self, year: int) -> bool:
        """Show another fiscal year's plan (with that year's menu and budget). Nothing unsaved is
        dropped by this: with unsaved lines or a line being changed, the person finishes first."""
        if year == self.fy.year:
            return True
        if self.dirty or self.editor.selected >= 0:
            self.note = Note("error", "保存していない変更（または変更中の行）があります。下書きを保存するか、"
                             "「最新の版を読み込む」で変更を取り消してから、年度を切り替えてください。",
                             "There are unsaved changes (or a line being changed). Save the draft, or reload "
                             "to drop them, before switching the fiscal year.")
            return False
        try:  # everything is read before anything shown changes: a refusal leaves the screen as it was
            fy = year_for(self.store, self.consortium, year)
            rec = self.store.find(self.consortium, year, by=self.by)
        except PlannerError as exc:
            self.note = Note.of(exc)
            return False
        self.fy = fy  # the menu follows, and the form with it
        self.actions.conflict = None  # a refused save of the other year's plan
        self._show(rec)
        self.year = year
        self.note = Note("info", f"{fiscal_year_label(year, 'ja')}の計画を表示しています。",
                         f"Showing the plan for {fiscal_year_label(year, 'en')}.")
        return True

    @tl.observe("fy")
    def _on_fy(self, change: dict) -> None:
        self.menu = change["new"].menu_for(self.consortium) if change["new"] is not None else {}

    @classmethod
    def refused(cls, note: Note, lang: str = "ja") -> SecretariatModel:
        return cls(lang=lang, refusal=note)

    @property
    def by(self) -> str:
        return self.user.name

    @property
    def consortium_name(self) -> str:
        c = self.fy.consortia[self.consortium]
        return c.name_en if self.lang == "en" else c.name_ja

    @property
    def fiscal_year_title(self) -> str:
        return fiscal_year_label(self.fy.year, self.lang)

    def reload(self) -> None:
        """Read the current revision from the store, dropping unsaved edits."""
        self._show(self.store.find(self.consortium, self.fy.year, by=self.by))

    def _read_programme(self) -> None:
        """What the screen needs of the rest of the programme: last year's plan of this consortium (to
        copy from) and how many events the others plan per month (counts, never their plans)."""
        from ..load import monthly_load, others_by_month

        self.others_by_month = others_by_month(
            monthly_load([r.plan for r in self.store.plan_records(self.fy.year)], self.fy), self.consortium)
        last = None
        if self.fy.year - 1 in available_years():
            rec = self.store.find(self.consortium, self.fy.year - 1, by=self.by)
            last = rec.plan if rec is not None and rec.plan.lines else None
        self.last_year_plan = last

    def copy_last_year(self) -> bool:
        """Last year's lines as unsaved changes of this year's empty plan, checked by this year's rules
        (an item not offered, a variant gone, points changed: each a finding on its line)."""
        from ..copying import copy_plan

        if self.plan.lines or self.last_year_plan is None or not self.editable:
            return False
        try:
            self.store.fiscal_year(self.fy.year - 1)
        except PlannerError as exc:
            self.note = Note.of(exc)
            return False
        self.copied_from = self.fy.year - 1
        self.set_plan(copy_plan(self.last_year_plan, self.fy))
        n = len(self.plan.lines)
        self.note = Note("info", f"{fiscal_year_label(self.copied_from, 'ja')}の計画から {n} 行を写しました"
                         "（まだ保存していません）。指摘を確かめてから、下書きを保存してください。実績は写していません。",
                         f"Copied {n} line(s) from the {fiscal_year_label(self.copied_from, 'en')} plan (not saved "
                         "yet). Check the findings, then save the draft. Results are not copied.")
        return True

    def _show(self, rec: PlanRecord | None) -> None:
        self._read_programme()
        self.copied_from = 0
        with self.hold_trait_notifications():
            if rec is None:
                self.saved_plan = None
                self.results = []
                self.revision, self.status, self.comment = 0, "", ""
                self.updated_at = self.updated_by = ""
                plan = Plan(self.consortium, self.fy.year, ())
            else:
                self.saved_plan = rec.plan
                self.results = self.store.results(self.consortium, self.fy.year, by=self.by)
                self.revision, self.status, self.comment = rec.revision, rec.status, rec.comment
                self.updated_at = jst(rec.updated_at)
                self.updated_by = self.store.display_names().get(rec.updated_by, rec.updated_by)
                plan = rec.plan
            self.set_plan(plan)

    def set_plan(self, plan: Plan) -> None:
        """Replace the working plan and recompute everything shown from it."""
        from ..copying import points_changed
        from ..load import capacity_findings

        findings = check(plan, self.fy) + capacity_findings(plan, self.fy, self.others_by_month)
        if self.copied_from:
            findings += points_changed(plan, self.store.fiscal_year(self.copied_from), self.fy)
        used = points(plan, self.fy)
        budget = self.fy.budget(self.consortium) or 0
        saved = self.saved_plan or Plan(self.consortium, self.fy.year, ())
        with self.hold_trait_notifications():
            self.plan = plan
            self.findings = findings
            self.points_used, self.budget, self.points_left = used, budget, budget - used
            self.has_errors = any(f.is_error for f in findings)
            self.dirty = plan.lines != saved.lines
            self.editable = may(self.user, "save", self.consortium, self.status or None) is None

    def unsaved_changes(self) -> list[Change]:
        return diff_plans(self.saved_plan or Plan(self.consortium, self.fy.year, ()), self.plan)


class BudgetModel(tl.HasTraits):
    """Points used, budget and 残り, and the budget rule's message the moment it applies."""

    lang = tl.Unicode("ja")
    used = tl.Int(0)
    budget = tl.Int(0)
    left = tl.Int(0)
    over = tl.Bool(False)
    message = tl.Instance(Finding, allow_none=True)

    def __init__(self, app: SecretariatModel):
        super().__init__()
        for src, dst in (("lang", "lang"), ("points_used", "used"), ("budget", "budget"), ("points_left", "left")):
            tl.dlink((app, src), (self, dst))
        tl.dlink((app, "findings"), (self, "message"), self._budget_finding)
        tl.dlink((self, "left"), (self, "over"), lambda left: left < 0)

    @staticmethod
    def _budget_finding(findings: list[Finding]) -> Finding | None:
        return next((f for f in findings if f.code in ("BUDGET_EXCEEDED", "BUDGET_UNDERUSED")), None)

    @property
    def share(self) -> float:
        return self.used / self.budget if self.budget else 0.0


class FindingsModel(tl.HasTraits):
    lang = tl.Unicode("ja")
    findings = tl.List()
    errors = tl.Int(0)
    warnings = tl.Int(0)

    def __init__(self, app: SecretariatModel):
        super().__init__()
        tl.dlink((app, "lang"), (self, "lang"))
        tl.dlink((app, "findings"), (self, "findings"))
        tl.dlink((app, "findings"), (self, "errors"), lambda fs: sum(f.is_error for f in fs))
        tl.dlink((app, "findings"), (self, "warnings"), lambda fs: sum(not f.is_error for f in fs))


class EditorModel(tl.HasTraits):
    """The line form (pick an item, a variant, a quantity, a month) and the plan's lines as rows."""

    lang = tl.Unicode("ja")
    editable = tl.Bool(False)
    item = tl.Int(0)
    variant = tl.Unicode("")
    quantity = tl.Int(1)
    # what is in the quantity box, as typed: a box that drops what it cannot read would turn 1.5 into 15
    quantity_text = tl.Unicode("1")
    quantity_note = tl.Instance(Note, allow_none=True)  # why the typed quantity cannot be used
    month = tl.Int(4)
    title = tl.Unicode("")
    place = tl.Unicode("")
    companies = tl.Unicode("")
    students = tl.Unicode("")
    language = tl.Unicode("")
    notes = tl.Unicode("")
    cancelled = tl.Bool(False)  # only a line being changed can be cancelled: a new line is planned to happen
    selected = tl.Int(-1)  # the line being changed (0-based), -1 while adding a new one
    item_options = tl.List()
    variant_options = tl.List()
    month_options = tl.List()
    rows = tl.List()
    preview = tl.Instance(Note, allow_none=True)
    month_hint = tl.Instance(Note, allow_none=True)  # how busy the chosen month is across the programme
    form_note = tl.Instance(Note, allow_none=True)
    lock_note = tl.Instance(Note, allow_none=True)  # why the form is closed, while it is
    menu = tl.Dict()  # the year's menu of this consortium, linked from the app
    fy = tl.Instance(FiscalYear, allow_none=True)

    def __init__(self, app: SecretariatModel):
        super().__init__()
        self._app = app
        tl.dlink((app, "lang"), (self, "lang"))
        tl.dlink((app, "editable"), (self, "editable"))
        tl.dlink((app, "menu"), (self, "menu"))
        # the year, not only the menu: two years' menus may be equal, their months' calendar years are not
        tl.dlink((app, "fy"), (self, "fy"))
        app.observe(self._on_editable, ["editable", "status"])
        self.observe(self._on_lang, "lang")
        self.observe(self._on_item, "item")
        self.observe(self._on_quantity_text, "quantity_text")
        self.observe(self._on_quantity, "quantity")
        self.observe(self._update_preview, ["item", "variant", "quantity", "quantity_note", "selected", "lang"])
        app.observe(self._on_plan, ["plan", "findings", "lang"])
        app.observe(self._update_month_hint, ["plan", "others_by_month"])
        self.observe(self._update_month_hint, ["month", "lang"])
        self._on_lang()
        self.item = next(iter(self.menu))
        self._on_item()
        self.observe(self._on_year, "fy")

    def _on_year(self, _: Any = None) -> None:
        """Another fiscal year's menu: the choices, the months' calendar years and a fresh form."""
        self._on_lang()
        self.cancel_edit()

    # -- derived --------------------------------------------------------------------------------

    def _on_lang(self, _: Any = None) -> None:
        self.item_options = [(item_option_label(it, self.lang), no) for no, it in self.menu.items()]
        fy = self.fy.year
        self.month_options = [
            (f"{month_label(m, self.lang)}（{calendar_year(fy, m)}年）" if self.lang == "ja"
             else f"{month_label(m, 'en')} {calendar_year(fy, m)}", m)
            for m in FISCAL_MONTHS
        ]
        self._on_item()

    def _on_item(self, _: Any = None) -> None:
        item = self.menu.get(self.item)
        if item is None:
            self.variant_options = []
            return
        self.variant_options = [(variant_option_label(item, v.id, self.lang), v.id) for v in item.variants]
        if item.variant(self.variant) is None:
            self.variant = item.variants[0].id

    def _update_month_hint(self, _: Any = None) -> None:
        """Events already planned in the chosen month: by every other consortium (a count) and by this
        plan, against what the contractor can run in a month."""
        from ..load import events_by_month

        app, m = self._app, self.month
        cap = self.fy.monthly_capacity
        if cap is None or app.plan is None:
            self.month_hint = None
            return
        others = app.others_by_month.get(m, 0)
        mine = events_by_month(app.plan, self.menu).get(m, 0)
        total = others + mine
        label_ja, label_en = month_label(m, "ja"), month_label(m, "en")
        state_ja, state_en = ("。上限を超えています。", ": over capacity.") if total > cap else (
            ("。上限に達しています。", ": full.") if total == cap else ("", "."))
        self.month_hint = Note(
            "warning" if total >= cap else "info",
            f"{label_ja}の予定（全コンソーシアム）: {total} 件（この計画 {mine} 件）／受託者の上限 {cap} 件{state_ja}",
            f"{label_en} across the programme: {total} event(s) ({mine} in this plan) of the {cap} the contractor "
            f"can run in a month{state_en}",
        )

    def _on_plan(self, _: Any = None) -> None:
        app = self._app
        flagged: dict[int, str] = {}
        for f in app.findings:
            if f.line is not None:
                flagged[f.line] = "error" if f.is_error or flagged.get(f.line) == "error" else "warning"
        rows = []
        for n, ln in enumerate(app.plan.lines, start=1):
            item = self.menu.get(ln.item) if isinstance(ln.item, int) else None
            rows.append({
                "no": n,
                "item": f"{circled(ln.item)} {item.name(self.lang)}" if item else repr(ln.item),
                "variant": (variant_option_label(item, ln.variant, self.lang).split("：")[0].split(":")[0]
                            if item and item.variant(ln.variant) else repr(ln.variant)),
                "quantity": ln.quantity,
                "unit": item.unit(self.lang, ln.quantity) if item else "",
                "points": line_points(ln, self.menu),
                "month": month_label(ln.month, self.lang),
                "title": ln.title or "",
                "place": ln.place or "",
                "flag": flagged.get(n, ""),
                "cancelled": is_cancelled(ln),
            })
        self.rows = rows
        if self.selected >= len(app.plan.lines):
            self.selected = -1
        self._update_preview()

    def _on_quantity_text(self, _: Any = None) -> None:
        n = _whole(self.quantity_text)
        if n is not None and 1 <= n <= MAX_FORM_QUANTITY:
            self.quantity_note = None
            self.quantity = n
            return
        shown = self.quantity_text.strip()
        self.quantity_note = Note(
            "error",
            f"数量「{shown}」は使えません。1〜{MAX_FORM_QUANTITY} の整数を入れてください。" if shown
            else f"数量を入れてください（1〜{MAX_FORM_QUANTITY} の整数）。",
            f"The quantity \"{shown}\" cannot be used. Enter a whole number from 1 to {MAX_FORM_QUANTITY}."
            if shown else f"Enter a quantity (a whole number from 1 to {MAX_FORM_QUANTITY}).",
        )

    def _on_quantity(self, _: Any = None) -> None:
        # set from elsewhere (a line opened to change, a pick): the box shows it; what was typed and
        # already means this quantity (「３」, " 3") is left as typed
        if self.quantity_note is not None or _whole(self.quantity_text) != self.quantity:
            self.quantity_text = str(self.quantity)

    def _update_preview(self, _: Any = None) -> None:
        if self.quantity_note is not None:
            self.preview = self.quantity_note
            return
        item = self.menu.get(self.item)
        variant = item.variant(self.variant) if item else None
        if variant is None or self.quantity < 1:
            self.preview = None
            return
        pts = variant.points * self.quantity
        before = 0
        if 0 <= self.selected < len(self._app.plan.lines):
            before = line_points(self._app.plan.lines[self.selected], self.menu)
        left = self._app.points_left + before - pts
        verb_ja, verb_en = ("変更後", "after this change") if self.selected >= 0 else ("追加後", "after adding")
        if left < 0:  # a warning: nothing has happened yet, the rule's error comes if the line is added
            self.preview = Note(
                "warning",
                f"この行は {pts} ポイント。{verb_ja}の残りは {left} ポイントで、予算を {-left} ポイント超えます。",
                f"This line is {pts} points; {verb_en} the plan would be {-left} points over the budget.",
            )
        else:
            self.preview = Note("info", f"この行は {pts} ポイント。{verb_ja}の残りは {left} ポイントです。",
                                f"This line is {pts} points; {verb_en} {left} points are left.")

    # -- actions --------------------------------------------------------------------------------

    def pick(self, item: int, variant: str | None = None, quantity: int | None = None,
             month: int | None = None, title: str | None = None) -> None:
        """Fill the form as a person would pick from the menu."""
        self.item = item
        if variant is not None:
            self.variant = variant
        if quantity is not None:
            self.quantity = quantity
        if month is not None:
            self.month = month
        if title is not None:
            self.title = title

    def _number(self, text: str, ja: str, en: str) -> tuple[int | None, Note | None]:
        if not text.strip():
            return None, None
        n = _whole(text)
        if n is not None:
            return n, None
        return None, Note("error", f"{ja}は数字で入れてください（空欄でも構いません）。",
                          f"Enter {en} as a number (or leave it empty).")

    def form_line(self) -> Line | None:
        """The line the form describes, or None with `form_note` saying what to fix."""
        companies, bad_c = self._number(self.companies, "想定企業数", "the expected number of companies")
        students, bad_s = self._number(self.students, "想定留学生数", "the expected number of students")
        self.form_note = bad_c or bad_s
        if self.form_note or self.quantity_note:  # a bad quantity is already said where the preview is
            return None
        return Line(item=self.item, variant=self.variant, quantity=self.quantity, month=self.month,
                    title=self.title.strip(), place=self.place.strip(), companies=companies, students=students,
                    language=self.language.strip(), notes=self.notes.strip(),
                    cancelled=self.cancelled and self.selected >= 0)

    def _on_editable(self, _: Any = None) -> None:
        why = None if self.editable else state_refusal("save", self._app.status or None)
        self.lock_note = Note("error", *why) if why else None

    def _refuse_if_locked(self) -> bool:
        if self.editable:
            return False
        self.form_note = self.lock_note
        return True

    def add_line(self) -> bool:
        if self._refuse_if_locked():
            return False
        line = self.form_line()
        if line is None:
            return False
        self._app.set_plan(self._app.plan.add_line(line))
        n = len(self._app.plan.lines)
        self._app.note = Note("success", f"{n}行目に {circled(line.item)} を追加しました（未保存）。",
                              f"Added {circled(line.item)} as line {n} (not saved yet).")
        self._clear_details()
        return True

    def edit_line(self, index: int) -> None:
        """Load a line into the form to change it."""
        ln = self._app.plan.lines[index]
        if isinstance(ln.item, int) and ln.item in self.menu:
            self.item = ln.item
        if isinstance(ln.variant, str):
            self.variant = ln.variant
        self.quantity_text = "" if ln.quantity is None else str(ln.quantity)
        if isinstance(ln.month, int) and 1 <= ln.month <= 12:
            self.month = ln.month
        self.title = str(ln.title or "")
        self.place = str(ln.place or "")
        self.companies = "" if ln.companies is None else str(ln.companies)
        self.students = "" if ln.students is None else str(ln.students)
        self.language = str(ln.language or "")
        self.notes = str(ln.notes or "")
        self.cancelled = is_cancelled(ln)
        self.form_note = None
        self.selected = index

    def apply_change(self) -> bool:
        if self._refuse_if_locked() or self.selected < 0:
            return False
        line = self.form_line()
        if line is None:
            return False
        n = self.selected + 1
        was = is_cancelled(self._app.plan.lines[self.selected])
        self._app.set_plan(self._app.plan.replace_line(self.selected, line))
        if is_cancelled(line) and not was:
            self._app.note = Note("success",
                                  f"{n}行目を中止にしました（未保存）。この行のポイントは使われなくなります。",
                                  f"Line {n} is cancelled (not saved yet); its points are free.")
        else:
            self._app.note = Note("success", f"{n}行目を変更しました（未保存）。", f"Changed line {n} (not saved yet).")
        self.cancel_edit()
        return True

    def cancel_edit(self) -> None:
        """Back to adding, with a fresh form: the line just changed is no proposal for a new one."""
        self.selected = -1
        self.form_note = None
        self.item = next(iter(self.menu))
        self.variant = self.menu[self.item].variants[0].id  # as on a fresh page, not the changed line's
        self.quantity_text = "1"
        self.month = FISCAL_MONTHS[0]
        self._clear_details()

    def remove_line(self, index: int) -> bool:
        if self._refuse_if_locked():
            return False
        plan = self._app.plan.remove_line(index)
        # the store refuses this save too; saying it now spares the person a draft that cannot be saved
        lost = edits_losing_results(self._app.plan, plan, self._app.results, self.menu)
        if lost:
            self._app.note = Note("error", lost[0].message_ja, lost[0].message_en)
            return False
        self._app.set_plan(plan)
        if self.selected == index:
            self.cancel_edit()
        elif self.selected > index:
            self.selected -= 1
        self._app.note = Note("success", f"{index + 1}行目を削除しました（未保存）。",
                              f"Removed line {index + 1} (not saved yet).")
        return True

    def _clear_details(self) -> None:
        self.title = ""
        self.cancelled = False
        for f in DETAIL_FIELDS:
            setattr(self, f, "")


class ActionsModel(tl.HasTraits):
    """Save a draft, submit, withdraw, reload; a refused save keeps what happened in `conflict`."""

    lang = tl.Unicode("ja")
    can_save = tl.Bool(False)
    can_submit = tl.Bool(False)
    can_withdraw = tl.Bool(False)
    conflict = tl.Instance(ConflictInfo, allow_none=True)

    def __init__(self, app: SecretariatModel):
        super().__init__()
        self._app = app
        tl.dlink((app, "lang"), (self, "lang"))
        app.observe(self._update, ["dirty", "editable", "has_errors", "status", "plan"])
        self._update()

    def _update(self, _: Any = None) -> None:
        a = self._app
        errors = sum(f.is_error for f in a.findings)
        lines = len(a.plan.lines) if a.plan else 0
        # unsaved lines are saved first (a draft then), so submitting is asked of the plan as saved
        status = MOVES["save"].to if a.dirty else a.status or None
        self.can_save = a.editable and a.dirty
        self.can_submit = a.editable and may(a.user, "submit", a.consortium, status, errors, lines) is None
        self.can_withdraw = may(a.user, "withdraw", a.consortium, a.status or None) is None

    def save(self) -> bool:
        a = self._app
        try:
            rev = a.store.save(a.plan, by=a.by, base_revision=a.revision or None)
        except Conflict as exc:
            self.conflict = ConflictInfo(exc.current_revision, (exc.message_ja, exc.message_en),
                                         _both(exc.changes, a.menu), _both(a.unsaved_changes(), a.menu))
            a.note = Note.of(exc)
            return False
        except PlannerError as exc:
            a.note = Note.of(exc)
            return False
        self.conflict = None
        a.reload()
        a.note = Note("success", f"下書きを保存しました（版 {rev}）。", f"Draft saved (revision {rev}).")
        return True

    def submit(self) -> bool:
        a = self._app
        if a.has_errors:
            n = sum(f.is_error for f in a.findings)
            a.note = Note("error", f"エラーが {n} 件あるため提出できません。エラーを直してから提出してください。",
                          f"The plan has {n} error(s) and cannot be submitted. Fix them first.")
            return False
        if a.dirty and not self.save():
            return False
        try:
            rev = a.store.submit(a.consortium, a.fy.year, by=a.by, base_revision=a.revision)
        except Conflict as exc:
            self.conflict = ConflictInfo(exc.current_revision, (exc.message_ja, exc.message_en),
                                         _both(exc.changes, a.menu), ())
            a.note = Note.of(exc)
            return False
        except PlannerError as exc:
            a.note = Note.of(exc)
            return False
        a.reload()
        a.note = Note("success", f"計画を提出しました（版 {rev}）。プログラム担当の確認をお待ちください。",
                      f"Plan submitted (revision {rev}). The programme officer will review it.")
        return True

    def withdraw(self) -> bool:
        a = self._app
        try:
            rev = a.store.withdraw(a.consortium, a.fy.year, by=a.by, base_revision=a.revision)
        except PlannerError as exc:
            a.note = Note.of(exc)
            return False
        a.reload()
        a.note = Note("success", f"提出を取り下げました。下書きとして編集できます（版 {rev}）。",
                      f"Submission withdrawn; the plan is a draft again (revision {rev}).")
        return True

    def reload(self) -> None:
        a = self._app
        lost = len(a.unsaved_changes()) if a.dirty else 0
        a.reload()
        self.conflict = None
        if a.revision:
            extra_ja = f"保存していなかった変更 {lost} 件は破棄しました。" if lost else ""
            extra_en = f" {lost} unsaved change(s) were discarded." if lost else ""
            a.note = Note("info", f"最新の版 {a.revision} を読み込みました。{extra_ja}",
                          f"Loaded the latest revision {a.revision}.{extra_en}")


class HistoryModel(tl.HasTraits):
    """The plan's revisions: who, when, what changed, and the status change if any."""

    lang = tl.Unicode("ja")
    rows = tl.List()

    def __init__(self, app: SecretariatModel):
        super().__init__()
        self._app = app
        tl.dlink((app, "lang"), (self, "lang"))
        app.observe(self.refresh, ["revision", "year"])
        self.observe(self.refresh, ["lang"])
        self.refresh()

    def refresh(self, _: Any = None) -> None:
        a = self._app
        try:
            revisions = a.store.history(a.consortium, a.fy.year, by=a.by)
        except PlannerError as exc:
            a.note = Note.of(exc)
            return
        names = a.store.display_names()
        self.rows = [
            {"revision": r.revision, "at": jst(r.at), "by": names.get(r.by, r.by),
             "status": status_label(r.status, self.lang),
             "summary": r.summary(self.lang, a.menu), "comment": r.comment}
            for r in reversed(revisions)
        ]


class TransferModel(tl.HasTraits):
    """The plan workbook: download the stored revision; upload one filled offline, whole or not at all."""

    lang = tl.Unicode("ja")
    download_uri = tl.Unicode("")
    download_name = tl.Unicode("")
    note = tl.Instance(Note, allow_none=True)
    findings = tl.List()
    busy = tl.Bool(False)

    def __init__(self, app: SecretariatModel):
        super().__init__()
        self._app = app
        tl.dlink((app, "lang"), (self, "lang"))
        # a link to an older revision must not outlive the revision it was made from
        app.observe(self._forget_download, ["revision"])
        app.observe(self._forget_year, ["year"])

    def _forget_download(self, _: Any = None) -> None:
        self.download_uri = self.download_name = ""

    def _forget_year(self, _: Any = None) -> None:
        # what was said about a workbook of one year must not stand next to another year's plan
        self._forget_download()
        self.note = None
        self.findings = []

    def download(self) -> bool:
        a = self._app
        # before the first save the bridge gives a blank form to fill offline
        made = make_plan_workbook(self, a.store, a.fy, a.consortium, a.revision, a.by)
        if made is None:
            return False
        self.download_name, data = made
        self.download_uri = xlsx_data_uri(data)
        if a.dirty and a.revision:
            self.note = Note("warning", f"保存済みの版 {a.revision} を出力しました。保存していない変更は含まれません。",
                             f"Made from the saved revision {a.revision}; unsaved changes are not in it.")
        else:
            self.note = Note("success", f"版 {a.revision} の Excel ファイルができました。"
                             "表示されたリンクから保存してください。",
                             f"The workbook of revision {a.revision} is ready: save it from the link below.")
        return True

    def upload(self, name: str, content: bytes) -> bool:
        """Check a workbook and store it as a new revision if it is clean; refuse it whole otherwise."""
        a = self._app
        self.findings = []
        f = too_large(name, content)
        if f is not None:
            self.findings = [f]
            self.note = Note("error", f.message_ja, f.message_en)
            return False
        if not a.editable:
            st_ja, st_en = status_label(a.status, "ja"), status_label(a.status, "en")
            self.note = Note("error", f"計画は「{st_ja}」のため、Excel から取り込めません。",
                             f"The plan is {st_en}, so a workbook cannot be loaded into it.")
            return False
        if a.dirty:
            self.note = Note("error", "保存していない変更があります。"
                             "先に下書きを保存するか、最新の版を読み込み直してから取り込んでください。",
                             "There are unsaved changes. Save the draft or reload before loading a workbook.")
            return False
        self.busy = True
        self.note = Note("info", f"{name} を確認しています…", f"Checking {name}…")
        try:
            from ..workbook import import_workbook

            outcome = import_workbook(a.store, content, by=a.by, expect_consortium=a.consortium,
                                      expect_fiscal_year=a.fy.year)
        except PlannerError as exc:
            self.note = Note.of(exc)
            return False
        finally:
            self.busy = False
        self.findings = list(outcome.findings)
        if outcome.revision is None:
            n = sum(f.is_error for f in outcome.findings)
            self.note = Note("error", f"{name} は取り込めませんでした（エラー {n} 件）。計画は変更していません。"
                             "下の一覧の箇所を直して、もう一度アップロードしてください。",
                             f"{name} was not loaded ({n} error(s)); the plan is unchanged. "
                             "Fix the places listed below and upload it again.")
            return False
        a.reload()
        self.note = Note("success", f"{name} を取り込みました（版 {outcome.revision}）。",
                         f"Loaded {name} as revision {outcome.revision}.")
        return True
