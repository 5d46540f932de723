"""The systemd units in deploy/ are what systemd accepts, and run the commands the README documents."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UNITS = ("planner.service", "planner-hub.service", "planner-backup.service", "planner-backup.timer",
         "planner-snapshot.service", "planner-snapshot.timer", "planner-alert@.service")
# what fails quietly otherwise: a night without a backup, an hour without a snapshot, a server that stopped restarting
ALERTED = ("planner.service", "planner-hub.service", "planner-backup.service", "planner-snapshot.service")
ALERT = ROOT / "deploy" / "planner-alert"


def unit(name: str) -> str:
    return (ROOT / "deploy" / name).read_text(encoding="utf-8")


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_units_verify(tmp_path):
    for name in UNITS:
        # installed in /opt/planner on a server; here the clone itself stands in for it
        (tmp_path / name).write_text(unit(name).replace("/opt/planner", str(ROOT)), encoding="utf-8")
    # the alert template as systemd instantiates it for the backup (OnFailure=planner-alert@%n.service)
    instance = tmp_path / "planner-alert@planner-backup.service.service"
    instance.write_text(unit("planner-alert@.service").replace("/opt/planner", str(ROOT)), encoding="utf-8")
    files = [str(tmp_path / n) for n in UNITS if "@." not in n] + [str(instance)]
    r = subprocess.run(["systemd-analyze", "verify", *files], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and not r.stderr.strip(), r.stderr
    r = subprocess.run(["systemd-analyze", "calendar", "*-*-* 02:30:00 Asia/Tokyo"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_units_run_the_documented_commands():
    serve, backup = unit("planner.service"), unit("planner-backup.service")
    assert "planner serve" in serve and "--proxy-socket /run/planner/planner.sock" in serve
    assert "--base-url /planner/" in serve and "User=planner" in serve
    # named by the day in Japan by planner itself, not by `date` in the server's time zone
    assert "planner backup --into /var/backups/planner" in backup and "UMask=0077" in backup
    assert "date " not in backup and "$(date" not in backup
    nginx = (ROOT / "deploy" / "nginx-planner.conf").read_text(encoding="utf-8")
    assert "unix:/run/planner/planner.sock" in nginx and "location /planner/" in nginx
    hub = unit("planner-hub.service")
    # the hub's service is a second server: planner.service, its socket and nginx's /planner/ stay
    assert "--hub" in hub and "--proxy-socket" not in hub and "User=planner" in hub
    assert "EnvironmentFile=/etc/planner/hub.env" in hub
    # the hub's address is a default that hub.env overrides: EnvironmentFile= is read after Environment=
    assert hub.index("Environment=JUPYTERHUB_API_URL=") < hub.index("EnvironmentFile=/etc/planner/hub.env")


def test_the_servers_read_the_year_files_outside_the_checkout():
    for name in ("planner.service", "planner-hub.service"):
        assert "Environment=PLANNER_BUDGETS=/etc/planner/budgets" in unit(name), name


def test_a_stop_is_sent_to_the_server_which_stops_its_kernels():
    for name in ("planner.service", "planner-hub.service"):
        assert "KillMode=mixed" in unit(name), name


def test_each_unit_that_can_fail_unnoticed_alerts():
    for name in ALERTED:
        assert "OnFailure=planner-alert@%n.service" in unit(name), name
    # a server restarted every 5 s never reaches systemd's default start limit (5 in 10 s), so it would
    # restart for ever and never count as failed: the limit is set so that a crash loop fails, and alerts
    for name in ("planner.service", "planner-hub.service"):
        assert "StartLimitIntervalSec=300" in unit(name) and "StartLimitBurst=5" in unit(name), name
        assert "RestartSec=5" in unit(name)
    assert "ExecStart=/opt/planner/deploy/planner-alert %i" in unit("planner-alert@.service")
    assert stat.S_IMODE(ALERT.stat().st_mode) & 0o111, "deploy/planner-alert must be executable"


def run_alert(tmp_path: Path, *args: str, sendmail: Path | None = None) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ["PATH"], "PLANNER_ALERT_TO": "admin@example.jp",
           "SENDMAIL": str(sendmail or tmp_path / "no-sendmail")}
    return subprocess.run([str(ALERT), *args], capture_output=True, text=True, env=env, timeout=60)


def test_the_alert_writes_an_error_line_and_mails_through_sendmail(tmp_path):
    # the server's MTA stands here as a sendmail that keeps its arguments and the message
    kept = tmp_path / "mail"
    sendmail = tmp_path / "sendmail"
    sendmail.write_text(f'#!/bin/sh\necho "$@" > {kept}.args\ncat > {kept}\n', encoding="utf-8")
    sendmail.chmod(0o755)
    r = run_alert(tmp_path, "planner-backup.service", sendmail=sendmail)
    assert r.returncode == 0
    # "<3>": priority err in the journal (journalctl -p err)
    assert r.stderr.startswith("<3>planner: planner-backup.service failed on ")
    assert (tmp_path / "mail.args").read_text().split() == ["-i", "--", "admin@example.jp"]
    mail = kept.read_text(encoding="utf-8")
    assert "To: admin@example.jp\n" in mail and "Subject: [planner] planner-backup.service failed on " in mail
    assert "charset=UTF-8" in mail and "planner-backup.service（" in mail and "が失敗しました" in mail
    assert "journalctl -u planner-backup.service" in mail


def test_without_sendmail_the_alert_is_in_the_journal_and_ends_well(tmp_path):
    r = run_alert(tmp_path, "planner-snapshot.service")
    assert r.returncode == 0
    assert r.stderr.splitlines()[0].startswith("<3>planner: planner-snapshot.service failed")
    assert "no mail sent" in r.stderr
    r = run_alert(tmp_path)
    assert r.returncode == 0 and "usage" in r.stderr
