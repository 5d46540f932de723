"""Property: whatever a secretariat, an officer and the contractor do in whatever order (add, remove,
move and replace lines, save, accept and record a result, reopen), a result never ends up on a line
of another menu item, and no result is dropped."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import planner

SEC = "secretariat-tohoku"
ITEMS = {2: "online", 3: "online", 4: "online"}  # 12, 5 and 5 points: six lines stay within 100

ops = st.lists(st.one_of(
    st.tuples(st.just("add"), st.sampled_from(sorted(ITEMS))),
    st.tuples(st.just("remove"), st.integers(0, 7)),
    st.tuples(st.just("move"), st.integers(0, 7), st.integers(0, 7)),
    st.tuples(st.just("replace"), st.integers(0, 7), st.sampled_from(sorted(ITEMS)), st.integers(1, 2)),
    st.tuples(st.just("save")),
    st.tuples(st.just("record"), st.integers(0, 7)),
), max_size=25)


def fresh_store(folder: str) -> planner.Store:
    s = planner.open_store(Path(folder) / "p.db")
    s.add_consortium("tohoku", "東北コンソーシアム")
    s.add_user(SEC, "secretariat", "tohoku")
    s.add_user("officer", "officer")
    s.add_user("contractor", "contractor")
    return s


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops)
def test_no_sequence_of_edits_moves_a_result_to_a_line_of_another_item(steps):
    with tempfile.TemporaryDirectory() as folder:
        store = fresh_store(folder)
        working = planner.Plan("tohoku", 2025, [planner.Line(2, "online", 1, 7, "説明会")])
        recorded: dict[str, int] = {}  # line id -> the item of the line when its result was recorded
        for op, *args in steps:
            rec = store.current("tohoku", 2025)
            n = len(working.lines)
            if op == "add" and n < 6:
                working = working.add_line(planner.Line(args[0], ITEMS[args[0]], 1, 7, f"行{n + 1}"))
            elif op == "remove" and n:
                working = working.remove_line(args[0] % n)
            elif op == "move" and n:
                working = working.move_line(args[0] % n, args[1] % n)
            elif op == "replace" and n:
                i = args[0] % n
                working = working.replace_line(i, replace(working.lines[i], item=args[1], variant=ITEMS[args[1]],
                                                          quantity=args[2]))
            elif op == "save" and (rec is None or rec.status == "draft"):
                try:
                    store.save(working, by=SEC, base_revision=rec.revision if rec else None)
                except planner.InvalidAction:
                    pass  # refused whole: e.g. it would remove a line with a result
                stored = store.current("tohoku", 2025)
                working = stored.plan if stored else working
            elif op == "record" and rec is not None and rec.plan.lines and rec.status == "draft":
                if any(f.is_error for f in planner.check(rec.plan, store.fiscal_year(2025))):
                    continue  # cannot be accepted as it is
                store.submit("tohoku", 2025, by=SEC)
                store.accept("tohoku", 2025, by="officer")
                ln = rec.plan.lines[args[0] % len(rec.plan.lines)]
                store.record_result("tohoku", 2025, planner.Result(line_id=ln.id, dates=("2025-07-10",),
                                                                   students=10), by="contractor")
                recorded[ln.id] = ln.item
                store.reopen("tohoku", 2025, by="officer")
                working = store.current("tohoku", 2025).plan
            # the invariant, after every step
            now = store.current("tohoku", 2025)
            results = store.results("tohoku", 2025, by="officer") if now else []
            assert {r.line_id for r in results} == set(recorded)
            for r in results:
                i = now.plan.line_index(r.line_id)
                assert i is not None and r.line == i + 1
                assert now.plan.lines[i].item == recorded[r.line_id]
        store.close()
