"""The server's log of actions and refusals, read from the rows the store wrote."""

from __future__ import annotations

import logging

import pytest

import planner
from planner.server.activity import ActivityLog


@pytest.fixture
def lines(caplog):
    caplog.set_level(logging.INFO, logger="planner.serve.access")

    def new() -> list[str]:
        out = [r.getMessage() for r in caplog.records]
        caplog.clear()
        return out

    return new


def test_each_action_and_refusal_is_one_line_once(store, lines):
    activity = ActivityLog(planner.open_store(store.path))
    assert activity.poll() == 0  # what was there before the server started is not replayed
    line = planner.Line(item=5, variant="small", quantity=1, month=11, title="交流会")
    plan = planner.Plan(consortium="tohoku", fiscal_year=2025, lines=[line,
                        planner.Line(item=2, variant="online", quantity=4, month=7, title="説明会")])
    rev = store.save(plan, by="secretariat-tohoku", base_revision=None)
    rev = store.submit("tohoku", 2025, by="secretariat-tohoku", base_revision=rev)
    with pytest.raises(planner.AccessDenied):
        store.save(plan, by="secretariat-kansai", base_revision=rev)
    with pytest.raises(planner.AccessDenied):
        store.authenticate("1.not-a-key")
    assert activity.poll() == 3
    got = lines()
    assert got[0] == "action: secretariat-tohoku save tohoku FY2025 revision 1 (new -> draft)"
    assert got[1] == "action: secretariat-tohoku submit tohoku FY2025 revision 2 (draft -> submitted)"
    assert got[2].startswith("refusal: secretariat-kansai save tohoku/2025 (access): ")
    assert "not-a-key" not in " ".join(got)  # the failed key is the sign-in's own line, with an address
    assert activity.poll() == 0 and lines() == []

    store.accept("tohoku", 2025, by="officer", base_revision=rev)
    saved = store.current("tohoku", 2025).plan.lines[0]
    store.record_result("tohoku", 2025, planner.Result(line_id=saved.id, dates=("2025-11-19",), students=64),
                        by="contractor")
    assert activity.poll() == 2
    # the same result recorded again, in the same second: a second action, a second line
    store.record_result("tohoku", 2025, planner.Result(line_id=saved.id, dates=("2025-11-19",), students=65),
                        by="contractor")
    other = store.current("tohoku", 2025).plan.lines[1]
    store.record_result("tohoku", 2025, planner.Result(line_id=other.id, dates=("2025-07-10",), students=20),
                        by="contractor")
    assert activity.poll() == 2
    got += lines()
    text = "\n".join(got)
    assert "action: officer accept tohoku FY2025 revision 3 (submitted -> accepted)" in text
    assert f"action: contractor record_result tohoku FY2025 line {saved.id}" in text
    assert f"action: contractor record_result tohoku FY2025 line {other.id}" in text
