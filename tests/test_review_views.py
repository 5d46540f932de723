"""The review app's widgets render their models and forward clicks; checked without a browser."""

from __future__ import annotations

import ipywidgets as ipw
from signin_support import signed_in

from planner.app import Request, review_app


def texts(w: ipw.Widget) -> str:
    """Every HTML value and button label under a widget that is displayed."""
    if getattr(w.layout, "display", None) == "none":
        return ""
    out = []
    if isinstance(w, ipw.HTML):
        out.append(w.value)
    if isinstance(w, ipw.Button):
        out.append(w.description)
    for c in getattr(w, "children", ()):
        out.append(texts(c))
    return "\n".join(out)


def find(w: ipw.Widget, cls: str) -> list[ipw.Widget]:
    found = [w] if cls in getattr(w, "_dom_classes", ()) else []
    for c in getattr(w, "children", ()):
        found += find(c, cls)
    return found


def test_refused_page_holds_no_plan_data(demo):
    store, k = demo
    for request in (Request(), signed_in(store, k['secretariat-tohoku'])):
        page = texts(review_app(request, store))
        assert "この画面を開けません" in page and "This screen cannot be opened" in page
        assert "東北" not in page and "承認" not in page and "rv-open" not in page


def test_officer_opens_a_plan_and_returns_it_by_clicks(demo):
    store, k = demo
    view = review_app(signed_in(store, k['officer']), store)
    assert len(find(view, "rv-open")) == 6
    (tohoku,) = find(view, "rv-row-tohoku")
    find(tohoku, "rv-open")[0].click()
    page = texts(view)
    assert "東北コンソーシアム" in page and "地域の中堅・中小企業と外国人留学生との交流会" in page
    (comment,) = find(view, "rv-comment")
    comment.value = "日程を見直してください。"
    find(view, "rv-return")[0].click()  # first: what it will do, and nothing done yet
    assert store.current("tohoku", 2025).status == "submitted"
    page = texts(view)
    assert "東北コンソーシアムの計画（版3）を差し戻します" in page and "コメント: 日程を見直してください。" in page
    assert "rv-return" not in shown_classes(view) and comment.disabled
    find(view, "rv-confirm")[0].click()
    assert store.current("tohoku", 2025).status == "returned"
    assert "差し戻しました" in texts(view)
    assert "<th>版 1</th><th>版 4</th>" in find(view, "rv-compare")[0].value  # what it was against what it is
    assert find(view, "rv-accept")[0].disabled


def test_contractor_page_has_no_decision_and_a_results_form(demo):
    store, k = demo
    view = review_app(signed_in(store, k['contractor'], "fy=2024"), store)
    find(find(view, "rv-row-tohoku")[0], "rv-open")[0].click()
    assert find(view, "rv-decision")[0].layout.display == "none"
    assert find(view, "rv-results")[0].layout.display is None
    assert "実績の記録" in texts(view) and "承認する" not in texts(view)


def test_english_toggle_and_delivery_panel(demo):
    store, k = demo
    view = review_app(signed_in(store, k['contractor'], "fy=2024"), store)
    (lang,) = find(view, "pl-lang")
    lang.value = "en"
    (nav,) = find(view, "rv-nav")
    nav.value = "delivery"
    page = texts(view)
    assert "Planned against delivered" in page and "Year total" in page and "135" in page
    assert "計画と実績" not in page


def test_the_delivery_panel_lists_events_not_recorded(demo):
    store, k = demo
    view = review_app(signed_in(store, k['contractor'], "fy=2024"), store)
    (nav,) = find(view, "rv-nav")
    nav.value = "delivery"
    (pending,) = find(view, "rv-pending")
    # the demo's FY2024 is over: four of tohoku's five events have no result
    assert "東北コンソーシアム" in pending.value and "未記録 4 件" in pending.value
    assert pending.value.count('class="rv-state-unrecorded"') == 4
    assert "外国人材採用セミナー（企業向け）" in pending.value
    assert "地域の中堅・中小企業と外国人留学生との交流会" not in pending.value  # recorded
    find(view, "rv-year")[0].value = 2025
    assert nav.value == "delivery" and "九州コンソーシアム" in pending.value and "東北" not in pending.value


def test_the_satisfaction_boxes_say_their_unit_and_their_sum(demo):
    store, k = demo
    view = review_app(signed_in(store, k['contractor']), store)
    find(find(view, "rv-row-kyushu")[0], "rv-open")[0].click()
    (very,) = find(view, "rv-r-very_satisfied")
    (unit,) = find(view, "rv-r-unit")
    assert very.description == "大変満足（%）" and unit.description == "満足度の単位"
    very.value = "40"
    find(view, "rv-r-satisfied")[0].value = "50"
    assert "合計 90%" in find(view, "rv-r-sum")[0].value
    unit.value = "count"
    assert very.description == "大変満足（人）" and find(view, "rv-r-dissatisfied")[0].description == "不満（人）"
    assert "合計 90 人" in find(view, "rv-r-sum")[0].value
    (dates,) = find(view, "rv-r-dates")
    assert dates.placeholder == "例 2025-11-19" and "2025/11/19・令和7年11月19日・R7.11.19" in texts(view)
    dates.value = "2025/6/14"
    assert "2025年6月14日（土）" in find(view, "rv-r-dates-read")[0].value
    (line,) = find(view, "rv-result-line")
    assert [label.split(" — ")[0] for label, _ in line.options][:2] == ["九州・留学生合同企業説明会（福岡）",
                                                                       "九州オンライン合同企業説明会"]


def shown_classes(w: ipw.Widget) -> set[str]:
    """The classes of every widget that is displayed (a hidden box hides all within it)."""
    if getattr(w.layout, "display", None) == "none":
        return set()
    out = set(getattr(w, "_dom_classes", ()))
    for c in getattr(w, "children", ()):
        out |= shown_classes(c)
    return out


def test_an_accepted_message_does_not_stay_on_the_next_plan(demo):
    store, k = demo
    view = review_app(signed_in(store, k['officer']), store)
    find(find(view, "rv-row-hokuriku")[0], "rv-open")[0].click()
    find(view, "rv-accept")[0].click()
    find(view, "rv-confirm")[0].click()
    assert "承認しました" in texts(view)
    find(view, "rv-nav")[0].value = "overview"
    find(find(view, "rv-row-hokkaido")[0], "rv-open")[0].click()
    page = texts(view)
    assert "北海道" in page and "承認しました" not in page


def test_plan_head_shows_points_left_and_over_budget(demo):
    store, k = demo
    view = review_app(signed_in(store, k['officer']), store)
    find(find(view, "rv-row-tohoku")[0], "rv-open")[0].click()
    (head,) = find(view, "rv-plan-head")
    assert "残り <b>10</b> ポイント" in head.value and "予算超過" not in head.value
    find(find(view, "rv-row-hokkaido")[0], "rv-open")[0].click()
    assert '残り <b class="rv-over">-5</b>' in head.value and "予算超過 5 ポイント" in head.value
    find(view, "pl-lang")[0].value = "en"
    assert "Left" in head.value and "over budget 5 points" in head.value


def test_the_comment_box_is_only_there_to_decide(demo):
    store, k = demo
    view = review_app(signed_in(store, k['officer']), store)
    find(find(view, "rv-row-hokkaido")[0], "rv-open")[0].click()  # a draft: nothing to decide
    assert "rv-comment" not in shown_classes(view)
    find(find(view, "rv-row-kyushu")[0], "rv-open")[0].click()  # accepted: 再開, with an optional reason
    assert {"rv-reopen", "rv-comment"} <= shown_classes(view)
    assert "任意" in find(view, "rv-comment")[0].placeholder
    find(find(view, "rv-row-tohoku")[0], "rv-open")[0].click()  # submitted
    assert "rv-comment" in shown_classes(view) and "必ず" in find(view, "rv-comment")[0].placeholder


def test_the_workbooks_are_one_click_links_said_for_who_is_there(demo):
    store, k = demo
    view = review_app(signed_in(store, k['officer']), store)
    year = texts(find(view, "rv-year-link")[0])
    # a new tab: a workbook is saved (and that tab closes); a refusal is read there, the app stays
    assert ('class="pl-link-button rv-year-download" href="/workbook/year?fy=2025" target="_blank" '
            'rel="noopener">') in year
    assert "集約 Excel をダウンロード" in year and "状態を問いません" in year
    assert "rv-progress" not in year  # made at the click in a tenth of a second: the browser shows it
    find(find(view, "rv-row-kyushu")[0], "rv-open")[0].click()
    plan = texts(find(view, "rv-plan-link")[0])
    assert 'href="/workbook/plan?consortium=kyushu&amp;fy=2025" target="_blank"' in plan and "版4.xlsx" in plan
    contractor = review_app(signed_in(store, k['contractor']), store)
    assert "承認済みの計画から" in texts(find(contractor, "rv-year-link")[0])



def test_a_lines_details_and_a_proposals_description_are_under_the_line(demo):
    store, k = demo
    view = review_app(signed_in(store, k['officer']), store)
    find(find(view, "rv-row-tohoku")[0], "rv-open")[0].click()
    lines = find(view, "rv-lines")[0].value
    assert lines.count('<tr class="rv-details">') == 6  # not under the bus, which has a place only
    assert "想定企業数</span> 10社" in lines and "言語</span> 日本語" in lines
    assert "提案内容</span> 内定後から入社1年目までの留学生を対象に" in lines  # a ⑪ proposal, named so


def test_what_waits_is_counted_and_the_next_plan_is_a_click_away(demo):
    store, k = demo
    view = review_app(signed_in(store, k['officer']), store)
    (box,) = find(view, "rv-waiting")
    assert "確認待ち 2 件" in texts(box) and "東北コンソーシアム、北陸コンソーシアム" in texts(box)
    find(view, "rv-open-waiting")[0].click()
    (head,) = find(view, "rv-plan-head")
    assert "東北コンソーシアム" in head.value
    (nxt,) = find(view, "rv-next")
    assert nxt.description == "次の計画（北陸コンソーシアム）"
    assert find(view, "rv-prev")[0].description == "前の計画（北海道コンソーシアム）"
    nxt.click()
    assert "北陸コンソーシアム" in head.value
    (waiting,) = find(view, "rv-next-waiting")
    assert waiting.description == "次の確認待ち（東北コンソーシアム）" and not waiting.disabled
    find(view, "rv-accept")[0].click()
    find(view, "rv-confirm")[0].click()
    (go_on,) = find(view, "rv-decision-next")
    assert "rv-decision-next" in shown_classes(view) and go_on.description == "次の確認待ち（東北コンソーシアム）"
    go_on.click()
    assert "東北コンソーシアム" in head.value and "rv-decision-next" not in shown_classes(view)
    find(view, "rv-nav")[0].value = "overview"
    assert "確認待ち 1 件" in texts(find(view, "rv-waiting")[0])


def test_the_contractor_is_not_told_of_decisions_waiting(demo):
    store, k = demo
    view = review_app(signed_in(store, k['contractor']), store)
    assert "rv-waiting" not in shown_classes(view)
    find(find(view, "rv-row-kyushu")[0], "rv-open")[0].click()
    assert not {"rv-next-waiting", "rv-prev", "rv-next"} & shown_classes(view)


def test_a_decision_can_be_let_go_by_a_click(demo):
    store, k = demo
    view = review_app(signed_in(store, k['officer']), store)
    find(find(view, "rv-row-hokuriku")[0], "rv-open")[0].click()
    find(view, "rv-accept")[0].click()
    assert {"rv-confirm", "rv-cancel", "rv-question"} <= shown_classes(view)
    assert find(view, "rv-confirm")[0].description == "承認を確定"
    assert "北陸コンソーシアムの計画（版3）を承認します。よろしいですか？" in find(view, "rv-question")[0].value
    find(view, "rv-cancel")[0].click()
    assert "rv-confirm" not in shown_classes(view) and "rv-accept" in shown_classes(view)
    assert store.current("hokuriku", 2025).status == "submitted" and "取りやめました" in texts(view)


def test_the_compared_revisions_are_named_and_the_choice_explained(demo):
    store, k = demo
    view = review_app(signed_in(store, k['officer']), store)
    find(find(view, "rv-row-tohoku")[0], "rv-open")[0].click()
    (a,) = find(view, "rv-cmp-a")
    assert a.label.startswith("版1 下書き ") and a.label.endswith("東北コンソーシアム 事務局")
    basis = find(view, "rv-cmp-basis")[0].value
    assert "初めて" in basis and "最初の版1から版3（現在）" in basis
    a.value = 2  # a pair of one's own: the explanation of the default no longer stands
    assert find(view, "rv-cmp-basis")[0].value == ""


def test_the_delivery_panel_offers_the_results_book_and_event_reports_and_says_how_it_weighs(demo):
    store, k = demo
    view = review_app(signed_in(store, k['contractor'], "fy=2024"), store)
    (nav,) = find(view, "rv-nav")
    nav.value = "delivery"
    (reports,) = find(view, "rv-reports")
    assert 'href="/report/year?fy=2024"' in reports.value and "実績集計ブック（Excel）をダウンロード" in reports.value
    assert 'href="/report/event?consortium=tohoku&amp;fy=2024&amp;line=1"' in reports.value
    assert 'target="_blank"' in reports.value and "実施報告（PDF、1回1ページ）" in reports.value
    page = texts(view)
    assert "回答した人数で重み付け" in page and "100%" in page and "33%" in page
