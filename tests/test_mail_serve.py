"""`planner serve --smtp-*` end to end: the server's sender, a mail server with STARTTLS and AUTH (aiosmtpd,
its own process, a self-signed certificate the server is told to trust), a change made by another
process; and the commands that set where and how often a person is mailed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from browser_support import Server
from mail_support import SmtpServer

import planner

PASSWORD = "s3cret-Pa55-word-for-smtp"


def cli(db: Path, *args: str, lang: str = "ja") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planner", *args, "--db", str(db), "--lang", lang],
                          capture_output=True, text=True, timeout=60)


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    cert, key = tmp_path / "smtp-cert.pem", tmp_path / "smtp-key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True)
    return cert, key


@pytest.mark.server
def test_serve_sends_through_starttls_and_auth_and_keeps_the_password_secret(demo_db, tmp_path, certificate):
    cert, key = certificate
    secret = tmp_path / "smtp-password"
    secret.write_text(PASSWORD + "\n")
    secret.chmod(0o600)
    smtp = SmtpServer(tmp_path / "received", "--tls-cert", str(cert), "--tls-key", str(key),
                      "--auth-user", "planner", "--auth-password-file", str(secret))
    assert cli(demo_db, "users", "set-email", "officer", "officer@example.jp").returncode == 0
    server = None
    try:
        server = Server(demo_db, tmp_path, pool_size=0, extra=(
            "--smtp-host", "127.0.0.1", "--smtp-port", str(smtp.port), "--smtp-starttls", "--smtp-user", "planner",
            "--smtp-password-file", str(secret), "--smtp-ca-file", str(cert), "--mail-from", "planner@example.jp",
            "--public-url", "https://planner.example.jp/planner/"))
        # another process changes a plan through the Python API
        subprocess.run([sys.executable, "-c", "import planner, sys; s = planner.open_store(sys.argv[1]);"
                        " s.submit('kansai', 2025, by='secretariat-kansai')", str(demo_db)], check=True, timeout=60)
        (mail,) = smtp.wait_for(1, timeout=30)
        assert mail.to == ["officer@example.jp"] and mail.tls and mail.auth == "planner"
        assert mail.msg["Subject"].startswith("[planner] 計画が提出されました: 関西コンソーシアム")
        assert "https://planner.example.jp/planner/voila/render/review.ipynb?fy=2025&consortium=kansai" in mail.body
        # the password is on no command line (ps) and in no log line
        ps = subprocess.run(["ps", "-ww", "-eo", "args"], capture_output=True, text=True).stdout
        assert str(secret) in ps and PASSWORD not in ps
        assert PASSWORD.encode() not in Path(f"/proc/{server.proc.pid}/cmdline").read_bytes()
        log = server.log()
        assert "mail: sending through 127.0.0.1" in log and "mail: sent to officer (event)" in log
        assert PASSWORD not in log and PASSWORD not in server.out.read_text()
    finally:
        if server:
            server.stop()
        smtp.stop()


@pytest.mark.server
def test_a_server_certificate_not_trusted_sends_nothing_and_loses_nothing(demo_db, tmp_path, certificate):
    cert, key = certificate
    smtp = SmtpServer(tmp_path / "received", "--tls-cert", str(cert), "--tls-key", str(key))
    cli(demo_db, "users", "set-email", "officer", "officer@example.jp")
    store = planner.open_store(demo_db)
    try:
        from planner.mail.sender import MailServer, Sender

        store.submit("kansai", 2025, by="secretariat-kansai")
        untrusted = Sender(demo_db, MailServer("127.0.0.1", smtp.port, "planner@example.jp", "https://x.example.jp/",
                                               starttls=True, timeout=10))
        assert untrusted.send_due() == 0 and smtp.received() == []
        (row,) = store.outbox()
        assert row["status"] == "queued" and "CERTIFICATE_VERIFY_FAILED" in row["last_error"]
        untrusted.close()
    finally:
        store.close()
        smtp.stop()


@pytest.mark.server
def test_a_wrong_smtp_password_is_logged_without_it_and_nothing_is_lost(demo_db, tmp_path, certificate, caplog):
    import logging

    from planner.mail.sender import MailServer, Sender

    cert, key = certificate
    secret = tmp_path / "smtp-password"
    secret.write_text(PASSWORD)
    smtp = SmtpServer(tmp_path / "received", "--tls-cert", str(cert), "--tls-key", str(key),
                      "--auth-user", "planner", "--auth-password-file", str(secret))
    store = planner.open_store(demo_db)
    try:
        store.set_email("officer", "officer@example.jp")
        store.submit("kansai", 2025, by="secretariat-kansai")
        wrong = "not-the-Pa55word"
        sender = Sender(demo_db, MailServer("127.0.0.1", smtp.port, "planner@example.jp", "https://x.example.jp/",
                                            starttls=True, user="planner", password=wrong, ca_file=str(cert)))
        with caplog.at_level(logging.INFO, logger="planner.serve.access"):
            assert sender.send_due() == 0
        assert "refused the sign-in of planner" in caplog.text and wrong not in caplog.text
        assert wrong not in repr(sender.server)
        assert smtp.received() == [] and [r["status"] for r in store.outbox()] == ["queued"]
        sender.close()
    finally:
        store.close()
        smtp.stop()


def test_serve_mail_options_are_checked(demo_db, tmp_path):
    def serve(*args: str) -> subprocess.CompletedProcess:
        return cli(demo_db, "serve", "--port", "9299", *args, lang="en")

    r = serve("--mail-from", "planner@example.jp")
    assert r.returncode == 2 and "need --smtp-host" in r.stderr
    r = serve("--smtp-host", "127.0.0.1", "--mail-from", "planner@example.jp")
    assert r.returncode == 2 and "--public-url" in r.stderr
    r = serve("--smtp-host", "127.0.0.1", "--mail-from", "x\nBcc: y@example.jp", "--public-url", "https://x.example.jp/")
    assert r.returncode == 2 and "--mail-from" in r.stderr
    r = serve("--smtp-host", "127.0.0.1", "--mail-from", "p@example.jp", "--public-url", "https://x.example.jp/?key=1")
    assert r.returncode == 2 and "without ? or #" in r.stderr
    secret = tmp_path / "pw"
    secret.write_text(PASSWORD)
    r = serve("--smtp-host", "127.0.0.1", "--mail-from", "p@example.jp", "--public-url", "https://x.example.jp/",
              "--smtp-user", "u", "--smtp-password-file", str(secret))
    assert r.returncode == 2 and "needs --smtp-starttls" in r.stderr and PASSWORD not in r.stderr + r.stdout
    r = serve("--smtp-host", "127.0.0.1", "--mail-from", "p@example.jp", "--public-url", "https://x.example.jp/",
              "--smtp-starttls", "--smtp-user", "u", "--smtp-password-file", str(tmp_path / "missing"))
    assert r.returncode == 2 and "cannot be read" in r.stderr


def test_users_set_email_and_notices(demo_db):
    r = cli(demo_db, "users", "set-email", "secretariat-kansai", "kansai@example.jp")
    assert r.returncode == 0 and "kansai@example.jp" in r.stdout
    for bad in ("kansai@example", "関西@example.jp", "a b@example.jp", "x@example.jp\nBcc: y@example.jp", "@example.jp",
                "kansai@@example.jp"):
        r = cli(demo_db, "users", "set-email", "secretariat-kansai", bad)
        assert r.returncode == 1, bad
        assert "メールアドレス" in r.stderr and "is not a usable e-mail address" in r.stderr  # Japanese and English
    assert cli(demo_db, "users", "set-notices", "secretariat-kansai", "daily").returncode == 0
    r = cli(demo_db, "users", "set-notices", "secretariat-kansai", "weekly")
    assert r.returncode == 2
    r = cli(demo_db, "users", "add", "sato", "--role", "officer", "--email", "sato@example")
    assert r.returncode == 1 and "is not a usable e-mail address" in r.stderr
    r = cli(demo_db, "users", "add", "sato", "--role", "officer", "--email", "sato@example.jp")
    assert r.returncode == 0
    with planner.open_store(demo_db) as store:
        assert store.mail_settings("secretariat-kansai") == ("kansai@example.jp", "daily")  # bad ones changed nothing
        assert store.mail_settings("sato") == ("sato@example.jp", "each")  # each is the default
        assert store.mail_settings("officer") == ("", "each")
    r = cli(demo_db, "users", "list")
    assert "kansai@example.jp (1日1回まとめ)" in r.stdout
    assert cli(demo_db, "users", "set-email", "secretariat-kansai", "").returncode == 0
    with planner.open_store(demo_db) as store:
        assert store.mail_settings("secretariat-kansai")[0] == ""
