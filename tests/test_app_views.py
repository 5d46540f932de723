"""The widgets render the model and forward clicks to it; the serve settings are the safe ones."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import ipywidgets as ipw
import pytest
from signin_support import signed_in

import planner
from planner.app import Request
from planner.app.secretariat import SecretariatView, open_session
from planner.app.secretariat.budget import BudgetView
from planner.demo import keys_path
from planner.plan import Line
from planner.server import app as serve
from planner.server.handoff import SESSION_ENV


def find(widget: ipw.Widget, cls: str) -> list[ipw.Widget]:
    found = [widget] if cls in getattr(widget, "_dom_classes", ()) else []
    for child in getattr(widget, "children", ()):
        found.extend(find(child, cls))
    return found


@pytest.fixture
def kansai(demo_db: Path):
    store = planner.open_store(demo_db)
    k = json.loads(keys_path(demo_db).read_text(encoding="utf-8"))
    m = open_session(signed_in(store, k['secretariat-kansai']), store)
    view = SecretariatView(m)
    view.render()
    yield m, view
    store.close()


def test_budget_figures_and_bar_are_on_the_page(kansai):
    m, view = kansai
    html = find(view, "pl-points")[0].value
    assert "残り" in html and '<b class="pl-left-value">10</b>' in html and "予算" in html
    assert 'role="progressbar"' in html


def test_clicking_add_forwards_to_the_model_and_over_budget_shows_at_once(kansai):
    m, view = kansai
    m.editor.pick(1, "standard", 1, 8)
    find(view, "pl-add")[0].click()
    assert len(m.plan.lines) == 9
    html = find(view, "pl-points")[0].value
    assert "予算超過 20 ポイント" in html and "超えています" in html
    assert find(view, "pl-submit")[0].disabled


def test_dropdowns_follow_the_model_and_the_model_follows_the_dropdowns(kansai):
    m, view = kansai
    item, variant = find(view, "pl-item")[0], find(view, "pl-variant")[0]
    item.value = 2
    assert m.editor.item == 2 and variant.value == m.editor.variant == "in_person"
    variant.value = "online"
    assert m.editor.variant == "online"
    m.lang = "en"  # new option labels must not reset what was picked
    assert item.value == 2 and variant.value == "online" and m.editor.variant == "online"
    assert "Left" in find(view, "pl-points")[0].value


def test_remove_button_removes_its_own_line(kansai):
    m, view = kansai
    second = m.plan.lines[1]
    find(view, "pl-remove")[0].click()
    assert m.plan.lines[0] == second


def test_titles_are_escaped(kansai):
    m, view = kansai
    m.set_plan(m.plan.add_line(Line(3, "online", 1, 6, "<img src=x onerror=alert(1)>")))
    html = "".join(w.value for w in find(view, "pl-row-html"))
    assert "<img" not in html and "&lt;img" in html


def test_refusal_page_has_both_languages_and_no_plan(demo_db: Path):
    store = planner.open_store(demo_db)
    view = SecretariatView(open_session(Request("key=9.nope"), store))
    view.render()
    html = find(view, "pl-refusal-box")[0].value
    assert "サインインしていません" in html and "not signed in" in html
    # a way out for someone signed in as the wrong person (a shared PC, another app's link)
    assert 'href="/logout">サインアウトして、別の利用者としてサインインする' in html and "Sign out, to sign in" in html
    assert not find(view, "pl-points") and not find(view, "pl-line")
    store.close()


def test_budget_view_alone_renders_from_its_model(kansai):
    m, _ = kansai
    v = BudgetView(m.budget_model)
    v.render()
    m.editor.pick(2, "hybrid", 1, 7)
    m.editor.add_line()
    assert '<b class="pl-left-value">-16</b>' in v.children[0].value


# -- planner serve ---------------------------------------------------------------------------------

def test_keys_are_redacted_from_log_lines():
    line = "GET /voila/render/secretariat.ipynb?key=7.abcDEF_-x&lang=en (127.0.0.1)"
    assert serve.redact(line) == "GET /voila/render/secretariat.ipynb?key=[redacted]&lang=en (127.0.0.1)"
    rec = logging.LogRecord("tornado.access", logging.INFO, "", 0, "%s", ("/x?key=1.secret",), None)
    serve.RedactKeys().filter(rec)
    assert "secret" not in rec.getMessage()
    assert serve.redact("pasted http://h/login#key=3.abc then") == "pasted http://h/login#key=[redacted] then"


def test_voila_settings_are_the_safe_ones():
    c = serve.voila_config(8866, serve.NOTEBOOKS, 1)
    assert c.Voila.ip == "127.0.0.1"
    vc = c.VoilaConfiguration
    assert vc.show_tracebacks is False and vc.strip_sources is True
    assert vc.allow_template_override == "NO" and vc.allow_theme_override == "NO"
    assert vc.preheat_kernel is True and vc.default_pool_size == 1
    assert c.Voila.tornado_settings["websocket_max_message_size"] > 10 * 1024 * 1024 * 4 / 3
    assert serve.voila_config(8866, serve.NOTEBOOKS, 0).VoilaConfiguration.preheat_kernel is False
    pools = c.VoilaKernelManager.kernel_pools_config
    assert pools["default"]["pool_size"] == 0 and pools["secretariat.ipynb"]["pool_size"] == 1


def test_demo_urls_carry_the_demo_keys_after_the_hash(demo_db: Path):
    urls = {u: url for u, _, url in serve.app_urls(8899, demo_db)}
    k = json.loads(keys_path(demo_db).read_text(encoding="utf-8"))
    assert urls["secretariat-kansai"] == f"http://127.0.0.1:8899/login#key={k['secretariat-kansai']}"
    assert urls["officer"] == f"http://127.0.0.1:8899/login#key={k['officer']}"
    assert {u: url for u, _, url in serve.app_urls(8899, demo_db, "/planner/")}["officer"].startswith(
        "http://127.0.0.1:8899/planner/login#key=")
    assert "analyst" not in urls


def test_serve_without_a_store_is_refused(tmp_path: Path, capsys):
    from planner.cli import main

    assert main(["serve", "--db", str(tmp_path / "none.db")]) == 1
    assert "planner demo" in capsys.readouterr().err


def test_notebook_is_a_few_lines_that_import_the_app():
    nb = json.loads((serve.NOTEBOOKS / "secretariat.ipynb").read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert len(code) == 1 and "from planner.app import secretariat_app" in "".join(code[0]["source"])


def test_findings_count_follows_the_plan(kansai):
    m, view = kansai
    m.editor.pick(1, "standard", 1, 8)
    m.editor.add_line()
    assert "エラー 1 件" in find(view, "pl-findings")[0].children[0].value


def test_findings_on_screen_carry_no_internal_code(kansai):
    m, view = kansai
    m.editor.pick(1, "standard", 1, 8)
    m.editor.add_line()
    html = find(view, "pl-findings")[0].children[0].value
    assert "超えています" in html and "BUDGET_EXCEEDED" not in html and "<code>" not in html


def test_save_and_submit_say_their_outcome_next_to_the_buttons(kansai, monkeypatch):
    m, view = kansai
    focused: list[ipw.Widget] = []
    monkeypatch.setattr(ipw.DOMWidget, "focus", lambda self: focused.append(self))
    (reload,) = find(view, "pl-reload")
    (outcome,) = find(view, "pl-actions-note")
    assert "pl-live" in outcome._dom_classes and outcome.value == ""
    m.editor.pick(3, "online", 1, 6)
    m.editor.add_line()
    find(view, "pl-save")[0].click()
    # the widget's box is the live region (the page template): the note has no role of its own
    assert "下書きを保存しました" in outcome.value and "role=" not in outcome.value
    assert find(view, "pl-app-note")[0].value == ""  # not (only) at the top, under the budget bar
    find(view, "pl-submit")[0].click()  # asks first: the question, the warnings, and the message to type
    (box,) = find(view, "pl-submit-confirm-box")
    (message,) = find(view, "pl-submit-message")
    assert box.layout.display is None and "この計画を提出しますか" in box.children[0].value
    assert focused == [message] and m.status == "draft"
    find(view, "pl-submit-confirm")[0].click()
    assert "計画を提出しました" in outcome.value and "pl-note-success" in outcome.value
    assert box.layout.display == "none"
    assert focused == [message, reload] and find(view, "pl-submit")[0].disabled  # the button pressed cannot hold it
    lock = find(view, "pl-lock")[0].value
    assert "pl-note-info" in lock and "pl-note-error" not in lock and "取り下げ" in lock  # a state, not an error
    find(view, "pl-withdraw")[0].click()
    assert "取り下げました" in outcome.value and find(view, "pl-lock")[0].value == ""
    assert focused == [message, reload, reload] and find(view, "pl-withdraw")[0].layout.display == "none"


def test_a_conflict_lists_the_other_tabs_change_once_and_names_who_saved(demo_db: Path):
    k = json.loads(keys_path(demo_db).read_text(encoding="utf-8"))
    with planner.open_store(demo_db) as store:
        first = open_session(signed_in(store, k["secretariat-kansai"]), planner.open_store(demo_db))
        second = open_session(signed_in(store, k["secretariat-kansai"]), planner.open_store(demo_db))
    view = SecretariatView(second)
    view.render()
    first.editor.pick(3, "online", 1, 6, "Aのセミナー")
    first.editor.add_line()
    assert first.actions.save()
    second.editor.remove_line(0)
    find(view, "pl-save")[0].click()
    html = find(view, "pl-conflict")[0].children[0].value
    assert html.count("Aのセミナー") == 1 and html.count("1行目を削除") == 1
    assert "関西コンソーシアム 事務局 さんが更新しました（版 2 → 3、現在「下書き」）" in html
    assert "secretariat-kansai" not in html and "やり直してください" in html
    assert f"版 {first.revision - 1} → {first.revision}" in html
    assert find(view, "pl-actions-note")[0].value == ""  # said once, in the conflict box
    second.lang = "en"
    html = find(view, "pl-conflict")[0].children[0].value
    assert "関西コンソーシアム 事務局 updated this plan after you opened it" in html and html.count("Aのセミナー") == 1


def test_a_conflict_after_a_submit_in_another_tab_says_the_plan_is_submitted(demo_db: Path):
    """The other tab submitted: no line changed, the plan is closed now, so the change cannot be redone;
    and a tab with nothing unsaved is not told to drop its changes."""
    k = json.loads(keys_path(demo_db).read_text(encoding="utf-8"))
    with planner.open_store(demo_db) as store:
        first = open_session(signed_in(store, k["secretariat-kansai"]), planner.open_store(demo_db))
        second = open_session(signed_in(store, k["secretariat-kansai"]), planner.open_store(demo_db))
        third = open_session(signed_in(store, k["secretariat-kansai"]), planner.open_store(demo_db))
    views = [SecretariatView(m) for m in (second, third)]
    for v in views:
        v.render()
    assert first.actions.submit()
    second.editor.remove_line(0)
    find(views[0], "pl-save")[0].click()
    html = find(views[0], "pl-conflict")[0].children[0].value
    assert "現在「提出済み」" in html and "行の変更はありません" in html and "変更はやり直せません" in html
    assert "ほかの人" not in html and "1行目を削除" in html  # what was not saved, listed to be noted
    assert find(views[0], "pl-conflict-reload")[0].description == "最新の版を読み込む（自分の変更は破棄）"
    find(views[1], "pl-submit")[0].click()  # nothing unsaved in this one
    find(views[1], "pl-submit-confirm")[0].click()
    html = find(views[1], "pl-conflict")[0].children[0].value
    assert "保存していない変更はありません" in html and "破棄" not in html
    assert find(views[1], "pl-conflict-reload")[0].description == "最新の版を読み込む"


def test_an_accepted_plan_shows_why_it_is_closed_instead_of_the_form(demo_db: Path):
    store = planner.open_store(demo_db)
    k = json.loads(keys_path(demo_db).read_text(encoding="utf-8"))
    view = SecretariatView(open_session(signed_in(store, k['secretariat-kyushu']), store))
    view.render()
    assert "承認済みの計画は読み取り専用" in find(view, "pl-lock")[0].value
    assert all(b.disabled for b in find(view, "pl-remove"))
    assert find(view, "pl-add-jump")[0].layout.display == "none"  # no form to go to
    store.close()


def test_in_a_kernel_the_app_is_built_just_after_the_cell_and_a_failure_is_a_message(demo_db, monkeypatch):
    import asyncio

    import planner.app as app_pkg

    k = json.loads(keys_path(demo_db).read_text(encoding="utf-8"))
    monkeypatch.setenv("PLANNER_DB", str(demo_db))
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.setenv("QUERY_STRING", "")
    with planner.open_store(demo_db) as store:  # what the server hands the kernel once the key signed in
        monkeypatch.setenv(SESSION_ENV, signed_in(store, k["secretariat-kansai"]).session)

    async def cell(make):
        frame = make()  # what the notebook's cell returns, while the kernel's loop runs
        first = frame.children[0].value
        await asyncio.sleep(0)
        return frame, first

    frame, first = asyncio.run(cell(app_pkg.secretariat_app))
    assert "読み込み中" in first and "Loading" in first
    assert 'class="pl-left-value"' in find(frame, "pl-points")[0].value

    def broken(*_):
        raise RuntimeError("boom")

    monkeypatch.setattr(app_pkg, "_secretariat", broken)
    frame, _ = asyncio.run(cell(app_pkg.secretariat_app))
    text = frame.children[0].value
    assert "画面を開けませんでした" in text and "could not be opened" in text and "boom" not in text


def test_the_year_picker_switches_and_goes_back_when_refused(kansai):
    m, view = kansai
    (year,) = find(view, "pl-year")
    assert year.value == 2025 and 2024 in [y for _, y in year.options]
    m.editor.pick(2, "online", 1, 7)
    find(view, "pl-add")[0].click()
    year.value = 2024
    assert year.value == 2025 and m.fy.year == 2025 and "保存していない変更" in find(view, "pl-app-note")[0].value
    find(view, "pl-reload")[0].click()
    year.value = 2024
    assert m.fy.year == 2024 and "令和6年度" in texts_of(view)


def texts_of(widget: ipw.Widget) -> str:
    out = [getattr(widget, "value", "") if isinstance(getattr(widget, "value", ""), str) else ""]
    for child in getattr(widget, "children", ()):
        out.append(texts_of(child))
    return "\n".join(out)


def test_the_cancelled_box_shows_only_while_a_line_is_changed_and_hides_nothing_else(kansai):
    m, view = kansai
    (box,) = find(view, "pl-cancelled")
    item = find(view, "pl-item")[0]
    assert box.layout.display == "none" and item.layout.display != "none"
    m.editor.edit_line(0)
    assert box.layout.display is None and "中止" in box.description
    box.value = True
    find(view, "pl-apply")[0].click()
    assert m.plan.lines[0].cancelled is True and box.layout.display == "none" and not box.value
    assert "中止" in find(view, "pl-lines")[0].children[1].children[1].children[0].value


def test_the_proposal_box_shows_for_an_item_that_needs_one_and_holds_the_lines_notes(kansai):
    m, view = kansai
    (box,), (proposal,), (notes,) = find(view, "pl-proposal-box"), find(view, "pl-proposal"), find(view, "pl-notes")
    assert box.layout.display == "none" and notes.layout.display is None
    m.editor.pick(11, "proposal", 1, 9)
    assert box.layout.display is None and notes.layout.display == "none"  # one box for the notes, not two
    assert "⑪新規支援事業メニューの企画提案は提案内容の記入が必須です" in texts_of(box)
    find(view, "pl-add")[0].click()
    assert len(m.plan.lines) == 8 and "提案内容が必要です" in texts_of(view)
    proposal.value = "留学生の地元定着を支える新メニュー"
    assert m.editor.notes == notes.value == "留学生の地元定着を支える新メニュー"
    find(view, "pl-add")[0].click()
    assert m.plan.lines[-1].notes == "留学生の地元定着を支える新メニュー" and box.layout.display == "none"


def test_a_fresh_form_has_no_variant_to_choose(kansai):
    m, view = kansai
    (item,), (variant,) = find(view, "pl-item"), find(view, "pl-variant")
    assert item.value == 0 and item.label == "選んでください"
    assert variant.options == () and variant.disabled
    item.value = 3
    assert not variant.disabled and variant.value == m.editor.variant == "in_person"


def test_the_tables_add_button_and_the_new_line_take_the_keyboard_focus(kansai, monkeypatch):
    m, view = kansai
    focused: list[ipw.Widget] = []
    monkeypatch.setattr(ipw.DOMWidget, "focus", lambda self: focused.append(self))
    (jump,) = find(view, "pl-add-jump")
    assert jump.description == "＋ 行を追加" and jump.layout.display is None
    jump.click()
    assert focused == find(view, "pl-item")
    m.editor.pick(3, "online", 1, 6)
    find(view, "pl-add")[0].click()
    new_edit = find(view, "pl-edit")[8]
    assert focused[-1] is not new_edit  # not in the browser yet: a focus sent now would be lost
    new_edit._view_count = 1  # the browser shows the new row
    assert focused[-1] is new_edit


def test_removing_a_line_gives_the_focus_to_the_next_row_then_the_one_before_then_to_adding(kansai, monkeypatch):
    m, view = kansai
    focused: list[ipw.Widget] = []
    monkeypatch.setattr(ipw.DOMWidget, "focus", lambda self: focused.append(self))
    for edit in find(view, "pl-edit"):
        edit._view_count = 1  # the browser shows the rows
    find(view, "pl-remove")[3].click()
    assert focused[-1] is find(view, "pl-edit")[3]  # the row stays: it shows the next line now
    find(view, "pl-remove")[6].click()  # the last row goes: the one before it
    assert focused[-1] is find(view, "pl-edit")[5]
    while m.plan.lines:
        find(view, "pl-remove")[0].click()
    (jump,) = find(view, "pl-add-jump")
    assert focused[-1] is jump and jump.layout.display is None  # no row left: past the empty table to adding


def test_over_budget_the_budget_panel_names_the_lines_to_cut(kansai):
    m, view = kansai
    m.editor.pick(1, "standard", 1, 8)
    m.editor.add_line()  # 140 of 120
    html = find(view, "pl-points")[0].value
    assert 'class="pl-budget-hint"' in html and "1行目（② 関西留学生合同企業説明会2025、20 ポイント）" in html
    m.editor.remove_line(8)
    assert "pl-budget-hint" not in find(view, "pl-points")[0].value
