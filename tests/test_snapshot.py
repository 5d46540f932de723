"""`planner snapshot`: what analysts read from their own JupyterLab, without touching the live store."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from skip_support import root_only

import planner

NOBODY = 65534


def run(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PLANNER_DB", "PLANNER_LANG")}
    return subprocess.run([sys.executable, "-m", "planner", *args], capture_output=True, text=True, env=env,
                          timeout=120)


def test_a_snapshot_has_the_plans_and_none_of_the_secrets(demo_db, tmp_path):
    out = tmp_path / "shared.db"
    with planner.open_store(demo_db) as live:
        live.mark_seen("tohoku", 2025, 3, by="officer")
        live.set_email("officer", "officer@example.jp")
        live.submit("kansai", 2025, by="secretariat-kansai")  # a mail queued for the officer
        assert live.outbox()
    r = run("snapshot", "--db", str(demo_db), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "分析用のスナップショット" in r.stdout
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    con = sqlite3.connect(out)
    for table in ("access_keys", "sessions", "refusals", "seen", "outbox"):
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM users WHERE email != ''").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM plans").fetchone()[0] == 7
    con.close()
    # the key hashes' bytes are gone from the file, not only their rows
    with planner.open_store(demo_db) as live:
        salts = [r[0] for r in live.db.execute("SELECT salt FROM access_keys")]
    data = out.read_bytes()
    assert salts and not any(salt in data for salt in salts)


def test_a_read_only_store_reads_and_refuses_every_write(demo_db, tmp_path):
    out = tmp_path / "shared.db"
    assert run("snapshot", "--db", str(demo_db), "-o", str(out)).returncode == 0
    before = out.read_bytes()
    with planner.open_store(out, read_only=True) as s:
        frame = s.plans_frame(fiscal_year=2025)
        assert set(frame["consortium"]) == {"hokkaido", "tohoku", "hokuriku", "kansai", "chugoku", "kyushu"}
        rec = s.current("kansai", 2025)
        with pytest.raises(planner.InvalidAction) as exc:
            s.save(rec.plan, by="secretariat-kansai", base_revision=rec.revision)
        assert "読み取り専用" in exc.value.message_ja and "read-only" in exc.value.message_en
    assert out.read_bytes() == before
    assert not Path(f"{out}-wal").exists()


def test_backup_and_snapshot_refuse_an_unknown_group(demo_db, tmp_path):
    r = run("snapshot", "--db", str(demo_db), "-o", str(tmp_path / "s.db"), "--group", "no-such-group-x", "--lang",
            "en")
    assert r.returncode == 1 and "There is no group no-such-group-x" in r.stderr


@root_only
def test_an_analyst_reads_the_snapshot_and_cannot_read_or_write_the_store(demo_db):
    # a folder every user may enter (pytest's own are its owner's only)
    shared = Path(tempfile.mkdtemp(prefix="planner-shared-"))
    try:
        os.chmod(shared, 0o755)
        live = shared / "live.db"
        shutil.copyfile(demo_db, live)
        os.chmod(live, 0o600)
        out = shared / "planner.db"
        assert run("snapshot", "--db", str(live), "-o", str(out), "--group", "nogroup").returncode == 0
        assert out.stat().st_gid == NOBODY
        code = (
            "import planner, sys\n"
            f"s = planner.open_store({str(out)!r})\n"  # not writable here: opened read-only by itself
            "print(len(s.plans_frame(fiscal_year=2025)))\n"
            "rec = s.current('kansai', 2025)\n"
            "try:\n"
            "    s.save(rec.plan, by='secretariat-kansai', base_revision=rec.revision)\n"
            "except planner.InvalidAction as e:\n"
            "    print('refused', e.message_en)\n"
            f"open({str(live)!r}, 'rb')\n"
        )
        r = subprocess.run(["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", sys.executable,
                            "-c", code], capture_output=True, text=True, timeout=120, cwd=shared,
                           env={"PATH": os.environ["PATH"], "HOME": str(shared)})
        lines = r.stdout.splitlines()
        assert len(lines) == 2, r.stderr
        assert int(lines[0]) > 0 and lines[1].startswith("refused") and "read-only" in lines[1], r.stderr
        assert "PermissionError" in r.stderr and str(live) in r.stderr  # the live store: owner only
    finally:
        shutil.rmtree(shared, ignore_errors=True)
