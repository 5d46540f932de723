"""Properties of the rules over generated plans (hypothesis)."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

import planner
from planner import Line, Plan, check, points

FY = planner.load_fiscal_year(2025)
CONSORTIA = list(FY.consortia)
EVENT_ITEMS = [i for i in FY.menu.values() if i.event]


@st.composite
def valid_line(draw, items=None) -> Line:
    item = draw(st.sampled_from(items or [i for i in FY.menu.values() if i.no not in (7, 10)]))
    variant = draw(st.sampled_from(item.variants)).id
    quantity = draw(st.integers(1, 3))
    month = draw(st.integers(1, 12))
    notes = draw(st.text(min_size=1, max_size=30).filter(str.strip)) if item.no == 11 else ""
    return Line(item.no, variant, quantity, month, draw(st.text(max_size=20)), notes=notes)


anything = st.one_of(st.none(), st.booleans(), st.integers(-5, 20), st.floats(allow_nan=True), st.text(max_size=5))


@st.composite
def any_line(draw) -> Line:
    return Line(item=draw(anything), variant=draw(st.one_of(anything, st.sampled_from(["online", "day", "case"]))),
                quantity=draw(anything), month=draw(anything), title=draw(anything), notes=draw(anything))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(CONSORTIA), st.lists(valid_line(), max_size=8))
def test_valid_lines_within_budget_have_no_errors(cid, lines):
    plan = Plan(cid, 2025, lines)
    assume(points(plan, FY) <= FY.budget(cid))
    for rule_item, limit in ((8, 10), (9, 12), (11, 3)):
        assume(sum(ln.quantity for ln in lines if ln.item == rule_item) <= limit)
    assert [f for f in check(plan, FY) if f.is_error] == []


@settings(max_examples=300, deadline=None)
@given(st.lists(valid_line(), min_size=1, max_size=8), st.data())
def test_raising_a_quantity_never_lowers_points(lines, data):
    plan = Plan("kansai", 2025, lines)
    i = data.draw(st.integers(0, len(lines) - 1))
    more = data.draw(st.integers(1, 50))
    ln = lines[i]
    bigger = plan.replace_line(i, Line(**{**ln.as_dict(), "quantity": ln.quantity + more}))
    assert points(bigger, FY) > points(plan, FY)


@settings(max_examples=200, deadline=None)
@given(st.lists(valid_line(), max_size=8), st.randoms())
def test_line_order_does_not_change_points_or_codes(lines, rnd):
    shuffled = list(lines)
    rnd.shuffle(shuffled)
    a, b = Plan("tohoku", 2025, lines), Plan("tohoku", 2025, shuffled)
    assert points(a, FY) == points(b, FY)
    assert sorted(f.code for f in check(a, FY)) == sorted(f.code for f in check(b, FY))


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.sampled_from(CONSORTIA), anything), st.lists(any_line(), max_size=6))
def test_check_never_raises_and_findings_are_well_formed(cid, lines):
    plan = Plan(cid, 2025, lines)
    total = points(plan, FY)
    assert total >= 0
    for f in check(plan, FY):
        assert f.severity in ("error", "warning")
        assert f.message_ja and f.message_en
        assert f.line is None or 1 <= f.line <= len(lines)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(CONSORTIA), st.lists(valid_line(), max_size=8))
def test_over_budget_exactly_when_points_exceed_budget(cid, lines):
    plan = Plan(cid, 2025, lines)
    over = "BUDGET_EXCEEDED" in [f.code for f in check(plan, FY)]
    assert over == (points(plan, FY) > FY.budget(cid))
