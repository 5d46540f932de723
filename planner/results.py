"""Results (実績): what was delivered for a line of an accepted plan, and the checks on it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from .dates import example_date
from .fields import RESULT, names
from .findings import Finding
from .fiscal_year import MenuItem
from .japanese import calendar_year, circled, fiscal_year_span, reiwa
from .plan import Line, Plan, is_cancelled, is_month

COUNT_FIELDS = names(RESULT, "count")
SATISFACTION_FIELDS = names(RESULT, "share")
# as the results form and the 実績 sheet name them; messages use these, never the field names
RESULT_LABELS = {name: f.label for name, f in RESULT.items()}


@dataclass(frozen=True)
class Result:
    """What was delivered for one line. `line_id` names the line (it stays with the line when lines
    move); `line` is the line's 番号 as it is now, for people: filled in when a result is read, and
    when a result is recorded with a number only, that number is read against the plan as it is then."""

    line: Any = field(default=None, compare=False)  # 1-based 番号, shown; never what a result is kept by
    dates: Any = ()  # ISO dates "2024-11-19"
    venue: Any = ""
    companies: Any = None
    company_staff: Any = None
    students: Any = None
    members: Any = None  # consortium members
    very_satisfied: Any = None  # 大変満足
    satisfied: Any = None  # 満足
    dissatisfied: Any = None  # 不満
    satisfaction_unit: Any = "percent"  # "percent" (shares) or "count"
    notes: Any = ""
    line_id: Any = None

    def __post_init__(self) -> None:
        if isinstance(self.dates, list):
            object.__setattr__(self, "dates", tuple(self.dates))

    @property
    def participants(self) -> int:
        """People who took part: company staff, students and consortium members."""
        return sum(int(v) for v in (self.company_staff, self.students, self.members) if _is_count(v))

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["dates"] = list(self.dates)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Result:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


def _is_count(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0


def _count_problem(field: str, v: Any, n: Any) -> Finding:
    """Why a count is refused, naming the field as the person sees it."""
    ja, en = RESULT_LABELS[field]
    number = isinstance(v, int | float) and not isinstance(v, bool)
    shown = v if number else repr(v)
    if number and v < 0:
        why_ja, why_en = "はマイナスです。", "is negative;"
    elif number:
        why_ja, why_en = "は整数ではありません。", "is not a whole number;"
    else:
        why_ja, why_en = "は使えません。", "cannot be used;"
    return _err("COUNT_INVALID", f"{n}行目の実績: {ja}「{shown}」{why_ja}0以上の整数を入れてください。",
                f"Result for line {n}: {en} '{shown}' {why_en} enter a whole number of 0 or more.", n)


def _err(code: str, ja: str, en: str, line: Any) -> Finding:
    return Finding(code, "error", ja, en, line=line if isinstance(line, int) else None)


def attach(result: Result, plan: Plan) -> Result:
    """The result with its line named both ways against the plan as it is: the id from the 番号 when
    only a number was given, the 番号 from the id otherwise (None if the plan has no such line)."""
    if result.line_id is None:
        n = result.line
        if isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= len(plan.lines):
            return replace(result, line_id=plan.lines[n - 1].id)
        return result
    i = plan.line_index(result.line_id)
    return replace(result, line=None if i is None else i + 1)


def check_result(result: Result, plan: Plan) -> list[Finding]:
    """Problems with a result against the accepted plan it belongs to."""
    out: list[Finding] = []
    result = attach(result, plan)
    n = result.line
    if result.line_id is None or plan.line_index(result.line_id) is None:
        shown = n if result.line_id is None else result.line_id
        out.append(_err("RESULT_LINE_UNKNOWN",
                         f"実績の行 {shown!r} は承認済みの計画にありません（1〜{len(plan.lines)}行目）。",
                         f"Result line {shown!r} is not a line of the accepted plan (lines 1–{len(plan.lines)}).",
                         n))
    fy = plan.fiscal_year if isinstance(plan.fiscal_year, int) else None
    first, last = fiscal_year_span(fy) if fy else (None, None)
    for d in result.dates:
        try:
            day = dt.date.fromisoformat(str(d))
        except ValueError:
            ex = example_date(fy) if fy else "2025-11-19"
            out.append(_err("DATE_INVALID", f"{n}行目の実績: 日付 {d!r} を読めません。{ex} の形で入れてください。",
                            f"Result for line {n}: cannot read the date {d!r}. Use the form {ex}.", n))
            continue
        if first and last and not first <= day <= last:
            out.append(_err("DATE_OUTSIDE_YEAR",
                             f"{n}行目の実績: 実施日 {day} は、この計画の年度（{reiwa(fy)}: {fy}年4月1日〜{fy + 1}年"
                             "3月31日）の外です。年度内の日付を入れてください。",
                             f"Result for line {n}: the date held, {day}, is outside this plan's year (FY{fy}: "
                             f"1 April {fy} – 31 March {fy + 1}). Enter a date within it.", n))
    percent = result.satisfaction_unit == "percent"
    for f in (*COUNT_FIELDS, *SATISFACTION_FIELDS):
        v = getattr(result, f)
        # shares are percentages and may have decimals (33.3 / 33.3 / 33.4); people are counted whole
        fits = _is_share(v) if percent and f in SATISFACTION_FIELDS else _is_count(v)
        if v is not None and not fits:
            out.append(_count_problem(f, v, n))
    shares = [getattr(result, f) for f in SATISFACTION_FIELDS]
    if result.satisfaction_unit not in ("percent", "count"):
        out.append(_err("SATISFACTION_UNIT", f"{n}行目の実績: 満足度の単位は percent か count です。",
                        f"Result for line {n}: the satisfaction unit must be percent or count.", n))
    elif percent and any(s is not None for s in shares) and all(s is None or _is_share(s) for s in shares):
        # a blank share counts as 0 %: 40 and 50 with 不満 left empty add up to 90 %, which is said
        total = round(sum(s or 0 for s in shares), 6)
        if abs(total - 100) > 0.05:
            shown = int(total) if float(total).is_integer() else total
            out.append(Finding(
                "SHARES_NOT_100", "warning",
                f"{n}行目の実績: 満足度の割合の合計が {shown}% です（100% になるはずです）。入力を確かめてください。",
                f"Result for line {n}: the satisfaction shares add up to {shown} % instead of 100 %. "
                "Check what was entered.",
                line=n if isinstance(n, int) else None))
    elif not percent:
        out.extend(_more_answers_than_people(result, shares, n))
    return out


def _more_answers_than_people(result: Result, counts: list[Any], n: Any) -> list[Finding]:
    """Counted answers cannot outnumber the people who took part: one of the figures is mistyped
    (or shares were entered as counts). Judged only when some participants are given."""
    people = (result.company_staff, result.students, result.members)
    if not all(v is None or _is_count(v) for v in (*counts, *people)) or all(v is None for v in people):
        return []
    answers = sum(v or 0 for v in counts)
    if answers <= result.participants:
        return []
    return [_err("SATISFACTION_OVER_PARTICIPANTS",
                 f"{n}行目の実績: 満足度の人数の合計（{answers} 人）が参加者数（{result.participants} 名）を"
                 "超えています。人数か参加者数を確かめてください（割合なら単位を「割合（%）」にしてください）。",
                 f"Result for line {n}: the satisfaction counts add up to {answers}, more than the "
                 f"{result.participants} participants. Check the counts and participants (if they are shares, "
                 "choose the unit Shares (%)).", n)]


def _is_share(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 100


def event_lines(plan: Plan, menu: Mapping[int, MenuItem]) -> list[tuple[int, Line]]:
    """The lines a result (dates, participants, satisfaction) is recorded for, with their 番号: the
    menu's event items (①–⑥), not cancelled. Transport, venues, write-ups, secretariat support and
    proposals (⑦–⑪) have no participants of their own."""
    out = []
    for n, ln in enumerate(plan.lines, start=1):
        item = menu.get(ln.item) if isinstance(ln.item, int) and not isinstance(ln.item, bool) else None
        if item is not None and item.event and not is_cancelled(ln):
            out.append((n, ln))
    return out


def results_on_other_lines(results: Iterable[Result], plan: Plan, menu: Mapping[int, MenuItem],
                           stored: Iterable[Result] = ()) -> list[Finding]:
    """New or changed results on a line that takes none: an item other than the menu's events
    (⑦–⑪), or a cancelled line. A result already stored for a line since cancelled is kept as it is
    (cancelling keeps it, see edits_losing_results), so only a change to it is refused."""
    takes = {ln.id for _, ln in event_lines(plan, menu)}
    before = {r.line_id: r for r in stored}
    out = []
    for r in results:
        r = attach(r, plan)
        i = plan.line_index(r.line_id)
        if i is None or r.line_id in takes or before.get(r.line_id) == r:
            continue  # a line not in the plan is check_result's RESULT_LINE_UNKNOWN
        ln, n = plan.lines[i], i + 1
        if is_cancelled(ln):
            ja = f"{n}行目は中止の行のため、実績は記録できません。"
            en = f"Line {n} is cancelled, so no result can be recorded for it."
        else:
            ja = (f"{n}行目（{circled(ln.item)}）はイベント（①〜⑥）の行ではないため、参加者・満足度などの実績は"
                  "記録できません。")
            en = (f"Line {n} ({circled(ln.item)}) is not an event line (①–⑥), so no result (participants, "
                  "satisfaction) can be recorded for it.")
        out.append(_err("RESULT_NOT_AN_EVENT", ja, en, n))
    return out


@dataclass(frozen=True)
class EventProgress:
    """Where an event line stands on a day: "recorded" (has a result), "unrecorded" (its month is
    over and nothing is recorded), "this_month" or "planned" (its month is still to come)."""

    no: int  # the line's 番号
    line: Line
    state: str


def event_progress(plan: Plan, results: Iterable[Result], menu: Mapping[int, MenuItem],
                   today: dt.date) -> list[EventProgress]:
    """Each event line of the plan against `today` (a date in Japan), in the order of the months."""
    if not isinstance(plan.fiscal_year, int):
        return []
    recorded = {r.line_id for r in results}
    now = (today.year, today.month)
    out = []
    for n, ln in event_lines(plan, menu):
        if not is_month(ln.month):
            continue  # an accepted plan has none; a month that is not one cannot be placed in time
        when = (calendar_year(plan.fiscal_year, int(ln.month)), int(ln.month))
        state = ("recorded" if ln.id in recorded else "unrecorded" if when < now
                 else "this_month" if when == now else "planned")
        out.append((when, EventProgress(n, ln, state)))
    return [e for _, e in sorted(out, key=lambda pair: (pair[0], pair[1].no))]


def result_brief(r: Result, lang: str = "ja") -> str:
    """A result as a refusal names it: its dates and participants."""
    dates = "、".join(map(str, r.dates)) if lang != "en" else ", ".join(map(str, r.dates))
    if lang == "en":
        return f"held {dates or '(no date)'}, {r.participants} participants"
    return f"{dates or '日付なし'}実施、参加者 {r.participants} 名"


def line_brief(n: int, ln: Line, menu: dict[int, MenuItem] | None, lang: str = "ja") -> str:
    """A line as a refusal names it: its number, item and title."""
    item = menu.get(ln.item) if menu and isinstance(ln.item, int) else None
    name = item.name(lang) if item else ""
    what = " ".join(p for p in (circled(ln.item), name) if p)
    if lang == "en":
        return f"line {n} ({what}{', ' + repr(str(ln.title)) if ln.title else ''})"
    return f"{n}行目（{what}{'「' + str(ln.title) + '」' if ln.title else ''}）"


def edits_losing_results(before: Plan, after: Plan, results: list[Result],
                         menu: dict[int, MenuItem] | None = None) -> list[Finding]:
    """Why `after` may not replace `before`: a line with a recorded result is removed, or is turned
    into another menu item (its result would then describe an event of another kind). The remedy is
    said too: the line stays; an event that will not take place is marked cancelled (中止), which
    frees its points and keeps its result and history."""
    after_items = {ln.id: ln.item for ln in after.lines}
    out = []
    for r in results:
        i = before.line_index(r.line_id)
        if i is None:
            continue
        ln = before.lines[i]
        if ln.id in after_items and after_items[ln.id] == ln.item:
            continue
        removed = ln.id not in after_items
        what_ja, what_en = line_brief(i + 1, ln, menu, "ja"), line_brief(i + 1, ln, menu, "en")
        res_ja, res_en = result_brief(r, "ja"), result_brief(r, "en")
        if removed:
            out.append(Finding(
                "LINE_HAS_RESULT", "error",
                f"{what_ja}には実績（{res_ja}）が記録されているため、削除できません。"
                "実施しない場合は、行を削除せずに「変更」で「中止」にしてください（ポイントは使われなくなり、"
                "実績と履歴は残ります）。",
                f"{what_en[0].upper()}{what_en[1:]} has a recorded result ({res_en}) and cannot be removed. "
                "If the event will not take place, keep the line and mark it cancelled with Change (its points "
                "are freed; its result and history stay).",
                line=i + 1))
        else:
            out.append(Finding(
                "LINE_HAS_RESULT", "error",
                f"{what_ja}には実績（{res_ja}）が記録されているため、メニューを変更できません。"
                "別のメニューの事業は新しい行として追加してください。",
                f"{what_en[0].upper()}{what_en[1:]} has a recorded result ({res_en}); its menu item cannot be "
                "changed. Add an event of another item as a new line.",
                line=i + 1))
    return out
