"""The desk: each change becomes one event in the change's own transaction; a refusal writes none and is
logged; what a person is shown of the load is decided here, not in the core."""

from __future__ import annotations

import pytest

import planner
from planner import Desk, Line, Plan, Result

KANSAI = "secretariat-kansai"
PLAN = Plan("kansai", 2025, [Line(5, "small", 1, 10, "交流会"), Line(2, "online", 2, 7, "説明会")])


def kinds(store) -> list[tuple]:
    return [(e.by, e.action, e.consortium, e.revision, e.status_from, e.status) for e in store.events()]


def test_every_change_is_one_event_with_who_what_and_the_status_it_moved(store):
    desk = Desk(store, KANSAI)
    rev = desk.save(PLAN, base_revision=None)
    rev = desk.submit("kansai", 2025, base_revision=rev)
    Desk(store, "officer").accept("kansai", 2025, base_revision=rev, comment="OK")
    assert kinds(store) == [
        (KANSAI, "save", "kansai", 1, None, "draft"),
        (KANSAI, "submit", "kansai", 2, "draft", "submitted"),
        ("officer", "accept", "kansai", 3, "submitted", "accepted"),
    ]
    line = store.current("kansai", 2025).plan.lines[0]
    Desk(store, "contractor").record_result("kansai", 2025, Result(line_id=line.id, dates=("2025-10-10",)))
    last = store.events()[-1]
    assert (last.action, last.by, last.line_id, last.revision) == ("record_result", "contractor", line.id, None)
    assert store.last_event() == last.id == 4


def test_a_refused_change_writes_no_event_and_is_logged(store):
    before = store.last_event()
    with pytest.raises(planner.AccessDenied):
        Desk(store, "secretariat-tohoku").save(PLAN, base_revision=None)
    with pytest.raises(planner.InvalidAction):
        Desk(store, KANSAI).submit("kansai", 2025)  # no plan yet
    assert store.last_event() == before and store.current("kansai", 2025) is None
    assert [r["action"] for r in store.refusals()[-2:]] == ["save", "submit"]


def test_the_change_and_its_event_are_one_transaction(store, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the disk filled up")

    monkeypatch.setattr(store, "add_event", broken)
    with pytest.raises(RuntimeError):
        Desk(store, KANSAI).save(PLAN, base_revision=None)
    assert store.current("kansai", 2025) is None  # the revision went with the event that failed


def test_a_sessions_desk_stops_once_the_session_ends_and_says_so_once(store):
    token, _ = store.sign_in(store.issue_key(KANSAI), 1800, 43200)
    told = []
    desk = Desk.for_session(store, planner.store.session_ref(token), lambda ja, en: told.append(en))
    desk.save(PLAN, base_revision=None)
    store.end_session(planner.store.session_ref(token))
    with pytest.raises(planner.errors.SessionEnded):
        desk.find("kansai", 2025)
    assert len(told) == 1 and "signed out" in told[0]
    with pytest.raises(planner.AccessDenied):
        Desk.for_session(store, "not-a-session")


def test_a_disabled_person_s_desk_can_do_nothing(store):
    desk = Desk(store, KANSAI)
    desk.save(PLAN, base_revision=None)
    store.disable_user(KANSAI)
    with pytest.raises(planner.AccessDenied):
        desk.find("kansai", 2025)
    with pytest.raises(planner.AccessDenied):
        desk.save(PLAN, base_revision=1)


def test_the_load_each_person_is_shown_is_the_desks_to_decide(store):
    rev = Desk(store, KANSAI).save(PLAN, base_revision=None)  # a draft: one event in October
    fy = store.fiscal_year(2025)
    assert Desk(store, "officer").load(fy).months[6].events == 1
    assert Desk(store, "contractor").load(fy).months[6].events == 0  # the contractor counts accepted plans
    Desk(store, KANSAI).submit("kansai", 2025, base_revision=rev)
    Desk(store, "officer").accept("kansai", 2025, base_revision=rev + 1)
    assert Desk(store, "contractor").load(fy).months[6].events == 1
