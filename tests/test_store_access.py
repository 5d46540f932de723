"""Access refusals: each one raises AccessDenied with a bilingual message, changes nothing, and is logged."""

from __future__ import annotations

import pytest

import planner
from planner import Line, Plan
from planner.access import User, refusal

LINES = [Line(2, "in_person", 2, 7, "説明会"), Line(3, "hybrid", 2, 6, "セミナー"), Line(6, "day", 2, 9, "見学会")]


@pytest.fixture
def st(store):
    r = store.save(Plan("tohoku", 2025, LINES), by="secretariat-tohoku", base_revision=None)
    store.save(Plan("kansai", 2025, LINES), by="secretariat-kansai", base_revision=None)
    store.rev = r
    return store


def snapshot(store):
    return [tuple(r) for r in store.db.execute("SELECT * FROM revisions ORDER BY plan_id, revision")]


@pytest.mark.parametrize(
    "who, action",
    [
        ("secretariat-kansai", lambda s, by: s.save(Plan("tohoku", 2025, []), by=by, base_revision=1)),
        ("secretariat-kansai", lambda s, by: s.submit("tohoku", 2025, by=by)),
        ("secretariat-kansai", lambda s, by: s.find("tohoku", 2025, by=by)),
        ("secretariat-kansai", lambda s, by: s.history("tohoku", 2025, by=by)),
        ("secretariat-kansai", lambda s, by: s.revision("tohoku", 2025, 1, by=by)),
        ("secretariat-kansai", lambda s, by: s.results("tohoku", 2025, by=by)),
        ("secretariat-tohoku", lambda s, by: s.accept("tohoku", 2025, by=by)),
        ("secretariat-tohoku", lambda s, by: s.return_plan("tohoku", 2025, by=by, comment="x")),
        ("officer", lambda s, by: s.save(Plan("tohoku", 2025, []), by=by, base_revision=1)),
        ("contractor", lambda s, by: s.save(Plan("tohoku", 2025, []), by=by, base_revision=1)),
        ("contractor", lambda s, by: s.accept("tohoku", 2025, by=by)),
        ("contractor", lambda s, by: s.find("tohoku", 2025, by=by)),  # a draft: the contractor sees accepted only
        ("analyst", lambda s, by: s.save(Plan("tohoku", 2025, []), by=by, base_revision=1)),
        ("nobody", lambda s, by: s.find("tohoku", 2025, by=by)),
        ("nobody", lambda s, by: s.save(Plan("tohoku", 2025, []), by=by, base_revision=1)),
    ],
)
def test_refused_changes_nothing_and_is_logged(st, who, action):
    before = snapshot(st)
    n = len(st.refusals())
    with pytest.raises(planner.AccessDenied) as e:
        action(st, who)
    assert e.value.message_ja and e.value.message_en
    assert snapshot(st) == before
    log = st.refusals()
    assert len(log) == n + 1 and log[-1]["user"] == who and log[-1]["kind"] == "access"


def test_spec_example_not_theirs(st):
    rev = st.get("kansai", 2025, by="secretariat-kansai").revision
    with pytest.raises(planner.AccessDenied) as e:
        st.save(Plan("kansai", 2025, LINES), by="secretariat-tohoku", base_revision=rev)
    assert "ほかのコンソーシアム" in e.value.message_ja and "another consortium" in e.value.message_en


def test_officer_and_analyst_read_everything(st):
    for who in ("officer", "analyst"):
        assert st.get("tohoku", 2025, by=who).plan.lines == tuple(LINES)


def test_refusal_rules_as_a_table():
    sec = User("s", "secretariat", "kansai")
    assert refusal(sec, "save", "kansai", "draft") is None
    assert refusal(sec, "save", "tohoku", "draft") is not None
    assert refusal(User("o", "officer"), "accept", "kansai", "submitted") is None
    assert refusal(User("c", "contractor"), "record_result", "kansai", "accepted") is None
    assert refusal(User("c", "contractor"), "record_result", "kansai", "submitted") is not None
    assert refusal(User("c", "contractor"), "read", "kansai", "accepted") is None
    assert refusal(None, "read", "kansai", "accepted") is not None
    assert refusal(User("x", "officer", active=False), "read", "kansai", "draft") is not None
