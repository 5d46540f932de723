"""Reminders and the daily digest, with the store's clock set (planner.store.connection.clock/now): the
officer for plans waiting more than 3 business days (Japan's holidays counted), the contractor monthly
for past events without results, one digest a day; each queued once, sent through a real SMTP server."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from mail_support import SmtpServer
from plan_support import KANSAI_LINES

import planner
from planner.japanese import JST
from planner.mail.reminders import business_days_after, is_business_day, queue_digests, queue_due, queue_waiting
from planner.mail.sender import MailServer, Sender
from planner.store import connection


def set_clock(monkeypatch, day: str, time: str = "10:00") -> None:
    """The store's clock at `day` `time`, Japan time."""
    t = dt.datetime.fromisoformat(f"{day}T{time}:00").replace(tzinfo=JST).timestamp()
    monkeypatch.setattr(connection, "clock", lambda: t)
    monkeypatch.setattr(connection, "now", lambda: dt.datetime.fromtimestamp(t, dt.UTC)
                        .isoformat(timespec="seconds").replace("+00:00", "Z"))


@pytest.fixture
def smtp(tmp_path: Path):
    server = SmtpServer(tmp_path / "received")
    yield server
    server.stop()


@pytest.fixture
def mailed(store: planner.Store) -> planner.Store:
    for name in ("officer", "contractor", "secretariat-kansai"):
        store.set_email(name, f"{name}@example.jp")
    return store


def send(store: planner.Store, smtp: SmtpServer) -> int:
    sender = Sender(store.path, MailServer("127.0.0.1", smtp.port, "planner@example.jp", "https://p.example.jp/"))
    try:
        return sender.send_due()
    finally:
        sender.close()


def test_business_days_skip_weekends_national_holidays_and_the_year_end():
    assert is_business_day(dt.date(2025, 11, 21))  # a Friday
    assert not is_business_day(dt.date(2025, 11, 22))  # Saturday
    assert not is_business_day(dt.date(2025, 11, 24))  # 勤労感謝の日 (11/23, a Sunday) observed on Monday
    assert not is_business_day(dt.date(2025, 12, 29)) and not is_business_day(dt.date(2026, 1, 2))
    assert not is_business_day(dt.date(2026, 5, 6))  # the Golden Week's substitute holiday
    assert business_days_after(dt.date(2025, 11, 21), dt.date(2025, 11, 27)) == 3  # 25, 26, 27
    assert business_days_after(dt.date(2025, 11, 17), dt.date(2025, 11, 21)) == 4


def test_the_officer_is_reminded_of_a_plan_waiting_more_than_3_business_days_once_a_day(mailed, smtp, monkeypatch):
    set_clock(monkeypatch, "2025-11-21", "17:30")  # submitted on a Friday evening
    rev = mailed.save(planner.Plan("kansai", 2025, list(KANSAI_LINES)), by="secretariat-kansai", base_revision=None)
    mailed.submit("kansai", 2025, by="secretariat-kansai", base_revision=rev)
    assert send(mailed, smtp) == 1  # the submission itself
    for day in ("2025-11-22", "2025-11-24", "2025-11-25", "2025-11-27"):  # weekend, holiday, 1 and 3 business days
        set_clock(monkeypatch, day)
        assert queue_due(mailed) == 0, day
    set_clock(monkeypatch, "2025-11-28", "09:00")  # the 4th business day: more than 3
    assert queue_due(mailed) == 1
    set_clock(monkeypatch, "2025-11-28", "16:00")
    assert queue_due(mailed) == 0  # once a day
    assert send(mailed, smtp) == 1
    reminder = smtp.to("officer@example.jp")[-1]
    assert reminder.msg["Subject"] == "[planner] 確認待ちの計画が 1 件あります / 1 plan(s) waiting for a decision"
    assert "関西コンソーシアム 令和7年度（2025年度）（提出 令和7年11月21日、4 営業日）" in reminder.body
    assert "Kansai Consortium, FY2025 (submitted 2025-11-21, 4 business days)" in reminder.body
    assert smtp.to("secretariat-kansai@example.jp") == []  # the reminder is the officer's only
    set_clock(monkeypatch, "2025-11-29")
    assert queue_due(mailed) == 0  # a Saturday
    set_clock(monkeypatch, "2025-12-01")
    assert queue_due(mailed) == 1  # the next business day, again
    mailed.accept("kansai", 2025, by="officer")
    set_clock(monkeypatch, "2025-12-02")
    assert queue_waiting(mailed) == 0  # decided: no more reminders
    assert queue_due(mailed) == 1  # (the contractor's, of the accepted plan's past events)


def test_the_contractor_is_reminded_monthly_of_past_events_without_results(mailed, smtp, monkeypatch):
    set_clock(monkeypatch, "2025-05-15")
    rev = mailed.save(planner.Plan("kansai", 2025, list(KANSAI_LINES)), by="secretariat-kansai", base_revision=None)
    mailed.submit("kansai", 2025, by="secretariat-kansai", base_revision=rev)
    mailed.accept("kansai", 2025, by="officer")
    send(mailed, smtp)
    set_clock(monkeypatch, "2025-07-01")  # June is over: the ③ seminar (month 6) has no result
    assert queue_due(mailed) == 1
    set_clock(monkeypatch, "2025-07-20")
    assert queue_due(mailed) == 0  # once a month
    assert send(mailed, smtp) == 1
    (mail,) = [m for m in smtp.to("contractor@example.jp") if "実績" in m.msg["Subject"]]
    assert "関西コンソーシアム 令和7年度（2025年度） 2 企業向けセミナー（6月）" in mail.body
    assert "Kansai Consortium, FY2025: 2 企業向けセミナー (Jun)" in mail.body
    assert "合同企業説明会" not in mail.body  # July is not over
    # a result for the July fair; August 1st (a Friday): June's seminar and nothing of July's fair
    plan = mailed.current("kansai", 2025).plan
    mailed.record_result("kansai", 2025, planner.Result(line_id=plan.lines[0].id, dates=("2025-07-12",)),
                         by="contractor")
    set_clock(monkeypatch, "2025-08-01")
    assert queue_due(mailed) == 1
    send(mailed, smtp)
    body = [m for m in smtp.to("contractor@example.jp") if "実績" in m.msg["Subject"]][-1].body
    assert "企業向けセミナー" in body and "合同企業説明会" not in body
    # October 1st: September's ⑥ tour is an event without a result; its ⑦ bus takes no result
    set_clock(monkeypatch, "2025-10-01")
    assert queue_due(mailed) == 1
    send(mailed, smtp)
    body = [m for m in smtp.to("contractor@example.jp") if "実績" in m.msg["Subject"]][-1].body
    assert "5 企業見学会（9月）" in body and "貸切バス" not in body
    assert smtp.to("officer@example.jp")[-1].msg["Subject"].startswith("[planner] 実績が記録されました")


def test_a_daily_digest_lists_the_days_notices_in_one_mail_the_next_day(mailed, smtp, monkeypatch):
    mailed.set_notices("secretariat-kansai", "daily")
    set_clock(monkeypatch, "2025-11-20", "09:00")
    rev = mailed.save(planner.Plan("kansai", 2025, list(KANSAI_LINES)), by="secretariat-kansai", base_revision=None)
    mailed.submit("kansai", 2025, by="secretariat-kansai", base_revision=rev)
    mailed.return_plan("kansai", 2025, by="officer", comment="9月に分けてください。")
    mailed.submit("kansai", 2025, by="secretariat-kansai")
    set_clock(monkeypatch, "2025-11-20", "23:50")
    mailed.accept("kansai", 2025, by="officer")
    assert queue_digests(mailed) == 0  # the day is not over
    send(mailed, smtp)
    assert smtp.to("secretariat-kansai@example.jp") == []  # nothing on its own
    set_clock(monkeypatch, "2025-11-21", "00:10")
    assert queue_digests(mailed) == 1
    assert queue_digests(mailed) == 0  # once
    send(mailed, smtp)
    (digest,) = smtp.to("secretariat-kansai@example.jp")
    assert digest.msg["Subject"] == "[planner] 令和7年11月20日のお知らせ（2 件） / Notices of 2025-11-20 (2)"
    body = digest.body
    assert body.index("計画が差し戻されました") < body.index("計画が承認されました") < body.index("Notices of")
    assert "9月に分けてください。" in body
    assert len(smtp.to("officer@example.jp")) == 2  # the officer chose each: two submissions, two mails


def test_nobody_choosing_none_or_without_an_address_is_queued_anything(mailed, monkeypatch):
    mailed.set_notices("officer", "none")
    mailed.set_email("contractor", "")
    rev = mailed.save(planner.Plan("kansai", 2025, list(KANSAI_LINES)), by="secretariat-kansai", base_revision=None)
    mailed.submit("kansai", 2025, by="secretariat-kansai", base_revision=rev)
    mailed.accept("kansai", 2025, by="officer")
    assert [r["user"] for r in mailed.outbox()] == ["secretariat-kansai"]
