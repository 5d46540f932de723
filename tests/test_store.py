"""The SQLite store: revisions, status changes, conflicts, results, keys and the analysts' frame."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest
from plan_support import KANSAI_LINES, cancel_accepted_line

import planner
from planner import Line, Plan
from planner.demo import TOHOKU_2024_EVENT
from planner.store import SCHEMA_VERSION

K = "secretariat-kansai"
LINES = list(KANSAI_LINES)


def kansai(lines=LINES) -> Plan:
    return Plan("kansai", 2025, list(lines))


def test_save_returns_revisions_and_keeps_full_content(store):
    r1 = store.save(kansai(LINES[:2]), by=K, base_revision=None)
    r2 = store.save(kansai(), by=K, base_revision=r1)
    assert (r1, r2) == (1, 2)
    rec = store.get("kansai", 2025, by=K)
    assert rec.plan == kansai() and rec.status == "draft" and rec.revision == 2 and rec.updated_by == K
    assert store.revision("kansai", 2025, 1, by=K).plan == kansai(LINES[:2])
    hist = store.history("kansai", 2025, by=K)
    assert [h.revision for h in hist] == [1, 2]
    assert hist[0].status_from is None and hist[0].status == "draft"
    assert [c.kind for c in hist[1].changes] == ["added"] * 4
    assert "3行目を追加" in hist[1].summary("ja") and "Line 3 added" in hist[1].summary("en")


def test_compare_any_two_revisions(store):
    r1 = store.save(kansai(), by=K, base_revision=None)
    changed = kansai([Line(**{**LINES[0].as_dict(), "quantity": 2}), *LINES[1:]])
    r2 = store.save(changed, by=K, base_revision=r1)
    r3 = store.save(kansai(LINES[:-1]), by=K, base_revision=r2)
    d = store.compare("kansai", 2025, 1, 2, by=K)
    assert [(c.kind, c.line, c.field, c.before, c.after) for c in d] == [("changed", 1, "quantity", 1, 2)]
    d = store.compare("kansai", 2025, 2, r3, by=K)
    assert {(c.kind, c.line) for c in d} == {("changed", 1), ("removed", 6)}
    assert store.compare("kansai", 2025, 1, 1, by=K) == []


def test_stale_save_raises_conflict_with_what_changed(store):
    r1 = store.save(kansai(LINES[:3]), by=K, base_revision=None)
    store.save(kansai(), by=K, base_revision=r1)
    with pytest.raises(planner.Conflict) as e:
        store.save(kansai(LINES[:1]), by=K, base_revision=r1)
    assert e.value.current_revision == 2
    assert [c.kind for c in e.value.changes] == ["added"] * 3
    assert "上書きはしていません" in e.value.message_ja and "Nothing was overwritten" in e.value.message_en
    assert store.get("kansai", 2025, by=K).plan == kansai()  # unchanged
    with pytest.raises(planner.Conflict):
        store.save(kansai(), by=K, base_revision=None)  # "new plan" when one exists
    assert store.refusals()[-1]["kind"] == "conflict"


def test_workflow_submit_return_resubmit_accept_reopen(store):
    r = store.save(kansai(), by=K, base_revision=None)
    r = store.submit("kansai", 2025, by=K, base_revision=r)
    assert store.get("kansai", 2025, by=K).status == "submitted"
    with pytest.raises(planner.InvalidAction) as e:
        store.save(kansai(), by=K, base_revision=r)
    assert "取り下げ" in e.value.message_ja
    with pytest.raises(planner.InvalidAction):
        store.return_plan("kansai", 2025, by="officer", comment="  ")
    r = store.return_plan("kansai", 2025, by="officer", comment="セミナーを1回減らしてください。")
    rec = store.get("kansai", 2025, by=K)
    assert rec.status == "returned" and rec.comment == "セミナーを1回減らしてください。"
    r = store.save(kansai(LINES[:-1] + [LINES[-1]]), by=K, base_revision=r)
    rec = store.get("kansai", 2025, by=K)
    assert rec.status == "draft" and rec.comment == "セミナーを1回減らしてください。"  # still shown while editing
    r = store.submit("kansai", 2025, by=K)
    assert store.get("kansai", 2025, by=K).comment == ""
    r = store.accept("kansai", 2025, by="officer", base_revision=r)
    assert store.get("kansai", 2025, by=K).status == "accepted"
    with pytest.raises(planner.InvalidAction) as e:
        store.save(kansai(), by=K, base_revision=r)
    assert "読み取り専用" in e.value.message_ja and "read-only" in e.value.message_en
    r = store.reopen("kansai", 2025, by="officer", comment="変更のため再開")
    assert store.get("kansai", 2025, by=K).status == "draft"
    store.save(kansai(LINES[:2]), by=K, base_revision=r)
    statuses = [(h.status_from, h.status) for h in store.history("kansai", 2025, by="officer")]
    assert statuses == [(None, "draft"), ("draft", "submitted"), ("submitted", "returned"), ("returned", "draft"),
                        ("draft", "submitted"), ("submitted", "accepted"), ("accepted", "draft"), ("draft", "draft")]


def test_withdraw_a_submission(store):
    store.save(kansai(), by=K, base_revision=None)
    store.submit("kansai", 2025, by=K)
    store.withdraw("kansai", 2025, by=K)
    assert store.get("kansai", 2025, by=K).status == "draft"


def test_plan_with_errors_can_be_saved_but_not_submitted_or_accepted(store):
    over = kansai([*LINES, Line(1, "standard", 2, 8, "インターン")])  # 150 > 120
    r = store.save(over, by=K, base_revision=None)
    with pytest.raises(planner.InvalidAction) as e:
        store.submit("kansai", 2025, by=K)
    assert "エラーが 1 件" in e.value.message_ja
    assert store.get("kansai", 2025, by=K).status == "draft"
    # force a submitted plan with errors (e.g. rules tightened afterwards): the officer cannot accept it
    store.save(kansai(), by=K, base_revision=r)
    store.submit("kansai", 2025, by=K)
    store.db.execute("UPDATE revisions SET content = ? WHERE revision = 3",
                     (__import__("json").dumps(over.as_dict(), ensure_ascii=False),))
    with pytest.raises(planner.InvalidAction):
        store.accept("kansai", 2025, by="officer")
    assert store.get("kansai", 2025, by="officer").status == "submitted"


def test_status_change_on_a_stale_revision_conflicts(store):
    r = store.save(kansai(), by=K, base_revision=None)
    store.submit("kansai", 2025, by=K, base_revision=r)
    with pytest.raises(planner.Conflict):
        store.accept("kansai", 2025, by="officer", base_revision=r)


def test_save_refuses_a_plan_outside_the_fiscal_year_data(store):
    with pytest.raises(planner.InvalidAction):
        store.save(Plan("okinawa", 2025, LINES), by=K, base_revision=None)
    with pytest.raises(planner.InvalidAction):
        store.save(Plan("kansai", "2025", LINES), by=K, base_revision=None)
    with pytest.raises(planner.FiscalYearError):
        store.save(Plan("kansai", 2031, LINES), by=K, base_revision=None)


def test_results_recorded_by_the_contractor_on_an_accepted_plan(store):
    r = store.save(Plan("tohoku", 2025, LINES[3:5]), by="secretariat-tohoku", base_revision=None)
    store.submit("tohoku", 2025, by="secretariat-tohoku", base_revision=r)
    event = planner.Result(**{**TOHOKU_2024_EVENT.as_dict(), "dates": ["2025-11-19"]})
    with pytest.raises(planner.AccessDenied):
        store.record_result("tohoku", 2025, event, by="contractor")  # not accepted yet
    store.accept("tohoku", 2025, by="officer")
    store.record_result("tohoku", 2025, event, by="contractor")
    [got] = store.results("tohoku", 2025, by="officer")
    # recorded by 番号 1 (as the API allows): kept by the id of the line that was line 1 then
    line_one = store.current("tohoku", 2025).plan.lines[0]
    assert got.line_id == line_one.id and got.line == 1
    assert got == planner.Result(**{**event.as_dict(), "line_id": line_one.id}) and got.participants == 135
    with pytest.raises(planner.InvalidAction) as e:
        store.record_result("tohoku", 2025, planner.Result(line=9, dates=["2024-01-01"], very_satisfied=50,
                                                            satisfied=30, dissatisfied=0, students=-1),
                            by="contractor")
    for words in ("実績の行 9", "年度", "0以上"):
        assert words in e.value.message_ja
    assert "100%" not in e.value.message_ja  # shares of 80 % are a warning, never the reason for a refusal
    frame = store.results_frame(2025)
    assert frame.loc[0, "participants"] == 135 and frame.loc[0, "title"] == "交流会"


def test_a_warning_is_recorded_and_answers_beyond_the_participants_are_not(store):
    r = store.save(Plan("tohoku", 2025, LINES[3:5]), by="secretariat-tohoku", base_revision=None)
    store.submit("tohoku", 2025, by="secretariat-tohoku", base_revision=r)
    store.accept("tohoku", 2025, by="officer")
    rounded = planner.Result(line=1, dates=["2025-11-19"], students=30, very_satisfied=33, satisfied=33,
                             dissatisfied=33)
    assert [f.code for f in planner.check_result(rounded, store.current("tohoku", 2025).plan)] == ["SHARES_NOT_100"]
    store.record_result("tohoku", 2025, rounded, by="contractor")
    assert store.results("tohoku", 2025, by="officer")[0].satisfied == 33
    counted = planner.Result(line=1, dates=["2025-11-19"], students=30, very_satisfied=20, satisfied=15,
                             dissatisfied=0, satisfaction_unit="count")
    with pytest.raises(planner.InvalidAction) as e:
        store.record_result("tohoku", 2025, counted, by="contractor")
    assert "35 人" in e.value.message_ja and "30 名" in e.value.message_ja
    assert store.results("tohoku", 2025, by="officer")[0].satisfied == 33


def test_plans_frame_one_row_a_line(store):
    store.save(kansai(), by=K, base_revision=None)
    store.save(Plan("tohoku", 2025, LINES[:2]), by="secretariat-tohoku", base_revision=None)
    df = store.plans_frame(fiscal_year=2025)
    assert len(df) == len(LINES) + 2
    assert df.groupby("consortium")["points"].sum().to_dict() == {"kansai": 90, "tohoku": 40}
    assert set(df.columns) >= {"consortium", "fiscal_year", "status", "item", "variant", "quantity", "month", "title",
                               "points", "budget"}
    assert store.plans_frame(fiscal_year=2024).empty


def test_keys_are_stored_only_as_salted_hashes_and_can_be_revoked(store):
    key = store.issue_key(K)
    key2 = store.issue_key(K)
    assert key != key2
    assert store.authenticate(key).name == K
    raw = store.db.execute("SELECT * FROM access_keys").fetchall()
    dump = "\n".join(store.db.iterdump())
    assert key.split(".")[1] not in dump
    assert len({r["salt"] for r in raw}) == 2
    assert store.revoke_keys(K) == 2
    for k in (key, key2, "", None, "1.", "x.y", "999.abc", key + "x"):
        with pytest.raises(planner.AccessDenied):
            store.authenticate(k)
    assert [r["action"] for r in store.refusals()].count("authenticate") == 8


def test_users_need_a_known_role_and_secretariats_a_consortium(store):
    with pytest.raises(planner.InvalidAction):
        store.add_user("x", "king")
    with pytest.raises(planner.InvalidAction):
        store.add_user("x", "secretariat")
    with pytest.raises(planner.InvalidAction):
        store.add_user("x", "officer", "kansai")
    with pytest.raises(planner.NotFound):
        store.add_user("x", "secretariat", "okinawa")
    with pytest.raises(planner.InvalidAction):
        store.add_user("officer", "officer")
    with pytest.raises(planner.InvalidAction):
        store.add_user("a b; drop", "officer")


def test_schema_is_versioned_and_a_newer_store_is_refused(tmp_path):
    db = tmp_path / "x.db"
    planner.open_store(db).close()
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.commit()
    con.close()
    with pytest.raises(planner.PlannerError) as e:
        planner.open_store(db)
    assert "newer planner" in e.value.message_en


def test_reopening_keeps_data(tmp_path):
    db = tmp_path / "x.db"
    s = planner.open_store(db)
    s.add_consortium("kansai", "関西コンソーシアム")
    s.add_user(K, "secretariat", "kansai")
    s.save(kansai(), by=K, base_revision=None)
    s.close()
    with planner.open_store(db) as s2:
        assert s2.get("kansai", 2025, by=K).plan == kansai()


def test_the_revision_a_reviewer_last_saw_is_kept_per_person(store):
    r1 = store.save(kansai(LINES[:2]), by=K, base_revision=None)
    r2 = store.save(kansai(), by=K, base_revision=r1)
    assert store.last_seen("kansai", 2025, by="officer") is None
    store.mark_seen("kansai", 2025, r1, by="officer")
    assert store.last_seen("kansai", 2025, by="officer") == r1
    store.mark_seen("kansai", 2025, r2, by="officer")
    store.mark_seen("kansai", 2025, r1, by="officer")  # an older page reloading: what was seen later stays
    assert store.last_seen("kansai", 2025, by="officer") == r2
    assert store.last_seen("kansai", 2025, by="analyst") is None  # each person their own
    with pytest.raises(planner.NotFound):
        store.mark_seen("kansai", 2025, r2 + 1, by="officer")
    with pytest.raises(planner.AccessDenied):
        store.mark_seen("kansai", 2025, r1, by="secretariat-tohoku")
    assert store.refusals()[-1]["user"] == "secretariat-tohoku"
    with pytest.raises(planner.AccessDenied):
        store.last_seen("kansai", 2025, by="contractor")  # a draft is not the contractor's to read


def _undo_step_8(con: sqlite3.Connection) -> None:
    """Schema 8's mail notices taken out, as a store before it was."""
    con.execute("DROP TABLE outbox")
    con.execute("ALTER TABLE users DROP COLUMN email")
    con.execute("ALTER TABLE users DROP COLUMN notices")


def test_a_store_of_schema_4_gains_the_seen_table_and_keeps_its_plans(tmp_path):
    db = tmp_path / "x.db"
    s = planner.open_store(db)
    s.add_consortium("kansai", "関西コンソーシアム")
    s.add_user(K, "secretariat", "kansai")
    s.add_user("officer", "officer")
    s.save(kansai(), by=K, base_revision=None)
    s.close()
    con = sqlite3.connect(db)  # as the planner before version 5 left it
    con.execute("DROP TABLE seen")
    con.execute("ALTER TABLE users DROP COLUMN lang")  # schema 6's
    con.execute("DROP TABLE notice_reads")  # schema 11's
    con.execute("DROP TABLE events")  # schema 7's
    _undo_step_8(con)
    con.execute("PRAGMA user_version = 4")
    con.commit()
    con.close()
    with planner.open_store(db) as s2:
        assert s2.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 5
        assert s2.get("kansai", 2025, by=K).plan == kansai()
        s2.mark_seen("kansai", 2025, 1, by="officer")
        assert s2.last_seen("kansai", 2025, by="officer") == 1


def test_a_store_of_schema_5_gains_the_users_language_and_keeps_everything(tmp_path):
    db = tmp_path / "x.db"
    s = planner.open_store(db)
    s.add_consortium("kansai", "関西コンソーシアム")
    s.add_user(K, "secretariat", "kansai", display_name="関西コンソーシアム 事務局")
    s.save(kansai(), by=K, base_revision=None)
    s.close()
    con = sqlite3.connect(db)  # as the planner before version 6 left it
    con.execute("ALTER TABLE users DROP COLUMN lang")
    con.execute("DROP TABLE notice_reads")  # schema 11's
    con.execute("DROP TABLE events")  # schema 7's
    _undo_step_8(con)
    con.execute("PRAGMA user_version = 5")
    con.commit()
    con.close()
    with planner.open_store(db) as s2:
        assert s2.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 6
        assert s2.language(K) == "" and s2.display_names()[K] == "関西コンソーシアム 事務局"
        s2.set_language(K, "en")
        assert s2.language(K) == "en" and s2.get("kansai", 2025, by=K).plan == kansai()


def test_a_conflict_names_who_saved_by_their_display_name(store):
    store.add_user("secretariat-kansai-2", "secretariat", "kansai", display_name="関西コンソーシアム 事務局 山田")
    r1 = store.save(kansai(LINES[:3]), by=K, base_revision=None)
    store.save(kansai(), by="secretariat-kansai-2", base_revision=r1)
    with pytest.raises(planner.Conflict) as e:
        store.save(kansai(LINES[:1]), by=K, base_revision=r1)
    assert "関西コンソーシアム 事務局 山田 さん" in e.value.message_ja
    assert "secretariat-kansai-2" not in e.value.message_ja + e.value.message_en


def test_default_path_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_DB", str(tmp_path / "env.db"))
    with planner.open_store() as s:
        assert s.path == tmp_path / "env.db"


def test_the_store_refuses_results_on_lines_that_take_none(demo_db):
    store = planner.open_store(demo_db)
    before = store.results("kyushu", 2025, by="officer")
    with pytest.raises(planner.InvalidAction) as e:  # kyushu line 5 is ⑦ (the bus), line 7 ⑨
        store.record_result("kyushu", 2025, planner.Result(line=5, dates=["2025-10-02"], students=3),
                            by="contractor")
    assert "5行目（⑦）" in e.value.message_ja and "Line 5 (⑦)" in e.value.message_en
    assert store.results("kyushu", 2025, by="officer") == before
    # a result recorded before its line was cancelled is kept, and may be sent again unchanged
    event = planner.Result(line=1, dates=["2025-06-14"], students=100)
    store.record_result("kyushu", 2025, event, by="contractor")
    cancel_accepted_line(store, "kyushu", 2025, 0)
    store.record_result("kyushu", 2025, event, by="contractor")
    with pytest.raises(planner.InvalidAction) as e:
        store.record_result("kyushu", 2025, dataclasses.replace(event, students=120), by="contractor")
    assert "1行目は中止の行" in e.value.message_ja
    [kept] = [r for r in store.results("kyushu", 2025, by="officer") if r.line == 1]
    assert kept.students == 100
    store.close()
