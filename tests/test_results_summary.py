"""The year's results figures (planner.results_summary): delivered session by session, people by type,
satisfaction weighted by the people who answered, with values worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from planner import Line, Plan, Result, load_fiscal_year
from planner.results_summary import (
    Satisfaction,
    companies_by_prefecture,
    line_tally,
    satisfaction_of,
    weighted_satisfaction,
    year_figures,
)

FY = load_fiscal_year(2025)
TOHOKU = Result(very_satisfied=33, satisfied=67, dissatisfied=0, satisfaction_unit="percent", students=64,
                company_staff=37, members=34, companies=18)
COUNTED = Result(very_satisfied=10, satisfied=5, dissatisfied=5, satisfaction_unit="count", students=30)


def test_shares_stand_for_the_students_and_counts_are_summed():
    s = satisfaction_of(TOHOKU)
    assert (s.very_satisfied, s.satisfied, s.dissatisfied) == pytest.approx((21.12, 42.88, 0.0))
    both = weighted_satisfaction([TOHOKU, COUNTED])
    # by hand: 21.12 + 10 = 31.12, 42.88 + 5 = 47.88, 0 + 5 = 5; answered 84
    assert both.answered == pytest.approx(84.0)
    assert both.share("very_satisfied") == pytest.approx(31.12 / 84 * 100)  # 37.05 %
    assert both.share("satisfied") == pytest.approx(47.88 / 84 * 100)  # 57.00 %
    assert both.share("dissatisfied") == pytest.approx(5 / 84 * 100)  # 5.95 %
    assert both.positive == pytest.approx(79 / 84 * 100)  # 94.05 %, not the mean of 100 % and 75 % (87.5 %)
    assert both.events == 2


def test_a_big_event_weighs_more_than_a_small_one():
    small = Result(very_satisfied=0, satisfied=0, dissatisfied=100, satisfaction_unit="percent", students=4)
    big = Result(very_satisfied=100, satisfied=0, dissatisfied=0, satisfaction_unit="percent", students=96)
    s = weighted_satisfaction([small, big])
    assert s.share("very_satisfied") == pytest.approx(96.0)  # an unweighted mean would say 50 %
    assert s.share("dissatisfied") == pytest.approx(4.0)


def test_shares_without_students_are_left_out_and_counted_as_such():
    no_students = Result(very_satisfied=50, satisfied=50, dissatisfied=0, satisfaction_unit="percent")
    s = weighted_satisfaction([no_students, COUNTED])
    assert s.unweighted == 1 and s.events == 1
    assert s.share("very_satisfied") == pytest.approx(50.0)
    assert weighted_satisfaction([]).share("satisfied") is None
    assert Satisfaction().positive is None
    assert satisfaction_of(Result(students=10)) == Satisfaction()  # nothing answered: nothing weighed


def test_a_line_is_delivered_session_by_session():
    ln = Line(3, "in_person", 2, 6, "セミナー")
    one = Result(line_id=ln.id, students=5, company_staff=2, members=1)
    assert line_tally(ln, [one]).delivered == 1
    second = Result(line_id=ln.id, students=7, session=2)
    t = line_tally(ln, [one, second])
    assert (t.planned, t.delivered, t.students, t.participants) == (2, 2, 12, 15)
    # a session beyond the quantity or given twice counts once at most
    assert line_tally(ln, [one, second, Result(line_id=ln.id, session=3, students=99)]).students == 12


def _plan(cid, *lines):
    return Plan(consortium=cid, fiscal_year=2025, lines=list(lines))


def test_year_figures_by_consortium_item_prefecture_and_missing():
    seminar = Line(3, "in_person", 2, 6, "企業向けセミナー")
    fair = Line(2, "online", 1, 7, "説明会")
    late = Line(5, "small", 1, 2, "交流会")  # February 2026: not over on the day below
    bus = Line(7, "bus_day", 1, 2, "バス")  # transport: no event of its own
    kansai = _plan("kansai", seminar, fair, late, bus)
    tour = Line(6, "day", 1, 9, "見学会")
    tohoku = _plan("tohoku", tour)
    from planner.results import Company

    res = {
        "kansai": [Result(line_id=seminar.id, session=1, students=10, very_satisfied=5, satisfied=5,
                          dissatisfied=0, satisfaction_unit="count",
                          company_list=(Company("A社", "大阪"), Company("B社", "東京")))],
        "tohoku": [Result(line_id=tour.id, students=20, company_staff=3, companies=2, very_satisfied=50,
                          satisfied=50, dissatisfied=0, satisfaction_unit="percent",
                          company_list=(Company("C社", "宮城"), Company("D社", "青森")))],
    }
    f = year_figures(FY, [kansai, tohoku], res, dt.date(2025, 12, 1))
    assert list(f.by_consortium) == ["tohoku", "kansai"]  # the fiscal-year file's order
    k = f.by_consortium["kansai"]
    assert (k.planned, k.delivered, k.students) == (4, 1, 10)
    assert (f.total.planned, f.total.delivered, f.total.participants) == (5, 2, 33)
    assert list(f.by_item) == [2, 3, 5, 6] and f.by_item[3].delivered == 1 and f.by_item[2].delivered == 0
    # 5 + 10 very satisfied of 10 + 20 who answered
    assert f.total.satisfaction.share("very_satisfied") == pytest.approx(50.0)
    assert [(m.consortium, m.no, m.missing) for m in f.missing] == [("kansai", 1, 1), ("kansai", 2, 1)]
    assert [(p.consortium, p.prefecture, p.target) for p in f.prefectures] == [
        ("tohoku", "青森", False), ("tohoku", "宮城", True), ("kansai", "東京", False), ("kansai", "大阪", True)]


def test_companies_grouped_by_prefecture_in_national_order():
    from planner.results import Company

    got = companies_by_prefecture([Company("Y", "山形"), Company("A", "青森"), Company("M", "宮城"),
                                   Company("M2", "宮城")])
    assert got == [("青森", ["A"]), ("宮城", ["M", "M2"]), ("山形", ["Y"])]
