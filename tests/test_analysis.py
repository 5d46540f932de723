"""Analyst tables from the demo store: figures that can be checked by hand."""

from __future__ import annotations

import planner
from planner import analysis


def test_reference_data_copied_into_the_project():
    s = analysis.students_by_prefecture()
    assert len(s) == 47 and s["foreign_students"].sum() == 201877
    kyushu = ["福岡", "佐賀", "長崎", "熊本", "大分", "宮崎", "鹿児島"]
    assert s.set_index("prefecture").loc[kyushu, "foreign_students"].sum() == 21913
    j = analysis.job_placements_by_region()
    assert j["work_permits_granted"].sum() == 28974 - 153


def test_tables_on_the_demo_store(demo_db):
    fy = planner.load_fiscal_year(2025)
    with planner.open_store(demo_db) as store:
        plans, results = store.plans_frame(), store.results_frame()
    this = plans[plans["fiscal_year"] == 2025]
    by_item = analysis.points_by_item(this)
    assert by_item.loc["関西コンソーシアム"].sum() == 110 and by_item.loc["北海道コンソーシアム", "⑦"] == 18
    use = analysis.budget_use(this, fy)
    assert use.loc["hokkaido", "残り"] == -5 and use.loc["kyushu", "状態"] == "accepted"
    sched = analysis.schedule(this)
    assert list(sched.index)[:2] == ["4月", "5月"] and list(sched.index)[-1] == "3月"
    assert sched.loc["2月", "中国コンソーシアム"] == 3 and sched.loc["3月", "中国コンソーシアム"] == 3
    pvd = analysis.planned_vs_delivered(plans, results)
    row = pvd.loc[(2024, "tohoku")]
    assert row["計画イベント数"] == 7 and row["実施イベント数"] == 1 and row["参加者数"] == 135
    assert row["満足度（大変満足＋満足）"] == 1.0
    svp = analysis.students_vs_points(this, fy)
    assert svp.loc["tohoku", "留学生数"] == 4457 and svp.loc["tohoku", "計画ポイント"] == 90


def test_compare_menus_marks_changes():
    from planner.new_year import derive_fiscal_year

    old = planner.load_fiscal_year(2025)
    new = derive_fiscal_year(old, 2026, points={(2, "online"): 14}, drop_items=[11])
    t = analysis.compare_menus(old, new)
    assert set(t.loc[t["変更"] == "変更", "区分"]) == {"オンライン"}
    assert list(t.loc[t["変更"] == "削除", "番号"]) == ["⑪"]


def test_planned_against_delivered_for_a_year_with_accepted_plans_and_no_results_yet(demo_db):
    with planner.open_store(demo_db) as store:
        plans, results = store.plans_frame(2025), store.results_frame(2025)
    assert results.empty and (plans["status"] == "accepted").any()
    pvd = analysis.planned_vs_delivered(plans, results)
    assert pvd.loc[(2025, "kyushu"), "計画イベント数"] > 0 and pvd.loc[(2025, "kyushu"), "実施イベント数"] == 0
    # and before any plan of the year is accepted
    none_accepted = analysis.planned_vs_delivered(plans.assign(status="submitted"), results)
    assert none_accepted.empty and "計画イベント数" in none_accepted.columns
