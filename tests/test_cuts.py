"""Which lines to cut when a plan is over its budget (planner.cuts)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import planner
from planner import Line, Plan, points
from planner.cuts import budget_cuts

FY = planner.load_fiscal_year(2025)  # hokkaido's budget is 90, kansai's 120


def hokkaido(*lines: Line) -> Plan:
    return Plan("hokkaido", 2025, lines)


def test_within_budget_there_is_nothing_to_cut():
    assert budget_cuts(hokkaido(Line(1, "standard", 3, 8)), FY) is None  # 90 of 90
    assert budget_cuts(hokkaido(), FY) is None
    assert budget_cuts(Plan("nowhere", 2025, (Line(1, "standard", 9, 8),)), FY) is None  # no budget known


def test_single_lines_that_end_the_overrun_fewest_points_first():
    plan = hokkaido(Line(1, "standard", 1, 8), Line(2, "in_person", 1, 10), Line(5, "small", 1, 11),
                    Line(6, "day", 1, 9), Line(7, "bus_day", 3, 9), Line(8, "case", 1, 1))  # 95: 5 over
    cuts = budget_cuts(plan, FY)
    assert cuts.over == 5 and cuts.single
    assert [(c.lines, c.points) for c in cuts.cuts] == [((6,), 5), ((3,), 10), ((4,), 12)]
    assert [c.lines for c in budget_cuts(plan, FY, limit=1).cuts] == [(6,)]


def test_a_line_too_small_to_end_the_overrun_alone_is_not_offered_alone():
    plan = hokkaido(Line(1, "standard", 3, 8), Line(8, "case", 1, 1), Line(3, "in_person", 1, 6))  # 103: 13 over
    assert [c.lines for c in budget_cuts(plan, FY).cuts] == [(1,)]  # 30; ⑧ (5) and ③ (8) alone are not enough


def test_when_no_line_is_enough_alone_the_fewest_lines_that_are():
    (cut,) = budget_cuts(hokkaido(*[Line(3, "online", 1, 6)] * 20), FY).cuts  # 100 on 90, each line 5
    assert cut.lines == (1, 2) and cut.points == 10


def test_the_last_of_several_lines_is_the_smallest_that_closes_the_gap():
    # 15 over, no line more than 10: two lines; ③ 10 and ⑧ 5 end it and keep more than two of 10
    (cut,) = budget_cuts(hokkaido(*[Line(3, "hybrid", 1, 6)] * 10, Line(8, "case", 1, 1)), FY).cuts
    assert cut.lines == (1, 11) and cut.points == 15
    plan = hokkaido(Line(1, "standard", 1, 8), Line(2, "hybrid", 1, 9), Line(3, "hybrid", 1, 6),
                    Line(4, "hybrid", 1, 7), Line(5, "standard", 1, 10), Line(6, "day", 1, 11),
                    Line(9, "month", 2, 4), Line(8, "case", 1, 1), Line(5, "standard", 1, 12))  # 131: 41 over
    (cut,) = budget_cuts(plan, FY).cuts
    assert cut.lines == (1, 6) and cut.points == 42  # ① 30 and the smallest line of 11 or more: ⑥ 12


def test_cancelled_and_invalid_lines_are_never_offered():
    plan = hokkaido(Line(1, "standard", 3, 8), Line(2, "in_person", 1, 10, cancelled=True),
                    Line(99, "x", 1, 1), Line(3, "online", 0, 1), Line(8, "case", 1, 1))  # 95
    assert [c.lines for c in budget_cuts(plan, FY).cuts] == [(5,), (1,)]


@st.composite
def over_budget_plan(draw) -> Plan:
    items = [i for i in FY.menu.values()]
    lines = []
    for _ in range(draw(st.integers(1, 14))):
        item = draw(st.sampled_from(items))
        lines.append(Line(item.no, draw(st.sampled_from(item.variants)).id, draw(st.integers(1, 4)),
                          draw(st.integers(1, 12)), cancelled=draw(st.booleans()) and draw(st.booleans())))
    return Plan(draw(st.sampled_from(list(FY.consortia))), 2025, lines)


@settings(max_examples=300, deadline=None)
@given(over_budget_plan())
def test_every_cut_brings_the_plan_within_budget_and_none_is_offered_within_it(plan):
    budget = FY.budget(plan.consortium)
    cuts = budget_cuts(plan, FY)
    if points(plan, FY) <= budget:
        assert cuts is None
        return
    assert cuts.over == points(plan, FY) - budget and cuts.cuts
    for cut in cuts.cuts:
        kept = Plan(plan.consortium, 2025, [ln for n, ln in enumerate(plan.lines, 1) if n not in cut.lines])
        assert points(kept, FY) <= budget
        assert points(plan, FY) - points(kept, FY) == cut.points
    if not cuts.single:  # no single line would have done: the cut is one of the fewest lines
        (cut,) = cuts.cuts
        menu = FY.menu_for(plan.consortium)
        each = sorted((planner.rules.line_points(ln, menu) for ln in plan.lines), reverse=True)
        assert each[0] < cuts.over and sum(each[: len(cut.lines) - 1]) < cuts.over
