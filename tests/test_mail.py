"""Mail notices through a real SMTP server (aiosmtpd in its own process, tests/smtp_server.py): who gets
which mail, what it says and never says, a mail server that is down, a refused address, two senders."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
from mail_support import SmtpServer
from plan_support import KANSAI_LINES

import planner
from planner.mail.compose import one_line
from planner.mail.sender import LEASE, MailServer, Sender, retry_delay, start
from planner.store import connection

PUBLIC = "https://planner.example.jp/planner/"
FROM = "planner@example.jp"
ADDRESSES = {
    "officer": "officer@example.jp",
    "officer-2": "officer2@example.jp",  # disabled below
    "contractor": "contractor@example.jp",
    "analyst": "analyst@example.jp",
    "secretariat-kansai": "kansai@example.jp",
    "secretariat-tohoku": "tohoku@example.jp",
    "secretariat-kansai-2": "kansai2@example.jp",  # chose none
}


HEADERS = ("subject", "from", "to", "date", "message-id", "auto-submitted", "content-type",
           "content-transfer-encoding", "mime-version")


@pytest.fixture
def mailed(store: planner.Store) -> planner.Store:
    """The conftest store with a second officer (disabled) and a second kansai secretariat (chose none),
    each with an address."""
    store.add_user("officer-2", "officer", display_name="第二 担当")
    store.add_user("secretariat-kansai-2", "secretariat", "kansai", display_name="関西 第二事務局")
    for name, address in ADDRESSES.items():
        store.set_email(name, address)
    store.set_notices("secretariat-kansai-2", "none")
    store.disable_user("officer-2")
    return store


@pytest.fixture
def smtp(tmp_path: Path):
    server = SmtpServer(tmp_path / "received")
    yield server
    server.stop()


def sender_for(store: planner.Store, smtp: SmtpServer, worker: str = "test") -> Sender:
    return Sender(store.path, MailServer("127.0.0.1", smtp.port, f"planner <{FROM}>", PUBLIC, timeout=10),
                  worker=worker)


def kansai_plan() -> planner.Plan:
    return planner.Plan(consortium="kansai", fiscal_year=2025, lines=list(KANSAI_LINES))


def submitted(store: planner.Store) -> int:
    rev = store.save(kansai_plan(), by="secretariat-kansai", base_revision=None)
    return store.submit("kansai", 2025, by="secretariat-kansai", base_revision=rev)


def subjects(smtp: SmtpServer, address: str) -> list[str]:
    return [r.msg["Subject"] for r in smtp.to(address)]


def test_each_event_reaches_the_right_people_only(mailed, smtp):
    sender = sender_for(mailed, smtp)
    expected: dict[str, list[str]] = {a: [] for a in ADDRESSES.values()}

    def step(told: list[str], label: str) -> None:
        for name in told:
            expected[ADDRESSES[name]].append(label)
        sender.send_due()
        got = {a: [s.split(":")[0].removeprefix("[planner] ") for s in subjects(smtp, a)] for a in ADDRESSES.values()}
        assert got == expected

    rev = mailed.save(kansai_plan(), by="secretariat-kansai", base_revision=None)
    step([], "")  # a save tells nobody
    mailed.submit("kansai", 2025, by="secretariat-kansai", base_revision=rev)
    step(["officer"], "計画が提出されました")
    mailed.return_plan("kansai", 2025, by="officer", comment="7月の行事を見直してください。")
    step(["secretariat-kansai"], "計画が差し戻されました")
    mailed.submit("kansai", 2025, by="secretariat-kansai")
    step(["officer"], "計画が提出されました")
    mailed.accept("kansai", 2025, by="officer")
    step(["secretariat-kansai", "contractor"], "計画が承認されました")
    mailed.reopen("kansai", 2025, by="officer", comment="会場を変えます。")
    step(["secretariat-kansai"], "計画が再開されました")
    mailed.submit("kansai", 2025, by="secretariat-kansai")
    step(["officer"], "計画が提出されました")
    mailed.accept("kansai", 2025, by="officer")
    step(["secretariat-kansai", "contractor"], "計画が承認されました")
    line = mailed.current("kansai", 2025).plan.lines[0]
    mailed.record_result("kansai", 2025, planner.Result(line_id=line.id, dates=("2025-07-12",), students=120),
                         by="contractor")
    step(["officer"], "実績が記録されました")
    # never the disabled officer, the other consortium, the analyst, or the secretariat who chose none
    for nobody in ("officer-2", "secretariat-tohoku", "analyst", "secretariat-kansai-2"):
        assert smtp.to(ADDRESSES[nobody]) == []
    # every mail went to one address and was marked sent once
    assert all(len(r.to) == 1 for r in smtp.received())
    assert len(mailed.outbox("sent")) == len(smtp.received())
    sender.close()


def test_a_mail_reads_japanese_first_with_names_and_a_link_and_never_a_key(mailed, smtp):
    key = mailed.issue_key("secretariat-kansai")
    token, _ = mailed.sign_in(key, 1800, 43200)
    submitted(mailed)
    mailed.return_plan("kansai", 2025, by="officer", comment="7月の行事が多すぎます。\n9月に分けてください。")
    sender = sender_for(mailed, smtp)
    sender.send_due()
    (mail,) = smtp.to(ADDRESSES["secretariat-kansai"])
    body = mail.body
    assert mail.msg["Subject"] == "[planner] 計画が差し戻されました: 関西コンソーシアム 令和7年度（2025年度） / " \
                                  "A plan was returned: Kansai Consortium, FY2025"
    # Japanese first, English below
    assert body.index("関西コンソーシアム 令和7年度（2025年度）の計画が差し戻されました（版 3）。") \
        < body.index("The plan of Kansai Consortium, FY2025 was returned (revision 3).")
    assert "関西コンソーシアム 事務局 様" in body and "操作した人: プログラム担当（JETRO）" in body  # display names
    assert "secretariat-kansai" not in body and "officer " not in body  # no login id
    assert "  7月の行事が多すぎます。\n  9月に分けてください。" in body  # the comment, in the body
    assert f"{PUBLIC}voila/render/secretariat.ipynb?fy=2025" in body
    raw = mail.raw.decode("ascii", errors="replace")
    for secret in (key, key.partition(".")[2], token):
        assert secret not in raw and secret not in body
    assert mail.msg["Message-ID"].startswith("<planner.") and mail.msg["Message-ID"].endswith("@example.jp>")
    assert mail.msg["Auto-Submitted"] == "auto-generated"
    assert mail.sender == FROM
    sender.close()


def test_a_display_name_or_comment_with_a_line_break_adds_no_header(mailed, smtp):
    # the store refuses no such name given through Python, and an old row may hold anything: set it raw
    with mailed.transaction() as db:
        db.execute("UPDATE users SET display_name = ? WHERE name = 'secretariat-kansai'",
                   ("関西\r\nBcc: victim@example.org\r\nX-Evil: 1",))
        db.execute("UPDATE users SET display_name = ? WHERE name = 'officer'", ("担当\nCc: victim2@example.org",))
    submitted(mailed)
    mailed.return_plan("kansai", 2025, by="officer", comment="直してください\r\nBcc: victim3@example.org\r\n\r\n本文")
    sender = sender_for(mailed, smtp)
    sender.send_due()
    to_officer, to_kansai = smtp.received()  # the submission's to the officer, the return's to kansai
    for mail, name in ((to_officer, "officer"), (to_kansai, "secretariat-kansai")):
        assert mail.to == [ADDRESSES[name]]
        assert sorted(k.lower() for k in mail.msg.keys()) == sorted(HEADERS)  # no header more, none twice
        (to,) = mail.msg["To"].addresses
        assert to.addr_spec == ADDRESSES[name] and "\n" not in to.display_name and "\r" not in to.display_name
        header_lines = mail.raw.split(b"\r\n\r\n", 1)[0].decode("ascii").split("\r\n")
        assert not [h for h in header_lines if "victim" in h.lower() or h.lower().startswith(("bcc", "cc", "x-evil"))]
    assert "関西 Bcc: victim@example.org X-Evil: 1 様" in to_kansai.body  # the name, on one line, in the body
    assert "Bcc: victim3@example.org" in to_kansai.body  # the comment is in the body, as written
    assert one_line("a\r\nb\u2028c\x00d\u202ee") == "a b c d e"
    sender.close()


def test_a_disabled_user_gets_nothing_even_if_queued_before(mailed, smtp):
    submitted(mailed)  # queued for the officer
    mailed.disable_user("officer")
    sender = sender_for(mailed, smtp)
    assert sender.send_due() == 0
    assert smtp.received() == []
    (row,) = mailed.outbox()
    assert (row["status"], row["last_error"]) == ("dropped", "disabled")
    sender.close()


def test_a_refused_address_is_logged_and_the_others_still_get_theirs(mailed, tmp_path, caplog):
    smtp = SmtpServer(tmp_path / "refusing", "--refuse", "officer@example.jp")
    try:
        mailed.add_user("officer-3", "officer", display_name="第三 担当")
        mailed.set_email("officer-3", "officer3@example.jp")
        submitted(mailed)
        sender = sender_for(mailed, smtp)
        with caplog.at_level(logging.INFO, logger="planner.serve.access"):
            assert sender.send_due() == 1
        assert [r.to for r in smtp.received()] == [["officer3@example.jp"]]
        status = {r["user"]: r["status"] for r in mailed.outbox()}
        assert status == {"officer": "refused", "officer-3": "sent"}
        assert "refused the address of officer <officer@example.jp>: 550" in caplog.text
        assert sender.send_due() == 0  # a refused address is not tried again
        sender.close()
    finally:
        smtp.stop()


def test_the_mail_server_down_while_a_plan_is_returned_the_mail_arrives_once_it_is_back(mailed, smtp, caplog):
    submitted(mailed)
    sender = sender_for(mailed, smtp)
    sender.send_due()  # the officer's mail of the submission
    smtp.stop()
    thread, stop = start(mailed.path, MailServer("127.0.0.1", smtp.port, FROM, PUBLIC, timeout=5))
    try:
        with caplog.at_level(logging.INFO, logger="planner.serve.access"):
            mailed.return_plan("kansai", 2025, by="officer", comment="見直してください。")
            for _ in range(100):  # the sender has tried and failed
                (row,) = [r for r in mailed.outbox() if r["user"] == "secretariat-kansai"]
                if row["attempts"]:
                    break
                time.sleep(0.1)
            assert row["status"] == "queued" and row["attempts"] >= 1 and row["last_error"]
            assert "cannot be reached now" in caplog.text
            smtp.start()
            got = smtp.wait_for(2, timeout=40)  # the first retry is 5 s after the failure
            time.sleep(5)  # more rounds of the sender: nothing is sent twice
        assert len(smtp.to(ADDRESSES["secretariat-kansai"])) == 1
        assert len(smtp.received()) == len(got) == 2
        (row,) = [r for r in mailed.outbox() if r["user"] == "secretariat-kansai"]
        assert row["status"] == "sent"
    finally:
        stop.set()
        thread.join(10)
        sender.close()


def test_two_senders_never_send_one_row_and_a_resend_keeps_its_message_id(mailed, smtp, monkeypatch):
    submitted(mailed)
    a, b = sender_for(mailed, smtp, "a"), sender_for(mailed, smtp, "b")
    (claimed,) = a.store.claim_mails("a", LEASE)  # sender a claims the row, then dies before marking it
    assert b.send_due() == 0 and smtp.received() == []
    later = connection.clock() + LEASE + 1
    monkeypatch.setattr(connection, "clock", lambda: later)
    assert b.send_due() == 1  # its claim ran out: b sends it
    (mail,) = smtp.received()
    assert mail.msg["Message-ID"] == f"<planner.{claimed.token}@example.jp>"  # a's copy would have had the same
    assert not a.store.mark_sent(claimed.id, "a")  # a, back, cannot mark what b sent
    assert [r["status"] for r in mailed.outbox()] == ["sent"]
    a.close()
    b.close()


def test_retries_are_at_most_60_s_apart_for_10_minutes_then_less_often():
    delays, age = [], 0.0
    for attempt in range(1, 40):
        d = retry_delay(attempt, age)
        delays.append((age, d))
        age += d
    assert all(d <= 60 for a, d in delays if a < 600)
    assert all(d >= 300 for a, d in delays if a >= 600)
    assert delays[0][1] == 5


def test_a_store_of_schema_7_gains_mail_settings_and_an_outbox(tmp_path):
    """A store as the planner of schema 7 made it (its own steps, its own rows), opened by this one."""
    import sqlite3

    from plan_support import store_of_schema

    db = tmp_path / "x.db"
    con = store_of_schema(db, 7)
    con.execute("INSERT INTO consortia (id, name_ja) VALUES ('kansai', '関西コンソーシアム')")
    con.execute("INSERT INTO users (name, role, consortium, created_at) VALUES"
                " ('secretariat-kansai', 'secretariat', 'kansai', '2025-04-01T00:00:00'),"
                " ('officer', 'officer', NULL, '2025-04-01T00:00:00')")
    con.commit()
    con.close()
    with planner.open_store(db) as s:
        assert s.db.execute("PRAGMA user_version").fetchone()[0] >= 8
        assert s.mail_settings("officer") == ("", "each")  # each by default, no address yet
        s.set_email("officer", "officer@example.jp")
        assert submitted(s) == 2 and [r["user"] for r in s.outbox()] == ["officer"]
        with pytest.raises(sqlite3.IntegrityError):  # the store keeps no other choice
            with s.transaction() as tx:
                tx.execute("UPDATE users SET notices = 'weekly' WHERE name = 'officer'")


def test_results_recorded_together_are_one_mail(mailed, smtp):
    submitted(mailed)
    mailed.accept("kansai", 2025, by="officer")
    lines = mailed.current("kansai", 2025).plan.lines
    mailed.record_results("kansai", 2025, [planner.Result(line_id=lines[0].id, dates=("2025-07-12",)),
                                           planner.Result(line_id=lines[2].id, dates=("2025-10-03",))],
                          by="contractor")
    sender = sender_for(mailed, smtp)
    sender.send_due()
    (mail,) = [m for m in smtp.to(ADDRESSES["officer"]) if "実績" in m.msg["Subject"]]
    assert "実績が記録されました: 1 合同企業説明会、3 留学生向けセミナー" in mail.body
    sender.close()


def test_rows_claimed_by_a_stopped_sender_of_this_machine_are_sent_at_once(mailed, smtp):
    import socket
    import subprocess

    submitted(mailed)
    gone = subprocess.Popen(["true"])
    gone.wait()  # a process that has ended: its pid names no sender now
    (row,) = mailed.claim_mails(f"{socket.gethostname()}:{gone.pid}:dead", LEASE)
    assert mailed.claim_mails("elsewhere:1:x", LEASE) == []  # held: nothing for another to claim
    fresh = Sender(mailed.path, MailServer("127.0.0.1", smtp.port, FROM, PUBLIC, timeout=10))
    assert fresh.send_due() == 1  # without waiting for the claim to run out
    assert smtp.received()[0].msg["Message-ID"] == f"<planner.{row.token}@example.jp>"
    fresh.close()


@pytest.mark.parametrize("address, usable", [
    ("a@b.jp", True), ("yamada.taro+plan@kansai-c.example.jp", True), ("a..b@x.jp", False), (".a@x.jp", False),
    ("a.@x.jp", False), ("a@x", False), ("a@-x.jp", False), ("a@x.jp.", False), ("a@x.jp\n", False),
    ("a@x.jp\r\nBcc: b@y.jp", False), ("ａ@x.jp", False), ("山田@x.jp", False), ("a b@x.jp", False),
    ("<a@x.jp>", False), ("a@x.jp, b@y.jp", False), ("a" * 250 + "@x.jp", False), (None, False),
])
def test_an_address_is_a_plain_one_or_refused_in_japanese_and_english(address, usable):
    from planner.mail.address import address_problem

    why = address_problem(address)
    assert (why is None) == usable
    if why:
        assert "メールアドレス" in why[0] and "e-mail address" in why[1]
