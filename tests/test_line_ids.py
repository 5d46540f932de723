"""Lines keep their identity: results, history, comparisons and workbooks follow a line, not its
position (issue #13). The scenario is the one that went wrong: Tohoku's accepted FY2024 plan is
reopened and its line 1, the ⑤ event whose result is the real 2024-11-19 exchange, is removed."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from workbook_support import edit

import planner
from planner.app.secretariat import SecretariatModel
from planner.diff import describe, diff_plans
from planner.store import SCHEMA_VERSION
from planner.workbook import import_workbook, plan_workbook, read_workbook

FIXTURE = Path(__file__).parent / "fixtures" / "store_v1.db"
TOHOKU = "secretariat-tohoku"


def reopened_tohoku_2024(store: planner.Store) -> planner.records.PlanRecord:
    store.reopen("tohoku", 2024, by="officer", comment="行を見直します。")
    return store.current("tohoku", 2024)


def snapshot(db: Path) -> list:
    with sqlite3.connect(db) as c:
        return [c.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in ("plans", "revisions", "results")]


# -- the scenario ----------------------------------------------------------------------------------

def test_removing_the_line_with_the_seed_event_is_refused_and_the_result_stays(demo_db):
    store = planner.open_store(demo_db)
    rec = reopened_tohoku_2024(store)
    event_line = rec.plan.lines[0]
    assert event_line.item == 5
    with pytest.raises(planner.InvalidAction) as e:
        store.save(rec.plan.remove_line(0), by=TOHOKU, base_revision=rec.revision)
    ja, en = e.value.message_ja, e.value.message_en
    assert "1行目（⑤ コミュニケーションイベントの開催「地域の中堅・中小企業と外国人留学生との交流会" in ja
    assert "2024-11-19実施、参加者 135 名" in ja and "削除できません" in ja
    assert "Line 1 (⑤ Networking event" in en and "held 2024-11-19, 135 participants" in en
    assert "cannot be removed" in en and "削除" not in en and "行目" not in en
    # nothing moved: the result is still the ⑤ line's, and the plan is as it was
    (res,) = store.results("tohoku", 2024, by="officer")
    assert res.line_id == event_line.id and res.line == 1 and res.participants == 135
    assert store.current("tohoku", 2024).revision == rec.revision
    assert store.refusals()[-1]["action"] == "save"
    store.close()


def test_a_line_with_a_result_cannot_become_another_item(demo_db):
    store = planner.open_store(demo_db)
    rec = reopened_tohoku_2024(store)
    other = rec.plan.replace_line(0, planner.Line(2, "online", 1, 11, "合同企業説明会"))
    with pytest.raises(planner.InvalidAction) as e:
        store.save(other, by=TOHOKU, base_revision=rec.revision)
    assert "メニューを変更できません" in e.value.message_ja and "cannot be changed" in e.value.message_en
    # changing anything else about it is an ordinary edit
    fewer = rec.plan.replace_line(0, replace(rec.plan.lines[0], title="交流会（東北）"))
    assert store.save(fewer, by=TOHOKU, base_revision=rec.revision) == rec.revision + 1
    store.close()


def test_the_secretariat_app_refuses_the_removal_before_saving(demo_db):
    store = planner.open_store(demo_db)
    reopened_tohoku_2024(store)
    m = SecretariatModel(store.desk(TOHOKU), store.fiscal_year(2024))
    before = m.plan
    assert not m.editor.remove_line(0)
    assert m.note.kind == "error" and "2024-11-19" in m.note.ja and "135" in m.note.en
    assert m.plan == before and not m.dirty
    assert m.editor.remove_line(1) and len(m.plan.lines) == len(before.lines) - 1  # a line without a result
    store.close()


def test_a_reorder_keeps_the_result_with_its_line(demo_db):
    store = planner.open_store(demo_db)
    rec = reopened_tohoku_2024(store)
    event_id = rec.plan.lines[0].id
    moved = rec.plan.move_line(0, 3)
    rev = store.save(moved, by=TOHOKU, base_revision=rec.revision)
    (res,) = store.results("tohoku", 2024, by="officer")
    assert res.line_id == event_id and res.line == 4
    assert store.current("tohoku", 2024).plan.lines[3].item == 5
    frame = store.results_frame(2024)
    assert (frame.loc[0, "line"], frame.loc[0, "item"], frame.loc[0, "line_id"]) == (4, 5, event_id)
    plans = store.plans_frame(2024)
    assert plans.loc[plans["line_id"] == event_id, "line"].item() == 4
    # the history says what happened: one line moved, not every line after it changed
    (last,) = [h for h in store.history("tohoku", 2024, by="officer") if h.revision == rev]
    assert [c.kind for c in last.changes] == ["moved"]
    assert last.summary("ja", store.menu_or_none("tohoku", 2024)).startswith("1行目を4行目へ移動: ⑤ コミュニケーション")
    assert last.summary("en", store.menu_or_none("tohoku", 2024)).startswith("Line 1 moved to line 4: ⑤ Networking")
    store.close()


def test_show_json_carries_line_ids(demo_db, capsys):
    import json

    from planner.cli import main

    assert main(["show", "--db", str(demo_db), "--consortium", "tohoku", "--fy", "2024", "--format", "json"]) == 0
    lines = json.loads(capsys.readouterr().out)["lines"]
    store = planner.open_store(demo_db)
    assert [ln["id"] for ln in lines] == [ln.id for ln in store.current("tohoku", 2024).plan.lines]
    store.close()


# -- ids -------------------------------------------------------------------------------------------

def test_a_line_gets_its_id_when_made_and_keeps_it_through_edits_and_saves(store):
    a, b = planner.Line(2, "online", 1, 7, "説明会"), planner.Line(2, "online", 1, 7, "説明会")
    assert a.id and a.id != b.id and a.content() == b.content()  # two identical events are two lines
    plan = planner.Plan("kansai", 2025, [a, b])
    edited = plan.replace_line(0, planner.Line(2, "hybrid", 1, 7, "説明会"))
    assert edited.lines[0].id == a.id
    rev = store.save(plan, by="secretariat-kansai", base_revision=None)
    store.save(edited, by="secretariat-kansai", base_revision=rev)
    assert [ln.id for ln in store.current("kansai", 2025).plan.lines] == [a.id, b.id]
    copy = plan.copied_to(2026)
    assert copy.fiscal_year == 2026 and not {ln.id for ln in copy.lines} & {a.id, b.id}


def test_the_store_gives_an_id_to_a_line_without_one_and_refuses_duplicates(store):
    no_id = replace(planner.Line(3, "online", 1, 6, "セミナー"), id=None)
    store.save(planner.Plan("kansai", 2025, [no_id]), by="secretariat-kansai", base_revision=None)
    (saved,) = store.current("kansai", 2025).plan.lines
    assert isinstance(saved.id, str) and saved.id.startswith("L")
    twin = planner.Line(4, "online", 1, 6, "セミナー", id=saved.id)
    with pytest.raises(planner.InvalidAction) as e:
        store.save(planner.Plan("kansai", 2025, [saved, twin]), by="secretariat-kansai", base_revision=1)
    assert "同じ行ID" in e.value.message_ja and "same line id" in e.value.message_en
    assert store.current("kansai", 2025).revision == 1


# -- history and comparison ------------------------------------------------------------------------

FY = planner.load_fiscal_year(2025)
MENU = FY.menu_for("kansai")


def test_history_of_a_move_an_edit_an_addition_and_a_removal_in_each_language():
    lines = [planner.Line(2, "online", 1, 7, "説明会"), planner.Line(3, "online", 1, 8, "セミナー"),
             planner.Line(4, "online", 1, 9, "留学生セミナー"), planner.Line(6, "day", 1, 10, "見学会")]
    before = planner.Plan("kansai", 2025, lines)
    after = before.move_line(3, 0).remove_line(2).add_line(planner.Line(5, "small", 1, 11, "交流会"))
    after = after.replace_line(1, replace(after.lines[1], quantity=2))
    changes = diff_plans(before, after)
    assert [(c.kind, c.line) for c in changes] == [("removed", 2), ("moved", 1), ("changed", 2), ("added", 4)]
    ja, en = describe(changes, "ja", MENU), describe(changes, "en", MENU)
    assert ja.startswith("2行目を削除: ③ セミナーの開催（企業向け）")
    assert "4行目を1行目へ移動: ⑥ 企業見学会の開催" in ja and "2行目の数量: 1 → 2" in ja and "4行目を追加: ⑤" in ja
    assert "Line 4 moved to line 1: ⑥ Company tour" in en and "Line 2 quantity: 1 → 2" in en
    assert "Line 2 removed: ③ Seminar for companies" in en and "行目" not in en


def test_the_review_comparison_shows_a_move_as_one_moved_row(demo_db):
    from planner.app.review.compare import compare_rows

    store = planner.open_store(demo_db)
    rec = reopened_tohoku_2024(store)
    store.save(rec.plan.move_line(0, 6), by=TOHOKU, base_revision=rec.revision)
    a, b = rec.revision, rec.revision + 1
    left = store.revision("tohoku", 2024, a, by="officer").plan
    right = store.revision("tohoku", 2024, b, by="officer").plan
    rows = compare_rows(left, right, store.compare("tohoku", 2024, a, b, by="officer"), "ja", store.fiscal_year(2024))
    assert [r["kind"] for r in rows] == ["same"] * 6 + ["moved"]
    assert rows[-1]["no"] == "1→7" and rows[-1]["left"].startswith("1. ⑤") and rows[-1]["right"].startswith("7. ⑤")
    store.close()


# -- workbooks -------------------------------------------------------------------------------------

def _id_cell(data: bytes, sheet: str, row: int) -> str:
    import io

    import openpyxl

    ws = openpyxl.load_workbook(io.BytesIO(data))[sheet]
    (col,) = [c.column_letter for c in ws[3] if c.value == "行ID"]
    assert ws.column_dimensions[col].hidden
    return f"{col}{row}"


def test_a_workbook_round_trip_keeps_ids_and_refuses_an_edited_one(demo_db):
    store = planner.open_store(demo_db)
    rec = reopened_tohoku_2024(store)
    data = plan_workbook(store, "tohoku", 2024)
    read = read_workbook(data)
    assert [ln.id for ln in read.plan.lines] == [ln.id for ln in rec.plan.lines] and read.ok
    # Excel: the event row moved to the bottom by cut and paste is the same line, not a new one
    moved = store.current("tohoku", 2024).plan.move_line(0, 6)
    cells: dict[str, object] = {}
    for n, ln in enumerate(moved.lines, start=1):
        r = 3 + n
        cells.update({f"B{r}": f"{'①②③④⑤⑥⑦⑧⑨⑩⑪'[ln.item - 1]}", f"C{r}": ln.variant, f"D{r}": ln.quantity,
                      f"G{r}": ln.month, f"H{r}": ln.title, f"I{r}": ln.place, f"J{r}": ln.companies,
                      f"K{r}": ln.students, f"L{r}": ln.language, f"M{r}": ln.notes,
                      _id_cell(data, "計画", r): ln.id})
    id_cell = _id_cell(data, "計画", 4)
    before = snapshot(demo_db)
    edited = edit(data, {**cells, id_cell: "L0123456789ab"})
    out = import_workbook(store.desk(TOHOKU), edited)
    assert not out.ok and [f.code for f in out.findings if f.is_error] == ["LINE_ID_UNKNOWN"]
    (f,) = [f for f in out.findings if f.is_error]
    assert (f.sheet, f.row, f.column) == ("計画", 4, id_cell[0])
    assert "行ID" in f.message_ja and "line id" in f.message_en
    assert snapshot(demo_db) == before
    out = import_workbook(store.desk(TOHOKU), edit(data, cells))
    assert out.ok, out.findings
    now = store.current("tohoku", 2024).plan
    assert [ln.id for ln in now.lines] == [ln.id for ln in moved.lines]
    (res,) = store.results("tohoku", 2024, by="officer")
    assert res.line == 7 and now.lines[6].item == 5
    store.close()


def test_a_workbook_without_the_row_that_has_a_result_is_refused_whole(demo_db):
    store = planner.open_store(demo_db)
    reopened_tohoku_2024(store)
    data = plan_workbook(store, "tohoku", 2024)
    cleared = edit(data, {f"{col}4": None for col in "BCDGHIJKLM"})  # the event's row emptied in Excel
    before = snapshot(demo_db)
    out = import_workbook(store.desk(TOHOKU), cleared)
    (f,) = [f for f in out.findings if f.is_error]
    assert not out.ok and (f.code, f.sheet, f.row) == ("LINE_ID_UNKNOWN", "実績", 4)
    assert "中止" in f.message_ja and "will not take place" in f.message_en
    # with its result row emptied too, the store's own check refuses it, naming the line and its result
    both = edit(cleared, {f"{col}4": None for col in "EFGHIJLMNOP"}, sheet="実績")
    both = edit(both, {f"{col}{r}": None for col in "ABCD" for r in range(4, 22)}, sheet="参加企業")  # its companies
    out = import_workbook(store.desk(TOHOKU), both)
    assert not out.ok and "2024-11-19" in out.findings[0].message_ja and "135" in out.findings[0].message_en
    assert snapshot(demo_db) == before
    store.close()


def test_a_copied_workbook_row_is_refused_as_a_duplicate_id(demo_db):
    store = planner.open_store(demo_db)
    reopened_tohoku_2024(store)
    data = plan_workbook(store, "tohoku", 2024)
    id4 = _id_cell(data, "計画", 4)
    copied = edit(data, {"B11": "⑥企業見学会の開催", "C11": "日帰り", "D11": 1, "G11": 10, "H11": "2回目",
                         f"{id4[0]}11": store.current("tohoku", 2024).plan.lines[0].id})
    read = read_workbook(copied)
    dup = [f for f in read.findings if f.code == "LINE_ID_DUPLICATE"]
    assert [(f.sheet, f.row) for f in dup] == [("計画", 11)]
    store.close()


def test_a_result_row_with_an_edited_id_is_refused(demo_db):
    store = planner.open_store(demo_db)
    data = plan_workbook(store, "tohoku", 2024)
    cell = _id_cell(data, "実績", 5)
    out = import_workbook(store.desk("contractor"),
                          edit(data, {"E5": "2024-06-20", cell: "Lffffffffffff"}, sheet="実績"))
    assert not out.ok and "LINE_ID_UNKNOWN" in [f.code for f in out.findings]
    (f,) = [f for f in out.findings if f.code == "LINE_ID_UNKNOWN"]
    assert (f.sheet, f.row) == ("実績", 5)
    store.close()


# -- the migration of a store made before lines had ids ---------------------------------------------

def test_migration_of_a_schema_1_store(tmp_path):
    db = tmp_path / "v1.db"
    shutil.copy(FIXTURE, db)
    original = FIXTURE.read_bytes()
    with sqlite3.connect(db) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == 1
        old_results = c.execute("SELECT plan_id, line FROM results ORDER BY plan_id, line").fetchall()
    store = planner.open_store(db)
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 2
    for cid, year in ((r.plan.consortium, r.plan.fiscal_year) for r in store.plan_records()):
        history = store.history(cid, year, by="officer")
        for h in history:
            ids = [ln.id for ln in h.plan.lines]
            assert all(isinstance(i, str) and i.startswith("L") for i in ids) and len(set(ids)) == len(ids)
        # a line that stayed the same keeps its id from revision to revision
        first, last = history[0].plan, history[-1].plan
        for ln in first.lines:
            same = [x for x in last.lines if x.content() == ln.content()]
            assert not same or same[0].id == ln.id
    assert len(store.all_results()) == len(old_results) == 3
    tohoku = store.current("tohoku", 2024).plan
    by_line = {r.line: r for r in store.results("tohoku", 2024, by="officer")}
    assert tohoku.lines[0].item == 5 and by_line[1].venue == "TKPガーデンシティ仙台ホール30B"
    assert tohoku.lines[2].item == 3 and by_line[3].venue == "仙台市情報・産業プラザ"
    # Kyushu's tour result was recorded as line 4, then line 1 was moved to the end: the old store
    # showed it under the bus (line 4 after the move); it belongs to the tour, now line 3
    kyushu = store.current("kyushu", 2025).plan
    (tour,) = store.results("kyushu", 2025, by="officer")
    assert tour.line == 3 and kyushu.lines[2].item == 6 and kyushu.lines[3].item == 7
    assert tour.line_id == kyushu.lines[2].id
    history = store.history("kyushu", 2025, by="officer")
    assert [c.kind for c in store.compare("kyushu", 2025, 4, history[-1].revision, by="officer")] == ["moved"]
    # the old history had the reorder as six lines changing; it is told again from the ids
    (reorder,) = [h for h in history if h.revision == 6]
    assert [c.kind for c in reorder.changes] == ["moved"]
    assert reorder.summary("ja", store.menu_or_none("kyushu", 2025)).startswith("1行目を7行目へ移動: ②")
    assert reorder.summary("en", store.menu_or_none("kyushu", 2025)).startswith("Line 1 moved to line 7: ②")
    # the migrated store works: reopen, reorder, and the result follows
    store.reopen("kyushu", 2025, by="officer")
    rec = store.current("kyushu", 2025)
    store.save(rec.plan.move_line(2, 0), by="secretariat-kyushu", base_revision=rec.revision)
    assert store.results("kyushu", 2025, by="officer")[0].line == 1
    with pytest.raises(planner.InvalidAction):
        store.save(store.current("kyushu", 2025).plan.remove_line(0), by="secretariat-kyushu",
                   base_revision=rec.revision + 1)
    store.close()
    assert FIXTURE.read_bytes() == original
    # opening it again does not migrate twice
    again = planner.open_store(db)
    assert [r.line_id for _, _, r in again.all_results()] == [r.line_id for _, _, r in planner.open_store(
        db).all_results()]
    again.close()


# -- a line that will not take place is cancelled, not removed ---------------------------------------

def test_the_secretariat_cancels_the_line_instead_frees_its_points_and_keeps_its_result(demo_db):
    store = planner.open_store(demo_db)
    rec = reopened_tohoku_2024(store)
    m = SecretariatModel(store.desk(TOHOKU), store.fiscal_year(2024))
    used = m.points_used
    assert not m.editor.remove_line(0) and "中止" in m.note.ja and "cancelled" in m.note.en
    m.editor.edit_line(0)
    assert not m.editor.cancelled
    m.editor.cancelled = True
    assert m.editor.apply_change() and "中止にしました" in m.note.ja
    assert m.points_used == used - 10 and m.lines.rows[0]["cancelled"] and m.lines.rows[0]["points"] == 0
    assert m.actions.save(), m.note
    saved = store.current("tohoku", 2024).plan
    assert saved.lines[0].cancelled is True and saved.lines[0].id == rec.plan.lines[0].id
    (res,) = store.results("tohoku", 2024, by="officer")
    assert res.line == 1 and res.participants == 135
    last = store.history("tohoku", 2024, by="officer")[-1]
    menu = store.menu_or_none("tohoku", 2024)
    assert last.summary("ja", menu) == "1行目の中止: 実施 → 中止"
    assert last.summary("en", menu) == "Line 1 cancelled: going ahead → cancelled"
    # the venue for the event (⑩) still has ② – ⑥ lines to serve; the plan can be accepted again
    assert not [f for f in planner.check(saved, store.fiscal_year(2024)) if f.is_error]
    frame = store.plans_frame(2024)
    assert frame.loc[frame["line_id"] == saved.lines[0].id, "cancelled"].item()
    # and the workbook says so, and reads back the same
    data = plan_workbook(store, "tohoku", 2024)
    read = read_workbook(data)
    assert read.ok and read.plan == saved
    store.close()


def test_a_cancelled_line_serves_no_companion():
    fy = planner.load_fiscal_year(2025)
    tour = planner.Line(6, "day", 1, 9, "見学会", cancelled=True)
    bus = planner.Line(7, "bus_day", 1, 9, "バス")
    plan = planner.Plan("kansai", 2025, [tour, bus])
    assert planner.points(plan, fy) == 6
    assert "REQUIRES_COMPANION" in [f.code for f in planner.check(plan, fy)]
    going = plan.replace_line(0, replace(tour, cancelled=False))
    assert "REQUIRES_COMPANION" not in [f.code for f in planner.check(going, fy)]
