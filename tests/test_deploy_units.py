"""The systemd units in deploy/ are what systemd accepts, and run the commands the README documents."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UNITS = ("planner.service", "planner-backup.service", "planner-backup.timer", "planner-snapshot.service",
         "planner-snapshot.timer")


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_units_verify(tmp_path):
    for name in UNITS:
        text = (ROOT / "deploy" / name).read_text(encoding="utf-8")
        # installed in /opt/planner on a server; here the clone itself stands in for it
        (tmp_path / name).write_text(text.replace("/opt/planner", str(ROOT)), encoding="utf-8")
    r = subprocess.run(["systemd-analyze", "verify", *(str(tmp_path / n) for n in UNITS)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and not r.stderr.strip(), r.stderr
    r = subprocess.run(["systemd-analyze", "calendar", "*-*-* 02:30:00 Asia/Tokyo"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_units_run_the_documented_commands():
    serve = (ROOT / "deploy" / "planner.service").read_text(encoding="utf-8")
    backup = (ROOT / "deploy" / "planner-backup.service").read_text(encoding="utf-8")
    assert "planner serve" in serve and "--proxy-socket /run/planner/planner.sock" in serve
    assert "--base-url /planner/" in serve and "User=planner" in serve
    assert "planner backup -o" in backup and "UMask=0077" in backup
    nginx = (ROOT / "deploy" / "nginx-planner.conf").read_text(encoding="utf-8")
    assert "unix:/run/planner/planner.sock" in nginx and "location /planner/" in nginx
