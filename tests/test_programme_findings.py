"""One plan, one set of findings: the warning of a month over the contractor's capacity, as the
secretariat was shown it, is what the officer's list, the officer's opened plan and `planner show` say;
the totals behind it are those each viewer's 月別の負荷 counts."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from signin_support import signed_in

import planner
from planner.access import User
from planner.app.review import open_review
from planner.app.secretariat import open_session
from planner.cli import main
from planner.workbook import layout as L
from planner.workbook import plan_workbook

OVER = "PROGRAMME_OVER_CAPACITY"
# the demo plans 6 events in November, the contractor's capacity: Kansai's ⑤ moved there makes 7
KANSAI_NOV_JA = "11月は全コンソーシアムの合計が 7 件（この計画 2 件）"


def kansai_moves_event_to_november(demo) -> list[planner.Finding]:
    """In the secretariat app, Kansai moves line 5 (⑤, December) to November and submits; what it was
    shown of the programme, as findings."""
    store, k = demo
    m = open_session(signed_in(store, k["secretariat-kansai"]), store)
    m.editor.edit_line(4)
    m.editor.month = 11
    assert m.editor.apply_change()
    assert m.actions.save() and m.actions.submit(), m.note
    return [f for f in m.findings if f.code == OVER]


def test_the_officer_sees_the_warning_the_secretariat_was_shown(demo):
    store, k = demo
    (shown,) = kansai_moves_event_to_november(demo)
    assert KANSAI_NOV_JA in shown.message_ja and "7 events (2 in this plan)" in shown.message_en
    officer = open_review(signed_in(store, k["officer"]), planner.open_store(store.path))
    (row,) = [r for r in officer.overview.rows if r["consortium"] == "kansai"]
    assert (row["status"], row["errors"], row["warnings"]) == ("submitted", 0, 1)
    assert officer.open_plan("kansai")
    assert officer.opened.record.status == "submitted"
    assert [f for f in officer.opened.findings if f.code == OVER] == [shown]
    # every plan with a November event pushes the month over too, as each secretariat is told
    (kyushu,) = [r for r in officer.overview.rows if r["consortium"] == "kyushu"]
    assert kyushu["warnings"] == 1


def test_the_secretariat_sees_the_same_on_reopening_the_plan(demo):
    store, k = demo
    (shown,) = kansai_moves_event_to_november(demo)
    again = open_session(signed_in(store, k["secretariat-kansai"]), planner.open_store(store.path))
    assert again.status == "submitted" and [f for f in again.findings if f.code == OVER] == [shown]
    # another secretariat is told of the month by its total only, never by the plans behind it
    hokkaido = open_session(signed_in(store, k["secretariat-hokkaido"]), planner.open_store(store.path))
    assert all(isinstance(v, int) for v in hokkaido.others_by_month.values())
    assert hokkaido.others_by_month[11] == 6  # 7 in all, 1 of them Hokkaido's
    assert any(f.code == OVER and "7 件（この計画 1 件）" in f.message_ja for f in hokkaido.findings)


def test_the_contractor_counts_only_the_plans_it_may_see(demo):
    store, k = demo
    kansai_moves_event_to_november(demo)  # submitted, not accepted: nothing the contractor may see
    contractor = open_review(signed_in(store, k["contractor"]), planner.open_store(store.path))
    (kyushu,) = contractor.overview.rows  # only Kyushu's plan is accepted
    assert kyushu["warnings"] == 0
    assert contractor.open_plan("kyushu") and not [f for f in contractor.opened.findings if f.code == OVER]
    officer = open_review(signed_in(store, k["officer"]), planner.open_store(store.path))
    assert officer.open_plan("kyushu") and [f for f in officer.opened.findings if f.code == OVER]


@pytest.mark.parametrize("role, status, counts", [
    ("secretariat", "draft", True), ("officer", "submitted", True), ("analyst", "returned", True),
    ("contractor", "accepted", True), ("contractor", "submitted", False), ("contractor", "draft", False),
])
def test_which_plans_count_in_the_totals_a_person_is_shown(role, status, counts):
    from planner.access import counts_in_load

    user = User("u", role, "kansai" if role == "secretariat" else None)
    assert counts_in_load(user, status) is counts
    assert not counts_in_load(None, status) and not counts_in_load(User("u", role, active=False), status)


def test_planner_show_says_the_same(demo, capsys):
    store, _ = demo
    (shown,) = kansai_moves_event_to_november(demo)
    assert main(["show", "--db", str(store.path), "--fy", "2025", "--consortium", "kansai", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [f for f in out["findings"] if f["code"] == OVER] == [
        {"code": OVER, "severity": "warning", "line": None, "sheet": None, "row": None, "column": None,
         "message_ja": shown.message_ja, "message_en": shown.message_en}]
    assert main(["show", "--db", str(store.path), "--fy", "2025", "--consortium", "kansai"]) == 0
    assert f"[警告] {OVER}: {KANSAI_NOV_JA}" in capsys.readouterr().out


# -- what the results form said goes when the line or the results change ------------------------------

def test_the_result_forms_message_goes_when_a_workbook_records_results(demo):
    store, k = demo
    m = open_review(signed_in(store, k["contractor"], "fy=2024"), planner.open_store(store.path))
    m.open_plan("tohoku")
    f = m.result_form
    f.line_id = m.opened.record.plan.lines[0].id
    f.dates, f.students = "2024-11-19", "64"
    assert f.record(), f.findings
    assert f.note.kind == "success" and "1行目の実績を" in f.note.ja
    wb = openpyxl.load_workbook(io.BytesIO(plan_workbook(store.desk("contractor"), "tohoku", 2024)))
    for col, v in {"E": "2024-07-10", "I": 70, "L": 40, "M": 50, "N": 10}.items():
        wb[L.RESULTS][f"{col}5"] = v  # line 2's row
    buf = io.BytesIO()
    wb.save(buf)
    assert m.transfer.upload("東北.xlsx", buf.getvalue()), m.transfer.findings
    assert m.transfer.note.kind == "success"
    assert f.note is None and f.findings == []  # line 1's message no longer stands under the form
    assert f.record() and f.note is not None  # recording again says so, after the reload it makes
    f.line_id = m.opened.record.plan.lines[1].id
    assert f.note is None  # another line: nothing said of it yet
    f.lang = "en"
    f.dates = ""
    assert not f.record() and f.note.kind == "error"
    f.lang = "ja"  # the language changes how it is said, not whether
    assert f.note is not None and f.note.kind == "error"


# -- the year picker ----------------------------------------------------------------------------------

def test_both_apps_offer_the_years_in_the_pages_language(demo):
    store, k = demo
    review = open_review(signed_in(store, k["officer"], "lang=en"), planner.open_store(store.path))
    secretariat = open_session(signed_in(store, k["secretariat-kansai"], "lang=en"), planner.open_store(store.path))
    (label,) = [lb for lb, y in review.year_options if y == 2025]
    assert label == "FY2025 (Apr 2025 – Mar 2026)" and (label, 2025) in secretariat.year_options
    review.lang = "ja"
    assert ("令和7年度（2025年度）", 2025) in review.year_options
