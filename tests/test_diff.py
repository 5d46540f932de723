"""Changes between revisions are told with the menu's names, in the language asked for."""

from __future__ import annotations

import planner
from planner.diff import Change, describe, diff_plans

FY = planner.load_fiscal_year(2025)
MENU = FY.menu_for("kansai")


def plan(*lines: planner.Line) -> planner.Plan:
    return planner.Plan("kansai", 2025, tuple(lines))


def line(item: int, variant: str, month: int = 4, quantity: int = 1, title: str = "") -> planner.Line:
    return planner.Line(item=item, variant=variant, quantity=quantity, month=month, title=title)


def edited(ln: planner.Line, **changes) -> planner.Line:
    """The same line (same id) with fields changed, as an editor makes it."""
    return planner.Line(**{**ln.as_dict(), **changes})


def test_changed_variant_and_month_read_as_names_in_each_language():
    before = line(2, "in_person", 4, title="説明会")
    changes = diff_plans(plan(before), plan(edited(before, variant="online", month=5)))
    assert describe(changes, "ja", MENU) == "1行目の区分: リアル → オンライン; 1行目の実施月: 4月 → 5月"
    assert describe(changes, "en", MENU) == "Line 1 variant: In person → Online; Line 1 month: Apr → May"


def test_added_and_removed_lines_keep_the_line_and_name_it_without_japanese_in_english():
    case = MENU[8].variants[0]
    kept = line(2, "online")
    (removed,) = diff_plans(plan(kept, line(8, case.id, 4)), plan(kept))
    ja, en = removed.describe("ja", MENU), removed.describe("en", MENU)
    assert ja.startswith("2行目を削除: ⑧ 地域の好事例作成") and "×1件（4月）" in ja and case.id not in ja
    assert en.startswith("Line 2 removed: ⑧ ") and "(Apr)" in en and "月" not in en
    # kept as data in the store: a revision read back describes itself the same way
    assert Change(**removed.as_dict()).describe("ja", MENU) == ja


def test_changes_stored_before_lines_were_kept_whole_still_read():
    old = Change("added", 3, after="⑥ day ×2（9月） 企業見学会")
    assert old.describe("ja", MENU) == "3行目を追加: ⑥ day ×2（9月） 企業見学会"
    assert Change("changed", 1, "quantity", 1, 2).describe("ja") == "1行目の数量: 1 → 2"


def test_a_variant_changed_with_its_item_is_named_under_each_item():
    before = line(3, "hybrid")
    (_item_change, variant_change) = diff_plans(plan(before), plan(edited(before, item=2, variant="online")))
    assert variant_change.describe("ja", MENU) == "1行目の区分: ハイブリッド → オンライン"


def test_a_stored_change_with_fields_this_version_does_not_know_still_loads(demo_db):
    import json
    import sqlite3

    extra = [{"kind": "changed", "line": 1, "field": "quantity", "before": 1, "after": 2, "line_id": "Lx",
              "later_field": "x"}]
    with sqlite3.connect(demo_db) as db:
        db.execute("UPDATE revisions SET changes = ?", (json.dumps(extra),))
    store = planner.open_store(demo_db)
    (first, *_) = store.history("kansai", 2025, by="officer")
    assert first.changes == [Change("changed", 1, "quantity", 1, 2, line_id="Lx")]
    store.close()
