"""Steps on the demo store that several test modules take."""

from __future__ import annotations

import dataclasses

from planner import Line, Store

# kansai's lines of a plan with one of most items and events spread over the year (the rules and store tests);
# the bus serves the company tour
_TOUR = Line(6, "day", 1, 9, "企業見学会")
KANSAI_LINES = (
    Line(2, "in_person", 1, 7, "合同企業説明会", "大阪", 30, 150, "日本語"),
    Line(3, "hybrid", 2, 6, "企業向けセミナー"),
    Line(4, "in_person", 2, 10, "留学生向けセミナー"),
    Line(5, "standard", 1, 12, "交流会"),
    _TOUR,
    Line(7, "bus_day", 1, 9, "貸切バス", serves=_TOUR.id),
)


def cancel_accepted_line(store: Store, consortium: str, year: int, index: int) -> None:
    """An accepted plan reopened by the officer, line `index` (0-based) marked 中止 by its secretariat,
    and accepted again."""
    store.reopen(consortium, year, by="officer")
    rec = store.current(consortium, year)
    plan = rec.plan.replace_line(index, dataclasses.replace(rec.plan.lines[index], cancelled=True))
    rev = store.save(plan, by=f"secretariat-{consortium}", base_revision=rec.revision)
    store.submit(consortium, year, by=f"secretariat-{consortium}", base_revision=rev)
    store.accept(consortium, year, by="officer")


def store_of_schema(path, version: int):  # -> sqlite3.Connection
    """A store file as the planner of schema `version` made it (its first steps only), open for the test
    to write that planner's rows into; the test commits, closes and opens it with this planner."""
    import sqlite3

    from planner.store.schema import MIGRATIONS

    con = sqlite3.connect(path)
    for step in MIGRATIONS[:version]:
        if callable(step):
            step(con)
        else:
            con.executescript(step)
    con.execute(f"PRAGMA user_version = {version}")
    return con
