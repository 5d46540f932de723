"""Results against their plan: which lines take one, the checks on the figures, and where each
event line stands on a given day."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

import planner
from planner.demo import PLANS_2025
from planner.results import Result, check_result, event_lines, event_progress

FY25 = planner.load_fiscal_year(2025)
KYUSHU = planner.Plan("kyushu", 2025, tuple(PLANS_2025["kyushu"]))
MENU = FY25.menu_for("kyushu")


def codes(result: Result, plan: planner.Plan = KYUSHU) -> list[str]:
    return [f.code for f in check_result(result, plan)]


def test_only_event_lines_that_go_ahead_take_a_result():
    # kyushu: ② ② ⑤ ⑥ ⑦ ③ ⑨; the bus (⑦) and the secretariat support (⑨) have no participants
    assert [(n, ln.item) for n, ln in event_lines(KYUSHU, MENU)] == [(1, 2), (2, 2), (3, 5), (4, 6), (6, 3)]
    cancelled = KYUSHU.replace_line(0, replace(KYUSHU.lines[0], cancelled=True))
    assert [n for n, _ in event_lines(cancelled, MENU)] == [2, 3, 4, 6]


def count_result(**kw) -> Result:
    base = {"line": 1, "dates": ("2025-06-14",), "company_staff": 40, "students": 100, "members": 10,
            "satisfaction_unit": "count"}
    return Result(**{**base, **kw})


def test_counted_answers_beyond_the_participants_are_an_error():
    assert codes(count_result(very_satisfied=100, satisfied=40, dissatisfied=10)) == []  # 150 of 150
    (f,) = check_result(count_result(very_satisfied=100, satisfied=80, dissatisfied=20), KYUSHU)
    assert (f.code, f.severity, f.line) == ("SATISFACTION_OVER_PARTICIPANTS", "error", 1)
    assert "200 人" in f.message_ja and "150 名" in f.message_ja and "割合（%）" in f.message_ja
    assert "200" in f.message_en and "150 participants" in f.message_en


@pytest.mark.parametrize("kw", [
    {"company_staff": None, "students": None, "members": None},  # participants not entered: nothing to judge by
    {"satisfaction_unit": "percent", "very_satisfied": 60, "satisfied": 40, "students": 5, "company_staff": None,
     "members": None},  # shares are no head count
])
def test_answers_are_compared_only_with_participants_given_and_only_as_counts(kw):
    assert "SATISFACTION_OVER_PARTICIPANTS" not in codes(count_result(**{"very_satisfied": 90, "satisfied": 80, **kw}))


def test_a_bad_count_is_named_once_not_added_up():
    assert codes(count_result(very_satisfied=-5, satisfied=500)) == ["COUNT_INVALID"]


def test_shares_not_adding_up_stay_a_warning():
    (f,) = check_result(count_result(satisfaction_unit="percent", very_satisfied=33, satisfied=33, dissatisfied=33),
                        KYUSHU)
    assert (f.code, f.severity) == ("SHARES_NOT_100", "warning") and "99%" in f.message_ja


def test_event_lines_against_a_day():
    # kyushu FY2025: ② June, ② November, ⑤ October, ⑥ September, ③ July
    done = Result(line_id=KYUSHU.lines[4 - 1].id, dates=("2025-09-10",))  # the ⑥ tours of September (2)
    got = event_progress(KYUSHU, [done, replace(done, session=2)], MENU, dt.date(2025, 10, 5))
    assert [(e.no, e.line.month, e.state) for e in got] == [
        (1, 6, "unrecorded"), (6, 7, "unrecorded"), (4, 9, "recorded"), (3, 10, "this_month"), (2, 11, "planned")]
    # a line is delivered session by session: one tour of two recorded leaves the line short of one
    (tour,) = [e for e in event_progress(KYUSHU, [done], MENU, dt.date(2025, 10, 5)) if e.no == 4]
    assert (tour.state, tour.recorded, tour.sessions) == ("unrecorded", 1, 2)
    # January to March belong to the next calendar year: a February line is still to come in December
    feb = planner.Plan("kyushu", 2025, (planner.Line(2, "online", 1, 2, "冬の説明会"),))
    assert [e.state for e in event_progress(feb, [], MENU, dt.date(2025, 12, 31))] == ["planned"]
    assert [e.state for e in event_progress(feb, [], MENU, dt.date(2026, 3, 1))] == ["unrecorded"]


def test_results_on_lines_that_take_none_are_refused_unless_already_kept():
    from planner.results import results_on_other_lines

    event = Result(line=1, dates=("2025-06-14",), students=10)
    assert results_on_other_lines([event, replace(event, line=6)], KYUSHU, MENU) == []
    (bus,) = results_on_other_lines([replace(event, line=5)], KYUSHU, MENU)  # ⑦ the chartered bus
    assert (bus.code, bus.severity, bus.line) == ("RESULT_NOT_AN_EVENT", "error", 5)
    assert "⑦" in bus.message_ja and "①〜⑥" in bus.message_ja and "not an event line" in bus.message_en
    cancelled = KYUSHU.replace_line(0, replace(KYUSHU.lines[0], cancelled=True))
    kept = replace(event, line=None, line_id=cancelled.lines[0].id)
    (f,) = results_on_other_lines([kept], cancelled, MENU)  # a new result on a cancelled line
    assert f.line == 1 and "中止" in f.message_ja and "cancelled" in f.message_en
    # the result it had before it was cancelled stays as it is; only a change to it is refused
    assert results_on_other_lines([kept], cancelled, MENU, stored=[kept]) == []
    assert len(results_on_other_lines([replace(kept, students=11)], cancelled, MENU, stored=[kept])) == 1
