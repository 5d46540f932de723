"""The secretariat app, second pass over planning, driven without a browser: 対象行 chosen in the form and
shown in the table, the month picker's room, 削除 undone until the next save, a proposal under its line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from signin_support import signed_in
from test_app_views import find

import planner
from planner.app.secretariat import SecretariatView, open_session
from planner.demo import keys_path


@pytest.fixture
def kansai(demo_db: Path):
    """Kansai's draft: 1 ② (7月), 2 ②, 3 ③, 4 ④, 5 ⑤ 交流会, 6 ⑥ 見学会, 7 ⑦ serving 6, 8 ⑩ serving 1."""
    store = planner.open_store(demo_db)
    k = json.loads(keys_path(demo_db).read_text(encoding="utf-8"))
    m = open_session(signed_in(store, k["secretariat-kansai"]), store)
    view = SecretariatView(m)
    view.render()
    yield m, view, store
    store.close()


def test_the_table_shows_the_line_each_companion_serves(kansai):
    m, view, _ = kansai
    assert m.lines.rows[6]["serves"] == "6 関西ものづくり企業見学会"
    assert m.lines.rows[7]["serves"] == "1 関西留学生合同企業説明会2025"
    assert m.lines.rows[5]["serves"] == ""
    cells = find(view, "pl-line")[6].children[0].value
    assert "企業見学会の貸切バス" in cells
    assert '<span class="pl-serves" title="対象行">→ 6 関西ものづくり企業見学会</span>' in cells


def test_the_form_offers_the_lines_a_companion_may_serve_and_asks_for_one(kansai):
    m, view, _ = kansai
    e = m.editor
    e.pick(7, "bus_day", 1, 12, "交流会のバス")
    assert e.serves_shown and find(view, "pl-serves-choice")[0].layout is not None
    assert [label for label, _ in e.serves_options] == ["対象にする行を選んでください", "5 関西の企業と留学生の交流会",
                                                         "6 関西ものづくり企業見学会"]  # ⑦: ①⑤⑥ only
    assert not e.add_line() and "対象行" in e.form_note.ja and "Choose the line" in e.form_note.en
    e.serves = m.plan.lines[4].id
    assert e.add_line()
    assert m.plan.lines[8].serves == m.plan.lines[4].id and m.lines.rows[8]["serves"] == "5 関西の企業と留学生の交流会"
    # ⑩: ②–⑥
    e.pick(10)
    assert [v for _, v in e.serves_options][1:] == [ln.id for ln in m.plan.lines[:6]]
    # an event item asks for none, and its line names none
    e.pick(6, "day", 1, 9, "見学会")
    assert not e.serves_shown and e.serves_options == []
    # opened to change: its own choice; changed to the other line
    e.edit_line(6)
    assert e.serves == m.plan.lines[5].id
    e.serves = m.plan.lines[4].id
    assert e.apply_change() and m.plan.lines[6].serves == m.plan.lines[4].id
    # what was never offered (a forged message from the page: a ② for a bus, an unknown id) changes nothing
    for forged in (m.plan.lines[0].id, "Lnosuchline00"):
        e.edit_line(6)
        e.serves = forged
        before = m.plan
        assert not e.apply_change() and m.plan == before and "対象行" in e.form_note.ja
    e.cancel_change()
    # saved, the history says the change by 番号
    assert m.actions.save(), m.note
    last = m.desk.history("kansai", 2025)[-1]
    assert "7行目の対象行: 6行目 → 5行目" in last.summary("ja", m.menu)
    assert "Line 7 serves: line 6 → line 5" in last.summary("en", m.menu)


def test_the_review_app_shows_the_line_each_companion_serves(demo):
    from test_review_views import find as find_rv
    from test_review_views import texts

    from planner.app import review_app

    store, k = demo
    view = review_app(signed_in(store, k["officer"]), store)
    find_rv(find_rv(view, "rv-row-tohoku")[0], "rv-open")[0].click()
    lines = find_rv(view, "rv-lines")[0].value
    assert ('企業見学会の貸切バス <small>（山形）</small> '
            '<span class="pl-serves" title="対象行">→ 4 山形 企業見学会</span>') in lines
    assert "→ 4 山形 企業見学会" in texts(view)


def test_a_companion_with_one_line_to_serve_takes_it_and_with_none_says_so(kansai):
    m, _, _ = kansai
    e = m.editor
    while m.plan.lines:
        e.remove_line(0)
    e.pick(7, "bus_day", 1, 9, "バス")
    assert e.serves_options == [("対象にする行を選んでください", "")]
    assert e.serves_hint is not None and "①・⑤・⑥" in e.serves_hint.ja and "Add it first" in e.serves_hint.en
    assert e.add_line()  # allowed: the rule's error says what is missing until the event is added
    assert [(f.code, f.line) for f in m.findings if f.is_error] == [("REQUIRES_COMPANION", 1)]
    e.pick(6, "day", 1, 9, "見学会")
    assert e.add_line()
    e.pick(7, "bus_day", 1, 9, "バス2")
    assert e.serves == m.plan.lines[1].id  # the one line it can serve is taken for it
    assert e.add_line() and m.plan.lines[2].serves == m.plan.lines[1].id


def test_removing_a_served_line_is_an_error_on_its_companion_and_undo_brings_it_back(kansai):
    m, view, _ = kansai
    before = m.plan
    m.note = None
    assert m.editor.remove_line(5)  # the tour the bus was hired for
    bus = next(f for f in m.findings if f.code == "REQUIRES_COMPANION")
    assert bus.line == 6 and "削除されました" in bus.message_ja
    assert m.lines.rows[5]["serves_gone"]
    assert "→ 対象行なし（削除された行）" in find(view, "pl-line")[5].children[0].value
    # said where the row was, with 元に戻す, not at the top of the page
    assert m.note is None and "6行目（⑥ 関西ものづくり企業見学会）を削除しました" in m.editor.removed_note.ja
    rows = find(view, "pl-lines")[0].children[1].children
    (note,) = find(view, "pl-removed")
    assert list(rows).index(note) == 1 + 5  # after the header and the five rows above it
    (undo,) = find(view, "pl-undo")
    assert undo.description == "元に戻す"
    undo.click()
    assert m.plan == before and not [f for f in m.findings if f.is_error]
    assert m.editor.removed_note is None and not find(view, "pl-removed")
    assert "6行目を元に戻しました" in m.note.ja and not m.dirty


def test_several_removals_undo_newest_first_and_a_save_ends_undo(kansai):
    m, _, store = kansai
    before = m.plan
    m.editor.remove_line(7)
    m.editor.remove_line(0)
    assert m.editor.removed_at == 0
    m.editor.undo_remove()
    assert m.editor.removed_at == 7 and "8行目" in m.editor.removed_note.ja
    m.editor.undo_remove()
    assert m.plan == before and not m.editor.undo_remove()
    m.editor.remove_line(7)
    assert m.actions.save(), m.note
    assert m.editor.removed == [] and m.editor.removed_note is None and not m.editor.undo_remove()
    assert len(store.current("kansai", 2025).plan.lines) == 7


def test_the_month_picker_shows_each_months_events_against_the_capacity(kansai):
    m, _, _ = kansai
    e, cap = m.editor, m.fy.monthly_capacity
    from planner.load import events_by_month

    mine = events_by_month(m.plan, m.menu)
    labels = dict((v, label) for label, v in e.month_options)
    total = m.others_by_month.get(7, 0) + mine.get(7, 0)
    assert labels[7].startswith("7月（2025年）")
    assert labels[7].endswith(f"{total}/{cap}" + (" 満" if total == cap else ""))
    # filled to the capacity, a month says 満 before anyone picks it; past it, 超過
    room = cap - m.others_by_month.get(8, 0) - mine.get(8, 0)
    for _ in range(room):
        e.pick(3, "online", 1, 8, "セミナー")
        e.add_line()
    labels = dict((v, label) for label, v in e.month_options)
    assert labels[8].endswith(f"{cap}/{cap} 満")
    e.pick(3, "online", 1, 8, "セミナー")
    e.add_line()
    assert dict((v, label) for label, v in e.month_options)[8].endswith(f"{cap + 1}/{cap} 超過")
    m.lang = "en"
    assert dict((v, label) for label, v in e.month_options)[8] == f"Aug 2025 · {cap + 1}/{cap} over"


def test_a_proposal_shows_under_its_line(kansai):
    m, view, _ = kansai
    m.editor.pick(11, "proposal", 1, 5, "新規メニュー提案")
    m.editor.notes = "留学生の地元定着を支える <相談会> を年2回"
    assert m.editor.add_line()
    assert m.lines.rows[8]["proposal"] == "留学生の地元定着を支える <相談会> を年2回"
    assert m.lines.rows[0]["proposal"] == ""  # other lines' notes stay in the form
    cells = find(view, "pl-line")[8].children[0].value
    assert '<div class="pl-proposal-text">留学生の地元定着を支える &lt;相談会&gt; を年2回</div>' in cells


def test_over_budget_the_banner_says_it_in_one_line(kansai):
    m, view, _ = kansai
    m.editor.pick(1, "standard", 1, 8)
    m.editor.add_line()  # 140 of 120
    html = find(view, "pl-points")[0].value
    assert html.count('class="pl-budget-msg') == 1 and "<div" not in html.split('class="pl-budget-msg')[1]
    assert 'title="合計 140 ポイントが予算 120 ポイントを 20 ポイント超えています。' in html
