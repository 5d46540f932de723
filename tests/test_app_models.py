"""The secretariat app's models, driven without a browser: pick, over budget, save, conflict, submit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from signin_support import signed_in

import planner
from planner.app.identity import Request, query_params, read_request
from planner.app.review import open_review
from planner.app.secretariat import SecretariatModel, open_session
from planner.demo import keys_path
from planner.server.handoff import SESSION_ENV


def keys(db: Path) -> dict[str, str]:
    return json.loads(keys_path(db).read_text(encoding="utf-8"))


def session(demo, user: str, extra: str = "") -> SecretariatModel:
    store, k = demo
    # a page's kernel has a store of its own, bound to its session
    return open_session(signed_in(store, k[user], extra.lstrip("&")), planner.open_store(store.path))


# -- who is there ----------------------------------------------------------------------------------

@pytest.mark.parametrize("request_", [Request(), Request("lang=en"), Request("key=1.wrong", None),
                                      Request("", ""), Request("", "0" * 64)])
def test_no_session_is_refused_in_both_languages_without_plan_data(demo, request_):
    """The app never signs in from a key in its URL: only the server's session counts."""
    store, k = demo
    before = len(store.refusals())
    m = open_session(Request(f"key={k['secretariat-kansai']}", request_.session) if request_.query_string ==
                     "key=1.wrong" else request_, store)
    assert m.refusal is not None
    assert "サインインしていません" in m.refusal.ja and "not signed in" in m.refusal.en
    assert m.plan is None and m.desk is None and m.user is None
    assert len(store.refusals()) == before + 1


def test_a_session_whose_key_was_revoked_is_refused(demo):
    store, k = demo
    req = signed_in(store, k["secretariat-kansai"])
    store.revoke_keys("secretariat-kansai")
    m = open_session(req, store)
    assert m.refusal is not None and m.plan is None
    assert "失効" in m.refusal.ja and "revoked" in m.refusal.en


@pytest.mark.parametrize("user", ["officer", "contractor", "analyst"])
def test_other_roles_do_not_open_the_secretariat_editor(demo, user):
    store, _ = demo
    m = session(demo, user)
    assert m.refusal is not None
    assert "事務局" in m.refusal.ja and "secretariat" in m.refusal.en
    assert m.plan is None
    assert store.refusals()[-1]["user"] == user


def test_jupyterhub_user_in_the_environment_is_not_trusted(demo, monkeypatch):
    store, _ = demo
    monkeypatch.setenv("JUPYTERHUB_USER", "secretariat-tohoku")
    assert open_session(Request(), store).refusal is not None


def test_the_request_is_read_from_the_kernel_environment_without_preheating():
    assert read_request({"QUERY_STRING": "lang=en", SESSION_ENV: "ab12"}) == Request("lang=en", "ab12")
    assert read_request({}) == Request("", None)
    assert query_params("key=a&key=b&lang=en") == {"key": "a", "lang": "en"}


def test_a_key_sees_only_its_own_consortium_whatever_the_url_asks(demo):
    m = session(demo, "secretariat-kansai", "&consortium=tohoku")
    assert m.consortium == "kansai"
    assert all(ln.title != "東北オンライン合同企業説明会" for ln in m.plan.lines)
    with pytest.raises(planner.AccessDenied):
        m.desk.find("tohoku", 2025)


# -- picking and points ----------------------------------------------------------------------------

def test_pick_item_variant_quantity_month_and_add(demo):
    m = session(demo, "secretariat-kansai")
    assert (m.points_used, m.budget, m.points_left) == (110, 120, 10)
    assert len(m.editor.item_options) == 12 and m.editor.item_options[0] == ("選んでください", 0)
    m.editor.pick(3)
    assert [v for _, v in m.editor.variant_options] == ["in_person", "online", "hybrid"]
    m.editor.pick(3, "online", 2, 11, "オンラインセミナー")
    assert m.editor.preview.kind == "info" and "10 ポイント" in m.editor.preview.ja
    assert m.editor.add_line()
    assert (m.points_used, m.points_left) == (120, 0)
    assert m.dirty and m.actions.can_save
    assert m.lines.rows[-1]["points"] == 10 and m.lines.rows[-1]["title"] == "オンラインセミナー"
    assert m.budget_model.left == 0 and not m.budget_model.over


def test_going_over_budget_shows_the_rule_message_at_once_and_blocks_submit(demo):
    m = session(demo, "secretariat-kansai")
    m.editor.pick(1, "standard", 1, 8)
    assert m.editor.preview.kind == "warning" and "超えます" in m.editor.preview.ja  # nothing happened yet
    m.editor.add_line()
    assert m.budget_model.over and m.points_left == -20
    assert m.budget_model.message.code == "BUDGET_EXCEEDED"
    assert "予算 120 ポイントを 20 ポイント超えています" in m.budget_model.message.message_ja
    assert m.has_errors and not m.actions.can_submit
    assert not m.actions.submit()
    assert m.actions.note.kind == "error" and "エラーが 1 件" in m.actions.note.ja  # said by the buttons
    assert m.desk.find("kansai", 2025).status == "draft"


def test_warnings_are_warnings(demo):
    m = session(demo, "secretariat-kansai")
    for _ in range(4):  # the lines the bus (⑦) and the venue (⑩) serve stay
        m.editor.remove_line(1)
    codes = {f.code: f.severity for f in m.findings}
    assert codes.get("BUDGET_UNDERUSED") == "warning"
    assert m.findings_model.warnings >= 1 and m.budget_model.message.severity == "warning"
    assert m.actions.can_submit  # warnings do not block


def test_change_and_remove_lines(demo):
    m = session(demo, "secretariat-kansai")
    m.editor.edit_line(2)
    assert (m.editor.item, m.editor.variant, m.editor.quantity) == (3, "hybrid", 2)
    m.editor.quantity = 1
    assert m.editor.apply_change()
    assert m.plan.lines[2].quantity == 1 and m.points_used == 100 and m.editor.selected == -1
    assert m.editor.remove_line(0)
    assert len(m.plan.lines) == 7 and m.points_used == 80


def test_a_bad_number_in_the_details_is_a_message_not_a_line(demo):
    m = session(demo, "secretariat-kansai")
    m.editor.pick(3, "online", 1, 6)
    m.editor.companies = "たくさん"
    assert not m.editor.add_line()
    assert "数字" in m.editor.form_note.ja and len(m.plan.lines) == 8
    m.editor.companies = "２０"
    assert m.editor.add_line() and m.plan.lines[-1].companies == 20


def test_a_fresh_form_has_no_item_so_no_preview_and_adding_is_refused_with_a_message(demo):
    m = session(demo, "secretariat-kansai")  # 10 points left: a preselected ① warned of an overrun
    e = m.editor
    assert e.item == 0 and e.variant == "" and e.variant_options == [] and e.preview is None
    assert not e.add_line()
    assert "メニューを選んで" in e.form_note.ja and "Choose a menu item" in e.form_note.en
    assert len(m.plan.lines) == 8 and not m.dirty


def test_after_adding_the_form_is_fresh_and_the_focus_goes_to_the_new_line(demo):
    m = session(demo, "secretariat-kansai")
    e, moves = m.editor, []
    m.lines.observe(lambda c: moves.append(c["new"]), "focus_row")
    e.pick(3, "online", 1, 6, "セミナー")
    assert e.add_line() and m.lines.focus_row == 8
    assert (e.item, e.variant, e.title, e.preview, e.form_note) == (0, "", "", None, None)
    assert not e.add_line() and len(m.plan.lines) == 9  # a second Enter on 追加 adds nothing
    assert e.remove_line(8)
    e.pick(3, "online", 1, 6)
    # removed, the focus went to the line before; the same row is the new one again: the focus goes again
    assert e.add_line() and moves == [8, -1, 7, -1, 8]


def test_after_removing_a_line_the_focus_goes_to_the_next_line_else_the_one_before_else_to_adding(demo):
    m = session(demo, "secretariat-kansai")  # 8 lines
    e, moves, adds = m.editor, [], []
    m.lines.observe(lambda c: moves.append(c["new"]), "focus_row")
    m.lines.observe(lambda c: adds.append(c["new"]), "focus_add")
    assert e.remove_line(2) and moves[-1] == 2  # the next line moved up into the row that had the focus
    assert e.remove_line(6) and moves[-1] == 5  # the last line: the one before it, the new last line
    while len(m.plan.lines) > 1:
        assert e.remove_line(0) and moves[-1] == 0
    assert adds == []
    assert e.remove_line(0) and m.plan.lines == () and adds == [1]  # no row left: to 「＋ 行を追加」
    assert not e.remove_line(0) and adds == [1]  # nothing removed: the focus stays where it is


def test_a_line_opened_to_change_takes_the_focus_to_the_form_and_back_to_its_row_when_done(demo):
    m = session(demo, "secretariat-kansai")
    e = m.editor
    before = e.focus_form
    e.edit_line(2)
    assert e.focus_form == before + 1  # the line is in the form further down: the focus follows it
    e.quantity = 1
    assert e.apply_change() and m.lines.focus_row == 2  # 変更を反映 is hidden now: back to the row
    plan = m.plan
    e.edit_line(4)
    e.quantity = 9
    e.cancel_change()
    assert m.lines.focus_row == 4 and e.selected == -1 and m.plan == plan


def test_the_tables_add_button_brings_the_form_and_leaves_a_line_being_changed_as_it_was(demo):
    m = session(demo, "secretariat-kansai")
    e = m.editor
    e.edit_line(0)
    e.quantity = 5
    before = e.focus_form
    e.start_adding()
    assert e.focus_form == before + 1 and e.selected == -1 and e.item == 0
    assert m.plan.lines[0].quantity == 1 and not m.dirty


def test_an_item_whose_rule_asks_a_proposal_asks_it_in_the_form_before_adding(demo):
    m = session(demo, "secretariat-kansai")
    e = m.editor
    e.pick(3)
    assert not e.needs_description
    e.pick(11, "proposal", 1, 9)
    assert e.needs_description
    assert not e.add_line() and len(m.plan.lines) == 8
    assert "⑪新規支援事業メニューの企画提案には提案内容が必要です" in e.form_note.ja
    assert "「追加」" in e.form_note.ja and "Proposal" in e.form_note.en
    e.notes = "  "
    assert not e.add_line()
    e.notes = "地域の中小企業向けの採用相談会"
    assert e.add_line() and m.plan.lines[-1].notes == "地域の中小企業向けの採用相談会"
    assert "DESCRIPTION_REQUIRED" not in [f.code for f in m.findings]
    e.edit_line(8)
    assert e.needs_description and e.notes == "地域の中小企業向けの採用相談会"
    e.notes = ""
    assert not e.apply_change() and "「変更を反映」" in e.form_note.ja
    assert m.plan.lines[8].notes == "地域の中小企業向けの採用相談会"


def test_which_items_need_a_proposal_is_the_years_rule_not_the_item_number(demo):
    from dataclasses import replace

    from planner.fiscal_year import Rule

    m = session(demo, "secretariat-kansai")
    m.fy = replace(m.fy, rules=tuple(r for r in m.fy.rules if r.kind != "description_required")
                   + (Rule("description_required", 3),))
    m.editor.pick(11)
    assert not m.editor.needs_description
    m.editor.pick(3, "online", 1, 6)
    assert m.editor.needs_description and not m.editor.add_line() and "③" in m.editor.form_note.ja


def test_over_budget_the_budget_panel_says_which_lines_would_bring_it_back(demo):
    m = session(demo, "secretariat-hokkaido")  # 95 of 90
    hint = m.budget_model.cut_hint
    assert hint.ja == ("次のどれか1行を削除（または中止）すると予算内に収まります: "
                       "6行目（⑧ 北海道の外国人材活躍 好事例、5 ポイント）、"
                       "3行目（⑤ 企業と留学生の交流会、10 ポイント）、4行目（⑥ 道内企業見学会、12 ポイント）")
    assert hint.en.startswith("Removing (or cancelling) any one of these lines brings the plan within budget: "
                              "line 6 (⑧")
    m.editor.edit_line(5)
    m.editor.cancelled = True
    assert m.editor.apply_change() and m.budget_model.cut_hint is None  # cancelled: within the budget
    assert session(demo, "secretariat-kansai").budget_model.cut_hint is None


# -- save, conflict, submit, history ---------------------------------------------------------------

def test_save_draft_keeps_the_change_and_records_history(demo):
    m = session(demo, "secretariat-kansai")
    rev = m.revision
    m.editor.pick(3, "online", 1, 6, "追加セミナー")
    m.editor.add_line()
    assert m.actions.save()
    assert m.revision == rev + 1 and not m.dirty and m.actions.note.kind == "success"
    assert f"版 {rev + 1}" in m.actions.note.ja and m.note is None
    again = session(demo, "secretariat-kansai")
    assert again.plan.lines[-1].title == "追加セミナー" and again.points_used == 115
    top = again.history.rows[0]
    assert top["revision"] == rev + 1 and top["by"] == "関西コンソーシアム 事務局" and "9行目を追加" in top["summary"]


def test_a_save_with_nothing_changed_adds_no_revision_and_keeps_a_returned_plan_returned(demo):
    """The button is disabled then; a click sent over the websocket all the same is refused here."""
    store, _ = demo
    m = session(demo, "secretariat-chugoku")  # returned by the officer
    assert m.status == "returned" and not m.actions.can_save
    rev = m.revision
    assert not m.actions.save()
    assert m.actions.note.kind == "info" and f"版 {rev} のまま" in m.actions.note.ja
    rec = store.current("chugoku", 2025)
    assert (rec.revision, rec.status) == (rev, "returned")


def test_conflict_shows_what_changed_offers_reload_and_overwrites_nothing(demo):
    a = session(demo, "secretariat-kansai")
    b = session(demo, "secretariat-kansai")
    a.editor.pick(3, "online", 1, 6, "Aのセミナー")
    a.editor.add_line()
    assert a.actions.save()
    b.editor.remove_line(0)
    assert not b.actions.save()
    c = b.actions.conflict
    assert c is not None and c.current_revision == a.revision and c.base_revision == a.revision - 1
    assert c.saved_by == "関西コンソーシアム 事務局"  # as people know them, not the login
    assert any("Aのセミナー" in ja for ja, _ in c.theirs)
    assert any("削除" in ja or "変更" in ja for ja, _ in c.mine)
    assert b.actions.note is None  # the conflict box says it, once
    stored = a.desk.find("kansai", 2025)
    assert stored.revision == a.revision and stored.plan.lines[-1].title == "Aのセミナー"
    assert len(stored.plan.lines) == 9
    b.actions.reload()
    assert b.actions.conflict is None and b.revision == a.revision and b.plan == stored.plan


def test_submit_locks_editing_and_withdraw_unlocks(demo):
    m = session(demo, "secretariat-kansai")
    assert m.actions.can_submit
    assert m.actions.submit()
    assert m.status == "submitted" and not m.editable and m.actions.can_withdraw
    assert m.actions.focus_reload == 1  # 提出 is disabled now: the focus goes to 最新の版を読み込む, not to 取り下げ
    m.editor.pick(3, "online", 1, 6)
    assert not m.editor.add_line() and "取り下げ" in m.editor.form_note.ja
    assert m.history.rows[0]["status"] == "提出済み"
    assert m.actions.withdraw()
    assert m.status == "draft" and m.editable
    assert m.actions.focus_reload == 2  # 取り下げ is hidden now; a second Enter must not submit again
    assert not m.actions.withdraw() and m.actions.focus_reload == 2  # refused: the focus stays on the button


def test_submit_saves_unsaved_changes_first(demo):
    m = session(demo, "secretariat-kansai")
    m.editor.pick(3, "online", 1, 6)
    m.editor.add_line()
    assert m.actions.submit()
    assert m.status == "submitted" and m.points_used == 115 and not m.dirty


def test_returned_plan_shows_the_officers_comment_and_can_be_edited(demo):
    m = session(demo, "secretariat-chugoku")
    assert m.status == "returned" and "2〜3月に集中" in m.comment and m.editable


def test_accepted_plan_is_read_only(demo):
    m = session(demo, "secretariat-kyushu")
    assert m.status == "accepted" and not m.editable
    assert not m.editor.remove_line(0) and "承認済み" in m.editor.form_note.ja
    assert not m.actions.can_save and not m.actions.can_submit


def test_english_toggle(demo):
    m = session(demo, "secretariat-kansai")
    m.lang = "en"
    assert m.editor.item_options[0][0] == "Choose an item"
    assert m.editor.item_options[1][0].startswith("① Internship programme")
    assert m.lines.rows[0]["month"] == "Jul"
    assert m.history.rows[0]["status"] == "draft"
    assert session(demo, "secretariat-kansai", "&lang=en").lang == "en"


# -- upload and download ---------------------------------------------------------------------------

def test_upload_over_10_mb_is_refused_before_anything_else(demo):
    m = session(demo, "secretariat-kansai")
    m.editor.remove_line(0)  # even with unsaved changes, the size is what is said first
    rev = m.revision
    assert not m.transfer.upload("big.xlsx", b"\0" * (10 * 1024 * 1024 + 1))
    assert [f.code for f in m.transfer.findings] == ["FILE_TOO_LARGE"]
    assert "10 MB" in m.transfer.note.ja and m.desk.find("kansai", 2025).revision == rev


def test_upload_with_unsaved_changes_is_refused(demo):
    m = session(demo, "secretariat-kansai")
    m.editor.remove_line(0)
    assert not m.transfer.upload("plan.xlsx", b"PK")
    assert "保存していない変更" in m.transfer.note.ja


def test_upload_of_a_broken_file_lists_findings_and_changes_nothing(demo):
    m = session(demo, "secretariat-kansai")
    rev = m.revision
    assert not m.transfer.upload("plan.xlsx", b"this is not a workbook")
    assert m.transfer.findings and m.transfer.findings[0].code == "NOT_A_WORKBOOK"
    assert m.transfer.note.kind == "error" and m.revision == rev
    assert m.desk.find("kansai", 2025).revision == rev


def test_download_is_a_link_to_the_server_that_names_the_revision(demo, monkeypatch):
    monkeypatch.setenv("VOILA_BASE_URL", "/planner/")
    m = session(demo, "secretariat-kansai")
    tr = m.transfer
    assert tr.download_href == "/planner/workbook/plan?consortium=kansai&fy=2025"
    assert tr.download_name == f"計画_関西コンソーシアム_2025年度_版{m.revision}.xlsx" and tr.download_hint is None
    m.editor.remove_line(0)  # unsaved: the download is the saved revision, and says so
    assert tr.download_hint.kind == "warning" and f"保存済みの版 {m.revision}" in tr.download_hint.ja


def test_a_year_with_no_plan_offers_the_blank_form(demo):
    m = session(demo, "secretariat-hokkaido")
    m.change_year(2024)
    assert m.revision == 0 and m.transfer.download_href.endswith("consortium=hokkaido&fy=2024")
    assert m.transfer.download_name.endswith("2024年度_新規.xlsx") and "空の Excel" in m.transfer.download_hint.ja


def test_a_downloaded_workbook_with_an_error_is_refused_whole_at_its_place(demo):
    import io

    import openpyxl

    from planner.downloads import plan_download

    m = session(demo, "secretariat-kansai")
    name, _, data = plan_download(m.desk, "kansai", 2025)
    assert name == m.transfer.download_name
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert "計画" in wb.sheetnames
    # a workbook with an error in it is refused whole, with its place
    ws = wb["計画"]
    header = [c.value for c in ws[next(r for r in range(1, 10) if ws.cell(r, 1).value == "番号")]]
    qty_col = header.index("数量") + 1
    first = next(r for r in range(1, 20) if ws.cell(r, 1).value == 1)
    ws.cell(first, qty_col).value = "たくさん"
    buf = io.BytesIO()
    wb.save(buf)
    assert not m.transfer.upload("edited.xlsx", buf.getvalue())
    bad = [f for f in m.transfer.findings if f.is_error]
    assert bad and bad[0].sheet == "計画" and bad[0].row == first


def test_the_language_chosen_is_the_one_the_app_opens_in_next_time(demo):
    store, k = demo
    m = session(demo, "secretariat-kansai")
    assert m.lang == "ja" and store.language("secretariat-kansai") == ""  # opening chooses nothing
    m.lang = "en"  # the English button
    assert store.language("secretariat-kansai") == "en"
    assert session(demo, "secretariat-kansai").lang == "en"  # a reload: the URL says nothing
    assert session(demo, "secretariat-tohoku").lang == "ja"  # someone else's choice is theirs
    assert session(demo, "secretariat-kansai", "&lang=ja").lang == "ja"  # a URL that says it wins, for that page
    assert store.language("secretariat-kansai") == "en" and session(demo, "secretariat-kansai").lang == "en"
    review = open_review(signed_in(store, k["officer"]), planner.open_store(store.path))
    review.lang = "en"
    assert store.language("officer") == "en"
    assert open_review(signed_in(store, k["officer"]), planner.open_store(store.path)).lang == "en"


def test_the_outcome_said_by_the_buttons_goes_once_the_plan_is_changed_again_or_the_year_is(demo):
    m = session(demo, "secretariat-kansai")
    m.editor.pick(3, "online", 1, 6)
    m.editor.add_line()
    assert m.actions.save() and m.actions.note.kind == "success"
    m.editor.remove_line(0)
    assert m.actions.note is None  # "saved" must not stand beside changes made after it
    m.actions.reload()
    assert m.actions.note.kind == "info" and "破棄" in m.actions.note.ja
    assert m.change_year(2024) and m.actions.note is None


def test_the_year_opened_is_the_current_round_unless_the_url_names_one(demo):
    m = session(demo, "secretariat-kansai")
    assert m.fy.year == 2025  # a later year's data file alone does not move the default
    old = session(demo, "secretariat-tohoku", "&fy=2024")
    assert old.fy.year == 2024 and old.status == "accepted"


def test_switching_the_fiscal_year_shows_that_years_plan_menu_and_budget(demo):
    m = session(demo, "secretariat-tohoku")
    status_2025 = m.status
    assert m.year == 2025 and [y for _, y in m.year_options] == [2024, 2025]
    assert m.change_year(2024)
    assert (m.fy.year, m.status, m.year) == (2024, "accepted", 2024)
    assert all(r["revision"] for r in m.history.rows) and m.plan.fiscal_year == 2024
    assert "2024" in m.editor.month_options[0][0] and not m.editable
    assert m.change_year(2025) and m.fy.year == 2025 and m.status == status_2025


def test_switching_the_year_never_drops_unsaved_changes(demo):
    m = session(demo, "secretariat-kansai")
    m.editor.pick(2, "online", 1, 7)
    assert m.editor.add_line() and m.dirty
    lines = m.plan.lines
    assert not m.change_year(2024)
    assert m.fy.year == 2025 and m.plan.lines == lines and "保存していない変更" in m.note.ja


def test_a_year_switch_leaves_nothing_of_the_other_year_and_waits_for_a_line_being_changed(demo):
    m = session(demo, "secretariat-kansai")
    other = session(demo, "secretariat-kansai")
    other.editor.pick(2, "online", 1, 7)
    other.editor.add_line()
    assert other.actions.save()
    assert not m.actions.submit() and m.actions.conflict is not None  # refused: saved in between
    m.transfer.upload("x.xlsx", b"not a workbook")
    assert m.transfer.note is not None and m.transfer.findings
    m.editor.edit_line(0)
    assert not m.change_year(2024) and "変更中の行" in m.note.ja
    m.editor.cancel_edit()
    assert m.change_year(2024)
    assert m.actions.conflict is None and m.transfer.note is None and m.transfer.findings == []


def test_a_bad_quantity_is_said_once_and_the_next_one_replaces_it(demo):
    m = session(demo, "secretariat-kansai")
    m.editor.pick(3)
    m.editor.quantity_text = "-2"
    assert not m.editor.add_line() and m.editor.form_note is None
    assert "「-2」" in m.editor.preview.ja
    m.editor.quantity_text = "0"
    assert "「0」" in m.editor.preview.ja and m.editor.form_note is None
    m.editor.quantity_text = "３"
    assert m.editor.quantity == 3 and m.editor.quantity_text == "３" and m.editor.preview.kind != "error"


def test_after_a_change_the_form_is_as_on_a_fresh_page(demo):
    fresh = session(demo, "secretariat-kansai").editor
    m = session(demo, "secretariat-kansai")
    m.editor.edit_line(len(m.plan.lines) - 1)
    m.editor.cancel_edit()
    e = m.editor
    assert (e.item, e.variant, e.quantity, e.month, e.title) == (
        fresh.item, fresh.variant, fresh.quantity, fresh.month, fresh.title)


def test_expected_counts_read_like_the_quantity_and_odd_digits_are_refused_not_a_crash(demo):
    m = session(demo, "secretariat-kansai")
    m.editor.pick(2, "online", 1, 7)
    m.editor.companies = "²"  # a digit to str.isdigit, not to int()
    assert not m.editor.add_line() and "想定企業数は数字で" in m.editor.form_note.ja
    m.editor.companies = "３０"
    assert m.editor.add_line() and m.plan.lines[-1].companies == 30
