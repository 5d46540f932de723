"""What a mail says: Japanese first, English below, built with `email.message.EmailMessage`.

Everything here is plain data in, a message out. Names of people and consortia and the officer's
comments are the only text that comes from people: a name goes into a header only through `one_line`
(no line break, so no header of its own) and `headerregistry.Address`; a comment goes into the body
only. No key, session or kernel id is ever given to these functions: a link is the public URL, the app
and the plan's year and consortium.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import urlencode

from ..japanese import JST
from ..text import Text

# line breaks of every kind, other control characters, and the bidi controls that could reorder a name
_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]+")
SUBJECT_PREFIX = "[planner]"
SIGNATURE = Text(
    "このメールは planner が自動で送っています（返信されても届きません）。"
    "通知の受け取り方（都度・1日1回まとめ・なし）はアプリの「メール通知」で変えられます。",
    "This mail was sent by planner (replies reach nobody). Choose how you are told (each, daily digest, none) "
    "under \"Mail notices\" in the app.")
OPEN_APP = Text("アプリを開く", "Open the app")
_VERBS = {
    "submit": Text("提出されました", "submitted"),
    "return": Text("差し戻されました", "returned"),
    "accept": Text("承認されました", "accepted"),
    "reopen": Text("再開されました", "reopened"),
}


def one_line(text: str, limit: int = 120) -> str:
    """Text safe for a header: line breaks and control characters become one space; at most `limit` long."""
    flat = " ".join(_BREAKS.sub(" ", str(text)).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def plan_link(public_url: str, role: str, consortium: str, fiscal_year: int) -> str:
    """The app a person opens the plan in, under the public URL (a secretariat's app opens its own plan)."""
    base = public_url.rstrip("/") + "/voila/render/"
    if role == "secretariat":
        return base + "secretariat.ipynb?" + urlencode({"fy": fiscal_year})
    return base + "review.ipynb?" + urlencode({"fy": fiscal_year, "consortium": consortium})


@dataclass(frozen=True)
class Notice:
    """One thing to tell: its subject and its body in each language (the body without greeting or
    signature, which the message adds)."""

    subject: Text
    body: Text
    link: str = ""
    link_label: Text = Text("計画を開く", "Open the plan")


@dataclass(frozen=True)
class PlanName:
    """A plan as a person reads it: the consortium's name and the fiscal year, in both languages."""

    consortium: Text
    year: Text

    def __call__(self, lang: str) -> str:
        return f"{self.consortium(lang)} {self.year(lang)}" if lang == "ja" else \
            f"{self.consortium(lang)}, {self.year(lang)}"  # ja: 関西コンソーシアム 令和7年度（2025年度）


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines()) or "  —"


def event_notice(action: str, plan: PlanName, revision: int | None, by: str, comment: str, link: str,
                 label: Text, result_line: str = "") -> Notice:
    """A change to a plan (or a result recorded) that concerns the reader. `label` is notices'
    NOTICE_LABELS[action]; `by` the doer's display name; `comment` the revision's (the officer's
    reason, or the secretariat's message with a submission)."""
    if action == "record_result":
        ja = f"{plan('ja')}の計画に実績が記録されました: {result_line}\n記録した人: {by}"
        en = f"A result was recorded in the plan of {plan('en')}: {result_line}\nRecorded by: {by}"
    else:
        verb = _VERBS.get(action, Text(action, action))
        ja = f"{plan('ja')}の計画が{verb.ja}" + (f"（版 {revision}）" if revision else "") + f"。\n操作した人: {by}"
        en = f"The plan of {plan('en')} was {verb.en}" + (f" (revision {revision})" if revision else "") + \
            f".\nBy: {by}"
    if comment.strip():
        ja += "\n\nコメント:\n" + _indent(comment)
        en += "\n\nComment:\n" + _indent(comment)
    subject = Text(f"{label.ja}: {plan('ja')}", f"{label.en}: {plan('en')}")
    return Notice(subject, Text(ja, en), link)


def waiting_notice(waiting: list[tuple[PlanName, Text, int]], link: str) -> Notice:
    """A reminder to the officer: plans submitted and not decided for more than 3 business days, each
    with the day it was submitted (as people read it) and the business days it has waited."""
    ja = "次の計画が提出から3営業日を過ぎても確認待ちです。\n\n" + "\n".join(
        f"  ・{p('ja')}（提出 {day.ja}、{n} 営業日）" for p, day, n in waiting)
    en = "These plans have waited for a decision more than 3 business days since they were submitted:\n\n" + \
        "\n".join(f"  - {p('en')} (submitted {day.en}, {n} business days)" for p, day, n in waiting)
    return Notice(Text(f"確認待ちの計画が {len(waiting)} 件あります", f"{len(waiting)} plan(s) waiting for a decision"),
                  Text(ja, en), link, OPEN_APP)


def results_notice(missing: list[tuple[PlanName, str, Text]], link: str) -> Notice:
    """The contractor's monthly reminder: events of accepted plans whose month is over, with no result
    recorded (each: the plan, the line as 「番号 件名」, its month)."""
    ja = "実施月が過ぎても実績が記録されていない事業があります。\n\n" + "\n".join(
        f"  ・{p('ja')} {line}（{month.ja}）" for p, line, month in missing)
    en = "These events' months are over and no result is recorded yet:\n\n" + "\n".join(
        f"  - {p('en')}: {line} ({month.en})" for p, line, month in missing)
    return Notice(Text(f"実績が未記録の事業が {len(missing)} 件あります", f"{len(missing)} event(s) without results"),
                  Text(ja, en), link, OPEN_APP)


def digest_notice(day: Text, notices: list[Notice], link: str) -> Notice:
    """One mail a day listing the day's notices."""
    ja = f"{day.ja}のお知らせ（{len(notices)} 件）\n\n" + "\n\n".join(
        f"■ {n.subject.ja}\n{n.body.ja}" + (f"\n{n.link_label.ja}: {n.link}" if n.link else "") for n in notices)
    en = f"Notices of {day.en} ({len(notices)})\n\n" + "\n\n".join(
        f"* {n.subject.en}\n{n.body.en}" + (f"\n{n.link_label.en}: {n.link}" if n.link else "") for n in notices)
    return Notice(Text(f"{day.ja}のお知らせ（{len(notices)} 件）", f"Notices of {day.en} ({len(notices)})"),
                  Text(ja, en), link, OPEN_APP)


@dataclass(frozen=True)
class Envelope:
    """Who a message is from and to, and its Message-ID."""

    to_name: str
    to_address: str
    from_address: str
    message_id: str
    extra: dict[str, str] = field(default_factory=dict)


def message(notice: Notice, env: Envelope) -> EmailMessage:
    """The mail: Japanese, then English, each with its greeting, link and signature."""
    name = one_line(env.to_name, 80)
    msg = EmailMessage()
    msg["Subject"] = one_line(f"{SUBJECT_PREFIX} {notice.subject.ja} / {notice.subject.en}", 200)
    msg["From"] = env.from_address
    msg["To"] = Address(display_name=name, addr_spec=env.to_address)
    msg["Date"] = format_datetime(dt.datetime.now(JST))
    msg["Message-ID"] = env.message_id
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation auto-replies back
    for k, v in env.extra.items():
        msg[k] = one_line(v)
    open_ja = f"\n\n{notice.link_label.ja}: {notice.link}" if notice.link else ""
    open_en = f"\n\n{notice.link_label.en}: {notice.link}" if notice.link else ""
    body = (f"{name} 様\n\n{notice.body.ja}{open_ja}\n\n{SIGNATURE.ja}\n\n"
            f"-------- English --------\n\n"
            f"Dear {name},\n\n{notice.body.en}{open_en}\n\n{SIGNATURE.en}\n")
    msg.set_content(body, charset="utf-8")
    return msg
