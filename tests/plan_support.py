"""Steps on the demo store that several test modules take."""

from __future__ import annotations

import dataclasses

from planner import Store


def cancel_accepted_line(store: Store, consortium: str, year: int, index: int) -> None:
    """An accepted plan reopened by the officer, line `index` (0-based) marked 中止 by its secretariat,
    and accepted again."""
    store.reopen(consortium, year, by="officer")
    rec = store.current(consortium, year)
    plan = rec.plan.replace_line(index, dataclasses.replace(rec.plan.lines[index], cancelled=True))
    rev = store.save(plan, by=f"secretariat-{consortium}", base_revision=rec.revision)
    store.submit(consortium, year, by=f"secretariat-{consortium}", base_revision=rev)
    store.accept(consortium, year, by="officer")
