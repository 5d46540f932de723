"""Every plan rule, by its code: the line it concerns, its severity, and a message in both languages."""

from __future__ import annotations

from dataclasses import replace

import pytest
from plan_support import KANSAI_LINES

from planner import Line, Plan, check, points
from planner.findings import flatten
from planner.summary import summarize


def plan(*lines: Line, consortium: str = "kansai") -> Plan:
    return Plan(consortium=consortium, fiscal_year=2025, lines=list(lines))


# A plan that uses 94 of kansai's 120 points with events spread over the year: no finding at all.
GOOD = [*KANSAI_LINES, Line(10, "venue_day", 1, 7, "会場", serves=KANSAI_LINES[0].id)]


def codes(p: Plan, fy) -> list[list]:
    return flatten(check(p, fy), ["code", "severity", "line"])


def test_spec_example(fy):
    p = plan(Line(item=2, variant="online", quantity=3, month=7, title="合同企業説明会"))
    assert points(p, fy) == 36


def test_good_plan_has_no_findings(fy):
    assert points(plan(*GOOD), fy) == 20 + 20 + 16 + 16 + 12 + 6 + 4
    assert check(plan(*GOOD), fy) == []


def test_budget_exceeded(fy):
    p = plan(*GOOD, Line(1, "standard", 1, 8, "インターンシップ"))
    assert points(p, fy) == 124
    [f] = check(p, fy)
    assert (f.code, f.severity, f.line) == ("BUDGET_EXCEEDED", "error", None)
    assert "124" in f.message_ja and "4 ポイント超えて" in f.message_ja and "4 over" in f.message_en


def test_budget_exactly_used_is_fine(fy):
    full = [*GOOD, Line(1, "small", 1, 8, "インターン"), Line(8, "case", 1, 1, "好事例"),
            Line(9, "month", 1, 4, "支援")]
    assert points(plan(*full), fy) == 120 and check(plan(*full), fy) == []
    over = plan(*full[:-1], Line(9, "month", 2, 4, "支援"))
    assert points(over, fy) == 123
    assert codes(over, fy) == [["BUDGET_EXCEEDED", "error", None]]


@pytest.mark.parametrize("q", [0, -1, 2.5, "3", None, True, float("nan")])
def test_quantity_invalid(fy, q):
    p = plan(*GOOD, Line(8, "case", q, 1, "好事例"))
    assert ["QUANTITY_INVALID", "error", 8] in codes(p, fy)
    assert points(p, fy) == 94  # an invalid line counts no points


def test_quantity_whole_float_from_a_spreadsheet_is_accepted(fy):
    assert check(plan(*GOOD, Line(8, "case", 2.0, 1, "好事例")), fy) == []


@pytest.mark.parametrize("m", [0, 13, -3, None, "7月", 6.5])
def test_month_outside_year(fy, m):
    [f] = check(plan(*GOOD, Line(8, "case", 1, m, "好事例")), fy)
    assert (f.code, f.line) == ("MONTH_OUTSIDE_YEAR", 8)
    assert "2025年4月〜2026年3月" in f.message_ja and "April 2025" in f.message_en


@pytest.mark.parametrize("item", [0, 12, "2", None, True])
def test_unknown_item(fy, item):
    assert codes(plan(*GOOD, Line(item, "case", 1, 5, "?")), fy) == [["UNKNOWN_ITEM", "error", 8]]


def test_unknown_variant(fy):
    [f] = check(plan(*GOOD, Line(2, "drive_in", 1, 5, "?")), fy)
    assert (f.code, f.line) == ("UNKNOWN_VARIANT", 8)
    assert "in_person" in f.message_ja and "online" in f.message_en


@pytest.mark.parametrize("item, variant", [(7, "bus_day"), (10, "venue_day")])
def test_requires_companion(fy, item, variant):
    p = plan(Line(8, "case", 2, 5, "好事例"), Line(item, variant, 1, 6, "手配"))
    f = next(f for f in check(p, fy) if f.is_error)
    assert (f.code, f.line) == ("REQUIRES_COMPANION", 2)
    assert "同じ計画" in f.message_ja and "same plan" in f.message_en


def test_transport_companions_are_1_5_6_and_venue_companions_2_to_6(fy):
    for companion in (1, 5, 6):
        variant = next(iter(fy.menu[companion].variants)).id
        p = plan(Line(companion, variant, 1, 6, "x"), Line(7, "bus_day", 1, 6, "バス"))
        assert "REQUIRES_COMPANION" not in [f.code for f in check(p, fy)]
    p = plan(Line(2, "online", 1, 6, "説明会"), Line(7, "bus_day", 1, 6, "バス"))
    assert "REQUIRES_COMPANION" in [f.code for f in check(p, fy)]
    for companion in (2, 3, 4, 5, 6):
        variant = next(iter(fy.menu[companion].variants)).id
        p = plan(Line(companion, variant, 1, 6, "x"), Line(10, "venue_day", 1, 6, "会場"))
        assert "REQUIRES_COMPANION" not in [f.code for f in check(p, fy)]


def test_a_companion_is_judged_by_the_line_it_serves(fy):
    """⑦ and ⑩ are judged line by line against the line each names, never against the plan as a whole:
    a bus hired for a tour that is gone is an error even while a ⑤ event remains."""
    tour, event = Line(6, "day", 1, 9, "企業見学会"), Line(5, "small", 1, 9, "交流会")
    bus = Line(7, "bus_day", 1, 9, "企業見学会の貸切バス", serves=tour.id)
    assert "REQUIRES_COMPANION" not in [f.code for f in check(plan(tour, event, bus), fy)]
    [f] = [f for f in check(plan(event, bus), fy) if f.code == "REQUIRES_COMPANION"]
    assert (f.line, f.severity) == (2, "error") and "削除されました" in f.message_ja and "removed" in f.message_en


def test_every_companion_without_its_line_gets_its_own_finding(fy):
    tour = Line(6, "day", 1, 9, "企業見学会")
    buses = [Line(7, "bus_day", 1, 9, f"バス{i}", serves=tour.id) for i in range(3)]
    venue = Line(10, "venue_day", 1, 9, "会場", serves=tour.id)
    found = [(f.code, f.line) for f in check(plan(*buses, venue), fy) if f.is_error]
    assert found == [("REQUIRES_COMPANION", n) for n in (1, 2, 3, 4)]


def test_a_companion_of_a_cancelled_line_or_of_a_line_it_may_not_serve_is_an_error(fy):
    fair, tour = Line(2, "online", 1, 7, "説明会"), Line(6, "day", 1, 9, "見学会", cancelled=True)
    bus_to_fair = Line(7, "bus_day", 1, 7, "バス", serves=fair.id)  # ⑦ serves ①⑤⑥ only
    bus_to_tour = Line(7, "bus_day", 1, 9, "バス", serves=tour.id)
    venue_of_fair = Line(10, "venue_day", 1, 7, "会場", serves=fair.id)
    venue_of_itself = Line(10, "venue_day", 1, 7, "会場", id="Lself", serves="Lself")
    by_line = {f.line: f for f in check(plan(fair, tour, bus_to_fair, bus_to_tour, venue_of_fair, venue_of_itself), fy)
               if f.code == "REQUIRES_COMPANION"}
    assert sorted(by_line) == [3, 4, 6]
    assert "1行目、②" in by_line[3].message_ja and "cannot serve line 1 (②)" in by_line[3].message_en
    assert "2行目）は中止" in by_line[4].message_ja and "cancelled" in by_line[4].message_en
    # a cancelled ⑦ itself asks for nothing: it will not take place
    assert "REQUIRES_COMPANION" not in [f.code for f in check(plan(fair, replace(bus_to_fair, cancelled=True)), fy)]


def test_a_companion_that_names_no_line_is_asked_to_choose(fy):
    """Unlinked while the plan has lines it could serve (a line stored before lines named theirs, with
    more than one to choose from): a warning of the summary every screen reads, not an error."""
    tour, event = Line(6, "day", 1, 9, "企業見学会"), Line(5, "small", 1, 12, "交流会")
    bus = Line(7, "bus_day", 1, 9, "バス")
    p = plan(tour, event, bus)
    assert "REQUIRES_COMPANION" not in [f.code for f in check(p, fy)]
    [f] = [f for f in summarize(p, fy, others={}).findings if f.code == "COMPANION_UNCHOSEN"]
    assert (f.line, f.severity) == (3, "warning") and "1・2 行目" in f.message_ja and "line 1, 2" in f.message_en
    # nothing it could serve: an error, as before
    assert [f.code for f in check(plan(bus), fy) if f.is_error] == ["REQUIRES_COMPANION"]


@pytest.mark.parametrize("item, variant, limit", [(8, "case", 10), (9, "month", 12), (11, "proposal", 3)])
def test_max_quantity(fy, item, variant, limit):
    notes = "提案内容"
    ok = plan(Line(item, variant, limit, 5, "x", notes=notes), consortium="kansai")
    assert "MAX_QUANTITY" not in [f.code for f in check(ok, fy)]
    # split over two lines: the line that goes over the limit is the one named
    over = plan(Line(item, variant, limit - 1, 5, "x", notes=notes), Line(item, variant, 2, 6, "y", notes=notes))
    f = next(f for f in check(over, fy) if f.code == "MAX_QUANTITY")
    assert f.line == 2 and f.severity == "error"
    assert f"{limit + 1}" in f.message_ja and f"{limit}" in f.message_en


@pytest.mark.parametrize("notes", ["", "   ", None, 42])
def test_description_required(fy, notes):
    p = plan(*GOOD[:5], Line(11, "proposal", 1, 5, "新メニュー提案", notes=notes))
    assert ["DESCRIPTION_REQUIRED", "error", 6] in codes(p, fy)


def test_description_given(fy):
    p = plan(*GOOD, Line(11, "proposal", 1, 5, "新メニュー提案", notes="留学生の定着支援の相談会"))
    assert check(p, fy) == []


def test_budget_underused_warning(fy):
    p = plan(*GOOD[:2])  # 40 of 120
    [f] = check(p, fy)
    assert (f.code, f.severity, f.line) == ("BUDGET_UNDERUSED", "warning", None)
    assert "残り 80" in f.message_ja and "80 left" in f.message_en
    assert [f.code for f in check(plan(), fy)] == ["BUDGET_UNDERUSED"]  # an empty plan


def test_budget_underused_boundary(fy):
    # 70 % of 120 is 84: 84 is fine, 83 warns
    p84 = plan(Line(2, "in_person", 3, 7, "説明会"), Line(3, "in_person", 3, 6, "セミナー"))
    assert points(p84, fy) == 84 and check(p84, fy) == []
    p83 = plan(Line(2, "in_person", 3, 7, "説明会"), Line(3, "in_person", 1, 6, "セミナー"),
               Line(3, "online", 3, 9, "オンラインセミナー"))
    assert points(p83, fy) == 83
    assert [f.code for f in check(p83, fy)] == ["BUDGET_UNDERUSED"]


def test_late_concentration_warning(fy):
    p = plan(
        Line(2, "in_person", 2, 2, "説明会"), Line(3, "in_person", 2, 3, "セミナー"),
        Line(4, "in_person", 2, 2, "セミナー"), Line(5, "standard", 1, 7, "交流会"), Line(6, "day", 2, 10, "見学会"),
        Line(9, "month", 5, 2, "事務局支援"),  # not an event: does not count
    )
    f = next(f for f in check(p, fy) if f.code == "LATE_CONCENTRATION")
    assert f.severity == "warning" and f.line is None
    assert "9 件のうち 6 件" in f.message_ja and "6 of 9" in f.message_en


def test_exactly_half_late_is_not_concentration(fy):
    p = plan(Line(2, "in_person", 2, 2, "説明会"), Line(3, "hybrid", 2, 7, "セミナー"),
             Line(5, "standard", 2, 9, "交流会"), Line(8, "case", 2, 3, "好事例"))
    assert "LATE_CONCENTRATION" not in [f.code for f in check(p, fy)]
    p = plan(Line(2, "in_person", 3, 2, "説明会"), Line(3, "hybrid", 2, 7, "セミナー"))
    assert "LATE_CONCENTRATION" in [f.code for f in check(p, fy)]


def test_plan_of_unknown_consortium_or_other_year(fy):
    assert "UNKNOWN_CONSORTIUM" in [f.code for f in check(Plan("okinawa", 2025, GOOD), fy)]
    assert "WRONG_FISCAL_YEAR" in [f.code for f in check(Plan("kansai", 2024, GOOD), fy)]


def test_line_and_plan_never_raise_on_construction():
    Line(item="abc", variant=None, quantity=object(), month=13)
    Plan(consortium=None, fiscal_year="x", lines=None)


def test_errors_come_before_warnings_and_every_message_is_bilingual(fy):
    p = plan(Line(2, "in_person", 1, 2, "説明会"), Line(7, "bus_day", 0, 13, "バス"),
             Line(11, "proposal", 4, 3, "提案"))
    fs = check(p, fy)
    sev = [f.severity for f in fs]
    assert sev == sorted(sev, key=lambda s: s != "error")
    assert {"QUANTITY_INVALID", "MONTH_OUTSIDE_YEAR", "DESCRIPTION_REQUIRED", "MAX_QUANTITY",
            "BUDGET_UNDERUSED", "LATE_CONCENTRATION"} <= {f.code for f in fs}
    for f in fs:
        assert f.message_ja and f.message_en and f.message_ja != f.message_en
        assert any("\u3040" <= ch <= "\u30ff" for ch in f.message_ja)  # kana: really Japanese
