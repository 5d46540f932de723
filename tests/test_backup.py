"""`planner backup` while the store is written to, and the documented restore: stop, replace, start."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import threading
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from browser_support import Server
from skip_support import root_only

import planner
from planner.demo import keys_path


def run(*args: str, tz: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PLANNER_DB", "PLANNER_LANG")}
    if tz:
        env["TZ"] = tz
    return subprocess.run([sys.executable, "-m", "planner", *args], capture_output=True, text=True, env=env,
                          timeout=120)


def kansai_revision(db: Path) -> int:
    with planner.open_store(db) as s:
        return s.current("kansai", 2025).revision


def edit_kansai(db: Path, title: str) -> int:
    with planner.open_store(db) as s:
        rec = s.current("kansai", 2025)
        lines = [replace(rec.plan.lines[0], title=title), *rec.plan.lines[1:]]
        return s.save(replace(rec.plan, lines=lines), by="secretariat-kansai", base_revision=rec.revision)


def test_a_backup_taken_during_writes_is_whole_private_and_checked(demo_db, tmp_path):
    stop = threading.Event()
    saved: list[int] = []

    def writer() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            saved.append(edit_kansai(demo_db, f"関西合同企業説明会 第{n}版"))

    t = threading.Thread(target=writer)
    t.start()
    try:
        outs = []
        for n in range(3):
            out = tmp_path / f"backup-{n}.db"
            r = run("backup", "--db", str(demo_db), "-o", str(out))
            assert r.returncode == 0, r.stderr
            assert "バックアップを作成しました" in r.stdout and "整合性検査 ok" in r.stdout
            outs.append(out)
    finally:
        stop.set()
        t.join()
    assert len(saved) > 3  # the writer really ran while the backups were taken
    for out in outs:
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
        assert not Path(f"{out}-wal").exists()  # one self-contained file
        con = sqlite3.connect(out)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        con.close()
        # a committed state: the plan's row and its last revision agree
        with planner.open_store(out) as s:
            rec = s.current("kansai", 2025)
            assert rec is not None and [r.revision for r in s.history("kansai", 2025, by="officer")][-1] == rec.revision
    assert not list(tmp_path.glob(".*partial"))


def test_backup_refusals_say_why_and_exit_1(demo_db, tmp_path):
    r = run("backup", "--db", str(tmp_path / "none.db"), "-o", str(tmp_path / "b.db"), "--lang", "en")
    assert r.returncode == 1 and "There is no store" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "none.db").exists()  # a backup never creates the store it was asked to copy
    r = run("backup", "--db", str(demo_db), "-o", str(demo_db))
    assert r.returncode == 1 and "データベースそのもの" in r.stderr
    r = run("backup", "--db", str(demo_db), "-o", str(tmp_path / "missing" / "b.db"))
    assert r.returncode == 1 and "フォルダー" in r.stderr
    r = run("backup", "--db", str(demo_db))
    assert r.returncode == 2 and "-o" in r.stderr
    r = run("backup", "--help")
    assert r.returncode == 0 and "--output" in r.stdout


def test_the_nightly_name_is_the_day_in_japan():
    from planner.store.backup import dated_name

    # the 02:30 run in Japan is 17:30 UTC the day before: it is the backup of the Japanese day
    assert dated_name(datetime(2026, 11, 30, 17, 30, tzinfo=UTC)) == "planner-2026-12-01.db"
    assert dated_name(datetime(2026, 12, 1, 2, 30, tzinfo=ZoneInfo("Asia/Tokyo"))) == "planner-2026-12-01.db"
    assert dated_name(datetime(2026, 11, 30, 14, 59, tzinfo=UTC)) == "planner-2026-11-30.db"
    assert dated_name(datetime(2027, 3, 31, 15, 0, tzinfo=UTC)) == "planner-2027-04-01.db"


def test_backup_into_a_folder_is_named_by_the_day_in_japan_whatever_the_server_zone(demo_db, tmp_path):
    # UTC-12: its date is the day before Japan's for 21 hours of every day (now included, unless it is
    # after 21:00 in Japan), so a name taken from the server's clock would differ
    for tz in ("UTC", "Etc/GMT+12", "America/Los_Angeles"):
        folder = tmp_path / tz.replace("/", "-")
        folder.mkdir()
        before = datetime.now(ZoneInfo("Asia/Tokyo"))
        r = run("backup", "--db", str(demo_db), "--into", str(folder), tz=tz)
        after = datetime.now(ZoneInfo("Asia/Tokyo"))
        assert r.returncode == 0, r.stderr
        [made] = [p.name for p in folder.iterdir()]
        assert made in {f"planner-{before:%Y-%m-%d}.db", f"planner-{after:%Y-%m-%d}.db"}, (tz, made)
        assert str(folder / made) in r.stdout and stat.S_IMODE((folder / made).stat().st_mode) == 0o600
    r = run("backup", "--db", str(demo_db), "--into", str(tmp_path / "missing"))
    assert r.returncode == 1 and "フォルダー" in r.stderr and not (tmp_path / "missing").exists()
    r = run("backup", "--db", str(demo_db), "--into", str(tmp_path), "-o", str(tmp_path / "b.db"))
    assert r.returncode == 2 and not (tmp_path / "b.db").exists()


def test_restore_stop_replace_start_and_the_plans_are_there(demo_db, tmp_path):
    keys = json.loads(keys_path(demo_db).read_text(encoding="utf-8"))
    srv = Server(demo_db, tmp_path, pool_size=0)
    try:
        kept = edit_kansai(demo_db, "バックアップ前の変更")
        out = tmp_path / "nightly.db"
        assert run("backup", "--db", str(demo_db), "-o", str(out)).returncode == 0
        lost = edit_kansai(demo_db, "バックアップ後の変更")
        assert lost == kept + 1
    finally:
        srv.stop()
    # the README's restore: with the server stopped, the backup replaces the store and its -wal/-shm go
    for suffix in ("-wal", "-shm"):
        Path(f"{demo_db}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(out, demo_db)
    os.chmod(demo_db, 0o600)
    srv = Server(demo_db, tmp_path, pool_size=0)
    try:
        con = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
        con.request("GET", "/health")
        health = con.getresponse()
        health.read()
        assert health.status == 200
        # the keys are in the store too: a key issued before the backup still signs in
        con.request("GET", f"/voila/render/secretariat.ipynb?key={keys['secretariat-kansai']}")
        resp = con.getresponse()
        resp.read()
        assert resp.status == 302 and "planner_session_" in resp.getheader("Set-Cookie")
        con.close()
        r = run("show", "--db", str(demo_db), "--consortium", "kansai", "--fy", "2025", "--format", "json")
        plan = json.loads(r.stdout)
        assert plan["revision"] == kept
        assert plan["lines"][0]["title"] == "バックアップ前の変更"
        r = run("show", "--db", str(demo_db), "--fy", "2025", "--format", "json")
        assert len(json.loads(r.stdout)) == 6
    finally:
        srv.stop()


@root_only
def test_a_backup_cannot_be_read_by_another_user(demo_db, tmp_path):
    out = tmp_path / "b.db"
    assert run("backup", "--db", str(demo_db), "-o", str(out)).returncode == 0
    os.chmod(tmp_path, 0o755)
    r = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "cat", str(out)],
                       capture_output=True)
    assert r.returncode != 0 and b"Permission denied" in r.stderr
