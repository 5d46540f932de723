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
from .prefectures import prefecture_of
from .text import Text

COUNT_FIELDS = names(RESULT, "count")
SATISFACTION_FIELDS = names(RESULT, "share")
# as the results form and the 実績 sheet name them; messages use these, never the field names
RESULT_LABELS = {name: f.label for name, f in RESULT.items()}


@dataclass(frozen=True)
class Company:
    """A company that took part in an event: its name and prefecture (never a person's data)."""

    name: Any = ""
    prefecture: Any = ""

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "prefecture": self.prefecture}


def _company(c: Any) -> Any:
    """A company given as a mapping or a (name, prefecture) pair, as a Company; anything else as is
    (check_result says what is wrong with it)."""
    if isinstance(c, Mapping) and set(c) <= {"name", "prefecture"}:
        return Company(c.get("name", ""), c.get("prefecture", ""))
    if isinstance(c, list | tuple) and len(c) == 2:
        return Company(*c)
    return c


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
    session: Any = 1  # which of the line's sessions (1 … its quantity): one result a session
    company_list: Any = ()  # the companies that took part (Company); `companies` is their count as entered

    def __post_init__(self) -> None:
        if isinstance(self.dates, list):
            object.__setattr__(self, "dates", tuple(self.dates))
        if isinstance(self.company_list, list | tuple):
            object.__setattr__(self, "company_list", tuple(_company(c) for c in self.company_list))

    @property
    def key(self) -> tuple[Any, Any]:
        """What a result is kept by: its line's id and its session."""
        return (self.line_id, self.session)

    @property
    def participants(self) -> int:
        """People who took part: company staff, students and consortium members."""
        return sum(int(v) for v in (self.company_staff, self.students, self.members) if _is_count(v))

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["dates"] = list(self.dates)
        d["company_list"] = [c.as_dict() if isinstance(c, Company) else c for c in self.company_list]
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
        why = Text("はマイナスです。", "is negative;")
    elif number:
        why = Text("は整数ではありません。", "is not a whole number;")
    else:
        why = Text("は使えません。", "cannot be used;")
    return _err("COUNT_INVALID", n, label=Text(ja, en), shown=shown, why=why)


def _err(code: str, n: Any, **params: Any) -> Finding:
    """A result's finding: `n` is the line's 番号 as given (said as is, kept as the line if a number)."""
    return Finding.of(code, line=n if isinstance(n, int) else None, n=n, **params)


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
    i = None if result.line_id is None else plan.line_index(result.line_id)
    if i is None:
        shown = n if result.line_id is None else result.line_id
        out.append(_err("RESULT_LINE_UNKNOWN", n, shown=shown, lines=len(plan.lines)))
    out.extend(_session_problems(result.session, None if i is None else plan.lines[i], n))
    fy = plan.fiscal_year if isinstance(plan.fiscal_year, int) else None
    first, last = fiscal_year_span(fy) if fy else (None, None)
    for d in result.dates:
        try:
            day = dt.date.fromisoformat(str(d))
        except ValueError:
            ex = example_date(fy) if fy else "2025-11-19"
            out.append(_err("DATE_INVALID", n, date=d, example=ex))
            continue
        if first and last and not first <= day <= last:
            out.append(_err("DATE_OUTSIDE_YEAR", n, day=day, era=Text(reiwa(fy), f"FY{fy}"), year=fy, next_year=fy + 1))
    percent = result.satisfaction_unit == "percent"
    for f in (*COUNT_FIELDS, *SATISFACTION_FIELDS):
        v = getattr(result, f)
        # shares are percentages and may have decimals (33.3 / 33.3 / 33.4); people are counted whole
        fits = _is_share(v) if percent and f in SATISFACTION_FIELDS else _is_count(v)
        if v is not None and not fits:
            out.append(_count_problem(f, v, n))
    shares = [getattr(result, f) for f in SATISFACTION_FIELDS]
    if result.satisfaction_unit not in ("percent", "count"):
        out.append(_err("SATISFACTION_UNIT", n))
    elif percent and any(s is not None for s in shares) and all(s is None or _is_share(s) for s in shares):
        # a blank share counts as 0 %: 40 and 50 with 不満 left empty add up to 90 %, which is said
        total = round(sum(s or 0 for s in shares), 6)
        if abs(total - 100) > 0.05:
            shown = int(total) if float(total).is_integer() else total
            out.append(_err("SHARES_NOT_100", n, shown=shown))
    elif not percent:
        out.extend(_more_answers_than_people(result, shares, n))
    out.extend(company_problems(result, n))
    return out


def _is_whole(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _session_problems(session: Any, ln: Line | None, n: Any) -> list[Finding]:
    """A session is a whole number from 1 to the line's quantity (a line of quantity 2 has sessions 1, 2)."""
    quantity = ln.quantity if ln is not None and _is_whole(ln.quantity) and ln.quantity >= 1 else None
    if not _is_whole(session) or session < 1:
        return [_err("SESSION_INVALID", n, shown=session, quantity=quantity or 1)]
    if quantity is not None and session > quantity:
        return [_err("SESSION_BEYOND_QUANTITY", n, session=session, quantity=quantity)]
    return []


def company_key(name: Any) -> str:
    """A company's name as duplicates are told: full-width letters, spaces and case do not count."""
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", str(name)).split()).casefold()


def company_problems(result: Result, n: Any = None) -> list[Finding]:
    """What is wrong with a result's companies: one without a name or with an unknown prefecture, one
    listed twice (by name), and a count (参加企業数) that says another number than the list holds."""
    n = result.line if n is None else n
    if not isinstance(result.company_list, tuple):
        return [_err("COMPANY_INVALID", n, k=1, shown=repr(result.company_list))]
    out, seen = [], {}
    for k, c in enumerate(result.company_list, start=1):
        if not isinstance(c, Company) or not isinstance(c.name, str) or not c.name.strip():
            shown = f"{c.name!r} / {c.prefecture!r}" if isinstance(c, Company) else repr(c)
            out.append(_err("COMPANY_INVALID", n, k=k, shown=shown))
            continue
        if prefecture_of(c.prefecture) is None:
            out.append(_err("COMPANY_PREFECTURE_UNKNOWN", n, k=k, name=c.name.strip(), prefecture=c.prefecture))
        key = company_key(c.name)
        if key in seen:
            out.append(_err("COMPANY_DUPLICATE", n, k=k, first=seen[key], name=c.name.strip()))
        seen.setdefault(key, k)
    listed = len(result.company_list)
    if listed and _is_count(result.companies) and result.companies != listed:
        out.append(_err("COMPANIES_COUNT_MISMATCH", n, count=result.companies, listed=listed))
    return out


def settled(result: Result) -> Result:
    """The result as it is kept: each company's name trimmed and its prefecture as planner names it
    (宮城県 → 宮城), once check_result found nothing wrong with them."""
    companies = tuple(Company(c.name.strip(), prefecture_of(c.prefecture) or c.prefecture)
                      if isinstance(c, Company) and isinstance(c.name, str) else c for c in result.company_list)
    return replace(result, company_list=companies)


def _more_answers_than_people(result: Result, counts: list[Any], n: Any) -> list[Finding]:
    """Counted answers cannot outnumber the people who took part: one of the figures is mistyped
    (or shares were entered as counts). Judged only when some participants are given."""
    people = (result.company_staff, result.students, result.members)
    if not all(v is None or _is_count(v) for v in (*counts, *people)) or all(v is None for v in people):
        return []
    answers = sum(v or 0 for v in counts)
    if answers <= result.participants:
        return []
    return [_err("SATISFACTION_OVER_PARTICIPANTS", n, answers=answers, participants=result.participants)]


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
    before = {r.key: r for r in stored}
    out = []
    for r in results:
        r = attach(r, plan)
        i = plan.line_index(r.line_id)
        if i is None or r.line_id in takes or before.get(r.key) == r:
            continue  # a line not in the plan is check_result's RESULT_LINE_UNKNOWN
        ln, n = plan.lines[i], i + 1
        if is_cancelled(ln):
            out.append(_err("RESULT_NOT_AN_EVENT.cancelled", n))
        else:
            out.append(_err("RESULT_NOT_AN_EVENT", n, item=circled(ln.item)))
    return out


@dataclass(frozen=True)
class EventProgress:
    """Where an event line stands on a day: "recorded" (every session has a result), "unrecorded" (its
    month is over and a session is not recorded), "this_month" or "planned" (its month is still to come).
    A line is delivered session by session: `recorded` of its `sessions` have a result."""

    no: int  # the line's 番号
    line: Line
    state: str
    recorded: int = 0  # sessions with a result
    sessions: int = 1  # the line's quantity


def sessions_of(ln: Line) -> int:
    """How many sessions a line has: its quantity (1 for a quantity that is not a whole number ≥ 1)."""
    return ln.quantity if _is_whole(ln.quantity) and ln.quantity >= 1 else 1


def delivered_sessions(results: Iterable[Result]) -> dict[Any, int]:
    """Per line id: how many of its sessions have a result."""
    out: dict[Any, set] = {}
    for r in results:
        out.setdefault(r.line_id, set()).add(r.session)
    return {k: len(v) for k, v in out.items()}


def event_progress(plan: Plan, results: Iterable[Result], menu: Mapping[int, MenuItem],
                   today: dt.date) -> list[EventProgress]:
    """Each event line of the plan against `today` (a date in Japan), in the order of the months."""
    if not isinstance(plan.fiscal_year, int):
        return []
    recorded = delivered_sessions(results)
    now = (today.year, today.month)
    out = []
    for n, ln in event_lines(plan, menu):
        if not is_month(ln.month):
            continue  # an accepted plan has none; a month that is not one cannot be placed in time
        when = (calendar_year(plan.fiscal_year, int(ln.month)), int(ln.month))
        done, sessions = recorded.get(ln.id, 0), sessions_of(ln)
        state = ("recorded" if done >= sessions else "unrecorded" if when < now
                 else "this_month" if when == now else "planned")
        out.append((when, EventProgress(n, ln, state, done, sessions)))
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
    into another menu item (its result would then describe an event of another kind), or its quantity is
    lowered below a session recorded (第2回 of a line of quantity 1 would be no session of it). The remedy
    is said too: the line stays; an event that will not take place is marked cancelled (中止), which
    frees its points and keeps its result and history."""
    after_lines = {ln.id: ln for ln in after.lines}
    after_items = {k: ln.item for k, ln in after_lines.items()}
    out, said = [], set()
    recorded: dict[Any, int] = {}
    for r in results:
        if _is_whole(r.session):
            recorded[r.line_id] = max(recorded.get(r.line_id, 0), r.session)
    for r in sorted(results, key=lambda r: r.session if _is_whole(r.session) else 0):
        i = before.line_index(r.line_id)
        if i is None or r.line_id in said:  # a line of several sessions is named once, by its first
            continue
        said.add(r.line_id)
        ln = before.lines[i]
        if ln.id in after_items and after_items[ln.id] == ln.item:
            q = after_lines[ln.id].quantity
            if _is_whole(q) and q >= 1 and recorded.get(ln.id, 0) > q:
                out.append(Finding.of("LINE_HAS_RESULT.quantity", line=i + 1, what=Text(
                    line_brief(i + 1, ln, menu, "ja"), _capital(line_brief(i + 1, ln, menu, "en"))),
                    session=recorded[ln.id], quantity=q))
            continue
        removed = ln.id not in after_items
        what_ja, what_en = line_brief(i + 1, ln, menu, "ja"), line_brief(i + 1, ln, menu, "en")
        res_ja, res_en = result_brief(r, "ja"), result_brief(r, "en")
        out.append(Finding.of("LINE_HAS_RESULT" if removed else "LINE_HAS_RESULT.item", line=i + 1,
                              what=Text(what_ja, _capital(what_en)), result=Text(res_ja, res_en)))
    return out


def _capital(s: str) -> str:
    return f"{s[0].upper()}{s[1:]}" if s else s
