"""Pages follow what anyone changes, the inbox (お知らせ), and the hand-offs (the question before 提出,
the preview before a workbook is stored), driven without a browser. Each page has a store of its own, as a
served page's kernel does; the changes are made through another connection (another page, the Python
API), as they are in use."""

from __future__ import annotations

import io

import openpyxl
import pytest
from signin_support import signed_in

import planner
from planner.app.review import ReviewModel, open_review
from planner.app.secretariat import SecretariatModel, open_session
from planner.downloads import plan_download
from planner.store import SCHEMA_VERSION

KANSAI = "関西コンソーシアム 事務局"
OFFICER = "JETRO 本部 プログラム担当"


def page(demo, user: str) -> SecretariatModel:
    store, k = demo
    return open_session(signed_in(store, k[user]), planner.open_store(store.path))


def review(demo, user: str) -> ReviewModel:
    store, k = demo
    return open_review(signed_in(store, k[user]), planner.open_store(store.path))


def api(demo) -> planner.Store:
    """Another process's way in: the Python API on a connection of its own."""
    return planner.open_store(demo[0].path)


# -- the store: read marks, as step 11 ------------------------------------------------------------

def test_the_store_is_at_the_schema_with_read_marks_and_a_new_file_skips_steps_not_merged(tmp_path):
    s = planner.open_store(tmp_path / "new.db")
    assert s.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 11
    assert s.db.execute("SELECT count(*) FROM notice_reads").fetchone()[0] == 0
    s.close()


# -- the desk: the message with a submission, the inbox -------------------------------------------

def test_a_submission_keeps_the_message_to_the_officer_as_its_revisions_comment(demo):
    store, _ = demo
    rev = store.submit("kansai", 2025, by="secretariat-kansai", comment="10月の説明会を追加しました。")
    sent = store.revision("kansai", 2025, rev, by="officer")
    assert sent.status == "submitted" and sent.comment == "10月の説明会を追加しました。"
    assert store.get("kansai", 2025, by="officer").comment == ""  # the officer's last word is cleared, as before
    notice = store.inbox(by="officer")[0]
    assert (notice.event.action, notice.event.consortium, notice.comment) == ("submit", "kansai",
                                                                              "10月の説明会を追加しました。")


def test_each_person_is_told_what_concerns_them_and_nothing_of_another_consortium(demo):
    store, _ = demo
    store.submit("kansai", 2025, by="secretariat-kansai")
    store.return_plan("kansai", 2025, by="officer", comment="秋の行事を増やしてください。")
    store.accept("hokuriku", 2025, by="officer")
    kansai = [(n.event.action, n.event.consortium) for n in store.inbox(by="secretariat-kansai")]
    assert kansai == [("return", "kansai")]  # not hokuriku's acceptance, not chugoku's return, not its own submit
    assert store.inbox(by="secretariat-kansai")[0].comment == "秋の行事を増やしてください。"
    hokuriku = {(n.event.action, n.event.consortium) for n in store.inbox(by="secretariat-hokuriku")}
    assert hokuriku == {("accept", "hokuriku")}
    contractor = {(n.event.action, n.event.consortium) for n in store.inbox(by="contractor")}
    assert ("accept", "hokuriku") in contractor and all(a == "accept" for a, _ in contractor)
    officer = [(n.event.action, n.event.consortium) for n in store.inbox(by="officer")]
    assert officer[0] == ("submit", "kansai") and ("return", "kansai") not in officer  # not its own doing
    assert ("record_result", "tohoku") in officer
    assert store.inbox(by="analyst") == []


def test_read_marks_are_the_persons_own_and_a_forged_id_marks_nothing(demo):
    store, _ = demo
    store.submit("kansai", 2025, by="secretariat-kansai")
    store.return_plan("kansai", 2025, by="officer", comment="理由")
    officer = store.desk("officer")
    kansai = store.desk("secretariat-kansai")
    theirs = kansai.inbox()[0].event.id
    before = officer.unread_count()
    assert officer.mark_read([theirs]) == 0 and officer.unread_count() == before  # not the officer's notice
    assert store.desk("secretariat-chugoku").mark_read([theirs]) == 0
    assert kansai.unread_count() == 1
    assert kansai.mark_read([theirs]) == 1 and kansai.unread_count() == 0 and kansai.inbox()[0].read
    assert officer.unread_count() == before  # one person's marks are not another's


# -- live pages: the secretariat's ------------------------------------------------------------------

def test_a_plan_returned_while_its_page_is_open_says_returned_with_the_comment(demo):
    a = page(demo, "secretariat-kansai")
    assert a.actions.submit() and a.status == "submitted"
    assert not a.follower.check()  # nothing new since
    api(demo).return_plan("kansai", 2025, by="officer", comment="セミナーを秋に移してください。")
    assert a.follower.check()
    assert a.status == "returned" and a.editable and "セミナーを秋に移してください" in a.comment
    assert a.note.kind == "warning" and "差し戻しました" in a.note.ja and "セミナーを秋に移して" in a.note.ja
    assert OFFICER in a.note.ja and "returned it" in a.note.en
    assert a.inbox.unread == 1 and a.inbox.items[0]["action"] == "return"


def test_a_save_elsewhere_reloads_a_page_with_nothing_unsaved_and_names_who(demo):
    a, b = page(demo, "secretariat-kansai"), page(demo, "secretariat-kansai")
    rev = a.revision
    b.editor.remove_line(0)
    assert b.actions.save()
    assert a.follower.check()
    assert a.revision == rev + 1 and a.plan == b.plan and not a.dirty
    assert f"{KANSAI}さんが保存しました（版 {rev} → {rev + 1}）" in a.note.ja


def test_unsaved_edits_are_kept_when_someone_else_saves_and_the_person_is_told_what_to_do(demo):
    a, b = page(demo, "secretariat-kansai"), page(demo, "secretariat-kansai")
    rev = a.revision
    a.editor.pick(3, "online", 1, 6, "未保存のセミナー")
    assert a.editor.add_line() and a.dirty
    b.editor.remove_line(0)
    assert b.actions.save()
    assert a.follower.check()
    assert a.dirty and a.plan.lines[-1].title == "未保存のセミナー" and a.revision == rev  # nothing thrown away
    assert a.note.kind == "warning" and "未保存の変更" in a.note.ja and "残っています" in a.note.ja
    assert f"（版 {rev} → {rev + 1}）" in a.note.ja and "最新の版を読み込む" in a.note.ja
    assert not a.actions.save() and a.actions.conflict is not None  # saving shows both sides, overwrites nothing
    a.actions.reload()
    assert a.revision == rev + 1 and not a.dirty


def test_a_withdraw_on_a_page_that_missed_the_return_says_what_happened(demo):
    a = page(demo, "secretariat-kansai")
    assert a.actions.submit()
    api(demo).return_plan("kansai", 2025, by="officer", comment="予算を見直してください。")
    assert not a.actions.withdraw()  # clicked before the page followed
    note = a.actions.note
    assert "差し戻しました" in note.ja and "予算を見直してください" in note.ja and "取り下げはしていません" in note.ja
    assert "内容の変更なし" not in note.ja and "returned it" in note.en
    assert a.status == "returned" and "予算を見直してください" in a.comment


def test_the_month_hints_follow_the_other_consortia(demo):
    a = page(demo, "secretariat-kansai")
    before = dict(a.others_by_month)
    s = api(demo)
    rec = s.get("hokkaido", 2025, by="secretariat-hokkaido")
    extra = planner.Line(3, "online", 1, 7, "追加のセミナー")
    s.save(rec.plan.add_line(extra), by="secretariat-hokkaido", base_revision=rec.revision)
    assert a.follower.check()
    assert a.others_by_month != before and a.note is None  # another's plan: counts only, nothing said


def test_a_page_of_another_consortium_is_told_nothing_of_kansai(demo):
    c = page(demo, "secretariat-chugoku")
    unread = c.inbox.unread
    s = api(demo)
    s.submit("kansai", 2025, by="secretariat-kansai")
    s.return_plan("kansai", 2025, by="officer", comment="関西への秘密のコメント")
    assert c.follower.check()
    assert c.inbox.unread == unread and all(i["plan"].find("関西") < 0 for i in c.inbox.items)
    assert c.note is None or "関西" not in c.note.ja
    assert c.desk.events_since(0) and all(e.consortium == "chugoku" for e in c.desk.events_since(0))


# -- live pages: the review app's -----------------------------------------------------------------

def test_the_officers_list_and_waiting_count_follow_a_submission_made_elsewhere(demo):
    r = review(demo, "officer")
    waiting = list(r.overview.waiting)
    assert "kansai" not in waiting
    api(demo).submit("kansai", 2025, by="secretariat-kansai", comment="よろしくお願いします。")
    assert r.follower.check()
    assert "kansai" in r.overview.waiting and len(r.overview.waiting) == len(waiting) + 1
    assert r.inbox.unread >= 1 and r.inbox.items[0]["comment"] == "よろしくお願いします。"
    assert r.inbox.open(r.inbox.items[0]["id"])  # the notice opens its plan, and is read
    assert r.section == "plan" and r.opened.consortium == "kansai" and r.inbox.items[0]["read"]
    from planner.app.review.opened import PlanHeadView

    head = PlanHeadView(r.opened)
    head.render()
    assert "よろしくお願いします。" in head._head.value and "事務局からのメッセージ" in head._head.value


def test_the_plan_opened_follows_a_withdrawal_and_a_typed_result_is_kept(demo):
    r = review(demo, "officer")
    assert r.open_plan("hokuriku")
    rev = r.opened.record.revision
    api(demo).withdraw("hokuriku", 2025, by="secretariat-hokuriku")
    assert r.follower.check()
    assert r.opened.record.revision == rev + 1 and r.opened.status == "draft"
    assert "提出を取り下げました" in r.note.ja and not r.decision.can_accept
    c = review(demo, "contractor")
    assert c.open_plan("kyushu")
    line = c.result_form.line_id
    c.result_form.venue = "入力中の会場"
    s = api(demo)
    rec = s.get("kyushu", 2025, by="contractor")
    other = next(ln.id for ln in rec.plan.lines if ln.id != line and ln.item in (1, 2, 3, 4, 5, 6))
    s.record_result("kyushu", 2025, planner.Result(line_id=other, dates=("2025-07-10",), company_staff=5),
                    by="contractor")
    assert c.follower.check()
    assert c.result_form.venue == "入力中の会場" and "残っています" in c.note.ja


def test_a_plan_reopened_under_the_contractors_eyes_is_closed_and_said(demo):
    c = review(demo, "contractor")
    assert c.open_plan("kyushu")
    before = len(demo[0].refusals())
    api(demo).reopen("kyushu", 2025, by="officer", comment="修正のため再開します。")
    assert c.follower.check()
    assert c.opened.record is None and "再開" in c.note.ja
    assert len(demo[0].refusals()) == before  # following is not a refusal to log
    assert not any(i["action"] == "reopen" for i in c.inbox.items)  # the contractor is not told of a reopen


# -- hand-offs: the question before 提出, the preview before a workbook is stored -------------------

def test_submit_asks_first_with_the_warnings_and_sends_the_message(demo):
    m = page(demo, "secretariat-kansai")
    assert m.actions.ask_submit() and m.actions.confirming
    assert m.actions.warnings == [f for f in m.findings if not f.is_error]
    m.actions.cancel_submit()
    assert not m.actions.confirming and m.status == "draft"  # asking changed nothing
    assert m.actions.ask_submit()
    m.actions.message = "  講師の変更を反映しました。  "
    assert m.actions.submit() and not m.actions.confirming and m.actions.message == ""
    assert m.desk.history("kansai", 2025)[-1].comment == "講師の変更を反映しました。"


def test_the_question_before_submitting_goes_when_someone_saves_meanwhile(demo):
    m, other = page(demo, "secretariat-kansai"), page(demo, "secretariat-kansai")
    assert m.actions.ask_submit()
    other.editor.remove_line(0)
    assert other.actions.save()
    assert m.follower.check()
    assert not m.actions.confirming and m.revision == other.revision  # asked again of the plan as it is now


def test_submit_is_not_even_asked_with_errors(demo):
    m = page(demo, "secretariat-kansai")
    m.editor.pick(1, "standard", 1, 8)  # over budget: an error
    m.editor.add_line()
    assert m.has_errors
    assert not m.actions.ask_submit() and not m.actions.confirming and "エラーが 1 件" in m.actions.note.ja


def _edited_workbook(m: SecretariatModel) -> tuple[bytes, str]:
    """The plan's workbook, downloaded, with line 1's title changed as a person would in Excel."""
    _, _, data = plan_download(m.desk, "kansai", 2025)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["計画"]
    header_row = next(r for r in range(1, 10) if ws.cell(r, 1).value == "番号")
    header = [c.value for c in ws[header_row]]
    first = next(r for r in range(header_row + 1, 30) if ws.cell(r, 1).value == 1)
    ws.cell(first, header.index("件名") + 1).value = "Excel で直した件名"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), "Excel で直した件名"


def test_an_upload_shows_what_will_change_and_stores_only_when_asked(demo):
    m = page(demo, "secretariat-kansai")
    rev = m.revision
    data, title = _edited_workbook(m)
    assert m.transfer.upload("edited.xlsx", data)
    assert m.transfer.pending_name == "edited.xlsx"
    assert any("1行目" in ja and title in ja for ja, _ in m.transfer.pending_changes)
    assert m.desk.find("kansai", 2025).revision == rev  # nothing stored yet
    m.transfer.cancel_upload()
    assert m.transfer.pending_name == "" and "取り込みませんでした" in m.transfer.note.ja
    assert m.desk.find("kansai", 2025).revision == rev
    assert m.transfer.upload("edited.xlsx", data) and m.transfer.confirm_upload()
    assert m.revision == rev + 1 and m.plan.lines[0].title == title


def test_an_upload_confirmed_after_someone_saved_is_refused_as_stale(demo):
    m, other = page(demo, "secretariat-kansai"), page(demo, "secretariat-kansai")
    data, _ = _edited_workbook(m)
    assert m.transfer.upload("edited.xlsx", data)
    other.editor.remove_line(2)
    assert other.actions.save()
    assert not m.transfer.confirm_upload()
    assert any(f.code == "STALE_REVISION" for f in m.transfer.findings)
    assert m.desk.find("kansai", 2025).revision == other.revision


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_inbox_speaks_the_pages_language(demo, lang):
    r = review(demo, "officer")
    r.lang = lang
    assert r.inbox.items and all(i["what"] for i in r.inbox.items)
    word = "A plan was submitted" if lang == "en" else "計画が提出されました"
    assert any(i["what"] == word for i in r.inbox.items)
