"""The results form, session by session, with its participating companies pasted or loaded from a file
(the app's model, without a browser)."""

from __future__ import annotations

import io

import openpyxl
import pytest
from test_review_models import SEED_EVENT, review, snapshot

import planner
from planner import Company

# tohoku FY2024: line 3 is ③ 外国人材採用セミナー（企業向け）, quantity 2, June
SEMINAR = {"dates": "2024-06-12", "venue": "仙台", "company_staff": "20", "students": "0", "members": "5"}
PASTED = "企業名\t都道府県\t担当者\nアンデックス株式会社\t宮城県\t山田\n林建設工業株式会社\t山形県\t佐藤\n"


def seminar_form(demo):
    m = review(demo, "contractor", "&fy=2024")
    assert m.open_plan("tohoku")
    f = m.result_form
    f.line_id = m.opened.record.plan.lines[2].id
    assert f.line == 3
    return m, f


def fill(f, values: dict) -> None:
    for k, v in values.items():
        setattr(f, k, v)


def test_each_session_of_a_line_is_picked_and_recorded_on_its_own(demo):
    store, _ = demo
    m, f = seminar_form(demo)
    assert [tuple(o) for o in f.session_options] == [("第1回", 1), ("第2回", 2)]
    assert f.session == 1
    fill(f, SEMINAR)
    assert f.record(), f.findings
    assert "3行目 第1回の実績を記録しました" in f.note.ja
    label = dict((v, k) for k, v in f.line_options)[f.line_id]
    assert "2回中1回記録済み" in label
    assert [tuple(o) for o in f.session_options] == [("第1回（記録済み）", 1), ("第2回", 2)]
    f.session = 2
    assert f.dates == "" and f.venue == "" and f.company_text == ""  # session 2 has nothing yet
    fill(f, {**SEMINAR, "dates": "2024-06-26", "venue": "盛岡", "company_text": PASTED})
    assert f.company_summary == "2社（宮城 1・山形 1）"
    assert f.record(), f.findings
    got = store.results("tohoku", 2024, by="officer")
    seminar = [r for r in got if r.line == 3]
    assert [(r.session, r.venue) for r in seminar] == [(1, "仙台"), (2, "盛岡")]
    assert seminar[1].company_list == (Company("アンデックス株式会社", "宮城"), Company("林建設工業株式会社", "山形"))
    assert seminar[1].companies == 2  # the count left blank is the list's
    row = m.opened.rows[2]["result"]
    assert "第1回: 2024-06-12" in row and "第2回: 2024-06-26" in row and "参加企業 2 社" in row
    f.session = 1
    assert f.venue == "仙台"  # the stored session 1, to correct
    label = dict((v, k) for k, v in f.line_options)[f.line_id]
    assert "（記録済み）" in label and "回中" not in label
    f.lang = "en"
    assert [tuple(o) for o in f.session_options] == [("Session 1 (recorded)", 1), ("Session 2 (recorded)", 2)]


@pytest.mark.parametrize("pasted, code, ja, en", [
    ("A社\t宮城\nB社\tミヤギ", "COMPANY_PREFECTURE_UNKNOWN", "都道府県 'ミヤギ' が分かりません", "is not known"),
    ("A社\t宮城\nＡ社\t宮城県", "COMPANY_DUPLICATE", "2回あります", "listed twice"),
    ("A社", "COMPANY_PREFECTURE_UNKNOWN", "都道府県 '' が分かりません", "is not known"),
])
def test_bad_companies_are_said_as_pasted_and_refuse_the_record(demo, pasted, code, ja, en):
    store, _ = demo
    _, f = seminar_form(demo)
    fill(f, {**SEMINAR, "company_text": pasted})
    assert [x.code for x in f.company_findings] == [code]  # said before Record is pressed
    before = snapshot(store)
    assert not f.record()
    (bad,) = [x for x in f.findings if x.is_error]
    assert bad.code == code and ja in bad.message_ja and en in bad.message_en
    assert f.note.kind == "error" and snapshot(store) == before


def test_a_count_that_disagrees_with_the_list_is_a_warning_the_person_sees(demo):
    store, _ = demo
    _, f = seminar_form(demo)
    fill(f, {**SEMINAR, "companies": "5", "company_text": PASTED})
    assert [(x.code, x.severity) for x in f.company_findings] == [("COMPANIES_COUNT_MISMATCH", "warning")]
    assert f.record()
    assert [x.code for x in f.findings] == ["COMPANIES_COUNT_MISMATCH"]  # kept in view with the record
    (r,) = [r for r in store.results("tohoku", 2024, by="officer") if r.line == 3]
    assert r.companies == 5 and len(r.company_list) == 2


def test_a_session_beyond_the_quantity_sent_all_the_same_is_refused(demo):
    store, _ = demo
    _, f = seminar_form(demo)
    f.session = 3  # not offered; sent as a forged message would
    fill(f, SEMINAR)
    before = snapshot(store)
    assert not f.record()
    assert [x.code for x in f.findings] == ["SESSION_BEYOND_QUANTITY"] and snapshot(store) == before
    assert "第3回は記録できません" in f.findings[0].message_ja


def test_the_seed_event_with_its_companies_from_the_pages_list(demo):
    """The seed's list as printed: prefecture headings, then ①… names under them."""
    store, _ = demo
    m = review(demo, "contractor", "&fy=2024")
    m.open_plan("tohoku")
    f = m.result_form
    assert f.line == 1
    fill(f, {**SEED_EVENT, "company_text": "青森 ①フジプラント株式会社\n岩手\n②キオクシア岩手株式会社\n"
                                           "③ザマ・ジャパン株式会社\n宮城\n⑤アンデックス株式会社"})
    assert f.company_summary == "4社（青森 1・岩手 2・宮城 1）"
    assert [x.code for x in f.company_findings] == ["COMPANIES_COUNT_MISMATCH"]  # 18 said, 4 listed


def _xlsx(rows) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("name, data", [
    ("companies.csv", "企業名,都道府県,メール\nアンデックス株式会社,宮城県,a@x.jp\n林建設工業株式会社,山形,b@x.jp\n"
     .encode("cp932")),  # as Japanese Excel saves a CSV
    ("companies.csv", "\ufeff企業名,都道府県\nアンデックス株式会社,宮城\n林建設工業株式会社,山形\n".encode()),
    ("申込.xlsx", _xlsx([["No", "会社名", "所在地", "担当者"], [1, "アンデックス株式会社", "宮城県", "山田"],
                        [2, "林建設工業株式会社", "山形県", "佐藤"]])),
])
def test_companies_load_from_a_csv_or_excel_file(demo, name, data):
    _, f = seminar_form(demo)
    assert f.upload_companies(name, data)
    assert f.company_text.split("\n")[0].startswith("アンデックス株式会社\t宮城")
    assert f.company_summary == "2社（宮城 1・山形 1）" and "山田" not in f.company_text
    fill(f, SEMINAR)
    assert f.record()


@pytest.mark.parametrize("name, data, code", [
    ("x.csv", b"\x81\x00\xff\xfe" * 10, "COMPANY_FILE_UNREADABLE"),
    ("x.xlsx", b"PK\x03\x04 not really a zip", "NOT_A_WORKBOOK"),
    ("big.csv", ("A社,宮城\n" * 2500).encode(), "COMPANY_FILE_TOO_LONG"),
])
def test_a_file_that_is_no_list_of_companies_is_refused_and_changes_nothing(demo, name, data, code):
    store, _ = demo
    _, f = seminar_form(demo)
    f.company_text = "A社\t宮城"
    before = snapshot(store)
    assert not f.upload_companies(name, data)
    assert [x.code for x in f.findings] == [code] and f.note.kind == "error"
    assert f.company_text == "A社\t宮城" and snapshot(store) == before


def test_the_view_renders_the_session_picker_and_the_company_list(demo):
    from planner.app.review.result_form import ResultFormView

    _, f = seminar_form(demo)
    v = ResultFormView(f)
    v.render()
    assert v._session.layout.display is None and v._session.value == 1
    f.company_text = PASTED
    assert "2社" in v._company_summary.value
    f.line_id = f._opened.record.plan.lines[1].id  # ② online, quantity 1: no session to pick
    assert v._session.layout.display == "none"
    assert planner.Result().session == 1


def test_delivery_counts_a_line_session_by_session(demo):
    import datetime as dt

    store, _ = demo
    _, f = seminar_form(demo)
    fill(f, SEMINAR)
    assert f.record()
    m = review(demo, "contractor", "&fy=2024")
    m.delivery.today = lambda: dt.date(2024, 12, 15)
    m.section = "delivery"
    (tohoku,) = m.delivery.pending
    (seminar,) = [e for e in tohoku["lines"] if e["no"] == 3]
    assert seminar["state"] == "unrecorded" and seminar["quantity"].endswith("（1回記録済み）")
    rows = {r["consortium"]: r for r in m.delivery.rows}
    assert rows["tohoku"]["held"] == 2  # the seed's event and one of the two seminars
    store.record_result("tohoku", 2024, planner.Result(line_id=f.line_id, session=2, dates=("2024-06-26",)),
                        by="contractor")
    m.delivery.refresh()
    (tohoku,) = m.delivery.pending
    assert 3 not in [e["no"] for e in tohoku["lines"]] and {r["consortium"]: r for r in m.delivery.rows}[
        "tohoku"]["held"] == 3
