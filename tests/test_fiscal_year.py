"""Fiscal-year files: the shipped ones load; damaged or inconsistent ones are refused, naming file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

import planner
from planner.fiscal_year import budgets_dir

FY2025 = (budgets_dir() / "fy2025.toml").read_text(encoding="utf-8")


def test_fy2025_matches_spec(fy):
    assert fy.year == 2025 and fy.label_ja == "令和7年度" and fy.illustrative
    assert list(fy.menu) == list(range(1, 12))
    assert fy.budgets == {"hokkaido": 90, "tohoku": 100, "hokuriku": 100, "kansai": 120, "chugoku": 100,
                          "kyushu": 110}
    pts = {(i.no, v.id): v.points for i in fy.menu.values() for v in i.variants}
    assert pts == {
        (1, "standard"): 30, (1, "small"): 18,
        (2, "in_person"): 20, (2, "online"): 12, (2, "hybrid"): 26,
        (3, "in_person"): 8, (3, "online"): 5, (3, "hybrid"): 10,
        (4, "in_person"): 8, (4, "online"): 5, (4, "hybrid"): 10,
        (5, "small"): 10, (5, "standard"): 16,
        (6, "day"): 12, (7, "bus_day"): 6, (8, "case"): 5, (9, "month"): 3, (10, "venue_day"): 4,
        (11, "proposal"): 8,
    }
    assert fy.menu[2].name_ja == "合同企業説明会の開催（リアル、オンライン、ハイブリッド）"
    assert fy.yen_per_point == 100000
    assert fy.consortia["kansai"].secretariat == "関西経済連合会"
    assert fy.consortia["kyushu"].prefectures == ("福岡", "佐賀", "長崎", "熊本", "大分", "宮崎", "鹿児島")
    assert [i.no for i in fy.menu.values() if i.event] == [1, 2, 3, 4, 5, 6]
    assert fy.menu_for("hokkaido") is fy.menu  # no adjustment in the default


def test_fy2024_is_the_same_illustrative_menu():
    fy24 = planner.load_fiscal_year(2024)
    assert fy24.year == 2024 and fy24.label_ja == "令和6年度" and fy24.illustrative


ADJUSTED = FY2025 + """
[[adjustments]]
consortium = "hokkaido"
item = 7
variant = "bus_day"
points = 8

[[adjustments]]
consortium = "hokkaido"
item = 11
offered = false
"""


def test_adjustment_applies_to_one_consortium_only():
    fy = planner.parse_fiscal_year(ADJUSTED, "adjusted.toml")
    assert fy.menu_for("hokkaido")[7].variant("bus_day").points == 8
    assert 11 not in fy.menu_for("hokkaido")
    assert fy.menu_for("kansai")[7].variant("bus_day").points == 6
    assert 11 in fy.menu_for("kansai")
    bus = planner.Line(7, "bus_day", 2, 9, "バス")
    tour = planner.Line(6, "day", 1, 9, "見学会")
    assert planner.points(planner.Plan("hokkaido", 2025, [tour, bus]), fy) == 12 + 16
    assert planner.points(planner.Plan("kansai", 2025, [tour, bus]), fy) == 12 + 12
    proposal = planner.Line(11, "proposal", 1, 5, "提案", notes="内容")
    codes = [f.code for f in planner.check(planner.Plan("hokkaido", 2025, [proposal]), fy)]
    assert "UNKNOWN_ITEM" in codes


def _refused(text: str) -> planner.FiscalYearError:
    with pytest.raises(planner.FiscalYearError) as e:
        planner.parse_fiscal_year(text, "budgets/fy2099.toml")
    assert "budgets/fy2099.toml" in e.value.message_ja and "budgets/fy2099.toml" in e.value.message_en
    return e.value


@pytest.mark.parametrize(
    "change, key, words",
    [
        (lambda t: t.replace("no = 3\n", "no = 2\n", 1), "items[2].no", "appears twice"),
        (lambda t: t + "\n[budgets.okinawa]\n", "budgets.okinawa", "not a consortium"),
        (lambda t: t.replace("kansai = 120", "kansai = 120\nokinawa = 50"), "budgets.okinawa", "not a consortium"),
        (lambda t: t.replace('points = 12 }', 'points = -12 }', 1), "items[1].variants[1].points", "negative"),
        (lambda t: t.replace("companions = [1, 5, 6]", "companions = [1, 5, 42]"), "rules[0].companions",
         "not in the menu"),
        (lambda t: t.replace('kind = "max_quantity"\nitem = 8', 'kind = "max_quantity"\nitem = 99'), "rules[2].item",
         "not in the menu"),
        (lambda t: t.replace("[budgets]", "[budgets"), "(TOML)", "not valid TOML"),
        (lambda t: t.replace("kansai = 120", 'kansai = "120"'), "budgets.kansai", "whole number"),
        (lambda t: t.replace("kyushu = 110\n", ""), "budgets.kyushu", "no budget"),
        (lambda t: t.replace('kind = "description_required"', 'kind = "cheap_please"'), "rules[5].kind",
         "unknown rule kind"),
        (lambda t: t.replace('{ id = "online", name_ja = "オンライン", name_en = "Online", points = 12 }',
                             '{ id = "in_person", name_ja = "オンライン", name_en = "Online", points = 12 }'),
         "items[1].variants[1].id", "appears twice"),
    ],
)
def test_damaged_file_is_refused_naming_key(change, key, words):
    err = _refused(change(FY2025))
    assert any(k == key and words in en for k, _, en in err.problems), err.problems
    assert key in err.message_en and key in err.message_ja


def test_adjustment_for_unknown_consortium_or_variant_is_refused():
    err = _refused(FY2025 + '\n[[adjustments]]\nconsortium = "okinawa"\nitem = 7\nvariant = "bus_day"\npoints = 8\n')
    assert err.problems[0][0] == "adjustments[0].consortium"
    err = _refused(FY2025 + '\n[[adjustments]]\nconsortium = "hokkaido"\nitem = 7\nvariant = "taxi"\npoints = 8\n')
    assert err.problems[0][0] == "adjustments[0].variant"


def test_every_problem_is_listed_at_once():
    text = FY2025.replace("kansai = 120", "kansai = -1").replace('points = 30 }', 'points = -30 }')
    err = _refused(text)
    assert {k for k, _, _ in err.problems} == {"budgets.kansai", "items[0].variants[0].points"}


def test_missing_file_and_wrong_year_name(tmp_path: Path):
    with pytest.raises(planner.FiscalYearError) as e:
        planner.load_fiscal_year(2031, tmp_path)
    assert "fy2031.toml" in e.value.message_en and "does not exist" in e.value.message_en
    (tmp_path / "fy2026.toml").write_text(FY2025, encoding="utf-8")
    with pytest.raises(planner.FiscalYearError) as e:
        planner.load_fiscal_year(2026, tmp_path)
    assert "fiscal_year.year" in e.value.message_en


def test_binary_garbage_is_refused(tmp_path: Path):
    (tmp_path / "fy2026.toml").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(planner.FiscalYearError) as e:
        planner.load_fiscal_year(2026, tmp_path)
    assert "UTF-8" in e.value.message_en


def test_units_follow_the_quantity_in_english():
    item = planner.load_fiscal_year(2025).menu_for("kansai")[2]
    assert (item.unit("ja", 3), item.unit("en", 1)) == (item.unit_ja, item.unit_en)
    assert item.unit("en", 3) == item.unit_en + "s"
