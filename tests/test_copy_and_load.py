"""A plan started from last year's, and the contractor's load per month across the consortia."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from signin_support import signed_in

import planner
from planner import Line, Plan
from planner.app.review import open_review
from planner.app.secretariat import open_session
from planner.cli import main
from planner.copying import copy_plan, points_changed
from planner.demo import keys_path
from planner.japanese import month_label
from planner.load import capacity_findings, events_by_month, monthly_load, others_by_month

TOHOKU, KANSAI = "secretariat-tohoku", "secretariat-kansai"


def keys(db: Path) -> dict[str, str]:
    return json.loads(keys_path(db).read_text(encoding="utf-8"))


def forget_tohoku_2025(db: Path) -> None:
    """The demo's Tohoku already plans FY2025: remove it, so FY2025 starts empty as a new year does."""
    with sqlite3.connect(db) as con:
        (pid,) = con.execute("SELECT id FROM plans WHERE consortium = 'tohoku' AND fiscal_year = 2025").fetchone()
        con.execute("DELETE FROM revisions WHERE plan_id = ?", (pid,))
        con.execute("DELETE FROM plans WHERE id = ?", (pid,))


def snapshot(db: Path) -> list:
    with sqlite3.connect(db) as con:
        return [con.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in ("plans", "revisions", "results")]


def with_points(fy, item: int, variant: str, pts: int):
    """The year with one variant's points changed (as a new year's file may change them)."""
    it = fy.menu[item]
    variants = tuple(dataclasses.replace(v, points=pts) if v.id == variant else v for v in it.variants)
    return dataclasses.replace(fy, menu={**fy.menu, item: dataclasses.replace(it, variants=variants)})


def without_variant(fy, item: int, variant: str):
    it = fy.menu[item]
    variants = tuple(v for v in it.variants if v.id != variant)
    return dataclasses.replace(fy, menu={**fy.menu, item: dataclasses.replace(it, variants=variants)})


# -- the load, pure --------------------------------------------------------------------------------

def test_events_are_the_quantities_of_the_event_items_on_live_lines(fy):
    plan = Plan("kansai", 2025, [
        Line(2, "online", 2, 10), Line(5, "small", 1, 10), Line(9, "month", 12, 10),  # ⑨ is no event
        Line(3, "online", 1, 11, cancelled=True), Line(4, "online", 0, 11), Line(6, "day", 1, 13),
        Line(1, "standard", 1, 2)])
    assert events_by_month(plan, fy.menu_for("kansai")) == {10: 3, 2: 1}


def test_monthly_load_adds_every_consortium_and_flags_months_over_capacity(fy):
    plans = [Plan("kansai", 2025, [Line(2, "online", 4, 2)]), Plan("chugoku", 2025, [Line(3, "online", 3, 2)]),
             Plan("kyushu", 2025, [Line(5, "small", 1, 7)]), Plan("kyushu", 2024, [Line(5, "small", 9, 7)])]
    load = monthly_load(plans, dataclasses.replace(fy, monthly_capacity=6))
    assert [m.month for m in load.months] == [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3]
    feb = load.months[10]
    assert (feb.events, feb.by_consortium, feb.over) == (7, {"kansai": 4, "chugoku": 3}, True)
    jul = load.months[3]
    assert (jul.events, jul.over) == (1, False)  # another year's plan does not count
    d = load.as_dict()
    assert d["capacity"] == 6 and set(d["months"][0]) == {"month", "events", "by_consortium", "over"}
    assert others_by_month(load, "kansai")[2] == 3


def test_a_plan_that_pushes_a_month_over_gets_a_programme_warning(fy):
    fy6 = dataclasses.replace(fy, monthly_capacity=6)
    plan = Plan("kansai", 2025, [Line(2, "online", 2, 2), Line(3, "online", 1, 5)])
    (f,) = capacity_findings(plan, fy6, {2: 5, 5: 1})
    assert f.code == "PROGRAMME_OVER_CAPACITY" and f.severity == "warning"
    assert "2月" in f.message_ja and "7 件" in f.message_ja and "Feb" in f.message_en
    assert capacity_findings(plan, dataclasses.replace(fy, monthly_capacity=None), {2: 50}) == []


def test_a_capacity_that_is_not_a_whole_positive_number_is_refused(tmp_path):
    text = (Path(planner.fiscal_year.budgets_dir()) / "fy2025.toml").read_text(encoding="utf-8")
    bad = tmp_path / "fy2025.toml"
    bad.write_text(text.replace("monthly_capacity = 6", "monthly_capacity = -2"), encoding="utf-8")
    with pytest.raises(planner.FiscalYearError) as e:
        planner.load_fiscal_year(bad)
    assert "contractor.monthly_capacity" in e.value.message_ja


# -- the copy, pure ---------------------------------------------------------------------------------

def test_a_copy_gets_new_ids_and_every_line_even_those_the_new_year_refuses(fy):
    fy24 = planner.load_fiscal_year(2024)
    source = Plan("kansai", 2024, [Line(2, "online", 1, 7, "説明会", cancelled=True), Line(3, "hybrid", 1, 6),
                                   Line(4, "in_person", 2, 10, "セミナー", notes="n")])
    new = without_variant(with_points(fy, 2, "online", 14), 3, "hybrid")
    copy = copy_plan(source, new)
    assert copy.fiscal_year == 2025 and len(copy.lines) == 3
    assert not {ln.id for ln in copy.lines} & {ln.id for ln in source.lines}
    assert [ln.content() for ln in copy.lines][2] == dict(source.lines[2].content())
    assert not copy.lines[0].cancelled  # planned again this year
    findings = planner.check(copy, new) + points_changed(copy, fy24, new)  # what the app and the CLI show
    found = {(f.code, f.line) for f in findings}
    assert ("POINTS_CHANGED", 1) in found and ("UNKNOWN_VARIANT", 2) in found
    (pc,) = [f for f in findings if f.code == "POINTS_CHANGED"]
    assert "12 ポイントから" in pc.message_ja and "14 ポイント" in pc.message_ja and "costs 14" in pc.message_en


# -- the CLI ----------------------------------------------------------------------------------------

def test_planner_copy_saves_a_draft_from_last_years_plan(demo_db, capsys):
    forget_tohoku_2025(demo_db)
    assert main(["copy", "--consortium", "tohoku", "--from", "2024", "--to", "2025", "--as", TOHOKU,
                 "--db", str(demo_db)]) == 0
    out = capsys.readouterr().out
    assert "下書き（版 1）" in out and "実績は写していません" in out and "東北コンソーシアム" in out
    with planner.open_store(demo_db) as s:
        last, new = s.current("tohoku", 2024), s.current("tohoku", 2025)
        assert new.status == "draft" and len(new.plan.lines) == len(last.plan.lines)
        assert not {ln.id for ln in new.plan.lines} & {ln.id for ln in last.plan.lines}
        assert s.results("tohoku", 2025, by="officer") == [] and len(s.results("tohoku", 2024, by="officer")) == 1


@pytest.mark.parametrize("argv, says", [
    (["--consortium", "tohoku", "--from", "2024", "--to", "2025", "--as", TOHOKU], "すでに 7 行"),
    (["--consortium", "tohoku", "--from", "2024", "--to", "2025", "--as", KANSAI], "ほかのコンソーシアム"),
    (["--consortium", "tohoku", "--from", "2023", "--to", "2025", "--as", TOHOKU], "fy2023"),
    (["--consortium", "kansai", "--from", "2024", "--to", "2025", "--as", KANSAI], "写せる行がありません"),
])
def test_planner_copy_refuses_and_changes_nothing(demo_db, capsys, argv, says):
    if "ほかの" in says:
        forget_tohoku_2025(demo_db)
    before = snapshot(demo_db)
    assert main(["copy", *argv, "--db", str(demo_db)]) == 1
    assert says in capsys.readouterr().err
    assert snapshot(demo_db) == before


def test_planner_load_prints_the_months_and_their_json(demo_db, capsys):
    assert main(["load", "--fy", "2025", "--db", str(demo_db), "--format", "json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["capacity"] == 6 and len(d["months"]) == 12
    oct_ = next(m for m in d["months"] if m["month"] == 10)
    assert oct_["events"] == sum(oct_["by_consortium"].values()) == 6 and oct_["over"] is False
    assert main(["load", "--fy", "2025", "--db", str(demo_db)]) == 0
    text = capsys.readouterr().out
    assert "上限 6 件／月" in text and "10月" in text and "関西" in text
    assert main(["load", "--fy", "2025", "--db", str(demo_db), "--lang", "en"]) == 0
    assert "capacity 6 a month" in capsys.readouterr().out


# -- the apps ---------------------------------------------------------------------------------------

def test_the_secretariat_starts_an_empty_plan_from_last_years(demo_db):
    forget_tohoku_2025(demo_db)
    store = planner.open_store(demo_db)
    fy = store.fiscal_year(2025)
    store._years[2025] = with_points(fy, 5, "small", 11)  # this year a small networking event costs more
    m = open_session(signed_in(store, keys(demo_db)["secretariat-tohoku"], "fy=2025"), store)
    assert m.year == 2025 and not m.plan.lines and m.last_year_plan is not None
    before = snapshot(demo_db)
    assert m.copy_last_year()
    assert m.dirty and len(m.plan.lines) == len(m.last_year_plan.lines)
    assert not {ln.id for ln in m.plan.lines} & {ln.id for ln in m.last_year_plan.lines}
    (pc,) = [f for f in m.findings if f.code == "POINTS_CHANGED"]
    assert pc.line == 1 and "10 ポイントから" in pc.message_ja
    assert m.lines.rows[0]["flag"] == "warning"
    assert snapshot(demo_db) == before  # nothing saved until the person saves
    assert not m.copy_last_year()  # the plan has lines now
    assert m.actions.save()
    assert len(store.current("tohoku", 2025).plan.lines) == len(m.last_year_plan.lines)
    store.close()


def test_a_plan_with_lines_is_not_offered_a_copy(demo_db):
    store = planner.open_store(demo_db)
    m = open_session(signed_in(store, keys(demo_db)["secretariat-tohoku"], "fy=2025"), store)
    assert m.plan.lines and not m.copy_last_year()
    store.close()


def test_the_month_hint_counts_the_programme_and_never_shows_another_plan(demo_db):
    store = planner.open_store(demo_db)
    m = open_session(signed_in(store, keys(demo_db)["secretariat-kansai"]), store)
    assert all(isinstance(v, int) for v in m.others_by_month.values())
    assert m.others_by_month[10] == 4  # Hokkaido, Tohoku, Hokuriku and Kyushu: one each in October
    m.editor.month = 10
    assert m.editor.month_hint is None  # no item chosen yet (「選んでください」): the count is about no line
    m.editor.item = 7  # ⑦ transport is no event: the contractor's monthly load is not its concern
    assert m.editor.month_hint is None
    m.editor.item = 2
    assert m.editor.month_hint.kind == "warning" and "6 件（この計画 2 件）" in m.editor.month_hint.ja
    m.editor.month = 4
    assert m.editor.month_hint.kind == "info" and "0 件" in m.editor.month_hint.ja
    m.editor.pick(2, "online", 1, 10)
    assert m.editor.add_line()
    (f,) = [f for f in m.findings if f.code == "PROGRAMME_OVER_CAPACITY"]
    assert "7 件（この計画 3 件）" in f.message_ja
    assert m.editor.month_hint is None  # the form is fresh again after 追加: no item
    m.editor.pick(5, month=10)
    assert "上限を超えています" in m.editor.month_hint.ja and "over capacity" in m.editor.month_hint.en
    m.editor.edit_line(0)  # a line opened to change shows its own month's count
    assert m.editor.month_hint is not None and m.editor.month_hint.ja.startswith(month_label(m.editor.month))
    store.close()


@pytest.mark.parametrize("user, scope", [("officer", "all"), ("contractor", "accepted")])
def test_the_review_app_shows_the_load_to_the_officer_and_the_contractor(demo_db, user, scope):
    store = planner.open_store(demo_db)
    m = open_review(signed_in(store, keys(demo_db)[user]), store)
    m.section = "load"
    assert m.load.scope == scope and m.load.capacity == 6 and len(m.load.rows) == 12
    total = sum(r["events"] for r in m.load.rows)
    if scope == "all":
        assert total == 38
    else:  # only Kyushu's FY2025 plan is accepted
        assert total == sum(events_by_month(store.current("kyushu", 2025).plan, store.fiscal_year(2025).menu).values())
    assert m.load.chart.startswith("<svg") and "rv-load-capacity" in m.load.chart and "<rect" in m.load.chart
    m.lang = "en"
    assert "capacity 6" in m.load.chart and m.load.rows[0]["month"] == "Apr"
    store.close()


# -- the consolidated workbook ------------------------------------------------------------------------

def _consolidated_with_the_load(db: Path):
    """The consolidated workbook of the demo year with a capacity of 5 (October and November go over):
    (its bytes, the year, the load it should show)."""
    from planner.workbook.consolidated import build_consolidated
    from planner.workbook.template import to_bytes

    with planner.open_store(db) as s:
        fy = dataclasses.replace(s.fiscal_year(2025), monthly_capacity=5)
        records = {r.plan.consortium: r for r in s.plan_records(2025)}
    expected = monthly_load([r.plan for r in records.values()], fy)
    return to_bytes(build_consolidated(fy, records)), fy, expected


def test_the_consolidated_workbook_has_the_load_with_a_chart(demo_db):
    import io

    import openpyxl

    from planner.workbook import layout as L

    data, _, _ = _consolidated_with_the_load(demo_db)
    ws = openpyxl.load_workbook(io.BytesIO(data))[L.LOAD]
    assert len(ws._charts) == 1


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_the_consolidated_workbooks_load_and_chart_are_kept_by_libreoffice(demo_db, tmp_path):
    import subprocess
    import zipfile

    import openpyxl

    from planner.workbook import layout as L

    data, fy, expected = _consolidated_with_the_load(demo_db)
    (src := tmp_path / "consolidated.xlsx").write_bytes(data)
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(tmp_path / "out"), str(src)],
                   check=True, capture_output=True, timeout=180)
    resaved = tmp_path / "out" / "consolidated.xlsx"
    ws = openpyxl.load_workbook(resaved, data_only=True)[L.LOAD]
    rows = {r[0].value: [c.value for c in r] for r in ws.iter_rows(min_row=4, max_row=15)}
    names = [ws.cell(3, 2 + j).value for j in range(len(fy.consortia))]
    assert names[0] == "北海道" and ws.cell(3, 8).value == L.LOAD_TOTAL
    for m in expected.months:
        row = rows[f"{m.month}月"]
        assert row[1:7] == [m.by_consortium.get(cid, 0) for cid in fy.consortia]
        assert row[7] == m.events and row[8] == 5  # the total recomputed by LibreOffice, the capacity
        assert (row[9] == L.LOAD_OVER) == m.over
    assert [m.month for m in expected.over] == [10, 11]
    with zipfile.ZipFile(resaved) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert charts and any(b"barChart" in z.read(n) and b"lineChart" in z.read(n) for n in charts)
