"""Who is told of what: the rule the inbox and the mails share."""

from __future__ import annotations

import pytest

from planner.access import User
from planner.notices import concerns, recipients
from planner.store.events import Event

OFFICER = User("officer", "officer")
CONTRACTOR = User("contractor", "contractor")
ANALYST = User("analyst", "analyst")
KANSAI = User("secretariat-kansai", "secretariat", "kansai")
TOHOKU = User("secretariat-tohoku", "secretariat", "tohoku")
EVERYONE = [OFFICER, CONTRACTOR, ANALYST, KANSAI, TOHOKU]


def _event(action: str, by: str, status: str | None) -> Event:
    return Event(1, "2025-06-01T09:00:00", by, action, "kansai", 2025, 3, None, status)


@pytest.mark.parametrize(("action", "by", "status", "told"), [
    ("submit", "secretariat-kansai", "submitted", ["officer"]),
    ("return", "officer", "returned", ["secretariat-kansai"]),
    ("accept", "officer", "accepted", ["contractor", "secretariat-kansai"]),
    ("reopen", "officer", "draft", ["secretariat-kansai"]),
    ("record_result", "contractor", None, ["officer"]),
    ("save", "secretariat-kansai", "draft", []),
    ("withdraw", "secretariat-kansai", "draft", []),
])
def test_each_event_reaches_its_people_only(action, by, status, told):
    assert sorted(u.name for u in recipients(_event(action, by, status), EVERYONE)) == told


def test_nobody_is_told_of_their_own_doing_and_a_disabled_user_of_nothing():
    other_officer = User("officer2", "officer")
    assert [u.name for u in recipients(_event("submit", "officer", "submitted"), [OFFICER, other_officer])] \
        == ["officer2"]
    gone = User("secretariat-kansai", "secretariat", "kansai", active=False)
    assert not concerns(_event("return", "officer", "returned"), gone)
