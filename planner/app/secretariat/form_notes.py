"""What the line form says as it is filled in: the typed quantity, the points the line would leave, how
busy the chosen month is, and why a line cannot be added yet. Pure functions from numbers to Notes."""

from __future__ import annotations

from ...fiscal_year import MenuItem
from ...japanese import month_label
from ...rules import item_label
from ..notes import Note
from ..text import t

MAX_FORM_QUANTITY = 999  # no menu item is planned by the thousand; a longer number is a slip of the hand


def quantity_note(shown: str) -> Note:
    """Why the quantity typed (`shown`, stripped) cannot be used."""
    return Note(
        "error",
        f"数量「{shown}」は使えません。1〜{MAX_FORM_QUANTITY} の整数を入れてください。" if shown
        else f"数量を入れてください（1〜{MAX_FORM_QUANTITY} の整数）。",
        f"The quantity \"{shown}\" cannot be used. Enter a whole number from 1 to {MAX_FORM_QUANTITY}."
        if shown else f"Enter a quantity (a whole number from 1 to {MAX_FORM_QUANTITY}).",
    )


def preview_note(pts: int, left: int, changing: bool) -> Note:
    """The line's points and what would be left after adding it (or after the change)."""
    verb_ja, verb_en = ("変更後", "after this change") if changing else ("追加後", "after adding")
    if left < 0:  # a warning: nothing has happened yet, the rule's error comes if the line is added
        return Note("warning",
                    f"この行は {pts} ポイント。{verb_ja}の残りは {left} ポイントで、予算を {-left} ポイント超えます。",
                    f"This line is {pts} points; {verb_en} the plan would be {-left} points over the budget.")
    return Note("info", f"この行は {pts} ポイント。{verb_ja}の残りは {left} ポイントです。",
                f"This line is {pts} points; {verb_en} {left} points are left.")


def month_hint_note(month: int, others: int, mine: int, cap: int) -> Note:
    """Events already planned in the month, by every other consortium (a count) and by this plan,
    against what the contractor can run in a month."""
    total = others + mine
    label_ja, label_en = month_label(month, "ja"), month_label(month, "en")
    state_ja, state_en = ("。上限を超えています。", ": over capacity.") if total > cap else (
        ("。上限に達しています。", ": full.") if total == cap else ("", "."))
    return Note(
        "warning" if total >= cap else "info",
        f"{label_ja}の予定（全コンソーシアム）: {total} 件（この計画 {mine} 件）／受託者の上限 {cap} 件{state_ja}",
        f"{label_en} across the programme: {total} event(s) ({mine} in this plan) of the {cap} the contractor "
        f"can run in a month{state_en}",
    )


def no_item_note() -> Note:
    return Note("error", t("pick_item_first", "ja"), t("pick_item_first", "en"))


def proposal_missing_note(item: MenuItem, changing: bool) -> Note:
    """A line of an item that needs a written proposal, without one: said at the form, before the rule
    refuses the plan at submit."""
    action = "apply" if changing else "add"
    return Note("error", *(t("proposal_missing", lang, item=item_label(item, lang), action=t(action, lang))
                           for lang in ("ja", "en")))
