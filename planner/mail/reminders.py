"""Reminders and the daily digest, queued in the outbox by the sender as time passes.

- The officer: plans submitted and not decided for more than 3 business days, once a day (business days
  only), in one mail listing them.
- The contractor: once a month, the events of accepted plans whose month is over and that have no result.
- Whoever chose the daily digest: the day's notices in one mail once the day is over (Japan time).

Business days are Japan's: no weekend, no national holiday (`jpholiday`), and not the government's
year-end days (12/29–1/3). Every queueing is idempotent (the outbox's `dedupe`), so any number of
senders on one store, asking any number of times, queue each reminder once.
"""

from __future__ import annotations

import datetime as dt

import jpholiday

from ..japanese import JST, calendar_year, fiscal_year_span
from ..results import event_lines
from ..store import Store, connection

WAITING_DAYS = 3  # a plan submitted longer ago than this many business days is a reminder's


def today(clock: float | None = None) -> dt.date:
    """The day in Japan now (the store's clock, which the tests set)."""
    return dt.datetime.fromtimestamp(connection.clock() if clock is None else clock, JST).date()


def is_business_day(day: dt.date) -> bool:
    year_end = (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)
    return day.weekday() < 5 and not jpholiday.is_holiday(day) and not year_end


def business_days_after(start: dt.date, end: dt.date) -> int:
    """Business days after `start` up to and including `end` (a plan submitted on a Monday has waited
    3 business days on Thursday and more than 3 on Friday)."""
    n, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        n += is_business_day(day)
    return n


def japan_day(stamp: str) -> dt.date:
    t = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return (t if t.tzinfo else t.replace(tzinfo=dt.UTC)).astimezone(JST).date()


def queue_waiting(store: Store) -> int:
    """Each officer's reminder of the plans waiting for them, once a business day. Returns how many queued."""
    day = today()
    if not is_business_day(day):
        return 0
    waiting = []
    for rec in store.plan_records():
        if rec.status != "submitted":
            continue
        n = business_days_after(japan_day(rec.updated_at), day)
        if n > WAITING_DAYS:
            waiting.append([rec.plan.consortium, rec.plan.fiscal_year, rec.updated_at, n])
    if not waiting:
        return 0
    officers = [u for u in store.users() if u.role == "officer" and u.active]
    return sum(store.queue_mail(u.name, "waiting", {"plans": waiting}, f"waiting:{u.name}:{day}") for u in officers)


def missing_results(store: Store, day: dt.date) -> list[list]:
    """[consortium, fiscal year, 番号, 件名, month] of each event line (①–⑥, not cancelled: those a result is
    recorded for) of an accepted plan whose month ended before `day` and that has no result."""
    missing = []
    for rec in store.plan_records():
        if rec.status != "accepted" or fiscal_year_span(rec.plan.fiscal_year)[0] > day:
            continue
        menu = store.menu_or_none(rec.plan.consortium, rec.plan.fiscal_year)
        if menu is None:  # an unreadable year file: `planner years check` says why
            continue
        recorded = {r.line_id for r in store.plan_results(rec.plan.consortium, rec.plan.fiscal_year)}
        for number, line in event_lines(rec.plan, menu):
            month = line.month if isinstance(line.month, int) and 1 <= line.month <= 12 else None
            if month is None or line.id in recorded:
                continue
            year = calendar_year(rec.plan.fiscal_year, month)
            if (year, month) < (day.year, day.month):
                missing.append([rec.plan.consortium, rec.plan.fiscal_year, number, str(line.title or ""), month])
    return missing


def queue_results(store: Store) -> int:
    """The contractor's monthly reminder of past events without results (from the month's first
    business day on, once a month). Returns how many queued."""
    day = today()
    if not is_business_day(day):
        return 0
    contractors = [u for u in store.users() if u.role == "contractor" and u.active]
    if not contractors:
        return 0
    missing = missing_results(store, day)
    if not missing:
        return 0
    month = f"{day:%Y-%m}"
    return sum(store.queue_mail(u.name, "results", {"lines": missing, "month": month}, f"results:{u.name}:{month}")
               for u in contractors)


def queue_digests(store: Store) -> int:
    """For each person who chose the daily digest, one mail for each past day (Japan time) with notices.
    Returns how many digests were made."""
    day = today()
    groups: dict[tuple[str, dt.date], list[int]] = {}
    for r in store.daily_rows():
        d = today(r["created_clock"])
        if d < day:
            groups.setdefault((r["user"], d), []).append(r["id"])
    return sum(store.make_digest(user, str(d), ids) for (user, d), ids in sorted(groups.items()))


def queue_due(store: Store) -> int:
    """Everything time brings: reminders and digests."""
    return queue_waiting(store) + queue_results(store) + queue_digests(store)
