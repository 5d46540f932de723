"""The plan rules: pure functions from a plan and its fiscal year to points and findings.

Each rule is one function below, registered by `@rule` with its code and the line field a person
should change; its severity and message are the code's entry in the catalogue (planner.messages). The
registry is the list of plan-rule codes: ERROR_CODES, WARNING_CODES and the workbook's choice of cell
are read from it, so a new rule is one function here and its message in the catalogue.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from .event_counts import events_by_month
from .findings import Finding, Severity
from .fiscal_year import FiscalYear, MenuItem
from .japanese import circled
from .messages import message
from .plan import Line, Plan, is_cancelled, is_month, is_whole_positive
from .text import Text

Menu = dict[int, MenuItem]
# What a rule says: the 1-based line it concerns (None: the whole plan) and the params of its message.
# A rule never builds its Finding: the registry builds it from the catalogue's entry for its code, so
# code, severity and message cannot drift apart.
Said = tuple[int | None, dict[str, object]]
RuleFn = Callable[[Plan, Menu, FiscalYear], Iterator[Said]]


@dataclass(frozen=True)
class Check:
    """One registered rule: the code it declares, the `Line` field its finding points at (None: no
    single field), and the function that finds it. Its severity is the catalogue's."""

    code: str
    field: str | None
    run: RuleFn

    @property
    def severity(self) -> Severity:
        return message(self.code).severity

    def findings(self, plan: Plan, menu: Menu, fy: FiscalYear) -> list[Finding]:
        out = []
        for line, params in self.run(plan, menu, fy):
            way = params.pop("way", None)  # a code said in more than one way (CODE.way in the catalogue)
            out.append(Finding.of(f"{self.code}.{way}" if way else self.code, line=line, **params))
        return out


_registered: list[Check] = []


def way(key: str) -> str:
    """The way a rule says its code this time (a catalogue key CODE.way), as the `way` of what it says."""
    return message(key).key.split(".", 1)[1]


def rule(code: str, field: str | None = None) -> Callable[[RuleFn], RuleFn]:
    """Register the decorated function as the rule for `code` (a code of the catalogue). Rules run in
    the order they are written here, which is the order of a line's findings in `check`."""

    def register(fn: RuleFn) -> RuleFn:
        if any(c.code == code for c in _registered):
            raise ValueError(f"rule {code} is declared twice")
        message(code)  # a KeyError if the catalogue has no message for it (a code said in ways has one bare)
        _registered.append(Check(code, field, fn))
        return fn

    return register


def item_label(item: MenuItem, lang: str = "ja") -> str:
    return f"{circled(item.no)}{item.name(lang)}" if lang == "ja" else f"{circled(item.no)} {item.name_en}"


def item_text(item: MenuItem) -> Text:
    """An item as messages name it, in both languages."""
    return Text(item_label(item), item_label(item, "en"))


def fy_text(fy: FiscalYear) -> Text:
    """A fiscal year as messages name it: 2025年度 / FY2025."""
    return Text(fy.label_ja, f"FY{fy.year}")


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


@rule("WRONG_FISCAL_YEAR")
def wrong_fiscal_year(plan: Plan, menu: Menu, fy: FiscalYear) -> Iterator[Said]:
    if plan.fiscal_year != fy.year:
        yield None, {"plan_year": plan.fiscal_year, "year": fy.year}


@rule("UNKNOWN_CONSORTIUM")
def unknown_consortium(plan: Plan, menu: Menu, fy: FiscalYear) -> Iterator[Said]:
    if not _known_consortium(plan, fy):
        yield None, {"consortium": plan.consortium, "fy_label": fy_text(fy)}


# -- each line on its own --------------------------------------------------------------------------


@rule("UNKNOWN_ITEM", field="item")
def unknown_item(plan: Plan, menu: Menu, fy: FiscalYear) -> Iterator[Said]:
    for n, ln, item in _numbered(plan, menu):
        if item is None:
            yield n, {"item": ln.item}


@rule("UNKNOWN_VARIANT", field="variant")
def unknown_variant(plan: Plan, menu: Menu, fy: FiscalYear) -> Iterator[Said]:
    for n, ln, item in _numbered(plan, menu):
        if item is not None and item.variant(ln.variant) is None:
            choices = Text("、".join(f"{v.id}（{v.name_ja}）" for v in item.variants),
                           ", ".join(v.id for v in item.variants))
            yield n, {"label": item_text(item), "variant": ln.variant, "choices": choices}


@rule("QUANTITY_INVALID", field="quantity")
def quantity_invalid(plan: Plan, menu: Menu, fy: FiscalYear) -> Iterator[Said]:
    for n, ln, _ in _numbered(plan, menu):
        if not is_whole_positive(ln.quantity):
            yield n, {"quantity": ln.quantity}


@rule("MONTH_OUTSIDE_YEAR", field="month")
def month_outside_year(plan: Plan, menu: Menu, fy: FiscalYear) -> Iterator[Said]:
    for n, ln, _ in _numbered(plan, menu):
        if not is_month(ln.month):
            yield n, {"month": ln.month, "fy_label": fy_text(fy), "year": fy.year, "next_year": fy.year + 1}


def needs_description(item: int, fy: FiscalYear) -> bool:
    """Whether a line of this item needs a written description of what is proposed (in its notes): the
    year's description_required rule, asked here by the rule and by the line form alike."""
    return bool(fy.rules_for(item, "description_required"))


@rule("DESCRIPTION_REQUIRED", field="notes")
def description_required(plan: Plan, menu: Menu, fy: FiscalYear) -> Iterator[Said]:
    for n, ln, item in _numbered(plan, menu):
        if item is None or not needs_description(item.no, fy):
            continue
        if not isinstance(ln.notes, str) or not ln.notes.strip():
            yield n, {"label": item_text(item)}


# -- the lines together ----------------------------------------------------------------------------


def serves_items(item: int, menu: Menu, fy: FiscalYear) -> tuple[int, ...] | None:
    """The items a line of `item` may serve (⑦: ①⑤⑥, ⑩: ②–⑥, as the year's requires_companion rule
    says, within this menu); None for an item that serves no other line."""
    rules = fy.rules_for(item, "requires_companion")
    if not rules:
        return None
    return tuple(dict.fromkeys(c for r in rules for c in r.companions if c in menu))


def serve_choices(plan: Plan, index: int | None, item: int, menu: Menu, fy: FiscalYear) -> list[int]:
    """The lines (0-based) a line of `item` at `index` (None: a line not in the plan yet) may serve:
    going ahead, of an item it may serve. What the form offers as 対象行 and what a line left
    unlinked is asked to choose from."""
    items = serves_items(item, menu, fy) or ()
    return [i for i, ln in enumerate(plan.lines)
            if i != index and not is_cancelled(ln) and _menu_item(ln, menu) is not None and ln.item in items]


def linked(plan: Plan, fy: FiscalYear) -> Plan:
    """The plan with each ⑦ or ⑩ line that names no line linked to the one line it could serve, where
    there is exactly one; the others stay unlinked (COMPANION_UNCHOSEN asks the person to choose). For
    lines made before lines named theirs: a workbook without the 対象行 column (the store's schema step
    does the same for stored revisions)."""
    menu = fy.menu_for(plan.consortium) if _known_consortium(plan, fy) else fy.menu
    lines = list(plan.lines)
    for i, ln in enumerate(plan.lines):
        item = _menu_item(ln, menu)
        if item is None or (ln.serves is not None and ln.serves != "") or serves_items(item.no, menu, fy) is None:
            continue
        choices = serve_choices(plan, i, item.no, menu, fy)
        if len(choices) == 1:
            lines[i] = replace(ln, serves=plan.lines[choices[0]].id)
    return replace(plan, lines=lines)


@rule("REQUIRES_COMPANION", field="serves")
def requires_companion(plan: Plan, menu: Menu, fy: FiscalYear) -> Iterator[Said]:
    """Each ⑦ or ⑩ line on its own: the line it serves must be in the plan, going ahead, and of an item
    it may serve. A line that names no line is asked to choose (COMPANION_UNCHOSEN) while the plan has
    a line it could serve, and is an error when it has none."""
    index = {ln.id: i for i, ln in enumerate(plan.lines) if isinstance(ln.id, str)}
    for n, ln, item in _numbered(plan, menu):
        if item is None or is_cancelled(ln):
            continue
        items = serves_items(item.no, menu, fy)
        if items is None:
            continue
        names = "・".join(circled(c) for c in items)
        params: dict[str, object] = {"label": item_text(item), "names": names}
        if ln.serves is None or ln.serves == "":
            if not serve_choices(plan, n - 1, item.no, menu, fy):
                yield n, params
            continue
        i = index.get(ln.serves) if isinstance(ln.serves, str) else None
        if i is None:
            yield n, {**params, "way": way("REQUIRES_COMPANION.gone")}
            continue
        served = plan.lines[i]
        if i == n - 1 or _menu_item(served, menu) is None or served.item not in items:
            yield n, {**params, "way": way("REQUIRES_COMPANION.item"), "served": i + 1,
                      "served_item": circled(served.item)}
        elif is_cancelled(served):
            yield n, {**params, "way": way("REQUIRES_COMPANION.cancelled"), "served": i + 1}


@rule("MAX_QUANTITY", field="quantity")
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
                    yield n, {"label": item_text(item), "max": r.max, "unit": Text(item.unit_ja, item.unit_en),
                              "in_plan": in_plan}
                    break


def _budget_and_used(plan: Plan, menu: Menu, fy: FiscalYear) -> tuple[int, int] | None:
    budget = fy.budget(plan.consortium) if isinstance(plan.consortium, str) else None
    if budget is None:
        return None
    return budget, sum(line_points(ln, menu) for ln in plan.lines)


@rule("BUDGET_EXCEEDED")
def budget_exceeded(plan: Plan, menu: Menu, fy: FiscalYear) -> Iterator[Said]:
    known = _budget_and_used(plan, menu, fy)
    if known is not None and known[1] > known[0]:
        budget, total = known
        yield None, {"total": total, "budget": budget, "over": total - budget}


@rule("BUDGET_UNDERUSED")
def budget_underused(plan: Plan, menu: Menu, fy: FiscalYear) -> Iterator[Said]:
    share = fy.thresholds.underuse_share
    known = _budget_and_used(plan, menu, fy)
    if known is not None and known[1] < known[0] * share:
        budget, total = known
        yield None, {"total": total, "budget": budget, "share": share, "left": budget - total}


@rule("LATE_CONCENTRATION", field="month")
def late_concentration(plan: Plan, menu: Menu, fy: FiscalYear) -> Iterator[Said]:
    late_months = fy.thresholds.late_months
    events = events_by_month(plan, menu)  # counted as the contractor's load counts them
    total = sum(events.values())
    late = sum(q for m, q in events.items() if m in late_months)
    if total and late > total * fy.thresholds.late_share:
        months = Text("・".join(f"{m}月" for m in late_months), " and ".join(str(m) for m in late_months))
        yield None, {"total": total, "late": late, "months": months}


CHECKS: tuple[Check, ...] = tuple(_registered)
ERROR_CODES: tuple[str, ...] = tuple(c.code for c in CHECKS if c.severity == "error")
WARNING_CODES: tuple[str, ...] = tuple(c.code for c in CHECKS if c.severity == "warning")
FIELDS: dict[str, str | None] = {c.code: c.field for c in CHECKS}


def unchosen_companions(plan: Plan, fy: FiscalYear) -> list[Finding]:
    """A warning on each ⑦ or ⑩ line that names no line while the plan has lines it could serve: a line
    stored before lines named theirs, left unlinked where more than one line fits, or one made through
    the API without `serves`. Not a rule of `check` (the plan is not wrong, only not yet said whole): the
    summary every screen reads adds it (planner.summary), and the workbook check does."""
    menu = fy.menu_for(plan.consortium) if _known_consortium(plan, fy) else fy.menu
    out = []
    for n, ln, item in _numbered(plan, menu):
        if item is None or is_cancelled(ln) or (ln.serves is not None and ln.serves != ""):
            continue
        if serves_items(item.no, menu, fy) is None:
            continue
        choices = serve_choices(plan, n - 1, item.no, menu, fy)
        if choices:
            out.append(Finding.of("COMPANION_UNCHOSEN", line=n, label=item_text(item),
                                  choices=Text("・".join(str(i + 1) for i in choices),
                                               ", ".join(str(i + 1) for i in choices))))
    return out


def check(plan: Plan, fy: FiscalYear) -> list[Finding]:
    """Every error and warning for a plan, errors first, in line order within each kind."""
    # a plan of a consortium the data does not know is still checked, against the common menu
    menu = fy.menu_for(plan.consortium) if _known_consortium(plan, fy) else fy.menu
    findings = [f for c in CHECKS for f in c.findings(plan, menu, fy)]
    return sorted(findings, key=lambda f: (f.severity != "error", f.line is not None, f.line or 0))
