"""Results per session and their participating companies: the model, the checks, the store (one result a
session of a line, refused beyond the line's quantity), the migration of earlier stores, the frames."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace

import pytest
from plan_support import store_of_schema

import planner
from planner import Company, Result
from planner.demo import PLANS_2025
from planner.results import check_result
from planner.store.schema import SCHEMA_VERSION

KYUSHU = planner.Plan("kyushu", 2025, tuple(PLANS_2025["kyushu"]))
TOUR = KYUSHU.lines[3]  # ⑥ 半導体関連企業見学会, quantity 2, September
SEED = (("フジプラント株式会社", "青森"), ("キオクシア岩手株式会社", "岩手県"), ("アンデックス株式会社", "宮城"))


def codes(result: Result, plan: planner.Plan = KYUSHU) -> list[str]:
    return [f.code for f in check_result(result, plan)]


def tour(session=1, **kw) -> Result:
    return Result(line_id=TOUR.id, session=session, dates=("2025-09-10",), students=20, **kw)


# -- the model --------------------------------------------------------------------------------------

def test_a_result_carries_its_session_and_companies_through_a_dict():
    r = Result(line_id="L1", session=2, dates=["2025-09-10"], companies=2,
               company_list=[{"name": "A社", "prefecture": "宮城"}, ("B社", "山形")])
    assert r.dates == ("2025-09-10",) and r.company_list == (Company("A社", "宮城"), Company("B社", "山形"))
    d = r.as_dict()
    assert d["session"] == 2 and d["company_list"] == [{"name": "A社", "prefecture": "宮城"},
                                                       {"name": "B社", "prefecture": "山形"}]
    assert Result.from_dict(json.loads(json.dumps(d))) == r
    assert Result().session == 1 and Result().company_list == () and r.key == ("L1", 2)


def test_a_session_is_a_whole_number_from_one_to_the_lines_quantity():
    assert codes(tour(1)) == codes(tour(2)) == []
    assert codes(tour(3)) == ["SESSION_BEYOND_QUANTITY"]
    for bad in (0, -1, "2", 1.5, True, None):
        assert codes(tour(bad)) == ["SESSION_INVALID"], bad
    (f,) = check_result(tour(3), KYUSHU)
    assert "第3回" in f.message_ja and "数量は 2 回" in f.message_ja and "session 3" in f.message_en


def test_companies_with_unknown_prefectures_or_listed_twice_are_errors_a_count_that_disagrees_a_warning():
    ok = tour(companies=3, company_list=SEED)
    assert codes(ok) == []
    assert codes(replace(ok, company_list=(*SEED[:2], ("アンデックス株式会社", "ミヤギ")))) == [
        "COMPANY_PREFECTURE_UNKNOWN"]
    dup = replace(ok, company_list=(*SEED, ("アンデックス　株式会社", "宮城")), companies=4)
    (f,) = check_result(dup, KYUSHU)
    assert f.code == "COMPANY_DUPLICATE" and "3件目と4件目" in f.message_ja and "entries 3 and 4" in f.message_en
    assert codes(replace(ok, company_list=(("", "宮城"),), companies=1)) == ["COMPANY_INVALID"]
    assert "COMPANY_INVALID" in codes(replace(ok, company_list=(42,)))
    (w,) = check_result(replace(ok, companies=18), KYUSHU)
    assert (w.code, w.severity) == ("COMPANIES_COUNT_MISMATCH", "warning")
    assert "18 社" in w.message_ja and "holds 3" in w.message_en


def test_prefectures_are_read_as_people_write_them():
    from planner.prefectures import PREFECTURES, prefecture_of

    assert len(PREFECTURES) == 47
    for typed, kept in (("宮城県", "宮城"), ("宮城", "宮城"), ("東京都", "東京"), ("北海道", "北海道"),
                        ("京都府", "京都"), ("大阪府", "大阪"), ("Miyagi", "宮城"), ("miyagi-ken", "宮城"),
                        ("　山形県 ", "山形"), ("ＭＩＹＡＧＩ", "宮城")):
        assert prefecture_of(typed) == kept, typed
    for typed in ("仙台", "", "宮", "東北", None, 4):
        assert prefecture_of(typed) is None, typed


# -- the store ----------------------------------------------------------------------------------------

@pytest.fixture
def kyushu(store):
    store.add_user("secretariat-kyushu", "secretariat", "kyushu")
    rev = store.save(KYUSHU, by="secretariat-kyushu", base_revision=None)
    rev = store.submit("kyushu", 2025, by="secretariat-kyushu", base_revision=rev)
    store.accept("kyushu", 2025, by="officer", base_revision=rev)
    return store


def test_each_session_of_a_line_is_its_own_result_and_re_recording_a_session_replaces_it(kyushu):
    s = kyushu
    s.record_result("kyushu", 2025, tour(1, venue="熊本A社"), by="contractor")
    s.record_result("kyushu", 2025, tour(2, venue="熊本B社", company_list=SEED, companies=3), by="contractor")
    got = s.results("kyushu", 2025, by="officer")
    assert [(r.line, r.session, r.venue) for r in got] == [(4, 1, "熊本A社"), (4, 2, "熊本B社")]
    # kept with prefectures as planner names them
    assert got[1].company_list == (Company("フジプラント株式会社", "青森"), Company("キオクシア岩手株式会社", "岩手"),
                                   Company("アンデックス株式会社", "宮城"))
    s.record_result("kyushu", 2025, tour(1, venue="熊本C社"), by="contractor")
    assert [(r.session, r.venue) for r in s.results("kyushu", 2025, by="officer")] == [(1, "熊本C社"), (2, "熊本B社")]
    assert [e.action for e in s.events()].count("record_result") == 3


@pytest.mark.parametrize(("bad", "code_ja", "code_en"), [
    (tour(3), "第3回は記録できません", "session 3 cannot be recorded"),
    (tour(0), "回 0 は使えません", "session 0 cannot be used"),
    (tour("x"), "回 'x' は使えません", "session 'x' cannot be used"),
    (tour(company_list=(("A社", "ミヤギ"),)), "都道府県 'ミヤギ' が分かりません", "prefecture 'ミヤギ' is not known"),
    (tour(company_list=(("A社", "宮城"), ("A社", "宮城"))), "2回あります", "listed twice"),
    (tour(company_list="A社"), "参加企業の1件目", "participating company 1"),
])
def test_bad_sessions_and_companies_are_refused_in_both_languages_and_nothing_is_stored(kyushu, bad, code_ja,
                                                                                           code_en):
    s = kyushu
    s.record_result("kyushu", 2025, tour(1, venue="前"), by="contractor")
    before = s.last_event()
    with pytest.raises(planner.InvalidAction) as e:
        s.record_results("kyushu", 2025, [tour(1, venue="後"), bad], by="contractor")
    assert code_ja in e.value.message_ja and code_en in e.value.message_en
    assert [(r.session, r.venue) for r in s.results("kyushu", 2025, by="officer")] == [(1, "前")]
    assert s.last_event() == before


def test_two_results_for_the_same_session_at_once_are_refused(kyushu):
    with pytest.raises(planner.InvalidAction) as e:
        kyushu.record_results("kyushu", 2025, [tour(2, venue="a"), tour(2, venue="b")], by="contractor")
    assert "第2回の実績が2つあります" in e.value.message_ja and "two results for session 2" in e.value.message_en
    assert kyushu.results("kyushu", 2025, by="officer") == []


def test_the_table_itself_keeps_one_result_a_session(kyushu):
    kyushu.record_result("kyushu", 2025, tour(1), by="contractor")
    with pytest.raises(sqlite3.IntegrityError):
        kyushu.db.execute("INSERT INTO results (plan_id, line_id, session, content, by_user, at)"
                          " SELECT plan_id, line_id, session, content, by_user, at FROM results")
    with pytest.raises(sqlite3.IntegrityError):
        kyushu.db.execute("UPDATE results SET session = 0")


def test_frames_have_a_session_column_and_a_row_a_company(kyushu):
    kyushu.record_result("kyushu", 2025, tour(1), by="contractor")
    kyushu.record_result("kyushu", 2025, tour(2, company_list=SEED, companies=3), by="contractor")
    r = kyushu.results_frame(2025)
    assert list(r["session"]) == [1, 2] and list(r["line"]) == [4, 4] and list(r["listed_companies"]) == [0, 3]
    c = kyushu.companies_frame(2025)
    assert list(c["prefecture"]) == ["青森", "岩手", "宮城"] and set(c["session"]) == {2}
    from planner.analysis import planned_vs_delivered

    pvd = planned_vs_delivered(kyushu.plans_frame(2025), r)
    assert pvd.loc[(2025, "kyushu"), "実施イベント数"] == 2  # session by session


# -- the migration -------------------------------------------------------------------------------------

def test_a_store_of_schema_7_is_migrated_and_its_results_become_session_1(tmp_path):
    """A store as the planner of schema 7 made it (its own steps, its own rows), opened by this one."""
    db = tmp_path / "v7.db"
    con = store_of_schema(db, 7)
    plan = planner.Plan("kyushu", 2025, KYUSHU.lines)
    con.execute("INSERT INTO plans (id, consortium, fiscal_year, status, revision) VALUES (1, 'kyushu', 2025,"
                " 'accepted', 1)")
    con.execute("INSERT INTO revisions (plan_id, revision, content, by_user, at, status) VALUES (1, 1, ?,"
                " 'officer', '2025-05-01T00:00:00', 'accepted')", (json.dumps(plan.as_dict(), ensure_ascii=False),))
    old = {k: v for k, v in tour().as_dict().items() if k not in ("session", "company_list", "line")}
    con.execute("INSERT INTO results (plan_id, line_id, content, by_user, at) VALUES (1, ?, ?, 'contractor',"
                " '2025-09-11T00:00:00')", (TOUR.id, json.dumps(old, ensure_ascii=False)))
    con.commit()
    con.close()
    with planner.open_store(db) as s:
        assert s.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        (r,) = s.plan_results("kyushu", 2025)
        assert (r.line, r.session, r.company_list, r.dates) == (4, 1, (), ("2025-09-10",))
        assert [tuple(x) for x in s.db.execute("SELECT session FROM results")] == [(1,)]
        s.add_consortium("kyushu", "九州")
        s.add_user("contractor", "contractor")
        s.add_user("officer", "officer")
        s.record_result("kyushu", 2025, tour(2, venue="二回目"), by="contractor")
        assert [x.session for x in s.results("kyushu", 2025, by="officer")] == [1, 2]


def test_a_line_with_recorded_sessions_is_named_once_when_its_removal_is_refused(kyushu):
    kyushu.record_result("kyushu", 2025, tour(1), by="contractor")
    kyushu.record_result("kyushu", 2025, tour(2), by="contractor")
    kyushu.reopen("kyushu", 2025, by="officer", comment="見直し")
    rec = kyushu.current("kyushu", 2025)
    without = planner.Plan("kyushu", 2025, [ln for ln in rec.plan.lines if ln.id != TOUR.id])
    with pytest.raises(planner.InvalidAction) as e:
        kyushu.save(without, by="secretariat-kyushu", base_revision=rec.revision)
    assert e.value.message_ja.count("4行目") == 1 and "LINE_HAS_RESULT" not in e.value.message_ja
    assert len(kyushu.results("kyushu", 2025, by="officer")) == 2


def test_a_quantity_below_a_recorded_session_is_refused(kyushu):
    kyushu.record_result("kyushu", 2025, tour(2), by="contractor")
    kyushu.reopen("kyushu", 2025, by="officer", comment="見直し")
    rec = kyushu.current("kyushu", 2025)
    lines = [replace(ln, quantity=1) if ln.id == TOUR.id else ln for ln in rec.plan.lines]
    before = kyushu.current("kyushu", 2025).revision
    with pytest.raises(planner.InvalidAction) as e:
        kyushu.save(planner.Plan("kyushu", 2025, lines), by="secretariat-kyushu", base_revision=rec.revision)
    assert "第2回までの実績" in e.value.message_ja and "数量を 1 にはできません" in e.value.message_ja
    assert "up to session 2" in e.value.message_en and kyushu.current("kyushu", 2025).revision == before
    lines = [replace(ln, quantity=3) if ln.id == TOUR.id else ln for ln in rec.plan.lines]
    kyushu.save(planner.Plan("kyushu", 2025, lines), by="secretariat-kyushu", base_revision=rec.revision)
