"""The review app's models, driven without a browser: every action of the officer and the contractor,
and every refusal (each one logged)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import sqlite3
from pathlib import Path

import openpyxl
import pytest
from plan_support import cancel_accepted_line
from signin_support import signed_in

import planner
from planner.app import Request
from planner.app.review import ReviewModel, open_review
from planner.app.secretariat import open_session
from planner.demo import keys_path
from planner.workbook import layout as L
from planner.workbook import plan_workbook

SEED_EVENT = {"dates": "2024-11-19", "venue": "TKPガーデンシティ仙台ホール30B", "companies": "18",
              "company_staff": "37", "students": "64", "members": "34", "very_satisfied": "33", "satisfied": "67",
              "dissatisfied": "0"}


def review(demo, user: str, extra: str = "", own=None) -> ReviewModel:
    """The review model of a page of `user`; its kernel has a store of its own (`own`, or a new one)."""
    store, k = demo
    return open_review(signed_in(store, k[user], extra.lstrip("&")), own or planner.open_store(store.path))


def snapshot(store) -> list:
    """Everything an action may change (refusals are logged on purpose and left out)."""
    return [store.db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in ("plans", "revisions", "results")]


def forget_tohoku_2024_result(db: Path) -> None:
    """The demo already holds the seed's event; remove it so a test can record it as the contractor would."""
    with sqlite3.connect(db) as con:
        con.execute("DELETE FROM results")


# -- who is there ----------------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["", "key=", "key=1.wrong", "lang=en"])
def test_no_session_sees_nothing(demo, query):
    store, k = demo
    before = len(store.refusals())
    m = open_review(Request(query.replace("1.wrong", k["officer"])), store)  # a key in the URL is no sign-in
    assert m.refusal is not None and "サインインしていません" in m.refusal.ja and "not signed in" in m.refusal.en
    assert m.desk is None and m.user is None and not hasattr(m, "overview")
    assert len(store.refusals()) == before + 1


def test_a_secretariats_key_opens_no_review_and_is_logged(demo):
    store, _ = demo
    m = review(demo, "secretariat-kansai")
    assert m.refusal is not None and "secretariat.ipynb" in m.refusal.ja
    assert m.desk is None and not hasattr(m, "overview")
    last = store.refusals()[-1]
    assert (last["user"], last["action"], last["kind"]) == ("secretariat-kansai", "open_review_app", "access")


def test_a_session_whose_key_was_revoked_is_refused(demo):
    store, k = demo
    req = signed_in(store, k["officer"])
    store.revoke_keys("officer")
    m = open_review(req, store)
    assert m.refusal is not None and "失効" in m.refusal.ja and "revoked" in m.refusal.en


# -- the officer -----------------------------------------------------------------------------------

def test_overview_shows_every_consortium_at_a_glance(demo):
    m = review(demo, "officer")
    assert m.year == 2025 and m.section == "overview"
    rows = {r["consortium"]: r for r in m.overview.rows}
    assert list(rows) == ["hokkaido", "tohoku", "hokuriku", "kansai", "chugoku", "kyushu"]
    assert rows["hokkaido"]["status"] == "draft" and (rows["hokkaido"]["used"], rows["hokkaido"]["budget"]) == (95, 90)
    assert rows["hokkaido"]["errors"] == 1 and rows["chugoku"]["warnings"] == 1
    assert rows["kyushu"]["status_label"] == "承認済み" and rows["kyushu"]["by"] == "JETRO 本部 プログラム担当"
    assert rows["tohoku"]["updated"] and rows["tohoku"]["revision"] == 3
    m.lang = "en"
    assert {r["consortium"]: r["status_label"] for r in m.overview.rows}["kyushu"] == "accepted"
    assert m.overview.rows[0]["name"] == "Hokkaido Consortium"


def test_open_a_plan_lines_history_and_compare(demo):
    m = review(demo, "officer")
    assert m.open_plan("tohoku") and m.section == "plan"
    p = m.opened
    assert p.status == "submitted" and len(p.rows) == 7 and p.used == 90 and p.budget == 100
    assert p.rows[0]["title"] == "地域の中堅・中小企業と外国人留学生との交流会"
    assert [h["revision"] for h in p.history] == [3, 2, 1] and p.history[0]["summary"] == "下書き→提出済み"
    c = m.compare
    assert (c.a, c.b) == (1, 3) and c.options == [1, 2, 3]
    assert [r["kind"] for r in c.rows][:3] == ["same", "same", "same"] and c.rows[-1]["kind"] == "added"
    assert c.rows[-1]["left"] == "" and "新規メニュー提案" in c.rows[-1]["right"]
    c.a, c.b = 2, 3
    assert c.changes == [] and all(r["kind"] == "same" for r in c.rows)
    c.a = 1
    assert any("4行目を追加" in x for x in c.changes)


def test_accept_a_submitted_plan(demo):
    store, _ = demo
    m = review(demo, "officer")
    m.open_plan("hokuriku")
    assert m.decision.can_accept and m.decision.can_return and not m.decision.can_reopen
    m.decision.comment = "承認します。"
    assert m.decision.accept()
    assert store.current("hokuriku", 2025).status == "accepted"
    assert m.opened.status == "accepted" and m.decision.can_reopen and not m.decision.can_accept
    assert {r["consortium"]: r["status"] for r in m.overview.rows}["hokuriku"] == "accepted"
    assert m.decision.note.kind == "success" and "承認しました" in m.decision.note.ja


def test_return_needs_a_comment_that_the_secretariat_then_sees(demo):
    store, k = demo
    m = review(demo, "officer")
    m.open_plan("tohoku")
    before = snapshot(store)
    assert not m.decision.return_plan()
    assert m.decision.note.kind == "error" and "コメント" in m.decision.note.ja
    assert snapshot(store) == before
    m.decision.comment = "④のセミナーを秋に移してください。"
    assert m.decision.return_plan()
    assert store.current("tohoku", 2025).status == "returned"
    sec = open_session(signed_in(store, k['secretariat-tohoku']), store)
    assert sec.status == "returned" and sec.comment == "④のセミナーを秋に移してください。"


def test_reopen_an_accepted_plan(demo):
    store, _ = demo
    m = review(demo, "officer")
    m.open_plan("kyushu")
    assert m.decision.can_reopen and not m.decision.can_return
    assert m.decision.reopen()
    assert store.current("kyushu", 2025).status == "draft" and m.opened.status == "draft"
    assert m.decision.blocked is not None and m.decision.blocked.kind == "info"


def test_a_plan_with_errors_cannot_be_accepted(demo):
    store, _ = demo
    # the plan was clean when submitted; the year's budget was lowered since (a data change)
    fy = store.fiscal_year(2025)
    store._years[2025] = dataclasses.replace(fy, budgets={**fy.budgets, "hokuriku": 50})
    m = review(demo, "officer", own=store)
    m.open_plan("hokuriku")
    assert any(f.code == "BUDGET_EXCEEDED" for f in m.opened.findings)
    assert not m.decision.can_accept and m.decision.can_return
    assert m.decision.blocked.kind == "error" and "承認できません" in m.decision.blocked.ja
    before = snapshot(store)
    assert not m.decision.accept()  # even if the button were pressed
    assert "エラー" in m.decision.note.ja and snapshot(store) == before
    assert store.refusals()[-1]["action"] == "accept"


def test_a_change_in_between_is_a_conflict_not_an_overwrite(demo):
    store, _ = demo
    m = review(demo, "officer")
    m.open_plan("tohoku")
    store.withdraw("tohoku", 2025, by="secretariat-tohoku")  # while the officer looks at it
    assert not m.decision.accept()
    assert store.current("tohoku", 2025).status == "draft"
    assert m.opened.status == "draft" and m.opened.record.revision == 4  # reloaded to what is stored now
    assert store.refusals()[-1]["kind"] == "conflict"


def test_officer_may_not_record_results(demo):
    store, _ = demo
    m = review(demo, "officer")
    m.open_plan("kyushu")
    assert not m.result_form.enabled
    for f, v in {"dates": "2025-06-14", "very_satisfied": "50", "satisfied": "50", "dissatisfied": "0"}.items():
        setattr(m.result_form, f, v)
    assert not m.result_form.record()
    assert m.result_form.note.kind == "error" and "実績の記録" in m.result_form.note.ja
    assert store.results("kyushu", 2025, by="officer") == []
    assert store.refusals()[-1]["action"] == "record_result"


# -- the contractor --------------------------------------------------------------------------------

def test_contractor_sees_accepted_plans_only(demo):
    store, _ = demo
    m = review(demo, "contractor")
    assert [r["consortium"] for r in m.overview.rows] == ["kyushu"]
    assert m.overview.hidden == 5
    before = len(store.refusals())
    assert not m.open_plan("tohoku")  # submitted, not accepted
    assert m.note.kind == "error" and "承認済み" in m.note.ja and m.opened.record is None
    assert len(store.refusals()) == before + 1


@pytest.mark.parametrize("action", ["accept", "return_plan", "reopen"])
def test_contractor_cannot_decide(demo, action):
    store, k = demo
    officer = review(demo, "officer")
    officer.open_plan("hokuriku")
    officer.decision.accept()  # so the contractor can open it
    m = review(demo, "contractor")
    m.open_plan("hokuriku")
    d = m.decision
    assert not (d.can_accept or d.can_return or d.can_reopen)
    d.comment = "勝手に"
    before = snapshot(store)
    assert not getattr(d, action)()
    assert d.note.kind == "error" and "受託者の権限" in d.note.ja
    assert snapshot(store) == before
    last = store.refusals()[-1]
    assert (last["user"], last["kind"]) == ("contractor", "access")


def choose_line(m, n: int) -> None:
    """Pick line n in the results form, as the dropdown does: by the line's id."""
    m.result_form.line_id = m.opened.record.plan.lines[n - 1].id
    assert m.result_form.line == n


def test_contractor_records_the_seed_event_and_sees_it_delivered(demo_db):
    forget_tohoku_2024_result(demo_db)
    store = planner.open_store(demo_db)
    try:
        m = open_review(signed_in(store, json.loads(keys_path(demo_db).read_text())['contractor'], "fy=2024"),
                        planner.open_store(demo_db))
        assert m.year == 2024
        assert m.open_plan("tohoku") and m.result_form.enabled and m.result_form.line == 1
        for f, v in SEED_EVENT.items():
            setattr(m.result_form, f, v)
        assert m.result_form.record(), m.result_form.findings
        (res,) = store.results("tohoku", 2024, by="officer")
        assert res.participants == 135 and (res.companies, res.company_staff, res.students, res.members) == (
            18, 37, 64, 34)
        assert (res.very_satisfied, res.satisfied, res.dissatisfied, res.satisfaction_unit) == (33, 67, 0, "percent")
        assert "参加者 135 名" in m.opened.rows[0]["result"]
        m.section = "delivery"  # computed when first shown
        rows = {r["consortium"]: r for r in m.delivery.rows}
        assert rows["tohoku"]["participants"] == 135 and rows["tohoku"]["held"] == 1 and rows["tohoku"]["planned"] == 7
        assert (rows["tohoku"]["companies"], rows["tohoku"]["students"], rows["tohoku"]["members"]) == (18, 64, 34)
        assert rows["tohoku"]["satisfied"] == 100 and rows["tohoku"]["very_satisfied"] == 33
        total = m.delivery.rows[-1]
        assert total["total"] and total["name"] == "年度合計" and total["participants"] == 135
        m.lang = "en"
        assert m.delivery.rows[-1]["name"] == "Year total"
    finally:
        store.close()


def test_switching_year_keeps_the_year_wide_sections_and_closes_the_plan(demo):
    m = review(demo, "contractor")
    m.section = "delivery"
    assert [r["consortium"] for r in m.delivery.rows] == ["kyushu", "__year__"]
    m.year = 2024
    assert m.section == "delivery" and [r["consortium"] for r in m.delivery.rows] == ["tohoku", "__year__"]
    assert m.delivery.rows[0]["participants"] == 135  # read for the new year, not the old figures
    m.section = "load"
    assert m.load.rows[2]["month"] == "6月" and m.load.rows[2]["events"] == 2  # tohoku's two ③ of June 2024
    m.year = 2025
    assert m.section == "load" and m.load.rows[2]["events"] == 1  # kyushu's ② of June 2025
    m.open_plan("kyushu")
    m.year = 2024
    assert m.section == "overview" and m.opened.record is None


def test_delivery_lists_events_not_recorded_and_to_come(demo):
    m = review(demo, "contractor", "&fy=2024")
    m.delivery.today = lambda: dt.date(2024, 12, 15)
    m.section = "delivery"
    (tohoku,) = m.delivery.pending
    # ⑤ of November has the seed's result; ⑦ (bus) and ⑩ (venue) are no events; the rest are over
    assert [(e["no"], e["month"], e["state"]) for e in tohoku["lines"]] == [
        (3, "6月", "unrecorded"), (2, "7月", "unrecorded"), (5, "9月", "unrecorded"), (4, "10月", "unrecorded")]
    assert (tohoku["unrecorded"], tohoku["this_month"], tohoku["planned"]) == (4, 0, 0)
    assert tohoku["lines"][0]["title"] == "外国人材採用セミナー（企業向け）（仙台）"
    assert m.delivery.as_of == "2024年12月15日"


def test_the_officer_sees_what_is_overdue_and_coming_of_accepted_plans_only(demo):
    m = review(demo, "officer")
    m.delivery.today = lambda: dt.date(2025, 10, 5)
    m.section = "delivery"
    assert [c["consortium"] for c in m.delivery.pending] == ["kyushu"]  # hokuriku and tohoku are only submitted
    got = [(e["no"], e["state"]) for e in m.delivery.pending[0]["lines"]]
    assert got == [(1, "unrecorded"), (6, "unrecorded"), (4, "unrecorded"), (3, "this_month"), (2, "planned")]
    m.lang = "en"
    assert m.delivery.pending[0]["lines"][0]["month"] == "Jun" and m.delivery.as_of == "5 Oct 2025"


@pytest.mark.parametrize("fields, codes", [
    ({"dates": "2025-04-02"}, ["DATE_OUTSIDE_YEAR"]),
    ({"dates": "19/11/2024"}, ["DATE_INVALID"]),
    ({"dates": ""}, ["DATE_REQUIRED"]),
    ({"students": "-3"}, ["COUNT_INVALID"]),
    ({"members": "たくさん"}, ["NOT_A_NUMBER"]),
])
def test_a_bad_result_is_refused_whole(demo, fields, codes):
    store, _ = demo
    m = review(demo, "contractor", "&fy=2024")
    m.open_plan("tohoku")
    choose_line(m, 2)
    for f, v in {**SEED_EVENT, **fields}.items():
        setattr(m.result_form, f, v)
    before = snapshot(store)
    assert not m.result_form.record()
    assert [f.code for f in m.result_form.findings if f.is_error] == codes
    assert m.result_form.note.kind == "error" and snapshot(store) == before


def test_a_result_for_a_line_not_in_the_plan_is_refused(demo):
    store, _ = demo
    m = review(demo, "contractor", "&fy=2024")
    m.open_plan("tohoku")
    m.result_form.line_id = "L000000000099"  # no line of this plan has it
    for f, v in SEED_EVENT.items():
        setattr(m.result_form, f, v)
    before = snapshot(store)
    assert not m.result_form.record()
    assert [f.code for f in m.result_form.findings] == ["RESULT_LINE_UNKNOWN"] and snapshot(store) == before


def test_the_form_shows_a_lines_stored_result_and_corrects_it(demo):
    store, _ = demo
    m = review(demo, "contractor", "&fy=2024")
    m.open_plan("tohoku")
    assert m.result_form.venue == "TKPガーデンシティ仙台ホール30B" and m.result_form.students == "64"
    choose_line(m, 2)
    assert m.result_form.venue == "" and m.result_form.dates == ""
    choose_line(m, 1)
    m.result_form.students = "６５"  # full-width digits, as typed with a Japanese IME
    assert m.result_form.record()
    assert store.results("tohoku", 2024, by="contractor")[0].students == 65


def test_the_line_picker_offers_event_lines_by_title_and_month(demo):
    m = review(demo, "contractor")
    m.open_plan("kyushu")  # ② ② ⑤ ⑥ ⑦ ③ ⑨: the bus (⑦) and the secretariat support (⑨) take no result
    labels = [label for label, _ in m.result_form.line_options]
    item = "② 合同企業説明会の開催（リアル、オンライン、ハイブリッド）"
    # the two ② lines read apart from their first words; the place is not said twice
    assert labels[:2] == [f"九州・留学生合同企業説明会（福岡） — 6月 — 番号1 {item}",
                          f"九州オンライン合同企業説明会 — 11月 — 番号2 {item}"]
    assert [label.split("番号")[1][:3] for label in labels] == ["1 ②", "2 ②", "3 ⑤", "4 ⑥", "6 ③"]
    assert "7月・2回" in labels[-1] and "⑦" not in "".join(labels) and "⑨" not in "".join(labels)
    m.lang = "en"
    assert m.result_form.line_options[0][0].startswith("九州・留学生合同企業説明会 (福岡) — Jun — line 1 ② Joint")


def test_a_cancelled_line_and_a_line_without_participants_take_no_result(demo):
    store, _ = demo
    cancel_accepted_line(store, "kyushu", 2025, 0)
    m = review(demo, "contractor")
    m.open_plan("kyushu")
    lines = m.opened.record.plan.lines
    assert [v for _, v in m.result_form.line_options] == [lines[i].id for i in (1, 2, 3, 5)]
    assert m.result_form.line == 2  # the first line offered, not the cancelled one
    before = snapshot(store)
    for n in (1, 5):  # an id the picker never offers, sent all the same: refused by the model
        choose_line(m, n)
        for f, v in {**SEED_EVENT, "dates": "2025-09-10"}.items():
            setattr(m.result_form, f, v)
        assert not m.result_form.record()
        assert [f.code for f in m.result_form.findings] == ["RESULT_NOT_AN_EVENT"]
        assert f"{n}行目" in m.result_form.findings[0].message_ja and snapshot(store) == before


def test_satisfaction_is_added_up_in_its_unit_and_counts_cannot_outnumber_people(demo):
    store, _ = demo
    m = review(demo, "contractor")
    m.open_plan("kyushu")
    f = m.result_form
    for name, v in {"dates": "2025-06-14", "company_staff": "40", "students": "100", "members": "10",
                    "very_satisfied": "100", "satisfied": "80", "dissatisfied": "20"}.items():
        setattr(f, name, v)
    assert f.satisfaction_sum == "合計 200%"
    f.satisfaction_unit = "count"
    assert f.satisfaction_sum == "合計 200 人（参加者 150 名）"
    before = snapshot(store)
    assert not f.record()
    assert [x.code for x in f.findings] == ["SATISFACTION_OVER_PARTICIPANTS"] and snapshot(store) == before
    f.satisfied, f.dissatisfied = "40", "10"
    assert f.satisfaction_sum == "合計 150 人（参加者 150 名）"
    f.lang = "en"
    assert f.satisfaction_sum == "Total 150 people (participants: 150)"
    assert f.record(), f.findings
    assert "(recorded)" in f.line_options[0][0] and "(recorded)" not in f.line_options[1][0]
    f.very_satisfied = "たくさん"
    assert f.satisfaction_sum == ""  # no sum of what is not a number


@pytest.mark.parametrize("typed, kept", [
    ("2025/6/14", ("2025-06-14",)), ("2025-6-14", ("2025-06-14",)), ("２０２５／６／１４", ("2025-06-14",)),
    ("令和7年6月14日", ("2025-06-14",)), ("R7.6.14", ("2025-06-14",)), ("2025年6月14日（土）", ("2025-06-14",)),
    ("2025/6/14、R7.6.15", ("2025-06-14", "2025-06-15")),
])
def test_dates_are_taken_as_people_type_them(demo, typed, kept):
    store, _ = demo
    m = review(demo, "contractor")
    m.open_plan("kyushu")
    m.result_form.dates, m.result_form.students = typed, "100"
    assert m.result_form.dates_read.startswith("2025年6月14日（土）")
    assert m.result_form.record(), m.result_form.findings
    assert store.results("kyushu", 2025, by="contractor")[0].dates == kept
    assert m.result_form.dates == ", ".join(kept)  # shown back as kept, and read again as such


def test_a_date_the_form_cannot_take_is_said_before_and_on_record(demo):
    store, _ = demo
    m = review(demo, "contractor")
    m.open_plan("kyushu")
    f = m.result_form
    assert f.date_example == "2025-11-19"  # an example of the plan's own year
    f.students = "100"
    before = snapshot(store)
    f.dates = "2025/2/30"
    assert "2月は28日まで" in f.dates_read
    assert not f.record() and [x.code for x in f.findings] == ["DATE_INVALID"]
    assert f.findings[0].message_ja.startswith("1行目の実績: 実施日 「2025/2/30」は日付として読めません")
    f.dates = "2026/6/14"  # a year late: read, but not of this plan's year
    assert f.dates_read == "2026年6月14日（日） — この計画の年度の外です"
    assert not f.record() and [x.code for x in f.findings] == ["DATE_OUTSIDE_YEAR"]
    assert "この計画の年度（令和7年度: 2025年4月1日〜2026年3月31日）の外です" in f.findings[0].message_ja
    f.lang = "en"
    assert f.dates_read == "Sun 14 Jun 2026 — outside the plan's year"
    assert snapshot(store) == before
    m.year = 2024
    m.open_plan("tohoku")
    assert f.date_example == "2024-11-19"


def test_shares_that_do_not_add_up_are_recorded_with_the_warning(demo):
    store, _ = demo
    m = review(demo, "contractor", "&fy=2024")
    m.open_plan("tohoku")
    choose_line(m, 2)
    for f, v in {**SEED_EVENT, "very_satisfied": "33", "satisfied": "33", "dissatisfied": "33"}.items():
        setattr(m.result_form, f, v)
    assert m.result_form.satisfaction_sum == "合計 99%"
    assert m.result_form.record() and [f.code for f in m.result_form.findings] == ["SHARES_NOT_100"]
    assert {r.line: r.satisfied for r in store.results("tohoku", 2024, by="officer")}[2] == 33


# -- workbooks -------------------------------------------------------------------------------------

def test_the_plan_and_year_workbooks_are_links_that_follow_the_plan_and_year(demo, monkeypatch):
    monkeypatch.setenv("VOILA_BASE_URL", "/planner/")
    m = review(demo, "contractor")
    assert m.transfer.plan_href == ""  # no plan opened: nothing to download
    assert m.transfer.year_href == "/planner/workbook/year?fy=2025" and m.transfer.year_name.startswith("集約_2025")
    m.open_plan("kyushu")
    assert m.transfer.plan_href == "/planner/workbook/plan?consortium=kyushu&fy=2025"
    assert m.transfer.plan_name == "計画_九州コンソーシアム_2025年度_版4.xlsx"
    m.year = 2024  # a link never outlives the year it was made for
    assert m.transfer.plan_href == "" and m.transfer.year_href.endswith("fy=2024")
    assert m.opened.record is None and m.section == "overview"


def test_what_the_links_download_is_what_the_person_may_read(demo):
    from planner.downloads import plan_download, year_download

    m = review(demo, "contractor")
    name, ascii_name, data = plan_download(m.desk, "kyushu", 2025)
    assert name == "計画_九州コンソーシアム_2025年度_版4.xlsx" and ascii_name == "plan_kyushu_FY2025_rev4.xlsx"
    assert "計画" in openpyxl.load_workbook(io.BytesIO(data)).sheetnames
    with pytest.raises(planner.AccessDenied, match="accepted plans only"):
        plan_download(m.desk, "kansai", 2025)  # a draft: not the contractor's to see
    name, ascii_name, data = year_download(m.desk, 2025)
    assert name.startswith("集約_2025年度_") and ascii_name.startswith("consolidated_FY2025_")
    assert L.OVERVIEW in openpyxl.load_workbook(io.BytesIO(data)).sheetnames


def _with_result(data: bytes, row: int, **cells) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for col, v in cells.items():
        wb[L.RESULTS][f"{col}{row}"] = v
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_upload_results_in_the_plan_workbook(demo):
    store, _ = demo
    m = review(demo, "contractor", "&fy=2024")
    m.open_plan("tohoku")
    data = _with_result(plan_workbook(store.desk("contractor"), "tohoku", 2024), 5,
                        E="2024-07-10", F="オンライン", G=20, H=25, I=70, J=5, L=40, M=50, N=10)
    assert m.transfer.upload("東北.xlsx", data), m.transfer.findings
    assert m.transfer.note.kind == "success" and "1 件" in m.transfer.note.ja
    got = {r.line: r for r in store.results("tohoku", 2024, by="officer")}
    assert got[2].participants == 100 and got[1].participants == 135
    assert "参加者 100 名" in m.opened.rows[1]["result"]


def test_a_workbook_with_a_bad_result_loads_nothing(demo):
    store, _ = demo
    m = review(demo, "contractor", "&fy=2024")
    m.open_plan("tohoku")
    data = plan_workbook(store.desk("contractor"), "tohoku", 2024)
    data = _with_result(data, 5, E="2024-07-10", L=40, M=50, N=10)
    data = _with_result(data, 6, E="2025-07-10", L=40, M=50, N=5)  # outside FY2024, shares 95 %
    before = snapshot(store)
    assert not m.transfer.upload("東北.xlsx", data)
    assert sorted(f.code for f in m.transfer.findings if f.is_error) == ["DATE_OUTSIDE_YEAR"]
    # shares of 95 % are said as a warning (a rounding such as 33/33/33 is honest), never passed in silence
    assert [f.code for f in m.transfer.findings if not f.is_error] == ["SHARES_NOT_100"]
    assert all(f.sheet == L.RESULTS and f.row == 6 for f in m.transfer.findings if f.is_error)
    assert "何も記録していません" in m.transfer.note.ja and snapshot(store) == before


def test_a_workbook_with_more_answers_than_people_loads_nothing(demo):
    store, _ = demo
    m = review(demo, "contractor", "&fy=2024")
    m.open_plan("tohoku")
    data = _with_result(plan_workbook(store.desk("contractor"), "tohoku", 2024), 5,
                        E="2024/7/10", I=50, L=40, M=20, N=0, O="人数")  # 60 answers from 50 students
    before = snapshot(store)
    assert not m.transfer.upload("東北.xlsx", data)
    (f,) = m.transfer.findings
    assert (f.code, f.sheet, f.row, f.column) == ("SATISFACTION_OVER_PARTICIPANTS", L.RESULTS, 5, "L")
    assert snapshot(store) == before


def test_not_a_workbook_and_too_large(demo):
    store, _ = demo
    m = review(demo, "contractor", "&fy=2024")
    m.open_plan("tohoku")
    before = snapshot(store)
    assert not m.transfer.upload("x.xlsx", b"not a workbook")
    assert [f.code for f in m.transfer.findings] == ["NOT_A_WORKBOOK"]
    assert not m.transfer.upload("big.xlsx", b"0" * (10 * 1024 * 1024 + 1))
    assert [f.code for f in m.transfer.findings] == ["FILE_TOO_LARGE"] and snapshot(store) == before


def test_another_plans_workbook_is_refused_in_this_plan(demo):
    store, _ = demo
    m = review(demo, "contractor")
    m.open_plan("kyushu")
    officer = review(demo, "officer")
    officer.open_plan("hokuriku")
    officer.decision.accept()
    data = _with_result(plan_workbook(store.desk("contractor"), "hokuriku", 2025), 4, E="2025-08-01", L=50, M=50, N=0)
    before = snapshot(store)
    assert not m.transfer.upload("北陸.xlsx", data)
    assert [f.code for f in m.transfer.findings if f.is_error] == ["WRONG_CONSORTIUM"]
    assert snapshot(store) == before


# -- analysts read, never decide --------------------------------------------------------------------

def test_analyst_reads_without_actions(demo):
    m = review(demo, "analyst")
    assert len(m.overview.rows) == 6
    m.open_plan("tohoku")
    assert not (m.decision.can_accept or m.decision.can_return or m.result_form.enabled)


# -- what the officer and the contractor are told --------------------------------------------------

def test_a_decisions_note_does_not_follow_to_another_plan_or_year(demo):
    m = review(demo, "officer")
    m.open_plan("hokuriku")
    assert m.decision.accept() and "北陸" in m.decision.note.ja
    m.decision.comment = "書きかけ"
    m.open_plan("hokkaido")
    assert m.decision.note is None and m.decision.comment == ""
    m.open_plan("kyushu")
    assert m.decision.reopen() and m.decision.note is not None
    m.year = 2024
    assert m.decision.note is None


def test_a_returned_plan_says_it_waits_for_the_secretariat(demo):
    m = review(demo, "officer")
    m.open_plan("tohoku")
    m.decision.comment = "④のセミナーを秋に移してください。"
    assert m.decision.return_plan()
    b = m.decision.blocked
    assert b.kind == "info" and "差し戻されています" in b.ja and "再提出" in b.ja
    assert "まだ提出されていません" not in b.ja
    assert "returned to the secretariat" in b.en and "resubmit" in b.en
    m.open_plan("hokkaido")  # a draft
    assert "まだ提出されていません" in m.decision.blocked.ja


def test_points_left_and_over_budget(demo):
    m = review(demo, "officer")
    m.open_plan("tohoku")
    assert (m.opened.used, m.opened.budget, m.opened.left) == (90, 100, 10)
    m.open_plan("hokkaido")
    assert m.opened.left == -5


def test_reopening_takes_an_optional_reason_the_secretariat_sees(demo):
    store, _ = demo
    m = review(demo, "officer")
    m.open_plan("hokkaido")  # a draft: nothing to decide, no comment box
    assert not m.decision.takes_comment
    m.open_plan("kyushu")
    assert m.decision.can_reopen and m.decision.takes_comment
    m.decision.comment = "補正のため再開します。"
    assert m.decision.reopen()
    assert store.current("kyushu", 2025).comment == "補正のため再開します。"


@pytest.mark.parametrize("field, text, ja, en", [
    ("companies", "-5", "参加企業数「-5」はマイナスです", "Companies '-5' is negative"),
    ("students", "1.5", "留学生数「1.5」は整数ではありません", "Students '1.5' is not a whole number"),
    ("members", "-2.5", "コンソーシアム関係者数「-2.5」はマイナスです", "Consortium members '-2.5' is negative"),
])
def test_a_bad_count_is_named_as_the_form_names_it(demo, field, text, ja, en):
    m = review(demo, "contractor", "&fy=2024")
    m.open_plan("tohoku")
    choose_line(m, 2)
    for f, v in {**SEED_EVENT, field: text}.items():
        setattr(m.result_form, f, v)
    assert not m.result_form.record()
    (bad,) = [f for f in m.result_form.findings if f.code != "SHARES_NOT_100"]
    assert bad.code == "COUNT_INVALID" and bad.message_ja.startswith(f"2行目の実績: {ja}")
    assert bad.message_ja.endswith("0以上の整数を入れてください。")
    assert en in bad.message_en and field not in bad.message_ja and "数字で" not in bad.message_ja


def test_shares_with_decimals_are_taken(demo):
    store, _ = demo
    m = review(demo, "contractor", "&fy=2024")
    m.open_plan("tohoku")
    choose_line(m, 2)
    for f, v in {**SEED_EVENT, "very_satisfied": "33.3", "satisfied": "33.3", "dissatisfied": "33.4"}.items():
        setattr(m.result_form, f, v)
    assert m.result_form.record() and not [f for f in m.result_form.findings if f.is_error]
    got = {r.line: r for r in store.results("tohoku", 2024, by="officer")}
    assert (got[2].very_satisfied, got[2].satisfied, got[2].dissatisfied) == (33.3, 33.3, 33.4)


def test_a_whole_number_written_with_a_point_is_taken(demo):
    store, _ = demo
    m = review(demo, "contractor", "&fy=2024")
    m.open_plan("tohoku")
    m.result_form.students = "６５．０"
    assert m.result_form.record(), m.result_form.findings
    assert store.results("tohoku", 2024, by="contractor")[0].students == 65


def test_thousands_separators_are_read_but_a_comma_inside_a_number_is_not(demo):
    store, _ = demo
    m = review(demo, "contractor", "&fy=2024")
    m.open_plan("tohoku")
    m.result_form.students = "1,5"
    assert not m.result_form.record() and "数字で入れてください" in m.result_form.findings[0].message_ja
    m.result_form.students = "1,200"
    assert m.result_form.record(), m.result_form.findings
    assert store.results("tohoku", 2024, by="contractor")[0].students == 1200


def test_check_result_names_fields_in_each_language():
    plan = planner.Plan("tohoku", 2024, (planner.Line(1, "online", 1, 11),))
    (f,) = planner.check_result(planner.Result(line=1, dates=("2024-11-19",), companies=-5), plan)
    assert "参加企業数" in f.message_ja and "companies" not in f.message_ja and "Companies" in f.message_en


def test_recording_a_line_again_says_it_replaced_the_first_record(demo):
    m = review(demo, "contractor", "&fy=2024")
    m.open_plan("tohoku")
    f = m.result_form
    choose_line(m, 1)
    f.dates, f.companies, f.company_staff, f.students, f.members = "2024-11-19", "18", "37", "64", "34"
    f.very_satisfied, f.satisfied, f.dissatisfied = "33", "67", "0"
    assert f.record(), f.findings
    f.students = "70"
    assert f.record() and "更新しました（参加者 135 名 → 141 名）" in f.note.ja and "135 → 141" in f.note.en
