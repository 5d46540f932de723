"""The catalogue of findings: every code a check can report, with its severity and what it says in
Japanese and English.

A message is a `Text` template whose `{name}` fields are filled by `Finding.of(code, **params)`; a
param that is itself a `Text` (an item's name, a fiscal year's label) is taken in the message's
language. A code said in more than one way has one entry per way, keyed `CODE.way`; its findings all
carry `CODE`, and every way of a code has the same severity. Besides its params a template may use the
finding's place: `{line}`, `{sheet}`, `{row}`, `{column}`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .text import Text

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Message:
    key: str  # CODE or CODE.way
    severity: Severity
    text: Text

    @property
    def code(self) -> str:
        return self.key.split(".", 1)[0]


def _catalogue(*entries: tuple[str, Severity, str, str]) -> dict[str, Message]:
    out: dict[str, Message] = {}
    for key, severity, ja, en in entries:
        if key in out:
            raise ValueError(f"message {key} is declared twice")
        out[key] = Message(key, severity, Text(ja, en))
    return out


_PLAN_LINE = "{line}行目: "
_RESULT_JA, _RESULT_EN = "{n}行目の実績: ", "Result for line {n}: "

MESSAGES: dict[str, Message] = _catalogue(
    # -- the plan rules (planner.rules), in the order they run -----------------------------------
    ("WRONG_FISCAL_YEAR", "error",
     "計画の年度 {plan_year!r} と年度データ {year} が一致しません。",
     "The plan's fiscal year {plan_year!r} does not match the fiscal-year data {year}."),
    ("UNKNOWN_CONSORTIUM", "error",
     "コンソーシアム {consortium!r} は{fy_label}のデータにありません。",
     "Consortium {consortium!r} is not in the {fy_label} data."),
    ("UNKNOWN_ITEM", "error",
     _PLAN_LINE + "メニュー番号 {item!r} はこの年度・地域のメニューにありません。①〜⑪から選んでください。",
     "Line {line}: item {item!r} is not on this year's menu for this consortium. Pick one of ①–⑪."),
    ("UNKNOWN_VARIANT", "error",
     _PLAN_LINE + "{label} に区分 {variant!r} はありません。{choices} から選んでください。",
     "Line {line}: {label} has no variant {variant!r}. Pick one of {choices}."),
    ("QUANTITY_INVALID", "error",
     _PLAN_LINE + "数量 {quantity!r} は使えません。1以上の整数を入れてください。",
     "Line {line}: quantity {quantity!r} is not allowed. Enter a whole number of 1 or more."),
    ("MONTH_OUTSIDE_YEAR", "error",
     _PLAN_LINE + "実施月 {month!r} は{fy_label}（{year}年4月〜{next_year}年3月）の月ではありません。"
     "1〜12 の月を入れてください。",
     "Line {line}: month {month!r} is not a month of {fy_label} (April {year} – March {next_year}). "
     "Enter a month from 1 to 12."),
    ("DESCRIPTION_REQUIRED", "error",
     _PLAN_LINE + "{label} には提案の内容を備考に書いてください。",
     "Line {line}: {label} needs a written description of the proposal in the notes."),
    ("REQUIRES_COMPANION", "error",
     _PLAN_LINE + "{label} は {names} のいずれかと同じ計画でのみ選べます。"
     "{names} の行を追加するか、この行を削除してください。",
     "Line {line}: {label} can only be chosen with one of {names} in the same plan. Add such a line or remove "
     "this one."),
    ("MAX_QUANTITY", "error",
     _PLAN_LINE + "{label} は1つの計画で {max}{unit} までです（いまは合計 {in_plan}）。数量を減らしてください。",
     "Line {line}: {label} is limited to {max} {unit} per plan (now {in_plan} in total). Reduce the quantity."),
    ("BUDGET_EXCEEDED", "error",
     "合計 {total} ポイントが予算 {budget} ポイントを {over} ポイント超えています。"
     "数量を減らすか行を削除して、予算内に収めてください。",
     "The plan uses {total} points, {over} over the budget of {budget}. "
     "Reduce quantities or remove lines to fit the budget."),
    ("BUDGET_UNDERUSED", "warning",
     "合計 {total} ポイントで、予算 {budget} ポイントの {share:.0%} 未満です（残り {left} ポイント）。"
     "支援メニューの追加を検討してください。",
     "The plan uses {total} of {budget} points, less than {share:.0%} of the budget ({left} left). "
     "Consider adding support activities."),
    ("LATE_CONCENTRATION", "warning",
     "イベント（①〜⑥）{total} 件のうち {late} 件が {months} に集中しています。"
     "年度末は参加者が集まりにくく、実施も詰まります。一部を早い月に移してください。",
     "{late} of {total} events (①–⑥) are planned for {months} (month numbers). "
     "Move some to earlier months: the end of the year is crowded."),
    # -- across the plans of a year (planner.load) and from last year's plan (planner.copying) ----
    ("PROGRAMME_OVER_CAPACITY", "warning",
     "{month}は全コンソーシアムの合計が {total} 件（この計画 {mine} 件）となり、"
     "受託者が1か月に実施できる {cap} 件を超えます。一部を別の月に移すことを検討してください。",
     "In {month} all consortia together would have {total} events ({mine} in this plan), more than the {cap} "
     "the contractor can run in a month. Consider moving some to another month."),
    ("POINTS_CHANGED", "warning",
     _PLAN_LINE + "{label}「{variant}」は{old_fy}の {old} ポイントから{new_fy}は {new} ポイントに変わりました。"
     "数量と予算を確かめてください。",
     "Line {line}: {label} '{variant}' cost {old} points in {old_fy} and costs {new} in {new_fy}. "
     "Check the quantity and the budget."),
    # -- results (planner.results and the contractor's form) --------------------------------------
    ("RESULT_LINE_UNKNOWN", "error",
     "実績の行 {shown!r} は承認済みの計画にありません（1〜{lines}行目）。",
     "Result line {shown!r} is not a line of the accepted plan (lines 1–{lines})."),
    ("DATE_INVALID", "error",
     _RESULT_JA + "日付 {date!r} を読めません。{example} の形で入れてください。",
     _RESULT_EN + "cannot read the date {date!r}. Use the form {example}."),
    ("DATE_INVALID.form", "error",
     _RESULT_JA + "実施日 {problem}",
     _RESULT_EN + "date held: {problem}"),
    ("DATE_INVALID.cell", "error",
     "「{label}」の{problem}",
     "in '{label}', {problem}"),
    ("DATE_REQUIRED", "error",
     _RESULT_JA + "実施日を入れてください（例 {example}）。",
     _RESULT_EN + "enter the date(s) held (e.g. {example})."),
    ("DATE_OUTSIDE_YEAR", "error",
     _RESULT_JA + "実施日 {day} は、この計画の年度（{era}: {year}年4月1日〜{next_year}年3月31日）の外です。"
     "年度内の日付を入れてください。",
     _RESULT_EN + "the date held, {day}, is outside this plan's year ({era}: 1 April {year} – 31 March "
     "{next_year}). Enter a date within it."),
    ("COUNT_INVALID", "error",
     _RESULT_JA + "{label}「{shown}」{why}0以上の整数を入れてください。",
     _RESULT_EN + "{label} '{shown}' {why} enter a whole number of 0 or more."),
    ("COUNT_INVALID.cell", "error",
     "「{label}」の {value!r} は使えません。{minimum}以上の整数を入れてください。",
     "'{label}' holds {value!r}; enter a whole number of {minimum} or more."),
    ("SATISFACTION_UNIT", "error",
     _RESULT_JA + "満足度の単位は percent か count です。",
     _RESULT_EN + "the satisfaction unit must be percent or count."),
    ("SHARES_NOT_100", "warning",
     _RESULT_JA + "満足度の割合の合計が {shown}% です（100% になるはずです）。入力を確かめてください。",
     _RESULT_EN + "the satisfaction shares add up to {shown} % instead of 100 %. Check what was entered."),
    ("SATISFACTION_OVER_PARTICIPANTS", "error",
     _RESULT_JA + "満足度の人数の合計（{answers} 人）が参加者数（{participants} 名）を超えています。"
     "人数か参加者数を確かめてください（割合なら単位を「割合（%）」にしてください）。",
     _RESULT_EN + "the satisfaction counts add up to {answers}, more than the {participants} participants. "
     "Check the counts and participants (if they are shares, choose the unit Shares (%))."),
    ("RESULT_NOT_AN_EVENT", "error",
     "{line}行目（{item}）はイベント（①〜⑥）の行ではないため、参加者・満足度などの実績は記録できません。",
     "Line {line} ({item}) is not an event line (①–⑥), so no result (participants, satisfaction) can be "
     "recorded for it."),
    ("RESULT_NOT_AN_EVENT.cancelled", "error",
     "{line}行目は中止の行のため、実績は記録できません。",
     "Line {line} is cancelled, so no result can be recorded for it."),
    ("LINE_HAS_RESULT", "error",
     "{what}には実績（{result}）が記録されているため、削除できません。"
     "実施しない場合は、行を削除せずに「変更」で「中止」にしてください（ポイントは使われなくなり、実績と履歴は残ります）。",
     "{what} has a recorded result ({result}) and cannot be removed. If the event will not take place, keep "
     "the line and mark it cancelled with Change (its points are freed; its result and history stay)."),
    ("LINE_HAS_RESULT.item", "error",
     "{what}には実績（{result}）が記録されているため、メニューを変更できません。"
     "別のメニューの事業は新しい行として追加してください。",
     "{what} has a recorded result ({result}); its menu item cannot be changed. "
     "Add an event of another item as a new line."),
    ("SESSION_INVALID", "error",
     _RESULT_JA + "回 {shown!r} は使えません。1〜{quantity} の整数（何回目の開催か）を入れてください。",
     _RESULT_EN + "session {shown!r} cannot be used. Enter a whole number from 1 to {quantity} (which "
     "session it was)."),
    ("SESSION_BEYOND_QUANTITY", "error",
     _RESULT_JA + "第{session}回は記録できません。この行の数量は {quantity} 回です（第1回〜第{quantity}回）。"
     "回を確かめるか、計画の数量を変更してください。",
     _RESULT_EN + "session {session} cannot be recorded: the line's quantity is {quantity} (sessions 1–"
     "{quantity}). Check the session, or change the plan's quantity."),
    ("SESSION_DUPLICATE", "error",
     _RESULT_JA + "第{session}回の実績が2つあります。1回の開催につき実績は1つです。1つにまとめてください。",
     _RESULT_EN + "there are two results for session {session}. A session has one result: merge them."),
    ("COMPANY_INVALID", "error",
     _RESULT_JA + "参加企業の{k}件目（{shown}）は使えません。企業名と都道府県を入れてください。",
     _RESULT_EN + "participating company {k} ({shown}) cannot be used. Enter the company's name and "
     "prefecture."),
    ("COMPANY_PREFECTURE_UNKNOWN", "error",
     _RESULT_JA + "参加企業の{k}件目「{name}」の都道府県 {prefecture!r} が分かりません。"
     "都道府県名（例: 宮城 または 宮城県）を入れてください。",
     _RESULT_EN + "participating company {k} ('{name}'): the prefecture {prefecture!r} is not known. "
     "Enter a prefecture's name (e.g. 宮城, 宮城県 or Miyagi)."),
    ("COMPANY_DUPLICATE", "error",
     _RESULT_JA + "参加企業「{name}」が{first}件目と{k}件目の2回あります。1回にしてください。",
     _RESULT_EN + "the company '{name}' is listed twice (entries {first} and {k}). List it once."),
    ("COMPANIES_COUNT_MISMATCH", "warning",
     _RESULT_JA + "参加企業数は {count} 社ですが、参加企業の一覧には {listed} 社あります。どちらかを確かめてください。",
     _RESULT_EN + "the number of companies is {count}, but the list of participating companies holds "
     "{listed}. Check one or the other."),
    ("COMPANY_FILE_UNREADABLE", "error",
     "{name} を参加企業の一覧として読めません。CSV（UTF-8 または Shift_JIS）か Excel ブック（.xlsx）を選んでください。",
     "{name} cannot be read as a list of companies. Choose a CSV file (UTF-8 or Shift_JIS) or an Excel "
     "workbook (.xlsx)."),
    ("COMPANY_FILE_TOO_LONG", "error",
     "{name} は {max} 行を超えています。参加企業の一覧（企業名と都道府県の列）だけのファイルを選んでください。",
     "{name} has more than {max} rows. Choose a file with the list of companies only (name and prefecture)."),
    ("LINE_HAS_RESULT.quantity", "error",
     "{what}には第{session}回までの実績が記録されているため、数量を {quantity} にはできません。"
     "{session} 以上にしてください（実施しない回がある場合は、その回の実績を残したまま数量はそのままにしてください）。",
     "{what} has results recorded up to session {session}, so its quantity cannot be {quantity}. Keep it at "
     "{session} or more (a session that will not take place keeps its place and its result)."),
    ("NOT_A_NUMBER.result", "error",
     _RESULT_JA + "{label}「{text}」は数字で入れてください。",
     _RESULT_EN + "{label} '{text}' must be a number."),
    # -- an uploaded file before it is read (planner.workbook.safety, the apps' upload) -----------
    ("FILE_TOO_LARGE", "error",
     "ファイルが大きすぎます（{mb:.1f} MB）。10 MB 以下にしてください（画像や不要なシートを削除してください）。",
     "The file is too large ({mb:.1f} MB). It must be 10 MB or less (remove pictures and extra sheets)."),
    ("FILE_TOO_LARGE.upload", "error",
     "ファイル {name} は {mb:.1f} MB あり、上限の 10 MB を超えています。計画の Excel ファイルを選んでください。",
     "The file {name} is {mb:.1f} MB, over the 10 MB limit. Choose the plan workbook."),
    ("NOT_A_WORKBOOK", "error",
     "このファイルは Excel ブック（.xlsx）として読めません（{detail}）。"
     "planner で書き出したブックを Excel で「Excel ブック (*.xlsx)」として保存し直してから、"
     "もう一度読み込んでください。",
     "This file cannot be read as an Excel workbook (.xlsx) ({detail}). Save the workbook exported by planner "
     "as \"Excel Workbook (*.xlsx)\" and load it again."),
    ("NOT_A_WORKBOOK.contents", "error",
     "ブックの中身を読めません（{name}）。Excel で開いて「Excel ブック (*.xlsx)」として保存し直してください。",
     "The workbook's contents cannot be read ({name}). Open it in Excel and save it as "
     "\"Excel Workbook (*.xlsx)\"."),
    ("UNSAFE_CONTENT", "error",
     "このファイルには安全でない内容があるため読み込みません: {what}"
     " planner で書き出したブックに入力し直して、もう一度読み込んでください。",
     "This file is refused because it holds unsafe content: {what} "
     "Enter the data into a workbook exported by planner and load that instead."),
    ("UNSAFE_CONTENT.xml", "error",
     "このファイルには XML の宣言（DTD/ENTITY）があり、安全のため読み込みません。"
     "planner で書き出したブックに入力し直してください。",
     "This file holds XML declarations (DTD/ENTITY) and is refused for safety. "
     "Enter the data into a workbook exported by planner."),
    ("MACRO_WORKBOOK", "error",
     "マクロ（VBA）や ActiveX を含むブック（.xlsm など）は読み込めません。"
     "Excel で「Excel ブック (*.xlsx)」として保存し直してから読み込んでください。",
     "Workbooks with macros (VBA) or ActiveX (.xlsm and the like) are not accepted. "
     "Save it as \"Excel Workbook (*.xlsx)\" in Excel and load that."),
    ("TOO_MANY_ROWS", "error",
     "シート「{sheet}」は {rows:,} 行 × {columns:,} 列あります（上限 {max_rows:,} 行・{max_columns} 列）。"
     "不要な行・列を削除して保存し直してください。",
     "Sheet '{sheet}' has {rows:,} rows × {columns:,} columns (at most {max_rows:,} rows, {max_columns} "
     "columns). Delete the extra rows and columns and save again."),
    # -- reading a plan workbook (planner.workbook.read and its columns) ----------------------------
    ("CONSOLIDATED_WORKBOOK", "error",
     "これは年度の集約ブック（全コンソーシアムの一覧）で、読み込むことはできません。"
     "計画や実績を直すときは、そのコンソーシアムの計画ブックを書き出して入力し、それを読み込んでください。",
     "This is the year's consolidated workbook (all consortia), which is a report and cannot be loaded. "
     "To change a plan or enter results, export that consortium's plan workbook, edit it and load it."),
    ("MISSING_SHEET", "error",
     "シート「{sheet}」がありません（{what}）。planner で書き出したブックを使い、シートを削除・改名しないでください。",
     "The sheet '{sheet}' is missing ({what}). Use a workbook exported by planner and do not "
     "delete or rename its sheets."),
    ("META_INVALID", "error",
     "このブックがどの計画から作られたかを示す情報（非表示シート _meta）が読めません。"
     "planner で書き出し直したブックに入力してください。",
     "The hidden information saying which plan this workbook was made from (sheet _meta) cannot be "
     "read. Enter the data into a freshly exported workbook."),
    ("WRONG_FISCAL_YEAR.no_data", "error",
     "このブックは {year} 年度のものですが、その年度のデータ（メニュー・予算）がありません。"
     "今年度のブックを書き出し直して入力してください。",
     "This workbook is for FY{year}, for which there is no fiscal-year data (menu and "
     "budgets). Export this year's workbook and enter the data there."),
    ("WRONG_FISCAL_YEAR.workbook", "error",
     "このブックは {year} 年度の計画です（開いているのは {expected} 年度）。正しい年度のブックを選んでください。",
     "This workbook holds the FY{year} plan, not FY{expected}. Choose the right year's workbook."),
    ("UNKNOWN_CONSORTIUM.workbook", "error",
     "このブックのコンソーシアム {consortium!r} は{fy_label}のデータにありません。"
     "自分のコンソーシアムのブックを書き出し直してください。",
     "This workbook's consortium {consortium!r} is not in the {fy_label} data. Export your "
     "consortium's workbook again."),
    ("WRONG_CONSORTIUM", "error",
     "このブックは {theirs} の計画です（開いているのは {expected}）。正しいコンソーシアムのブックを選んでください。",
     "This workbook holds the plan of {theirs}, not the one open here ({expected}). "
     "Choose the right consortium's workbook."),
    ("MISSING_COLUMN", "error",
     "「{sheet}」シートの見出し（{row}行目）に「{label}」の列がありません。列を削除・改名せず、見出しを元に戻してください。",
     "The header row ({row}) of sheet '{sheet}' has no '{label}' column. Do not delete or rename "
     "columns; restore the header."),
    ("MISSING_COLUMN.header", "error",
     "「{sheet}」シートの先頭 {rows} 行に見出し行（{labels}…）がありません。見出し行を元に戻してください。",
     "Sheet '{sheet}' has no header row ({labels}, …) in its first {rows} rows. Restore the header row."),
    ("TOO_MANY_ROWS.lines", "error",
     "「{sheet}」シートの計画行が {max} 行を超えています（{row}行目以降）。不要な行を削除してください。",
     "Sheet '{sheet}' holds more than {max} plan lines (from row {row}). Delete the extra rows."),
    ("TOO_MANY_ROWS.results", "error",
     "「{sheet}」シートの実績が {max} 行を超えています。不要な行を削除してください。",
     "Sheet '{sheet}' holds more than {max} results. Delete the extra rows."),
    ("LINE_ID_UNKNOWN", "error",
     "番号{line}の行の{id_label}（非表示の列）{id!r} は、この計画の行のものではありません。"
     "{id_label}は変更しないでください。新しい行なら{id_label}を空にしてください。",
     "The {id_label} (line id, a hidden column) {id!r} of plan line {line} is not a line of this plan. "
     "Do not change line ids; for a new line, leave the id empty."),
    ("LINE_ID_UNKNOWN.result", "error",
     "この実績の{id_label}（非表示の列）{id!r} の行が「{plan_sheet}」シートにありません"
     "（行を削除したか、{id_label}を変更したためです）。実績のある行は削除せず、"
     "実施しない場合は「中止」列に「中止」と入れてください。",
     "This result's line id ({id_label}, a hidden column) {id!r} is on no row of sheet "
     "'{plan_sheet}' (the line was deleted, or its id changed). Keep a line that has a result; if it will "
     "not take place, enter 中止 in its 中止 column."),
    ("LINE_ID_DUPLICATE", "error",
     "{id_label}（非表示の列）{id!r} が {first}行目と{row}行目にあります。"
     "行をコピーした場合は、コピーした行の{id_label}を空にしてください（新しい行になります）。",
     "The line id ({id_label}, a hidden column) {id!r} is on rows {first} and {row}. "
     "If a row was copied, clear the copy's id (it then becomes a new line)."),
    ("RESULT_DUPLICATE", "error",
     "番号{line}の行の実績が2行あります（シートの{first}行目と{row}行目）。1行にまとめてください。",
     "There are two results for plan line {line} (sheet rows {first} and {row}). Merge them into one row."),
    ("RESULT_DUPLICATE.session", "error",
     "番号{line}の行の第{session}回の実績が2行あります（シートの{first}行目と{row}行目）。1行にまとめてください。",
     "There are two results for session {session} of plan line {line} (sheet rows {first} and {row}). Merge "
     "them into one row."),
    ("COMPANY_WITHOUT_RESULT", "error",
     "番号 {shown} の行の第{session}回の実績が「{results_sheet}」シートにありません。番号と回を確かめるか、"
     "先に「{results_sheet}」シートに実績（実施日など）を入れてください。",
     "There is no result for session {session} of plan line {shown} on sheet '{results_sheet}'. Check the "
     "number and session, or enter the result (dates and so on) on '{results_sheet}' first."),
    ("COMPANY_DUPLICATE_ROW", "error",
     "「{name}」が番号{line}の行の第{session}回に2回あります（{first}行目と{row}行目）。1行にしてください。",
     "'{name}' is listed twice for session {session} of plan line {line} (rows {first} and {row}). Keep one row."),
    ("COUNT_READ_FROM_TEXT", "warning",
     "「{label}」の「{value}」は文字として入っています。planner は {number} と読みました。"
     "表計算ソフトによっては合計に数えられないため、数値（半角数字のみ）で入れ直してください。",
     "'{label}' holds '{value}' as text; planner read it as {number}. Some spreadsheets leave such text out "
     "of their totals: enter it as a number (digits only)."),
    ("FORMULA_NOT_ALLOWED", "error",
     "「{label}」に数式 {formula!r} が入っています。数式ではなく値を入力してください"
     "（文字として入れたい場合は先頭に ' を付けてください）。",
     "'{label}' holds a formula {formula!r}. Enter a value instead (to enter it as text, start it with ')."),
    ("CELL_ERROR", "error",
     "「{label}」がエラー値 {value!r} になっています。正しい値を入力してください。",
     "'{label}' holds the error value {value!r}. Enter a proper value."),
    ("TEXT_TOO_LONG", "error",
     "「{label}」が {length} 文字あります。{max} 文字以内にしてください。",
     "'{label}' is {length} characters long. Shorten it to {max} characters or fewer."),
    ("CONTROL_CHARACTER", "error",
     "「{label}」に制御文字（U+{char}）が含まれています。その文字を削除してください。",
     "'{label}' contains a control character (U+{char}). Delete it."),
    ("NOT_A_NUMBER", "error",
     "「{label}」の {value!r} は数値ではありません。{minimum}の整数（半角数字）を入れてください。",
     "'{label}' holds {value!r}, which is not a number. Enter a whole number of {minimum} or more."),
    ("NOT_A_NUMBER.comma", "error",
     "「{label}」の {value!r} は数として読めません（「,」は 1,500 のように3桁ごとの区切りにだけ使えます）。"
     "整数を半角数字で入れてください。",
     "'{label}' holds {value!r}, which cannot be read as a number (a comma only separates "
     "thousands, as in 1,500). Enter a whole number."),
    ("NOT_A_NUMBER.month", "error",
     "「{label}」の {value!r} は月として読めません。1〜12 の数（例: 7 または 7月）を入れてください。",
     "'{label}' holds {value!r}, which is not a month. Enter a number from 1 to 12 (e.g. 7)."),
    ("NOT_A_NUMBER.month_flag", "error",
     "「{label}」に 1〜12 の月を入れてください。",
     "Enter a month from 1 to 12 in '{label}'."),
    ("ITEM_IS_A_MONTH", "error",
     "「{label}」に月（{month}）が入っています。月は「実施月」の列に入れ、メニューは一覧（①〜⑪）から選んでください。",
     "'{label}' holds a month ({month}). Put the month in the 実施月 (month) column and pick the "
     "menu item (①–⑪) from the list."),
    ("ITEM_TEXT_MISMATCH", "error",
     "「{label}」の {text!r} は番号が{no}（{name}）ですが、{meant}。どちらの事業か一覧から選び直してください。",
     "'{label}' holds {text!r}: its number is {no} ({name}) but {meant}. "
     "Pick the intended item from the list again."),
    ("NOT_A_CHOICE", "error",
     "「{label}」の {value!r} は使えません。実施しない行には「{mark}」と入れ、それ以外は空欄にしてください。",
     "'{label}' (cancelled) holds {value!r}: enter {mark} for a line that will not take place, "
     "else leave it empty."),
    # -- loading a plan workbook into the store (planner.workbook.importing) -----------------------
    ("NO_CHANGES", "warning",
     "保存されている計画（版 {revision}）と同じ内容のため、何も変更していません。",
     "The workbook matches the stored plan (revision {revision}); nothing was changed."),
    ("PLAN_AND_RESULTS", "error",
     "計画の行と実績が同時に変更されています。実績は承認済みの計画にだけ記録できます。"
     "計画の変更か実績の入力か、どちらか一方にしてから読み込んでください。",
     "Both the plan lines and the results were changed. Results can only be recorded on an accepted "
     "plan: either change the plan or enter results, then load the workbook again."),
    ("RESULT_KEPT", "warning",
     "ブックにない実績（番号 {lines}）は、保存されている内容のまま残しています。",
     "Results missing from the workbook (lines {lines}) were kept as stored."),
    ("STALE_REVISION", "error",
     "{head}上書きはしていません。保存されている側の変更: {theirs}。このブックでの変更: {yours}。"
     "最新の版を書き出し直し、必要な変更を入れ直してから読み込んでください。",
     "{head} Nothing was overwritten. Changes in the store: {theirs}. Changes in this workbook: {yours}. "
     "Export the latest revision, make your changes there and load it again."),
    *((code, "error", "読み込みませんでした: {reason}", "Not loaded: {reason}")
      for code in ("ACCESS_DENIED", "NOT_EDITABLE", "RESULTS_REFUSED", "NOT_FOUND")),
)

CODES: dict[str, Severity] = {}
for _m in MESSAGES.values():
    if CODES.setdefault(_m.code, _m.severity) != _m.severity:
        raise ValueError(f"{_m.key} has another severity than the other messages of {_m.code}")
del _m


def message(key: str) -> Message:
    """The catalogue's entry for `key` (CODE or CODE.way); a KeyError names a key the catalogue lacks."""
    return MESSAGES[key]
