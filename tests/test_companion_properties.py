"""⑦ (transport) and ⑩ (venue) lines name the line they serve: properties over generated sequences of
edits (hypothesis). Whatever is added, removed, changed or cancelled, and in whatever order, no ⑦ or
⑩ line is left without its served line and without a finding on its own line."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

import planner
from planner import Line, Plan, check
from planner.copying import copy_plan
from planner.rules import linked, serve_choices
from planner.summary import summarize

FY = planner.load_fiscal_year(2025)
MENU = FY.menu
SERVES = {7: (1, 5, 6), 10: (2, 3, 4, 5, 6)}  # as the README and the year's data say


def _line(item: int, month: int, serves=None) -> Line:
    return Line(item, MENU[item].variants[0].id, 1, month, f"{item}", notes="提案" if item == 11 else "",
                serves=serves)


# an edit, drawn as data and applied to whatever the plan is by then
edit = st.one_of(
    st.tuples(st.just("add"), st.integers(1, 11), st.integers(1, 12)),
    st.tuples(st.just("companion"), st.sampled_from([7, 10]), st.integers(0, 20)),  # serves the line at n % len
    st.tuples(st.just("unlinked"), st.sampled_from([7, 10])),
    st.tuples(st.just("remove"), st.integers(0, 20)),
    st.tuples(st.just("item"), st.integers(0, 20), st.integers(1, 11)),
    st.tuples(st.just("cancel"), st.integers(0, 20), st.booleans()),
    st.tuples(st.just("move"), st.integers(0, 20), st.integers(0, 20)),
    st.tuples(st.just("serve"), st.integers(0, 20), st.integers(0, 20)),  # line a now serves line b
)


def apply(plan: Plan, e: tuple) -> Plan:
    kind, *args = e
    n = len(plan.lines)
    if kind == "add":
        return plan.add_line(_line(args[0], args[1]))
    if kind == "unlinked":
        return plan.add_line(_line(args[0], 6))
    if kind == "companion":
        served = plan.lines[args[1] % n].id if n else None
        return plan.add_line(_line(args[0], 6, served))
    if not n:
        return plan
    i = args[0] % n
    ln = plan.lines[i]
    if kind == "remove":
        return plan.remove_line(i)
    if kind == "item":
        item = MENU[args[1]]
        return plan.replace_line(i, replace(ln, item=item.no, variant=item.variants[0].id,
                                            notes="提案" if item.no == 11 else ln.notes))
    if kind == "cancel":
        return plan.replace_line(i, replace(ln, cancelled=args[1]))
    if kind == "move":
        return plan.move_line(i, args[1] % n)
    return plan.replace_line(i, replace(ln, serves=plan.lines[args[1] % n].id))


def _serves_well(plan: Plan, ln: Line) -> bool:
    i = plan.line_index(ln.serves) if ln.serves is not None else None
    if i is None:
        return False
    served = plan.lines[i]
    return served is not ln and served.item in SERVES[ln.item] and served.cancelled is not True


def _assert_each_companion_is_said(plan: Plan) -> None:
    found = summarize(plan, FY, others={}).findings
    errors = {f.line for f in check(plan, FY) if f.code == "REQUIRES_COMPANION"}
    asked = {f.line for f in found if f.code == "COMPANION_UNCHOSEN"}
    for n, ln in enumerate(plan.lines, start=1):
        if ln.item not in SERVES or ln.cancelled is True:
            assert n not in errors and n not in asked
            continue
        if _serves_well(plan, ln):
            assert n not in errors and n not in asked, (n, ln)
        elif ln.serves is None:
            # unlinked: asked to choose while it could serve a line, an error while it could serve none
            could = serve_choices(plan, n - 1, ln.item, MENU, FY)
            assert (n in asked) == bool(could) and (n in errors) == (not could), (n, ln)
        else:
            # its served line is gone, cancelled, or of an item it may not serve: an error on its own line
            assert n in errors and n not in asked, (n, ln)


@settings(max_examples=400, deadline=None)
@given(st.lists(edit, max_size=14))
def test_no_sequence_of_edits_leaves_a_companion_without_its_line_and_without_a_finding(edits):
    plan = Plan("kansai", 2025, [])
    for e in edits:
        plan = apply(plan, e)
        _assert_each_companion_is_said(plan)


@settings(max_examples=200, deadline=None)
@given(st.lists(edit, max_size=12))
def test_a_copy_to_next_year_keeps_each_link(edits):
    plan = Plan("kansai", 2024, [])
    for e in edits:
        plan = apply(plan, e)
    copied = copy_plan(plan, FY)
    assert {ln.id for ln in copied.lines}.isdisjoint({ln.id for ln in plan.lines})
    for old, new in zip(plan.lines, copied.lines, strict=True):
        i = plan.line_index(old.serves) if old.serves is not None else None
        if i is not None:
            assert new.serves == copied.lines[i].id


@settings(max_examples=200, deadline=None)
@given(st.lists(edit, max_size=12))
def test_linking_an_old_plan_links_only_where_exactly_one_line_fits(edits):
    plan = Plan("kansai", 2025, [])
    for e in edits:
        plan = apply(plan, e)
    bare = replace(plan, lines=[replace(ln, serves=None) for ln in plan.lines])
    done = linked(bare, FY)
    for n, (ln, after) in enumerate(zip(bare.lines, done.lines, strict=True), start=1):
        could = serve_choices(bare, n - 1, ln.item, MENU, FY) if ln.item in SERVES and ln.cancelled is not True else []
        assert after.serves == (bare.lines[could[0]].id if len(could) == 1 else None)
