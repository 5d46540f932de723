"""One reader for dates as people type them, for the results form and the workbook's date column alike."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.dates import example_date, read_date, read_dates
from planner.japanese import fiscal_year_span, wareki_date

JUNE_14 = dt.date(2025, 6, 14)


@pytest.mark.parametrize("typed", [
    "2025-06-14", "2025-6-14", "2025/6/14", "2025/06/14", "2025.6.14", " 2025-06-14 ",
    "２０２５－０６－１４", "２０２５／６／１４", "２０２５．６．１４", "2025ー6ー14", "2025−6−14",
    "令和7年6月14日", "令和７年６月１４日", "令和 7 年 6 月 14 日", "㋿7年6月14日", "令和07年06月14日",
    "R7.6.14", "R7/6/14", "R7-6-14", "r7.6.14", "Ｒ７．６．１４", "Ｒ７／６／１４", "令和7.6.14",
    "2025年6月14日", "２０２５年６月１４日", "2025年6月14",
    "2025年6月14日（土）", "2025/6/14(土)", "令和7年6月14日（土曜日）", "R7.6.14 (土曜)",
])
def test_what_people_type_is_read(typed):
    r = read_date(typed)
    assert r.problem is None and r.value == JUNE_14 and r.iso == "2025-06-14", (typed, r)
    assert not r.message_ja and not r.message_en


def test_reiwa_gannen_and_leap_days():
    assert read_date("令和元年5月1日").value == dt.date(2019, 5, 1)
    assert read_date("R1.5.1").value == dt.date(2019, 5, 1)
    assert read_date("2024-02-29").value == dt.date(2024, 2, 29)
    assert read_date("令和8年2月29日").problem == "impossible"  # 2026 is no leap year


@pytest.mark.parametrize("typed, problem, ja, en", [
    ("", "blank", "日付が入っていません", "No date"),
    ("   ", "blank", "日付が入っていません", "No date"),
    ("2025-02-30", "impossible", "2025年2月30日はありません（2025年2月は28日まで）", "February 2025 has no day 30"),
    ("2025-04-31", "impossible", "4月は30日まで", "it has 30 days"),
    ("2025-13-01", "impossible", "13月はありません", "no month 13"),
    ("2025-06-00", "impossible", "2025年6月0日はありません", "has no day 0"),
    ("令和元年4月30日", "impossible", "令和は2019年5月1日", "Reiwa era began on 1 May 2019"),
    ("令和0年6月14日", "impossible", "令和0年はありません", "no Reiwa year 0"),
    ("2025/6/14(金)", "weekday", "2025年6月14日は土曜日です（金曜日ではありません）", "is a Saturday, not a Friday"),
    ("14/6/2025", "text", "年・月・日の順に", "year, month and day in that order"),
    ("6/14", "text", "読めません", "cannot be read as a date"),
    ("25/6/14", "text", "読めません", "cannot be read as a date"),
    ("20250614", "text", "読めません", "cannot be read as a date"),
    ("2025/6-14", "text", "読めません", "cannot be read as a date"),
    ("2025-06-14T10:00", "text", "読めません", "cannot be read as a date"),
    ("6月中旬", "text", "読めません", "cannot be read as a date"),
    ("未定", "text", "「未定」は日付として読めません", "'未定' cannot be read as a date"),
    ("2025年6月14日頃", "text", "読めません", "cannot be read as a date"),
])
def test_what_is_no_date_is_refused_with_a_reason_in_both_languages(typed, problem, ja, en):
    r = read_date(typed)
    assert r.value is None and r.iso is None and r.problem == problem
    assert ja in r.message_ja and en in r.message_en, (r.message_ja, r.message_en)
    assert r.text == typed


def test_an_impossible_date_is_never_moved_to_a_day_nearby():
    for typed in ("2025-02-29", "2025-02-30", "2025-02-31", "2025-09-31", "R7.11.31"):
        assert read_date(typed).value is None, typed


@given(st.dates(min_value=dt.date(2019, 5, 1), max_value=dt.date(2099, 12, 31)))
def test_every_day_reads_back_from_every_form_it_is_written_in(day):
    forms = [day.isoformat(), f"{day.year}/{day.month}/{day.day}", f"{day.year}.{day.month}.{day.day}",
             f"{day.year}年{day.month}月{day.day}日", wareki_date(day), f"R{day.year - 2018}.{day.month}.{day.day}",
             f"{day:%Y-%m-%d}（{'月火水木金土日'[day.weekday()]}）"]
    for typed in forms:
        assert read_date(typed).value == day, typed


@given(st.text(max_size=30))
def test_any_text_gives_a_date_or_a_reason(text):
    r = read_date(text)
    assert (r.value is None) == (r.problem is not None)
    assert r.value is not None or (r.message_ja and r.message_en)


def test_several_dates_in_one_text():
    got = read_dates("2024-11-19、2024/11/20, R6.11.21；令和6年11月22日\n2024年11月23日")
    assert [r.iso for r in got] == ["2024-11-19", "2024-11-20", "2024-11-21", "2024-11-22", "2024-11-23"]
    assert [r.iso for r in read_dates("2024-11-19 2024-11-20")] == ["2024-11-19", "2024-11-20"]
    assert read_dates("") == [] and read_dates(" 、 ") == []


def test_spaces_inside_one_date_do_not_split_it():
    assert [r.iso for r in read_dates("令和 6年 11月 19日")] == ["2024-11-19"]
    assert [r.iso for r in read_dates("2024年11月19日 (火)")] == ["2024-11-19"]
    (one,) = read_dates("2024 11 19")  # one text that is no date, not three
    assert one.problem == "text" and one.text == "2024 11 19"


def test_a_bad_date_among_good_ones_is_named():
    got = read_dates("2024-11-19、2024-11-31")
    assert [r.iso for r in got] == ["2024-11-19", None]
    assert got[1].problem == "impossible" and "2024-11-31" in got[1].message_ja


def test_the_fiscal_years_span_and_an_example_inside_it():
    assert fiscal_year_span(2025) == (dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    for year in (2024, 2025, 2030):
        first, last = fiscal_year_span(year)
        assert first < example_date(year) < last
    assert example_date(2025) == dt.date(2025, 11, 19)
    assert read_date(example_date(2025).isoformat()).value == example_date(2025)  # a placeholder reads back
