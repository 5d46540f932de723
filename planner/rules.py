"""The plan rules: pure functions from a plan and its fiscal year to points and findings.

Each rule is one function below, registered by `@rule` with its code, its severity and the line field
a person should change. The registry is the list of codes: ERROR_CODES, WARNING_CODES and the
workbook's choice of cell are read from it, so a new rule is one function here and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .event_counts import events_by_month
from .findings import Finding, Severity
from .fiscal_year import FiscalYear, MenuItem
from .japanese import circled
from .plan import Line, Plan, is_cancelled, is_month, is_whole_positive

Menu = dict[int, MenuItem]
# What a rule says: the 1-based line it concerns (None: the whole plan), in Japanese, in English.
# A rule never builds its Finding: the registry adds the declared code and severity, so the two
# cannot drift apart.
Said = tuple[int | None, str, str]
RuleFn = Callable[[Plan, Menu, FiscalYear], Iterator[Said]]


@dataclass(frozen=True)
class Check:
    """One registered rule: the code and severity it declares, the `Line` field its finding points at
    (None: no single field), and the function that finds it."""

    code: str
    severity: Severity
    field: str | None
    run: RuleFn

    def findings(self, plan: Plan, menu: Menu, fy: FiscalYear) -> list[Finding]:
        return [Finding(code=self.code, severity=self.severity, message_ja=ja, message_en=en, line=line)
                for line, ja, en in self.run(plan, menu, fy)]


_registered: list[Check] = []


def rule(code: str, severity: Severity, field: str | None = None) -> Callable[[RuleFn], RuleFn]:
    """Register the decorated function as the rule for `code`. Rules run in the order they are
    written here, which is the order of a line's findings in `check`."""

    def register(fn: RuleFn) -> RuleFn:
        if any(c.code == code for c in _registered):
            raise ValueError(f"rule {code} is declared twice")
        _registered.append(Check(code, severity, field, fn))
        return fn

    return register


def item_label(item: MenuItem, lang: str = "ja") -> str:
    return f"{circled(item.no)}{item.name(lang)}" if lang == "ja" else f"{circled(item.no)} {item.name_en}"


def _menu_item(line: Line, menu: Menu) -> MenuItem | None:
    # bool is an int to Python, but True is not item ①
    return menu.get(line.item) if isinstance(line.item, int) and not isinstance(line.item, bool) else None


def line_points(line: Line, menu: dict[int, MenuItem]) -> int:
    """Points of one line: the variant's points times the quantity; 0 while the line is not valid, and
    0 once it is cancelled (its points are free for other lines)."""
    if is_cancelled(line):
        return 0
    item = _menu_item(line, menu)
    variant = item.variant(line.variant) if item else None
    if variant is None or not is_whole_positive(line.quantity):
        return 0
    return variant.points * int(line.quantity)


def points(plan: Plan, fy: FiscalYear) -> int:
    """Total points of a plan under its consortium's effective menu."""
    menu = fy.menu_for(plan.consortium) if isinstance(plan.consortium, str) else fy.menu
    return sum(line_points(ln, menu) for ln in plan.lines)


def _known_consortium(plan: Plan, fy: FiscalYear) -> bool:
    return isinstance(plan.consortium, str) and plan.consortium in fy.consortia


def _numbered(plan: Plan, menu: Menu) -> Iterator[tuple[int, Line, MenuItem | None]]:
    for n, ln in enumerate(plan.lines, start=1):
        yield n, ln, _menu_item(ln, menu)


def _counted(plan: Plan, menu: Menu) -> list[tuple[int, Line]]:
    """The lines that take part in the plan-wide item rules: on the menu, a valid quantity, not cancelled."""
    return [
        (n, ln)
        for n, ln in enumerate(plan.lines, start=1)
        if isinstance(ln.item, int) and ln.item in menu and is_whole_positive(ln.quantity) and not is_cancelled(ln)
    ]


# -- the plan as a whole: is it checked against the right data? ---------------------------------------


@rule("WRONG_FISCAL_YEAR", "error")
def wrong_fiscal_year(plan: Plan, menu: Menu, fy: FiscalYear) -> Iterator[Said]:
    if plan.fiscal_year != fy.year:
        yield (None,
               f"計画の年度 {plan.fiscal_year!r} と年度データ {fy.year} が一致しません。",
               f"The plan's fiscal year {plan.fiscal_year!r} does not match the fiscal-year data {fy.year}.")


@rule("UNKNOWN_CONSORTIUM", "error")
def unknown_consortium(plan: Plan, menu: Menu, fy: FiscalYear) -> Iterator[Said]:
    if not _known_consortium(plan, fy):
        yield (None,
               f"コンソーシアム {plan.consortium!r} は{fy.label_ja}のデータにありません。",
               f"Consortium {plan.consortium!r} is not in the FY{fy.year} data.")


# -- each line on its own --------------------------------------------------------------------------


@rule("UNKNOWN_ITEM", "error", field="item")
def unknown_item(plan: Plan, menu: Menu, fy: FiscalYear) -> Iterator[Said]:
    for n, ln, item in _numbered(plan, menu):
        if item is None:
            yield (n,
                   f"{n}行目: メニュー番号 {ln.item!r} はこの年度・地域のメニューにありません。"
                   "①〜⑪から選んでください。",
                   f"Line {n}: item {ln.item!r} is not on this year's menu for this consortium. Pick one of ①–⑪.")


@rule("UNKNOWN_VARIANT", "error", field="variant")
def unknown_variant(plan: Plan, menu: Menu, fy: FiscalYear) -> Iterator[Said]:
    for n, ln, item in _numbered(plan, menu):
        if item is not None and item.variant(ln.variant) is None:
            choices = "、".join(f"{v.id}（{v.name_ja}）" for v in item.variants)
            yield (n,
                   f"{n}行目: {item_label(item)} に区分 {ln.variant!r} はありません。{choices} から選んでください。",
                   f"Line {n}: {item_label(item, 'en')} has no variant {ln.variant!r}. "
                   f"Pick one of {', '.join(v.id for v in item.variants)}.")


@rule("QUANTITY_INVALID", "error", field="quantity")
def quantity_invalid(plan: Plan, menu: Menu, fy: FiscalYear) -> Iterator[Said]:
    for n, ln, _ in _numbered(plan, menu):
        if not is_whole_positive(ln.quantity):
            yield (n,
                   f"{n}行目: 数量 {ln.quantity!r} は使えません。1以上の整数を入れてください。",
                   f"Line {n}: quantity {ln.quantity!r} is not allowed. Enter a whole number of 1 or more.")


@rule("MONTH_OUTSIDE_YEAR", "error", field="month")
def month_outside_year(plan: Plan, menu: Menu, fy: FiscalYear) -> Iterator[Said]:
    for n, ln, _ in _numbered(plan, menu):
        if not is_month(ln.month):
            yield (n,
                   f"{n}行目: 実施月 {ln.month!r} は{fy.label_ja}（{fy.year}年4月〜{fy.year + 1}年3月）の月では"
                   "ありません。1〜12 の月を入れてください。",
                   f"Line {n}: month {ln.month!r} is not a month of FY{fy.year} (April {fy.year} – March "
                   f"{fy.year + 1}). Enter a month from 1 to 12.")


def needs_description(item: int, fy: FiscalYear) -> bool:
    """Whether a line of this item needs a written description of what is proposed (in its notes): the
    year's description_required rule, asked here by the rule and by the line form alike."""
    return bool(fy.rules_for(item, "description_required"))


@rule("DESCRIPTION_REQUIRED", "error", field="notes")
def description_required(plan: Plan, menu: Menu, fy: FiscalYear) -> Iterator[Said]:
    for n, ln, item in _numbered(plan, menu):
        if item is None or not needs_description(item.no, fy):
            continue
        if not isinstance(ln.notes, str) or not ln.notes.strip():
            yield (n,
                   f"{n}行目: {item_label(item)} には提案の内容を備考に書いてください。",
                   f"Line {n}: {item_label(item, 'en')} needs a written description of the proposal in the notes.")


# -- the lines together ----------------------------------------------------------------------------


@rule("REQUIRES_COMPANION", "error", field="item")
def requires_companion(plan: Plan, menu: Menu, fy: FiscalYear) -> Iterator[Said]:
    counted = _counted(plan, menu)
    present = {ln.item for _, ln in counted}
    for item in menu.values():
        for r in fy.rules_for(item.no, "requires_companion"):
            companions = [c for c in r.companions if c in menu]
            if item.no in present and not present.intersection(companions):
                names = "・".join(circled(c) for c in companions)
                first = next(n for n, ln in counted if ln.item == item.no)
                yield (first,
                       f"{first}行目: {item_label(item)} は {names} のいずれかと同じ計画でのみ選べます。"
                       f"{names} の行を追加するか、この行を削除してください。",
                       f"Line {first}: {item_label(item, 'en')} can only be chosen with one of {names} in the same "
                       "plan. Add such a line or remove this one.")


@rule("MAX_QUANTITY", "error", field="quantity")
def max_quantity(plan: Plan, menu: Menu, fy: FiscalYear) -> Iterator[Said]:
    counted = _counted(plan, menu)
    for item in menu.values():
        for r in fy.rules_for(item.no, "max_quantity"):
            in_plan = sum(int(ln.quantity) for _, ln in counted if ln.item == item.no)
            total = 0
            for n, ln in counted:
                if ln.item != item.no:
                    continue
                total += int(ln.quantity)
                if total > r.max:  # the line that goes over the limit is the one to change
                    yield (n,
                           f"{n}行目: {item_label(item)} は1つの計画で {r.max}{item.unit_ja} までです"
                           f"（いまは合計 {in_plan}）。数量を減らしてください。",
                           f"Line {n}: {item_label(item, 'en')} is limited to {r.max} {item.unit_en} per plan "
                           f"(now {in_plan} in total). Reduce the quantity.")
                    break


def _budget_and_used(plan: Plan, menu: Menu, fy: FiscalYear) -> tuple[int, int] | None:
    budget = fy.budget(plan.consortium) if isinstance(plan.consortium, str) else None
    if budget is None:
        return None
    return budget, sum(line_points(ln, menu) for ln in plan.lines)


@rule("BUDGET_EXCEEDED", "error")
def budget_exceeded(plan: Plan, menu: Menu, fy: FiscalYear) -> Iterator[Said]:
    known = _budget_and_used(plan, menu, fy)
    if known is not None and known[1] > known[0]:
        budget, total = known
        yield (None,
               f"合計 {total} ポイントが予算 {budget} ポイントを {total - budget} ポイント超えています。"
               "数量を減らすか行を削除して、予算内に収めてください。",
               f"The plan uses {total} points, {total - budget} over the budget of {budget}. "
               "Reduce quantities or remove lines to fit the budget.")


@rule("BUDGET_UNDERUSED", "warning")
def budget_underused(plan: Plan, menu: Menu, fy: FiscalYear) -> Iterator[Said]:
    share = fy.thresholds.underuse_share
    known = _budget_and_used(plan, menu, fy)
    if known is not None and known[1] < known[0] * share:
        budget, total = known
        yield (None,
               f"合計 {total} ポイントで、予算 {budget} ポイントの {share:.0%} 未満です"
               f"（残り {budget - total} ポイント）。支援メニューの追加を検討してください。",
               f"The plan uses {total} of {budget} points, less than {share:.0%} of the "
               f"budget ({budget - total} left). Consider adding support activities.")


@rule("LATE_CONCENTRATION", "warning", field="month")
def late_concentration(plan: Plan, menu: Menu, fy: FiscalYear) -> Iterator[Said]:
    late_months = fy.thresholds.late_months
    events = events_by_month(plan, menu)  # counted as the contractor's load counts them
    total = sum(events.values())
    late = sum(q for m, q in events.items() if m in late_months)
    if total and late > total * fy.thresholds.late_share:
        months = "・".join(f"{m}月" for m in late_months)
        yield (None,
               f"イベント（①〜⑥）{total} 件のうち {late} 件が {months} に集中しています。"
               "年度末は参加者が集まりにくく、実施も詰まります。一部を早い月に移してください。",
               f"{late} of {total} events (①–⑥) are planned for "
               f"{' and '.join(str(m) for m in late_months)} (month numbers). "
               "Move some to earlier months: the end of the year is crowded.")


CHECKS: tuple[Check, ...] = tuple(_registered)
ERROR_CODES: tuple[str, ...] = tuple(c.code for c in CHECKS if c.severity == "error")
WARNING_CODES: tuple[str, ...] = tuple(c.code for c in CHECKS if c.severity == "warning")
FIELDS: dict[str, str | None] = {c.code: c.field for c in CHECKS}


def check(plan: Plan, fy: FiscalYear) -> list[Finding]:
    """Every error and warning for a plan, errors first, in line order within each kind."""
    # a plan of a consortium the data does not know is still checked, against the common menu
    menu = fy.menu_for(plan.consortium) if _known_consortium(plan, fy) else fy.menu
    findings = [f for c in CHECKS for f in c.findings(plan, menu, fy)]
    return sorted(findings, key=lambda f: (f.severity != "error", f.line is not None, f.line or 0))
