"""An outbox row as a mail's notice, read from the store when it is sent: the names as they are now, the
revision's comment, a link under the public URL."""

from __future__ import annotations

import datetime as dt

from ..errors import PlannerError
from ..japanese import fiscal_year_label, month_label, wareki_date
from ..notices import NOTICE_LABELS
from ..store import Store
from ..store.outbox import Mail
from ..text import Text
from .compose import Notice, PlanName, digest_notice, event_notice, plan_link, results_notice, waiting_notice
from .reminders import japan_day


def plan_name(store: Store, consortium: str, fiscal_year: int) -> PlanName:
    try:
        c = store.fiscal_year(fiscal_year).consortia.get(consortium)
    except PlannerError:
        c = None
    ja = c.name_ja if c else store.consortia().get(consortium, consortium)
    en = c.name_en if c else ja
    return PlanName(Text(ja, en), Text(fiscal_year_label(fiscal_year, "ja"), f"FY{fiscal_year}"))


def _event(store: Store, mail: Mail, role: str, public_url: str, event_id: int | None) -> Notice | None:
    event = store.event(event_id) if event_id is not None else None
    if event is None:
        return None
    plan = plan_name(store, event.consortium, event.fiscal_year)
    link = plan_link(public_url, role, event.consortium, event.fiscal_year)
    comment, line = "", ""
    if event.revision:
        try:
            comment = store.revision_at(event.consortium, event.fiscal_year, event.revision).comment
        except PlannerError:
            comment = ""
    if event.line_id:
        rec = store.current(event.consortium, event.fiscal_year)
        numbered = {ln.id: f"{n} {ln.title or ''}".strip() for n, ln in enumerate(rec.plan.lines if rec else [], 1)}
        more = [e for e in (store.event(i) for i in mail.content.get("more", [])) if e is not None and e.line_id]
        line = "、".join(numbered.get(e.line_id, e.line_id) for e in [event, *more] if e.line_id)
    return event_notice(event.action, plan, event.revision, store.display_name(event.by), comment, link,
                        NOTICE_LABELS.get(event.action, Text(event.action, event.action)), line)


def _waiting(store: Store, content: dict, public_url: str) -> Notice:
    plans = [(plan_name(store, c, fy), Text(wareki_date(japan_day(at)), f"{japan_day(at):%Y-%m-%d}"), n)
             for c, fy, at, n in content.get("plans", [])]
    years = sorted({fy for _, fy, _, _ in content.get("plans", [])})
    link = public_url.rstrip("/") + "/voila/render/review.ipynb" + (f"?fy={years[-1]}" if years else "")
    return waiting_notice(plans, link)


def _results(store: Store, content: dict, public_url: str) -> Notice:
    missing = [(plan_name(store, c, fy), f"{n} {title}".strip(), Text(month_label(m, "ja"), month_label(m, "en")))
               for c, fy, n, title, m in content.get("lines", [])]
    years = sorted({fy for _, fy, *_ in content.get("lines", [])})
    link = public_url.rstrip("/") + "/voila/render/review.ipynb" + (f"?fy={years[-1]}" if years else "")
    return results_notice(missing, link)


def notice(store: Store, mail: Mail, public_url: str) -> Notice | None:
    """What the row says (None: nothing left to say, e.g. its event is gone)."""
    role = store.user(mail.user).role
    if mail.kind == "event":
        return _event(store, mail, role, public_url, mail.event_id)
    if mail.kind == "waiting":
        return _waiting(store, mail.content, public_url)
    if mail.kind == "results":
        return _results(store, mail.content, public_url)
    if mail.kind == "digest":
        items = []
        for item in store.digest_items(mail.id):
            sub = Mail(mail.id, mail.user, item["kind"], item["event_id"], item["content"], mail.token,
                       mail.attempts, mail.created_clock, mail.email, mail.notices, mail.active)
            n = notice(store, sub, public_url)
            if n is not None:
                items.append(n)
        if not items:
            return None
        d = dt.date.fromisoformat(mail.content["day"])
        app = "secretariat.ipynb" if role == "secretariat" else "review.ipynb"
        return digest_notice(Text(wareki_date(d), f"{d:%Y-%m-%d}"), items,
                             public_url.rstrip("/") + f"/voila/render/{app}")
    return None
