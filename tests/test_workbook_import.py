"""planner import: a workbook is stored whole or refused whole; stale workbooks and other people's
plans are refused with findings, never exceptions."""

from __future__ import annotations

import io
import json

import pytest
from workbook_support import edit

import planner
from planner.cli import main
from planner.japanese import japan_time
from planner.workbook import import_workbook, plan_workbook
from planner.workbook import layout as L


@pytest.fixture
def demo(demo_db):
    s = planner.open_store(demo_db)
    yield s
    s.close()


def snapshot(store) -> list:
    """Everything an import may change (refusals are logged on purpose and left out)."""
    return [store.db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in ("plans", "revisions", "results")]


def codes(outcome) -> list[str]:
    return [f.code for f in outcome.findings if f.is_error]


def test_secretariat_loads_an_edited_plan_as_a_new_revision(demo):
    data = edit(plan_workbook(demo, "kansai", 2025), {"H4": "関西留学生合同企業説明会2025（夏）", "G5": 12})
    out = import_workbook(demo.desk("secretariat-kansai"), data)
    assert out.ok and out.revision == 3 and not codes(out)
    rec = demo.current("kansai", 2025)
    assert rec.revision == 3 and rec.plan.lines[0].title.endswith("（夏）") and rec.plan.lines[1].month == 12


def test_unchanged_workbook_changes_nothing(demo):
    before = snapshot(demo)
    out = import_workbook(demo.desk("secretariat-kansai"), plan_workbook(demo, "kansai", 2025))
    assert out.ok and out.revision == 2 and [f.code for f in out.findings] == ["NO_CHANGES"]
    assert snapshot(demo) == before


def test_stale_workbook_is_refused_showing_both_sides(demo):
    old = plan_workbook(demo, "kansai", 2025)  # revision 2
    rec = demo.current("kansai", 2025)
    changed = rec.plan.replace_line(0, planner.Line(**{**rec.plan.lines[0].as_dict(), "quantity": 2}))
    changed = changed.remove_line(1)
    demo.save(changed, by="secretariat-kansai", base_revision=2)  # someone else: revision 3
    before = snapshot(demo)
    out = import_workbook(demo.desk("secretariat-kansai"), edit(old, {"H4": "私の変更"}))
    assert out.revision is None and codes(out) == ["STALE_REVISION"]
    stale = out.findings[0]
    assert "版 2" in stale.message_ja and "版 3" in stale.message_ja
    assert "1行目の数量: 1 → 2" in stale.message_ja and "私の変更" in stale.message_ja  # theirs and mine
    assert "revision 2" in stale.message_en and "Nothing was overwritten" in stale.message_en
    saved = demo.current("kansai", 2025).updated_at  # who saved since (by display name), and when, in Japan time
    assert f"関西コンソーシアム 事務局 が {japan_time(saved)}に保存し" in stale.message_ja
    assert f"関西コンソーシアム 事務局 saved it at {japan_time(saved, 'en')}" in stale.message_en
    assert "secretariat-kansai" not in stale.message_ja + stale.message_en
    assert saved not in stale.message_ja and saved not in stale.message_en
    assert out.current.revision == 3 and out.plan.lines[0].title == "私の変更"
    assert snapshot(demo) == before


def test_another_consortiums_plan_is_access_denied(demo):
    before = snapshot(demo)
    data = edit(plan_workbook(demo, "kansai", 2025), {"H4": "乗っ取り"})
    for user in ("secretariat-tohoku", "officer", "nobody"):
        out = import_workbook(demo.desk(user), data)
        assert out.revision is None and codes(out) == ["ACCESS_DENIED"], user
    assert snapshot(demo) == before
    assert demo.refusals()[-1]["user"] == "nobody"


def test_a_plan_with_errors_is_refused_whole(demo):
    before = snapshot(demo)
    out = import_workbook(demo.desk("secretariat-kansai"),
                          edit(plan_workbook(demo, "kansai", 2025), {"H4": "新しい件名", "D5": 9}))
    assert out.revision is None and "BUDGET_EXCEEDED" in codes(out)
    assert snapshot(demo) == before


def test_submitted_plan_cannot_be_changed_by_import(demo):
    before = snapshot(demo)
    out = import_workbook(demo.desk("secretariat-hokuriku"),
                          edit(plan_workbook(demo, "hokuriku", 2025), {"H4": "変更"}))
    assert out.revision is None and codes(out) == ["NOT_EDITABLE"] and "取り下げ" in out.findings[0].message_ja
    assert snapshot(demo) == before


def _result_row(data: bytes, row: int, **cells) -> bytes:
    return edit(data, {f"{col}{row}": v for col, v in cells.items()}, sheet=L.RESULTS)


def test_contractor_records_results_of_an_accepted_plan(demo):
    data = plan_workbook(demo.desk("contractor"), "kyushu", 2025)
    data = _result_row(data, 4, E="2025-06-14", F="アクロス福岡", G=28, H=51, I=142, J=12,
                       L=40, M=55, N=5, O="割合（%）")
    data = _result_row(data, 6, E="2025-10-02、2025-10-03", G=15, L=10, M=20, N=2, O="人数")
    out = import_workbook(demo.desk("contractor"), data)
    assert out.ok and out.results_recorded == 2 and out.revision == demo.current("kyushu", 2025).revision
    got = {r.line: r for r in demo.results("kyushu", 2025, by="officer")}
    assert got[1].dates == ("2025-06-14",) and got[1].participants == 51 + 142 + 12 and got[1].venue == "アクロス福岡"
    assert got[3].dates == ("2025-10-02", "2025-10-03") and got[3].satisfaction_unit == "count"


def test_one_bad_result_refuses_them_all(demo):
    before = snapshot(demo)
    data = plan_workbook(demo.desk("contractor"), "kyushu", 2025)
    data = _result_row(data, 4, E="2025-06-14", L=40, M=55, N=5)
    data = _result_row(data, 5, E="2024-06-14", L=40, M=50, N=5)  # outside the year, shares 95 %
    out = import_workbook(demo.desk("contractor"), data)
    assert out.revision is None and codes(out) == ["DATE_OUTSIDE_YEAR"]
    assert [(f.sheet, f.row) for f in out.findings if f.is_error] == [(L.RESULTS, 5)]
    # shares that do not add up are said (a warning: 33/33/33 is an honest rounding), never passed in silence
    assert [(f.code, f.row, f.column) for f in out.findings if not f.is_error] == [("SHARES_NOT_100", 5, "L")]
    assert snapshot(demo) == before


def test_results_from_a_secretariat_or_with_plan_changes_are_refused(demo):
    before = snapshot(demo)
    data = _result_row(plan_workbook(demo, "kansai", 2025), 4, E="2025-07-01", L=50, M=50, N=0)
    out = import_workbook(demo.desk("secretariat-kansai"), data)
    assert out.revision is None and codes(out) == ["ACCESS_DENIED"]  # results are the contractor's
    data = edit(_result_row(plan_workbook(demo, "kyushu", 2025), 4, E="2025-06-14", L=50, M=50, N=0),
                {"H4": "変更"})
    out = import_workbook(demo.desk("contractor"), data)
    assert out.revision is None and codes(out) == ["PLAN_AND_RESULTS"]
    assert snapshot(demo) == before


def test_expected_consortium_and_year(demo):
    data = edit(plan_workbook(demo, "kansai", 2025), {"H4": "x"})
    out = import_workbook(demo.desk("secretariat-kansai"), data, expect_consortium="tohoku")
    assert codes(out) == ["WRONG_CONSORTIUM"]
    out = import_workbook(demo.desk("secretariat-kansai"), data, expect_fiscal_year=2024)
    assert codes(out) == ["WRONG_FISCAL_YEAR"]


def test_blank_form_filled_offline_becomes_the_first_revision(store):
    data = plan_workbook(store, "tohoku", 2025)
    data = edit(data, {"B4": "⑤コミュニケーションイベントの開催", "C4": "小規模（10社程度）", "D4": 2, "G4": 11,
                       "H4": "交流会", "B5": "②合同企業説明会の開催（リアル、オンライン、ハイブリッド）",
                       "C5": "ハイブリッド", "D5": 2, "G5": 10, "H5": "合同企業説明会"})
    out = import_workbook(store.desk("secretariat-tohoku"), data)
    assert out.ok and out.revision == 1, out.findings
    plan = store.current("tohoku", 2025).plan
    assert [ln.content() for ln in plan.lines] == [planner.Line(5, "small", 2, 11, "交流会").content(),
                                                   planner.Line(2, "hybrid", 2, 10, "合同企業説明会").content()]
    assert len({ln.id for ln in plan.lines}) == 2  # each new row became a line with an id of its own


def test_cli_import(demo_db, tmp_path, capsys):
    s = planner.open_store(demo_db)
    path = tmp_path / "kansai.xlsx"
    original = plan_workbook(s, "kansai", 2025)
    path.write_bytes(edit(original, {"H4": "CLI から"}))
    s.close()
    assert main(["import", str(path), "--as", "secretariat-tohoku", "--db", str(demo_db), "--format", "json"]) == 1
    assert [f["code"] for f in json.loads(capsys.readouterr().out)] == ["ACCESS_DENIED"]
    assert main(["import", str(path), "--as", "secretariat-kansai", "--db", str(demo_db)]) == 0
    assert "版 3" in capsys.readouterr().out
    path.write_bytes(edit(original, {"H4": "別の人の変更"}))  # made from revision 2, now stale
    assert main(["import", str(path), "--as", "secretariat-kansai", "--db", str(demo_db), "--format", "json"]) == 1
    assert [f["code"] for f in json.loads(capsys.readouterr().out)] == ["STALE_REVISION"]


def test_the_results_sheet_holds_the_event_lines_and_refuses_a_result_typed_for_another(demo):
    import openpyxl

    data = plan_workbook(demo.desk("contractor"), "kyushu", 2025)
    ws = openpyxl.load_workbook(io.BytesIO(data))[L.RESULTS]
    # kyushu: ② ② ⑤ ⑥ ⑦ ③ ⑨; the bus (⑦, line 5) and the secretariat support (⑨, line 7) take no result
    # a row per session: the tours (⑥, line 4) and the seminars (③, line 6) are two each
    assert [(ws.cell(r, 1).value, ws.cell(r, 2).value) for r in range(4, 11)] == [
        (1, 1), (2, 1), (3, 1), (4, 1), (4, 2), (6, 1), (6, 2)] and ws.cell(11, 1).value is None
    assert "2025-11-19・2025/11/19・令和7年11月19日・R7.11.19" in ws["E2"].value
    before = snapshot(demo)
    typed = _result_row(data, 11, A=5, E="2025-10-02", G=3, O="人数")  # a row typed in for the bus
    out = import_workbook(demo.desk("contractor"), typed)
    assert out.revision is None and codes(out) == ["RESULT_NOT_AN_EVENT"]
    (f,) = out.findings
    assert (f.sheet, f.row, f.line) == (L.RESULTS, 11, 5) and "番号5の行" in f.message_ja and "⑦" in f.message_ja
    assert snapshot(demo) == before
