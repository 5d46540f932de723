"""The plan rules: pure functions from a plan and its fiscal year to points and findings."""

from __future__ import annotations

from collections.abc import Iterator

from .findings import Finding
from .fiscal_year import FiscalYear, MenuItem
from .japanese import circled
from .load import events_by_month
from .plan import Line, Plan, is_cancelled, is_month, is_whole_positive

ERROR_CODES = (
    "BUDGET_EXCEEDED",
    "QUANTITY_INVALID",
    "MONTH_OUTSIDE_YEAR",
    "UNKNOWN_ITEM",
    "UNKNOWN_VARIANT",
    "REQUIRES_COMPANION",
    "MAX_QUANTITY",
    "DESCRIPTION_REQUIRED",
    "UNKNOWN_CONSORTIUM",
    "WRONG_FISCAL_YEAR",
)
WARNING_CODES = ("BUDGET_UNDERUSED", "LATE_CONCENTRATION")


def item_label(item: MenuItem, lang: str = "ja") -> str:
    return f"{circled(item.no)}{item.name(lang)}" if lang == "ja" else f"{circled(item.no)} {item.name_en}"


def line_points(line: Line, menu: dict[int, MenuItem]) -> int:
    """Points of one line: the variant's points times the quantity; 0 while the line is not valid, and
    0 once it is cancelled (its points are free for other lines)."""
    if is_cancelled(line):
        return 0
    item = menu.get(line.item) if isinstance(line.item, int) and not isinstance(line.item, bool) else None
    variant = item.variant(line.variant) if item else None
    if variant is None or not is_whole_positive(line.quantity):
        return 0
    return variant.points * int(line.quantity)


def points(plan: Plan, fy: FiscalYear) -> int:
    """Total points of a plan under its consortium's effective menu."""
    menu = fy.menu_for(plan.consortium) if isinstance(plan.consortium, str) else fy.menu
    return sum(line_points(ln, menu) for ln in plan.lines)


def _err(code: str, ja: str, en: str, line: int | None = None) -> Finding:
    return Finding(code=code, severity="error", message_ja=ja, message_en=en, line=line)


def _warn(code: str, ja: str, en: str, line: int | None = None) -> Finding:
    return Finding(code=code, severity="warning", message_ja=ja, message_en=en, line=line)


def _line_checks(plan: Plan, menu: dict[int, MenuItem], fy: FiscalYear) -> Iterator[Finding]:
    for n, ln in enumerate(plan.lines, start=1):
        item = menu.get(ln.item) if isinstance(ln.item, int) and not isinstance(ln.item, bool) else None
        if item is None:
            yield _err(
                "UNKNOWN_ITEM",
                f"{n}行目: メニュー番号 {ln.item!r} はこの年度・地域のメニューにありません。①〜⑪から選んでください。",
                f"Line {n}: item {ln.item!r} is not on this year's menu for this consortium. Pick one of ①–⑪.",
                n,
            )
        elif item.variant(ln.variant) is None:
            choices = "、".join(f"{v.id}（{v.name_ja}）" for v in item.variants)
            yield _err(
                "UNKNOWN_VARIANT",
                f"{n}行目: {item_label(item)} に区分 {ln.variant!r} はありません。{choices} から選んでください。",
                f"Line {n}: {item_label(item, 'en')} has no variant {ln.variant!r}. "
                f"Pick one of {', '.join(v.id for v in item.variants)}.",
                n,
            )
        if not is_whole_positive(ln.quantity):
            yield _err(
                "QUANTITY_INVALID",
                f"{n}行目: 数量 {ln.quantity!r} は使えません。1以上の整数を入れてください。",
                f"Line {n}: quantity {ln.quantity!r} is not allowed. Enter a whole number of 1 or more.",
                n,
            )
        if not is_month(ln.month):
            yield _err(
                "MONTH_OUTSIDE_YEAR",
                f"{n}行目: 実施月 {ln.month!r} は{fy.label_ja}（{fy.year}年4月〜{fy.year + 1}年3月）の月では"
                "ありません。"
                "1〜12 の月を入れてください。",
                f"Line {n}: month {ln.month!r} is not a month of FY{fy.year} (April {fy.year} – March {fy.year + 1}). "
                "Enter a month from 1 to 12.",
                n,
            )
        if item is not None and fy.rules_for(item.no, "description_required"):
            if not isinstance(ln.notes, str) or not ln.notes.strip():
                yield _err(
                    "DESCRIPTION_REQUIRED",
                    f"{n}行目: {item_label(item)} には提案の内容を備考に書いてください。",
                    f"Line {n}: {item_label(item, 'en')} needs a written description of the proposal in the notes.",
                    n,
                )


def _plan_checks(plan: Plan, menu: dict[int, MenuItem], fy: FiscalYear) -> Iterator[Finding]:
    counted = [
        (n, ln)
        for n, ln in enumerate(plan.lines, start=1)
        if isinstance(ln.item, int) and ln.item in menu and is_whole_positive(ln.quantity) and not is_cancelled(ln)
    ]
    present = {ln.item for _, ln in counted}

    for item in menu.values():
        for rule in fy.rules_for(item.no, "requires_companion"):
            companions = [c for c in rule.companions if c in menu]
            if item.no in present and not present.intersection(companions):
                names = "・".join(circled(c) for c in companions)
                first = next(n for n, ln in counted if ln.item == item.no)
                yield _err(
                    "REQUIRES_COMPANION",
                    f"{first}行目: {item_label(item)} は {names} のいずれかと同じ計画でのみ選べます。"
                    f"{names} の行を追加するか、この行を削除してください。",
                    f"Line {first}: {item_label(item, 'en')} can only be chosen with one of {names} in the same "
                    "plan. Add such a line or remove this one.",
                    first,
                )
        for rule in fy.rules_for(item.no, "max_quantity"):
            total = 0
            for n, ln in counted:
                if ln.item != item.no:
                    continue
                total += int(ln.quantity)
                if total > rule.max:
                    yield _err(
                        "MAX_QUANTITY",
                        f"{n}行目: {item_label(item)} は1つの計画で {rule.max}{item.unit_ja} までです"
                        f"（いまは合計 {sum(int(x.quantity) for _, x in counted if x.item == item.no)}）。"
                        "数量を減らしてください。",
                        f"Line {n}: {item_label(item, 'en')} is limited to {rule.max} {item.unit_en} per plan "
                        f"(now {sum(int(x.quantity) for _, x in counted if x.item == item.no)} in total). "
                        "Reduce the quantity.",
                        n,
                    )
                    break

    budget = fy.budget(plan.consortium) if isinstance(plan.consortium, str) else None
    if budget is not None:
        total = sum(line_points(ln, menu) for ln in plan.lines)
        if total > budget:
            yield _err(
                "BUDGET_EXCEEDED",
                f"合計 {total} ポイントが予算 {budget} ポイントを {total - budget} ポイント超えています。"
                "数量を減らすか行を削除して、予算内に収めてください。",
                f"The plan uses {total} points, {total - budget} over the budget of {budget}. "
                "Reduce quantities or remove lines to fit the budget.",
            )
        elif total < budget * fy.thresholds.underuse_share:
            yield _warn(
                "BUDGET_UNDERUSED",
                f"合計 {total} ポイントで、予算 {budget} ポイントの {fy.thresholds.underuse_share:.0%} 未満です"
                f"（残り {budget - total} ポイント）。支援メニューの追加を検討してください。",
                f"The plan uses {total} of {budget} points, less than {fy.thresholds.underuse_share:.0%} of the "
                f"budget ({budget - total} left). Consider adding support activities.",
            )

    events = events_by_month(plan, menu)  # counted as the contractor's load counts them
    total_events = sum(events.values())
    late = sum(q for m, q in events.items() if m in fy.thresholds.late_months)
    if total_events and late > total_events * fy.thresholds.late_share:
        months = "・".join(f"{m}月" for m in fy.thresholds.late_months)
        yield _warn(
            "LATE_CONCENTRATION",
            f"イベント（①〜⑥）{total_events} 件のうち {late} 件が {months} に集中しています。"
            "年度末は参加者が集まりにくく、実施も詰まります。一部を早い月に移してください。",
            f"{late} of {total_events} events (①–⑥) are planned for "
            f"{' and '.join(str(m) for m in fy.thresholds.late_months)} (month numbers). "
            "Move some to earlier months: the end of the year is crowded.",
        )


def check(plan: Plan, fy: FiscalYear) -> list[Finding]:
    """Every error and warning for a plan, errors first, in line order within each kind."""
    findings: list[Finding] = []
    if plan.fiscal_year != fy.year:
        findings.append(
            _err(
                "WRONG_FISCAL_YEAR",
                f"計画の年度 {plan.fiscal_year!r} と年度データ {fy.year} が一致しません。",
                f"The plan's fiscal year {plan.fiscal_year!r} does not match the fiscal-year data {fy.year}.",
            )
        )
    if not isinstance(plan.consortium, str) or plan.consortium not in fy.consortia:
        findings.append(
            _err(
                "UNKNOWN_CONSORTIUM",
                f"コンソーシアム {plan.consortium!r} は{fy.label_ja}のデータにありません。",
                f"Consortium {plan.consortium!r} is not in the FY{fy.year} data.",
            )
        )
        menu = fy.menu
    else:
        menu = fy.menu_for(plan.consortium)
    findings.extend(_line_checks(plan, menu, fy))
    findings.extend(_plan_checks(plan, menu, fy))
    return sorted(findings, key=lambda f: (f.severity != "error", f.line is not None, f.line or 0))
