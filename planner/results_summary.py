"""The year's results in figures: planned against delivered events by consortium and by menu item,
participants by type, satisfaction weighted by the people who answered, participating companies by
prefecture, and the events whose month is over with sessions still unrecorded. Pure functions over
plans and results; the review app's 計画と実績, the year's results book and the analysts' tables all
read these same figures.

How satisfaction is weighted (WEIGHTING_JA / WEIGHTING_EN say it to people): each event counts by the
people who answered it, not once. Answers given as counts are summed as they are; answers given as shares
(%) stand for the event's students (the survey is the students'), so 33 % of 64 students is 21.12
answers. An event given in shares without a student count cannot be weighted and is left out (and
counted in `Satisfaction.unweighted`). The shares of a group are its summed answers over their total.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .fiscal_year import FiscalYear, MenuItem
from .japanese import calendar_year
from .plan import Line, Plan, is_month
from .prefectures import PREFECTURES
from .results import Result, event_lines

ANSWERS = ("very_satisfied", "satisfied", "dissatisfied")
KINDS = ("companies", "company_staff", "students", "members")
KIND_LABELS = {"companies": ("参加企業数", "Companies"), "company_staff": ("企業参加者数", "Company staff"),
               "students": ("留学生数", "Students"), "members": ("コンソーシアム関係者数", "Consortium members")}
ANSWER_LABELS = {"very_satisfied": ("大変満足", "Very satisfied"), "satisfied": ("満足", "Satisfied"),
                 "dissatisfied": ("不満", "Dissatisfied")}
WEIGHTING_JA = ("満足度は回答した人数で重み付けしています。件数で入力された回答はそのまま合計し、割合（%）で"
                "入力された回答はそのイベントの留学生数を掛けて人数に直してから合計します（例: 64名の33% = 21.12名）。"
                "留学生数のないイベントの割合は重み付けできないため含めていません。")
WEIGHTING_EN = ("Satisfaction is weighted by the people who answered: answers entered as counts are summed as "
                "they are; answers entered as shares (%) are turned into people with the event's number of "
                "students before summing (e.g. 33 % of 64 students = 21.12). Shares of an event without a "
                "student count cannot be weighted and are left out.")


def _count(v: Any) -> int:
    return v if isinstance(v, int) and not isinstance(v, bool) and v >= 0 else 0


def _number(v: Any) -> float | None:
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) and v >= 0 else None


def session_of(r: Result) -> int:
    """The session a result is for (1 where a result predates sessions)."""
    s = r.session
    return s if isinstance(s, int) and not isinstance(s, bool) else 1


def companies_of(r: Result) -> tuple[Any, ...]:
    """The participating companies a result lists (name, prefecture), if any."""
    return tuple(r.company_list or ())


@dataclass(frozen=True)
class Satisfaction:
    """Answers summed as people: `very_satisfied`, `satisfied`, `dissatisfied` are numbers of people
    (fractional where a share stood for students); `events` the events weighed in, `unweighted` those
    with shares and no student count, left out."""

    very_satisfied: float = 0.0
    satisfied: float = 0.0
    dissatisfied: float = 0.0
    events: int = 0
    unweighted: int = 0

    @property
    def answered(self) -> float:
        return self.very_satisfied + self.satisfied + self.dissatisfied

    def share(self, answer: str) -> float | None:
        """One answer's share in percent of those who answered, or None when nobody did."""
        total = self.answered
        return getattr(self, answer) / total * 100 if total > 0 else None

    @property
    def positive(self) -> float | None:
        """大変満足 and 満足 together, in percent."""
        total = self.answered
        return (self.very_satisfied + self.satisfied) / total * 100 if total > 0 else None

    def __add__(self, other: Satisfaction) -> Satisfaction:
        return Satisfaction(self.very_satisfied + other.very_satisfied, self.satisfied + other.satisfied,
                            self.dissatisfied + other.dissatisfied, self.events + other.events,
                            self.unweighted + other.unweighted)


def satisfaction_of(r: Result) -> Satisfaction:
    """One result's answers as people (see the module's note on weighting)."""
    values = [_number(getattr(r, a)) for a in ANSWERS]
    if all(v is None for v in values):
        return Satisfaction()
    values = [v or 0.0 for v in values]
    if r.satisfaction_unit == "percent":
        students = _count(r.students)
        if not students:
            return Satisfaction(unweighted=1)
        values = [v / 100 * students for v in values]
    if sum(values) <= 0:
        return Satisfaction()
    return Satisfaction(*values, events=1)


def weighted_satisfaction(results: Iterable[Result]) -> Satisfaction:
    total = Satisfaction()
    for r in results:
        total = total + satisfaction_of(r)
    return total


@dataclass(frozen=True)
class Tally:
    """Planned against delivered for a group of event lines: sessions planned (the lines' quantities),
    sessions delivered (a result per session, a line counting no more than its quantity), the people
    by type and the weighted satisfaction."""

    planned: int = 0
    delivered: int = 0
    companies: int = 0
    company_staff: int = 0
    students: int = 0
    members: int = 0
    satisfaction: Satisfaction = field(default_factory=Satisfaction)

    @property
    def participants(self) -> int:
        return self.company_staff + self.students + self.members

    @property
    def delivery_rate(self) -> float | None:
        return self.delivered / self.planned * 100 if self.planned else None

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.planned + other.planned, self.delivered + other.delivered,
                     self.companies + other.companies, self.company_staff + other.company_staff,
                     self.students + other.students, self.members + other.members,
                     self.satisfaction + other.satisfaction)


@dataclass(frozen=True)
class Missing:
    """An event line of an accepted plan whose month is over with sessions unrecorded."""

    consortium: str
    no: int  # the line's 番号
    line: Line
    recorded: int
    planned: int

    @property
    def missing(self) -> int:
        return self.planned - self.recorded


@dataclass(frozen=True)
class PrefectureCount:
    prefecture: str
    consortium: str
    companies: int
    target: bool  # one of the consortium's main target prefectures


@dataclass(frozen=True)
class YearFigures:
    fiscal_year: int
    by_consortium: dict[str, Tally]  # in the fiscal-year file's order; only consortia with an accepted plan
    by_item: dict[int, Tally]  # ①–⑥ that some accepted plan has
    total: Tally
    prefectures: list[PrefectureCount]
    missing: list[Missing]
    as_of: dt.date


def line_tally(line: Line, results: Iterable[Result]) -> Tally:
    """One event line against the results recorded for it (a session counted once, up to the quantity)."""
    quantity = line.quantity if isinstance(line.quantity, int) and not isinstance(line.quantity, bool) else 0
    seen: dict[int, Result] = {}
    for r in results:
        s = session_of(r)
        if 1 <= s <= max(quantity, 1) and s not in seen:
            seen[s] = r
    counted = list(seen.values())
    people = {k: sum(_count(getattr(r, k)) for r in counted) for k in KINDS}
    return Tally(planned=quantity, delivered=min(len(counted), quantity), **people,
                 satisfaction=weighted_satisfaction(counted))


def _past(fiscal_year: int, month: Any, today: dt.date) -> bool:
    return is_month(month) and (calendar_year(fiscal_year, int(month)), int(month)) < (today.year, today.month)


def year_figures(fy: FiscalYear, plans: Iterable[Plan], results: Mapping[str, list[Result]],
                 today: dt.date) -> YearFigures:
    """The year's figures from its accepted plans (`plans`: only those; the caller decides what this
    person may read) and their results by consortium. `today` (a date in Japan) decides which months are over."""
    by_consortium: dict[str, Tally] = {}
    by_item: dict[int, Tally] = {}
    prefectures: dict[tuple[str, str], int] = {}
    missing: list[Missing] = []
    plans = {p.consortium: p for p in plans}
    for cid in [c for c in fy.consortia if c in plans] + [c for c in plans if c not in fy.consortia]:
        plan = plans[cid]
        menu: Mapping[int, MenuItem] = fy.menu_for(cid) if cid in fy.consortia else fy.menu
        mine = results.get(cid, [])
        tally = Tally()
        for no, ln in event_lines(plan, menu):
            of_line = [r for r in mine if r.line_id == ln.id]
            t = line_tally(ln, of_line)
            tally = tally + t
            by_item[ln.item] = by_item.get(ln.item, Tally()) + t
            if t.delivered < t.planned and _past(fy.year, ln.month, today):
                missing.append(Missing(cid, no, ln, t.delivered, t.planned))
            for r in of_line:
                for company in companies_of(r):
                    pref = str(getattr(company, "prefecture", "") or "")
                    prefectures[(cid, pref)] = prefectures.get((cid, pref), 0) + 1
        by_consortium[cid] = tally
    total = Tally()
    for t in by_consortium.values():
        total = total + t
    order = {p: i for i, p in enumerate(PREFECTURES)}
    cons_order = {c: i for i, c in enumerate(by_consortium)}
    targets = {cid: set(c.prefectures) for cid, c in fy.consortia.items()}
    counts = [PrefectureCount(p, cid, n, p in targets.get(cid, set())) for (cid, p), n in prefectures.items()]
    counts.sort(key=lambda c: (cons_order.get(c.consortium, 99), order.get(c.prefecture, 99), c.prefecture))
    missing.sort(key=lambda m: (cons_order.get(m.consortium, 99), calendar_year(fy.year, int(m.line.month)),
                                int(m.line.month), m.no))
    return YearFigures(fy.year, by_consortium, dict(sorted(by_item.items())), total, counts, missing, today)


def companies_by_prefecture(companies: Iterable[Any]) -> list[tuple[str, list[str]]]:
    """Companies grouped by prefecture in the national order (as the seed's event page lists them);
    a prefecture not known is listed after, as written."""
    groups: dict[str, list[str]] = {}
    for c in companies:
        groups.setdefault(str(getattr(c, "prefecture", "") or ""), []).append(str(getattr(c, "name", c)))
    order = {p: i for i, p in enumerate(PREFECTURES)}
    return sorted(groups.items(), key=lambda kv: (order.get(kv[0], 99), kv[0]))


def percent_text(v: float | None, digits: int = 0) -> str:
    """A share as people read it: 33 %, or — for none."""
    return "—" if v is None else f"{v:.{digits}f}%"
