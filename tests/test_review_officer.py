"""The review app as the programme officer works through it, driven without a browser: what a line
says beyond its title, which revisions are compared and why, what waits for a decision and the way
from one plan to the next, and a decision asked before it is done."""

from __future__ import annotations

import dataclasses

from signin_support import signed_in

import planner
from planner import Line, Plan
from planner.app.review import ReviewModel, open_review

PROPOSAL = "内定後から入社1年目までの留学生を対象に、生活・就業の相談会を年2回開催する支援メニューを提案する。"


def review(demo, user: str) -> ReviewModel:
    store, k = demo
    return open_review(signed_in(store, k[user]), planner.open_store(store.path))


def snapshot(store) -> list:
    return [store.db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in ("plans", "revisions", "results")]


def tohoku_with_notes(store, notes: str) -> None:
    """The Tohoku secretariat withdraws its plan, rewrites the ⑪ proposal's description and submits again."""
    by = "secretariat-tohoku"
    rev = store.withdraw("tohoku", 2025, by=by)
    plan = store.get("tohoku", 2025, by=by).plan
    lines = [dataclasses.replace(ln, notes=notes) if ln.item == 11 else ln for ln in plan.lines]
    rev = store.save(Plan("tohoku", 2025, lines), by=by, base_revision=rev)
    store.submit("tohoku", 2025, by=by, base_revision=rev)


# -- a line's details ------------------------------------------------------------------------------

def test_each_line_says_its_details_and_a_proposal_its_description(demo):
    m = review(demo, "officer")
    m.open_plan("tohoku")
    first, proposal = m.opened.rows[0], m.opened.rows[-1]
    assert first["facts"] == [("想定企業数", "10社"), ("想定留学生数", "60人"), ("言語", "日本語")]
    assert first["notes"] == "" and not first["needs_notes"]
    assert proposal["item"].startswith("⑪") and proposal["notes"] == PROPOSAL and proposal["needs_notes"]
    from planner.app.review.opened import details_html

    # a proposal's notes read as the secretariat's form names them; other lines' as 備考
    assert '<span class="rv-detail-label">提案内容</span> ' + PROPOSAL in details_html(proposal, "ja")
    assert "Proposal" in details_html(proposal, "en") and "提案内容" not in details_html(first, "ja")
    m.lang = "en"
    assert m.opened.rows[0]["facts"] == [("Companies", "10"), ("Students", "60"), ("Language", "日本語")]


def test_a_proposal_without_its_description_says_so_under_the_line(demo):
    store, _ = demo
    by = "secretariat-kansai"
    rec = store.get("kansai", 2025, by=by)
    store.save(Plan("kansai", 2025, [*rec.plan.lines, Line(11, "proposal", 1, 1, "新規メニュー提案")]), by=by,
               base_revision=rec.revision)
    m = review(demo, "officer")
    m.open_plan("kansai")
    last = m.opened.rows[-1]
    assert last["needs_notes"] and last["notes"] == ""
    assert any(f.code == "DESCRIPTION_REQUIRED" and f.line == last["no"] for f in m.opened.findings)


# -- which revisions are compared ------------------------------------------------------------------

def test_revisions_are_named_by_status_time_and_who(demo):
    m = review(demo, "officer")
    m.open_plan("tohoku")
    labels = [label for label, _ in m.compare.options_pairs]
    assert [v for _, v in m.compare.options_pairs] == [3, 2, 1]  # newest first, as in the history
    assert labels[0].startswith("版3 提出済み 20") and labels[0].endswith(" 東北コンソーシアム 事務局")
    assert labels[2].startswith("版1 下書き ")
    assert not any("secretariat-" in label for label in labels)
    m.lang = "en"
    assert m.compare.options_pairs[0][0].startswith("Rev. 3 submitted 20")


def test_the_comparison_starts_from_what_this_officer_saw_last(demo):
    store, _ = demo
    m = review(demo, "officer")
    m.open_plan("tohoku")  # never opened before, never decided: from the first revision
    assert (m.compare.a, m.compare.b, m.compare.basis, m.compare.unchanged) == (1, 3, "first", False)
    assert store.last_seen("tohoku", 2025, by="officer") == 3
    tohoku_with_notes(store, PROPOSAL + "対象は東北6県の大学・専門学校。")  # revisions 4, 5, 6
    m = review(demo, "officer")  # another day
    m.open_plan("tohoku")
    c = m.compare
    assert (c.a, c.b, c.basis, c.unchanged) == (3, 6, "seen", False)
    (row,) = [r for r in c.rows if r["kind"] == "changed"]
    assert row["left_notes"] == PROPOSAL and row["right_notes"].endswith("対象は東北6県の大学・専門学校。")
    assert row["proposal"] and not any(r["proposal"] for r in c.rows if r is not row)  # ⑪ only: 提案内容
    assert all(not r["left_notes"] and not r["right_notes"] for r in c.rows if r["kind"] == "same")
    assert any("7行目の備考" in x for x in c.changes)
    # someone else's looking is theirs: the analyst has never opened it
    analyst = review(demo, "analyst")
    analyst.open_plan("tohoku")
    assert (analyst.compare.a, analyst.compare.basis) == (1, "first")
    # opened again with nothing new: says so, and compares from the last decision, else the first
    m = review(demo, "officer")
    m.open_plan("tohoku")
    assert (m.compare.a, m.compare.basis, m.compare.unchanged) == (1, "first", True)


def test_after_a_decision_the_comparison_still_starts_where_the_officer_came_in(demo):
    store, _ = demo
    m = review(demo, "officer")
    m.open_plan("tohoku")
    tohoku_with_notes(store, "改訂版の提案")
    m.open_plan("tohoku")
    assert m.compare.a == 3 and m.compare.b == 6
    assert m.decision.ask("accept") and m.decision.confirm()
    assert (m.compare.a, m.compare.b) == (3, 7)
    assert store.last_seen("tohoku", 2025, by="officer") == 7


def test_a_first_look_after_a_return_compares_from_the_return(demo):
    m = review(demo, "officer")
    m.open_plan("chugoku")  # returned by the officer at revision 4: nothing after it
    assert (m.compare.a, m.compare.b, m.compare.basis) == (1, 4, "first")
    store, _ = demo
    by = "secretariat-chugoku"
    rec = store.get("chugoku", 2025, by=by)
    rev = store.save(Plan("chugoku", 2025, rec.plan.lines[:-1]), by=by, base_revision=rec.revision)
    store.submit("chugoku", 2025, by=by, base_revision=rev)
    analyst = review(demo, "analyst")  # first look, after the return: from the return
    analyst.open_plan("chugoku")
    assert (analyst.compare.a, analyst.compare.b, analyst.compare.basis) == (4, 6, "decided")


# -- what waits, and from one plan to the next -----------------------------------------------------

def test_the_overview_counts_the_plans_waiting_for_a_decision(demo):
    m = review(demo, "officer")
    assert m.overview.waiting == ["tohoku", "hokuriku"] and m.next_waiting == "tohoku"
    assert review(demo, "contractor").overview.waiting == [] and review(demo, "analyst").overview.waiting == []
    assert m.open_first_waiting() and m.opened.consortium == "tohoku"
    assert m.decision.ask("accept") and m.decision.confirm()
    assert m.overview.waiting == ["hokuriku"] and m.next_waiting == "hokuriku"


def test_from_one_plan_to_the_next_without_the_list(demo):
    m = review(demo, "officer")
    m.open_plan("tohoku")
    assert (m.prev_plan, m.next_plan, m.next_waiting) == ("hokkaido", "hokuriku", "hokuriku")
    assert m.open_step(1) and m.opened.consortium == "hokuriku" and m.section == "plan"
    assert m.next_waiting == "tohoku"  # round to the top, never the plan opened
    assert m.open_step(-1) and m.opened.consortium == "tohoku"
    m.open_plan("kyushu")  # the last in the list
    assert m.next_plan == "" and m.prev_plan == "chugoku"
    assert not m.open_step(1) and m.note.kind == "info" and m.opened.consortium == "kyushu"
    assert m.open_next_waiting() and m.opened.consortium == "tohoku"
    for cid in ("tohoku", "hokuriku"):
        m.open_plan(cid)
        assert m.decision.ask("accept") and m.decision.confirm()
    assert m.next_waiting == "" and not m.open_next_waiting() and "ほかに確認待ち" in m.note.ja


def test_the_contractor_steps_through_accepted_plans_only(demo):
    m = review(demo, "contractor")
    m.open_plan("kyushu")
    assert (m.prev_plan, m.next_plan, m.next_waiting) == ("", "", "")


# -- a decision is asked, then confirmed -----------------------------------------------------------

def test_a_decision_is_said_first_and_done_on_confirmation(demo):
    store, _ = demo
    m = review(demo, "officer")
    m.open_plan("hokuriku")
    before = snapshot(store)
    d = m.decision
    assert d.ask("accept") and d.pending == "accept" and d.pending_revision == 3
    assert d.question.ja == "北陸コンソーシアムの計画（版3）を承認します。よろしいですか？"
    assert d.question.en == "Accept the plan of Hokuriku Consortium (revision 3)?"
    assert d.question.details == (("コメントなし", "No comment"),)
    assert snapshot(store) == before
    assert d.confirm() and d.pending == "" and d.question is None
    assert store.current("hokuriku", 2025).status == "accepted"
    assert d.note.ja == "北陸コンソーシアムの計画を承認しました（版 4）。"
    assert d.note.en == "The plan of Hokuriku Consortium was accepted (revision 4)."


def test_a_decision_asked_can_be_let_go(demo):
    store, _ = demo
    m = review(demo, "officer")
    m.open_plan("tohoku")
    before = snapshot(store)
    d = m.decision
    d.comment = "④のセミナーを秋に移してください。"
    assert d.ask("return") and "差し戻します" in d.question.ja
    assert d.question.details == (("コメント: ④のセミナーを秋に移してください。",
                                   "Comment: ④のセミナーを秋に移してください。"),)
    d.cancel()
    assert d.pending == "" and d.note.kind == "info" and "変更していません" in d.note.ja
    assert not d.confirm() and "確定する操作がありません" in d.note.ja
    # another comment than the one asked with: asked again, never sent unseen
    assert d.ask("return")
    d.comment = "別のコメント"
    assert d.pending == ""
    # another plan opened: nothing asked stays
    assert d.ask("return")
    m.open_plan("hokuriku")
    assert d.pending == "" and d.question is None
    assert snapshot(store) == before


def test_a_return_without_a_comment_is_refused_when_asked(demo):
    store, _ = demo
    m = review(demo, "officer")
    m.open_plan("tohoku")
    assert not m.decision.ask("return") and m.decision.pending == ""
    assert m.decision.note.kind == "error" and "コメント" in m.decision.note.ja


def test_a_reopening_is_asked_with_what_it_does(demo):
    store, _ = demo
    m = review(demo, "officer")
    m.open_plan("kyushu")
    assert m.decision.ask("reopen") and "下書きに戻します" in m.decision.question.ja
    assert store.current("kyushu", 2025).status == "accepted"
    assert m.decision.confirm() and store.current("kyushu", 2025).status == "draft"


def test_a_confirmation_on_a_plan_changed_meanwhile_is_refused(demo):
    store, _ = demo
    m = review(demo, "officer")
    m.open_plan("tohoku")
    assert m.decision.ask("accept")
    store.withdraw("tohoku", 2025, by="secretariat-tohoku")  # while the question is on screen
    assert not m.decision.confirm()
    assert store.current("tohoku", 2025).status == "draft"
    last = store.refusals()[-1]
    assert (last["action"], last["kind"]) == ("accept", "conflict")
    note = m.decision.note
    assert note.kind == "error" and "版 3 → 4" in note.ja and "東北コンソーシアム 事務局 さん" in note.ja
    assert "secretariat-tohoku" not in note.ja + note.en
    assert m.opened.record.revision == 4 and m.decision.pending == ""


def test_a_question_about_a_revision_no_longer_shown_is_dropped(demo):
    store, _ = demo
    m = review(demo, "officer")
    m.open_plan("tohoku")
    assert m.decision.ask("accept")
    store.withdraw("tohoku", 2025, by="secretariat-tohoku")
    m.opened.load()  # the page shows the plan as it is now
    assert m.decision.pending == "" and not m.decision.confirm()
    assert store.current("tohoku", 2025).status == "draft"
