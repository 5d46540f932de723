"""Every label the two apps show, once: a key and its text in Japanese and English (planner.text).

What both apps say alike has one key; where the review app says something else it has a key of its own.
"""

from __future__ import annotations

from typing import Any

from ..text import Text, texts

TEXT: dict[str, Text] = texts({
    "app_title": ("支援事業メニュー計画", "Support menu plan"),
    "user": ("利用者", "User"),
    "used": ("使用", "Used"),
    "budget": ("予算", "Budget"),
    "left": ("残り", "Left"),
    "points": ("ポイント", "points"),
    "over": ("予算超過", "over budget"),
    "budget_bar": ("予算の使用状況", "Budget used"),
    "budget_bar_text": ("予算 {budget} ポイントのうち {used} ポイントを使用", "{used} of {budget} budget points used"),
    "cut_one": ("{lines}を削除（または中止）すると予算内に収まります。",
                "Removing (or cancelling) {lines} brings the plan within budget."),
    "cut_any": ("次のどれか1行を削除（または中止）すると予算内に収まります: {lines}",
                "Removing (or cancelling) any one of these lines brings the plan within budget: {lines}."),
    "cut_together": ("1行だけでは収まりません。{lines}の {n} 行を削除（または中止）すると予算内に収まります。",
                     "No single line is enough: removing (or cancelling) these {n} lines brings the plan within "
                     "budget: {lines}."),
    "cut_line": ("{n}行目（{label}、{points} ポイント）", "line {n} ({label}, {points} points)"),
    "status": ("状態", "Status"),
    "revision": ("版", "Revision"),
    "updated": ("最終更新（日本時間）", "Last saved (JST)"),
    "fiscal_year": ("年度", "Year"),
    "officer_comment": ("プログラム担当からのコメント", "Programme officer's comment"),
    "lines": ("計画の内容", "Plan lines"),
    "add_jump": ("＋ 行を追加", "+ Add a line"),
    "add_jump_tip": ("下の追加フォームへ移動します", "Go to the form below to add a line"),
    "no_lines": ("まだ行がありません。下のメニューから選んで追加してください。",
                 "No lines yet. Pick from the menu below and add one."),
    "col_no": ("番号", "No."),
    "col_item": ("メニュー", "Item"),
    "col_variant": ("区分", "Variant"),
    "col_qty": ("数量", "Qty"),
    "col_points": ("ポイント", "Points"),
    "col_month": ("実施月", "Month"),
    "col_title": ("件名・開催地", "Title, place"),
    "edit": ("変更", "Edit"),
    "remove": ("削除", "Remove"),
    "form_add": ("メニューから選んで追加", "Pick from the menu and add"),
    "copy_last_year": ("前年度の計画から作成", "Start from last year's plan"),
    "copy_hint": ("{year}の計画（{n} 行）を写して始められます。写した行は保存するまで下書きにもなりません。"
                  "今年度のルールで確かめ、メニューの変更やポイントの変更は指摘として表示します。実績は写しません。",
                  "You can start from the {year} plan ({n} lines). The copied lines are not saved until you save; "
                  "they are checked against this year's rules, and changed items or points are shown as findings. "
                  "Results are not copied."),
    "form_change": ("{n}行目を変更", "Change line {n}"),
    "item": ("メニュー", "Item"),
    "choose": ("選んでください", "Choose an item"),
    "pick_item_first": ("メニューを選んでください。選ぶと区分とポイントが表示されます。",
                        "Choose a menu item first; its variants and points then appear."),
    "variant": ("区分", "Variant"),
    "quantity": ("数量", "Quantity"),
    "month": ("実施月", "Month"),
    "title": ("件名", "Title"),
    "proposal": ("提案内容", "Proposal"),
    "proposal_hint": ("{item}は提案内容の記入が必須です。ここに書いた内容は行の備考として保存され、"
                      "受託者の Excel にも載ります。",
                      "{item} needs a written description of the proposal. It is kept as the line's notes and "
                      "goes into the contractor's workbook."),
    "proposal_ph": ("新しい支援メニューの目的・対象・進め方",
                    "What the new activity is for, who it serves and how it runs"),
    "proposal_missing": ("{item}には提案内容が必要です。「提案内容」に書いてから「{action}」を押してください。",
                         "{item} needs a description of the proposal: write it under “Proposal”, then press "
                         "“{action}”."),
    "details": ("詳細（受託者向け・任意）", "Details for the contractor (optional)"),
    "place": ("開催地", "Place"),
    "companies": ("想定企業数", "Companies"),
    "students": ("想定留学生数", "Students"),
    "language": ("言語", "Language"),
    "notes": ("備考", "Notes"),
    "add": ("追加", "Add"),
    "apply": ("変更を反映", "Apply change"),
    "cancel": ("取り消し", "Cancel"),
    "cancelled": ("中止（実施しない。ポイントを使わず、実績と履歴は残す）",
                  "Cancelled (will not take place: uses no points; its result and history stay)"),
    "cancelled_mark": ("中止", "cancelled"),
    "findings": ("チェック結果", "Checks"),
    "no_findings": ("エラー・警告はありません。", "No errors or warnings."),
    "error": ("エラー", "Error"),
    "warning": ("警告", "Warning"),
    "findings_count": ("エラー {e} 件・警告 {w} 件", "{e} error(s), {w} warning(s)"),
    "save_submit": ("保存と提出", "Save and submit"),
    "save": ("下書きを保存", "Save draft"),
    "submit": ("提出する", "Submit"),
    "withdraw": ("提出を取り下げる", "Withdraw submission"),
    "reload": ("最新の版を読み込む", "Load latest revision"),
    "submit_blocked": ("エラーがある間は提出できません。", "The plan cannot be submitted while errors stand."),
    "unsaved": ("保存していない変更があります。", "There are unsaved changes."),
    "conflict_head": ("この計画は、あなたが開いた後に {who} さんが更新しました（版 {base} → {now}、現在「{status}」）。"
                      "あなたの操作は行っていません（上書きもしていません）。",
                      "{who} updated this plan after you opened it (revision {base} → {now}, now {status}). "
                      "What you asked for was not done (nothing was overwritten)."),
    "conflict_redo": ("最新の版を読み込んでから、変更をやり直してください。",
                      "Load the latest revision, then make your change again."),
    "conflict_locked": ("計画は今は編集できないため、変更はやり直せません。下の一覧を控えてから読み込んでください。",
                        "The plan cannot be edited now, so your change cannot be made again: note it from the list "
                        "below, then load the latest revision."),
    "conflict_nothing": ("保存していない変更はありません。最新の版を読み込んでください。",
                         "You have no unsaved changes. Load the latest revision."),
    "conflict_theirs": ("その間の変更（別のタブでの操作を含みます）",
                        "What changed in the meantime (another tab included)"),
    "conflict_no_lines": ("行の変更はありません（状態だけが変わりました）。",
                          "No line changed (only the status did)."),
    "conflict_mine": ("あなたの未保存の変更（読み込み直すと破棄されます）",
                      "Your unsaved changes (discarded if you reload)"),
    "conflict_reload": ("最新の版を読み込む（自分の変更は破棄）", "Load the latest revision (drop my changes)"),
    "excel": ("Excel ファイル", "Excel workbook"),
    "download": ("Excel をダウンロード", "Download workbook"),
    "upload": ("Excel を取り込む", "Load a workbook"),
    "upload_hint": ("オフラインで記入した計画の Excel ファイル（.xlsx、10 MB まで）を選んでください。"
                    "問題がひとつでもあれば何も取り込まず、場所（シート・行・列）を一覧にします。",
                    "Choose a plan workbook filled in offline (.xlsx, up to 10 MB). If anything is wrong, "
                    "nothing is loaded and every problem is listed by sheet, row and column."),
    "col_sheet": ("シート", "Sheet"),
    "col_row": ("行", "Row"),
    "col_column": ("列", "Column"),
    "col_message": ("内容", "Message"),
    "history": ("変更履歴", "Revision history"),
    "col_at": ("日時（日本時間）", "When (JST)"),
    "col_by": ("更新者", "By"),
    "col_summary": ("変更内容", "What changed"),
    "col_comment": ("コメント", "Comment"),
    "no_history": ("まだ保存されていません。", "Not saved yet."),
    "refused": ("この画面を開けません", "This screen cannot be opened"),
    "refused_sign_out": ("サインアウトして、別の利用者としてサインインする", "Sign out, to sign in as someone else"),
    "sign_out": ("サインアウト", "Sign out"),
    # the review app (programme officer, contractor)
    "review_title": ("支援事業メニュー計画 レビュー", "Support menu plans: review"),
    "year": ("年度", "Year"),
    "nav_overview": ("計画一覧", "All plans"),
    "nav_plan": ("計画の詳細", "Plan"),
    "nav_delivery": ("計画と実績", "Planned vs delivered"),
    "nav_load": ("月別の負荷", "Monthly load"),
    "load": ("受託者の月別の負荷", "The contractor's load per month"),
    "load_note_all": ("全コンソーシアムの計画（状態を問わない）のイベント（①〜⑥の数量、中止を除く）の数です。"
                      "赤い点線は受託者が1か月に実施できる数（年度データの例示値）です。",
                      "Events (quantities of ①–⑥, cancelled lines left out) in every consortium's plan, whatever "
                      "its status. The red dashed line is what the contractor can run in a month (illustrative "
                      "value of the year file)."),
    "load_note_accepted": ("承認済みの計画のイベント（①〜⑥の数量、中止を除く）の数です。"
                           "赤い点線は受託者が1か月に実施できる数（年度データの例示値）です。",
                           "Events (quantities of ①–⑥, cancelled lines left out) in the accepted plans. The red "
                           "dashed line is what the contractor can run in a month (illustrative value of the "
                           "year file)."),
    "load_no_capacity": ("この年度のデータには受託者の上限がありません。", "This year's file sets no capacity."),
    "col_total": ("合計", "Total"),
    "load_over": ("上限超過", "over capacity"),
    "overview": ("コンソーシアム別の計画", "Plans by consortium"),
    "col_consortium": ("コンソーシアム", "Consortium"),
    "col_status": ("状態", "Status"),
    "col_rev": ("版", "Rev."),
    "col_used_budget": ("使用／予算", "Used / budget"),
    "col_checks": ("エラー・警告", "Errors, warnings"),
    "col_updated": ("最終更新（日本時間）", "Last change (JST)"),
    "not_created": ("未作成", "not started"),
    "open": ("開く", "Open"),
    "waiting_count": ("確認待ち {n} 件", "{n} waiting for a decision"),
    "waiting_none": ("提出されて判断を待っている計画はありません。", "No submitted plan waits for a decision."),
    "open_waiting": ("確認待ちを開く（{name}）", "Open the first one waiting ({name})"),
    "prev_plan": ("前の計画（{name}）", "Previous plan ({name})"),
    "next_plan": ("次の計画（{name}）", "Next plan ({name})"),
    "next_waiting": ("次の確認待ち（{name}）", "Next waiting for a decision ({name})"),
    "no_next_waiting": ("ほかに確認待ちはありません", "No other plan waiting"),
    "hidden": ("承認前の計画 {n} 件は、承認されると表示されます。",
               "{n} plan(s) not yet accepted will appear once accepted."),
    "none_visible": ("この年度に表示できる計画はありません。", "There is no plan to show for this year."),
    "year_workbook": ("年度の集約 Excel", "Consolidated workbook of the year"),
    "year_download": ("集約 Excel をダウンロード", "Download the consolidated workbook"),
    "year_workbook_hint": ("クリックした時点の全コンソーシアムの計画（状態を問いません）から作成して"
                           "ダウンロードします。",
                           "Made from every consortium's plan as it is when you click (whatever its status)."),
    "year_workbook_hint_contractor": ("クリックした時点の承認済みの計画から作成してダウンロードします。",
                                      "Made from the accepted plans as they are when you click."),
    "pick_plan": ("「計画一覧」から計画を開いてください。", "Open a plan from the list of all plans."),
    "col_result": ("実績", "Delivered"),
    "no_lines_read": ("行がありません。", "No lines."),
    "notes_missing": ("未記入（提案の内容を書く必要があります）", "not written (the proposal needs a description)"),
    "decision": ("承認・差し戻し", "Accept or return"),
    "comment": ("コメント", "Comment"),
    "reopen_ph": ("再開の理由（任意。事務局の画面に表示されます）",
                  "Why the plan is reopened (optional; the secretariat sees it)"),
    "comment_ph": ("差し戻す場合は理由を必ず書いてください（事務局の画面に表示されます）。",
                   "When returning, say why (the secretariat sees it in its app)."),
    "accept": ("承認する", "Accept"),
    "return": ("差し戻す", "Return"),
    "reopen": ("再開する（下書きに戻す）", "Reopen (back to draft)"),
    "ask_accept": ("{name}の計画（版{n}）を承認します。よろしいですか？", "Accept the plan of {name} (revision {n})?"),
    "ask_return": ("{name}の計画（版{n}）を差し戻します。事務局は次のコメントを見て直し、再提出します。"
                   "よろしいですか？",
                   "Return the plan of {name} (revision {n})? The secretariat sees the comment below, "
                   "corrects the plan and submits it again."),
    "ask_reopen": ("{name}の計画（版{n}）を再開し、下書きに戻します。事務局がまた編集できるようになります。"
                   "よろしいですか？",
                   "Reopen the plan of {name} (revision {n}) as a draft? The secretariat can then edit it again."),
    "confirm_accept": ("承認を確定", "Confirm: accept"),
    "confirm_return": ("差し戻しを確定", "Confirm: return"),
    "confirm_reopen": ("再開を確定", "Confirm: reopen"),
    "confirm_cancel": ("やめる", "Cancel"),
    "done_accept": ("{name}の計画を承認しました（版 {n}）。", "The plan of {name} was accepted (revision {n})."),
    "done_return": ("{name}の計画を差し戻しました（版 {n}）。", "The plan of {name} was returned (revision {n})."),
    "done_reopen": ("{name}の計画を再開しました（下書きに戻りました。版 {n}）。",
                    "The plan of {name} was reopened (it is a draft again; revision {n})."),
    "plan_download": ("計画の Excel をダウンロード", "Download the plan workbook"),
    "results": ("実績の記録", "Record what was delivered"),
    "results_hint": ("行を選び、実施日・会場・参加者数・満足度を入れて「記録する」を押してください。"
                     "実施日は {examples} のどの形でも入れられます。複数日は「、」かカンマで区切ります。"
                     "選べるのはイベント（①〜⑥）の行です。⑦〜⑪（移動手段・好事例・事務局支援・会場・企画提案）には"
                     "記録する参加者がないため、中止の行とともに出ません。",
                     "Pick a line, enter the date(s), venue, participants and satisfaction, then Record. "
                     "A date may be typed as any of {examples}; separate several with commas. "
                     "Event lines (①–⑥) are listed; items ⑦–⑪ (transport, write-ups, secretariat support, venues, "
                     "proposals) have no participants to record and, like cancelled lines, are not listed."),
    "results_no_events": ("この計画には実績を記録するイベント（①〜⑥）の行がありません。",
                          "This plan has no event line (①–⑥) to record a result for."),
    "result_line": ("対象の行", "Line"),
    "result_session": ("回", "Session"),
    "company_list": ("参加企業", "Companies"),
    "company_list_ph": ("企業名<Tab>都道府県（1行に1社）", "Company name<Tab>prefecture (one a row)"),
    "company_list_hint": ("参加企業の一覧は、申込フォームの書き出しや Excel からそのまま貼り付けられます"
                          "（企業名と都道府県の列。タブ区切りまたはカンマ区切り。見出し行があれば列はそこから判断し、"
                          "担当者名などほかの列は保存しません）。CSV か Excel のファイルからも読み込めます。"
                          "参加企業数が空欄なら一覧の社数を記録します。",
                          "Paste the participating companies straight from the registration form's export or from "
                          "Excel (the name and prefecture columns, tab- or comma-separated; a header row names the "
                          "columns, and other columns such as a contact's name are not kept), or load them from a "
                          "CSV or Excel file. A blank number of companies is taken from the list."),
    "company_upload": ("CSV・Excel から読み込む", "Load from CSV or Excel"),
    "dates_ph": ("例 {example}", "e.g. {example}"),
    "satisfaction_unit": ("満足度の単位", "Satisfaction as"),
    "percent": ("割合（%）", "Shares (%)"),
    "count": ("人数", "Counts"),
    "unit_percent": ("%", "%"),
    "unit_people": ("人", "people"),
    "record": ("記録する", "Record"),
    "results_upload": ("実績入りの Excel を取り込む", "Load a workbook with results"),
    "results_upload_hint": ("この計画の Excel の「実績」シートに記入したファイル（.xlsx、10 MB まで）を選んでください。"
                    "問題がひとつでもあれば何も記録せず、場所（シート・行・列）を一覧にします。",
                    "Choose this plan's workbook with its 実績 (results) sheet filled in (.xlsx, up to 10 MB). "
                    "If anything is wrong, nothing is recorded and every problem is listed by sheet, row and column."),
    "compare": ("版の比較", "Compare revisions"),
    "cmp_a": ("比較元の版", "From revision"),
    "cmp_b": ("比較先の版", "To revision"),
    "cmp_none": ("この2つの版の行に違いはありません（状態の変更のみ）。",
                 "The lines of these two revisions are the same (only the status changed)."),
    "cmp_same": ("同じ版を選んでいます。", "The same revision is chosen on both sides."),
    "cmp_times": ("日時は日本時間", "times in JST"),
    "cmp_unchanged": ("前回この計画を見たとき（版{n}）から変更はありません。",
                      "Nothing has changed since you last looked at this plan (revision {n})."),
    "cmp_first_look": ("この計画を開くのは初めてです。", "This is the first time you open this plan."),
    "cmp_basis_seen": ("版{a}（あなたが前回この計画を見たときの版）から版{b}（現在）までの変更です。",
                       "What changed from revision {a}, the one you saw when you last looked at this plan, "
                       "to revision {b} (now)."),
    "cmp_basis_decided": ("版{a}（直近の承認・差し戻し・再開）から版{b}（現在）までの変更です。",
                          "What changed from revision {a}, the last time the plan was accepted, returned or "
                          "reopened, to revision {b} (now)."),
    "cmp_basis_first": ("最初の版{a}から版{b}（現在）までの変更です。",
                        "What changed from the first revision {a} to revision {b} (now)."),
    "delivery": ("計画と実績（承認済みの計画）", "Planned against delivered (accepted plans)"),
    "delivery_refresh": ("最新の実績で更新", "Refresh"),
    "col_planned": ("計画イベント数", "Events planned"),
    "col_held": ("実施イベント数", "Events held"),
    "col_participants": ("参加者数", "Participants"),
    "col_companies": ("参加企業", "Companies"),
    "col_staff": ("企業参加者", "Company staff"),
    "col_students": ("留学生", "Students"),
    "col_members": ("関係者", "Members"),
    "col_very": ("大変満足", "Very satisfied"),
    "col_satisfied": ("満足度（大変満足＋満足）", "Satisfied (very + satisfied)"),
    "no_delivery": ("この年度には承認済みの計画がありません。", "No plan of this year is accepted yet."),
    "delivery_note": ("イベントは①〜⑥の数量（開催回数）、実施は実績の記録された回の数です。"
                      "参加者は企業参加者・留学生・関係者の合計です。満足度は回答した人数で重み付けしています"
                      "（件数はそのまま合計、割合は留学生数を掛けて人数に直して合計）。実績集計ブックと同じ数字です。",
                      "Events are the quantities of items ①–⑥ (sessions); held counts the sessions with a result. "
                      "Participants are company staff, students and consortium members. Satisfaction is weighted "
                      "by the people who answered (counts summed; shares weighted by students), as in the results "
                      "book."),
    "results_download": ("実績集計ブック（Excel）をダウンロード", "Download the results book (Excel)"),
    "results_download_hint": ("コンソーシアム別・メニュー別の計画と実施、参加者、満足度、"
                              "都道府県別の参加企業、未記録の回",
                              "planned against delivered by consortium and item, participants, satisfaction, "
                              "companies by prefecture, sessions not recorded"),
    "event_reports": ("実施報告（PDF、1回1ページ）", "Event reports (PDF, a page per session)"),
    "col_sessions": ("記録済みの回", "Sessions recorded"),
    "col_event_title": ("件名", "Title"),
    "event_report_download": ("実施報告をダウンロード", "Download the event report"),
    "pending": ("未記録・予定のイベント（{day}現在、日本時間）",
                "Events not recorded or still to come (as of {day}, JST)"),
    "pending_hint": ("承認済みの計画のイベント（①〜⑥、中止を除く）のうち、実績がまだない行です。実施月が過ぎたものは"
                     "「未記録」、今月のものは「今月」、これからのものは「予定」です。",
                     "Event lines (①–⑥, not cancelled) of accepted plans with no result yet: \"not recorded\" once "
                     "their month is over, \"this month\", or \"to come\"."),
    "pending_counts": ("未記録 {unrecorded} 件・今月と予定 {coming} 件", "{unrecorded} not recorded, {coming} to come"),
    "pending_none": ("すべてのイベントの実績が記録されています。", "Every event has a result recorded."),
    "col_state": ("状況", "State"),
    "state_unrecorded": ("未記録", "not recorded"),
    "state_this_month": ("今月", "this month"),
    "state_planned": ("予定", "to come"),
    # the inbox (お知らせ) and the hand-offs
    "inbox": ("お知らせ", "Notices"),
    "inbox_unread": ("お知らせ（未読 {n}）", "Notices ({n} unread)"),
    "inbox_none": ("お知らせはありません。", "No notices."),
    "inbox_open": ("計画を開く", "Open the plan"),
    "inbox_all_read": ("すべて既読にする", "Mark all read"),
    "inbox_new": ("未読", "unread"),
    "inbox_by": ("{who}さん", "by {who}"),
    "inbox_message": ("メッセージ", "Message"),
    "inbox_comment": ("コメント", "Comment"),
    "live_reload": ("最新の版を読み込む（未保存の変更は破棄）", "Load the latest revision (drops unsaved changes)"),
    "submit_confirm_head": ("この計画を提出しますか？", "Submit this plan?"),
    "submit_confirm_warnings": ("警告が {n} 件あります（提出はできます）:",
                                "There are {n} warning(s) (it can still be submitted):"),
    "submit_confirm_clean": ("エラー・警告はありません。", "No errors or warnings."),
    "submit_message": ("プログラム担当へのメッセージ（変更点・返信、任意）",
                       "Message to the programme officer (what changed, a reply; optional)"),
    "submit_confirm": ("提出する", "Submit"),
    "submit_cancel": ("やめる", "Cancel"),
    "upload_preview_head": ("{name} を取り込むと、次のように変わります（まだ保存していません）:",
                            "Loading {name} makes these changes (nothing is saved yet):"),
    "upload_confirm": ("この内容で取り込む", "Load these changes"),
    "upload_cancel": ("取り込まない", "Do not load"),
    "submitted_message": ("事務局からのメッセージ（版 {revision}）",
                          "Message from the secretariat (revision {revision})"),
})


def t(key: str, lang: str, **kw: Any) -> str:
    """The label `key` in `lang`, its `{name}` fields filled from `kw`."""
    return TEXT[key](lang, **kw)
