"""The planner command: demo, show, users; languages, exit codes, no tracebacks for a user's mistakes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from planner.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, db: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    e = {**os.environ, "PLANNER_LANG": "", **(env or {})}
    e.pop("PLANNER_DB", None)
    cmd = [sys.executable, "-m", "planner", *args] + (["--db", str(db)] if db else [])
    return subprocess.run(cmd, capture_output=True, text=True, env=e, timeout=120)


def test_demo_then_show_kansai(tmp_path):
    db = tmp_path / "d.db"
    r = run("demo", db=db)
    assert r.returncode == 0, r.stderr
    assert "secretariat-kansai" in r.stdout and "officer" in r.stdout
    r = run("show", "--consortium", "kansai", "--fy", "2025", db=db)
    assert r.returncode == 0, r.stderr
    assert "関西コンソーシアム" in r.stdout and "令和7年度" in r.stdout
    assert "使用 110 ポイント" in r.stdout and "残り 10 ポイント" in r.stdout and "予算 120" in r.stdout
    r = run("demo", db=db)
    assert r.returncode == 1 and "--force" in r.stderr and "Traceback" not in r.stderr
    assert run("demo", "--force", db=db).returncode == 0


def test_show_json_shape(demo_db):
    r = run("show", "--consortium", "hokkaido", "--fy", "2025", "--format", "json", db=demo_db)
    d = json.loads(r.stdout)
    assert {"consortium", "fiscal_year", "status", "revision", "budget", "points_used", "points_left", "lines",
            "findings"} <= set(d)
    assert (d["consortium"], d["fiscal_year"], d["status"], d["budget"]) == ("hokkaido", 2025, "draft", 90)
    assert d["points_used"] == 95 and d["points_left"] == -5
    assert {"item", "variant", "quantity", "month", "title", "points", "place", "companies", "students",
            "language", "notes"} <= set(d["lines"][0])
    assert sum(ln["points"] for ln in d["lines"]) == 95
    [f] = d["findings"]
    assert f["code"] == "BUDGET_EXCEEDED" and f["severity"] == "error" and f["message_ja"] and f["message_en"]
    r = run("show", "--fy", "2025", "--format", "json", db=demo_db)
    assert {p["status"] for p in json.loads(r.stdout)} == {"draft", "submitted", "accepted", "returned"}


def test_show_in_english_and_by_environment(demo_db):
    r = run("show", "--consortium", "chugoku", "--fy", "2025", "--lang", "en", db=demo_db)
    assert "Budget 100 points / used 82 / left 18" in r.stdout and "returned" in r.stdout
    assert "LATE_CONCENTRATION" in r.stdout and "Officer's comment" in r.stdout
    r = run("show", "--consortium", "chugoku", "--fy", "2025", db=demo_db, env={"PLANNER_LANG": "en"})
    assert "Budget 100 points" in r.stdout


def test_show_refusals_and_usage(demo_db, tmp_path):
    r = run("show", "--consortium", "okinawa", "--fy", "2025", db=demo_db)
    assert r.returncode == 2 and "okinawa" in r.stderr and "Traceback" not in r.stderr
    r = run("show", "--consortium", "kansai", "--fy", "2031", db=demo_db)
    assert r.returncode == 1 and "fy2031.toml" in r.stderr and "Traceback" not in r.stderr
    r = run("show", "--consortium", "kansai", "--fy", "2024", db=demo_db, env={"PLANNER_LANG": "en"})
    assert r.returncode == 1 and "no FY2024 plan for kansai" in r.stderr
    assert run("show", "--fy", "twenty", db=demo_db).returncode == 2
    assert run("frobnicate").returncode == 2
    assert run(db=demo_db).returncode == 2


def test_users_add_list_issue_and_revoke(tmp_path):
    db = tmp_path / "u.db"
    r = run("users", "add", "secretariat-kansai", "--role", "secretariat", "--consortium", "kansai", db=db)
    assert r.returncode == 0 and "表示名: 関西コンソーシアム 事務局" in r.stdout  # no --display-name: made for them
    r = run("users", "add", "jetro-sato", "--role", "officer", "--display-name", "JETRO 佐藤", db=db)
    assert r.returncode == 0 and "表示名: JETRO 佐藤" in r.stdout
    r = run("users", "issue-key", "jetro-sato", db=db)
    assert r.returncode == 0
    key = r.stdout.strip()
    assert r.stdout == key + "\n" and re.fullmatch(r"\d+\.[A-Za-z0-9_-]{20,}", key)
    import planner

    with planner.open_store(db) as s:
        assert s.authenticate(key).name == "jetro-sato"
    r = run("users", "list", db=db)
    assert "jetro-sato" in r.stdout and "officer" in r.stdout and "secretariat-kansai" in r.stdout
    assert "関西コンソーシアム 事務局" in r.stdout and "JETRO 佐藤" in r.stdout
    r = run("users", "revoke-key", "jetro-sato", "--lang", "en", db=db)
    assert r.returncode == 0 and "Revoked 1 key" in r.stdout
    with planner.open_store(db) as s, pytest.raises(planner.AccessDenied):
        s.authenticate(key)


def test_the_readme_deploy_users_step_names_everyone_without_a_login_id(tmp_path):
    """Step 3 of the README's deploy, run as written (with this checkout's planner for $P)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    step = readme.split("# 3. 利用者の登録", 1)[1].split("\n# 4.", 1)[0]
    commands = [ln for ln in step.splitlines()[1:] if not ln.startswith("P=")]
    db = tmp_path / "deploy.db"
    env = {**os.environ, "PLANNER_LANG": "", "PLANNER_DB": str(db), "P": f"{sys.executable} -m planner"}
    r = subprocess.run(["bash", "-euc", "\n".join(commands)], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    import planner

    with planner.open_store(db) as s:
        names = s.display_names()
    assert names["secretariat-kansai"] == "関西コンソーシアム 事務局" and names["contractor"] == "受託者"
    assert names["jetro-officer"] == "JETRO 本部" and len(names) == 8
    assert not any(login in names.values() for login in names)
    listed = r.stdout.splitlines()[-8:]  # `users list`, what the admin reads last
    assert any(ln.startswith("secretariat-kansai ") and ln.endswith("関西コンソーシアム 事務局") for ln in listed)


def test_users_refusals(tmp_path):
    db = tmp_path / "u.db"
    r = run("users", "add", "x", "--role", "secretariat", db=db)
    assert r.returncode == 1 and "--consortium" in r.stderr and "Traceback" not in r.stderr
    r = run("users", "add", "x", "--role", "secretariat", "--consortium", "okinawa", db=db)
    assert r.returncode == 2 and "okinawa" in r.stderr
    r = run("users", "add", "x", "--role", "king", db=db)
    assert r.returncode == 2
    r = run("users", "issue-key", "ghost", "--lang", "en", db=db)
    assert r.returncode == 1 and "not registered" in r.stderr


def test_a_damaged_store_file_is_refused_without_traceback(tmp_path):
    db = tmp_path / "bad.db"
    db.write_bytes(b"this is not a database" * 100)
    r = run("show", "--fy", "2025", db=db)
    assert r.returncode == 1 and "Traceback" not in r.stderr and r.stderr.strip()


def _commands(parser, prefix=()) -> list[str]:
    out = []
    for action in parser._actions:
        if action.__class__.__name__ == "_SubParsersAction":
            for name, sub in action.choices.items():
                out.append(" ".join((*prefix, name)))
                out.extend(_commands(sub, (*prefix, name)))
    return out


def test_every_command_has_help_and_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = _commands(build_parser())
    assert "demo" in commands and "users issue-key" in commands
    for cmd in commands:
        assert f"planner {cmd}" in readme, f"`planner {cmd}` is not documented in README.md"
        assert run(*cmd.split(), "--help").returncode == 0


def test_show_prints_times_in_japan_time_and_json_keeps_iso_utc(tmp_path, monkeypatch):
    import planner
    from planner.demo import PLANS_2025

    db = tmp_path / "t.db"
    s = planner.open_store(db)
    s.add_consortium("kansai", "関西コンソーシアム")
    s.add_user("secretariat-kansai", "secretariat", "kansai")
    monkeypatch.setattr(planner.store.connection, "now", lambda: "2026-11-23T12:10:47Z")
    s.save(planner.Plan("kansai", 2025, tuple(PLANS_2025["kansai"])), by="secretariat-kansai", base_revision=None)
    s.close()
    r = run("show", "--consortium", "kansai", "--fy", "2025", db=db)
    assert r.returncode == 0, r.stderr
    assert "最終更新: 2026-11-23 21:10（日本時間） secretariat-kansai" in r.stdout
    assert "12:10" not in r.stdout and "T12" not in r.stdout
    r = run("show", "--consortium", "kansai", "--fy", "2025", "--lang", "en", db=db)
    assert "Last change: 2026-11-23 21:10 JST secretariat-kansai" in r.stdout
    r = run("show", "--consortium", "kansai", "--fy", "2025", "--format", "json", db=db)
    d = json.loads(r.stdout)
    assert d["updated_at"] == "2026-11-23T12:10:47Z" and d["updated_by"] == "secretariat-kansai"


def test_japan_time_is_one_form_for_people():
    import datetime as dt

    from planner.japanese import japan_time

    assert japan_time("2026-11-23T12:13:09Z") == "2026-11-23 21:13（日本時間）"
    assert japan_time("2026-11-23T12:13:09Z", "en") == "2026-11-23 21:13 JST"
    assert japan_time("2026-11-23T12:13:09+00:00", None) == "2026-11-23 21:13"
    assert japan_time("2026-03-31T15:30:00Z") == "2026-04-01 00:30（日本時間）"  # the date turns too
    assert japan_time(dt.datetime(2026, 11, 23, 12, 13)) == "2026-11-23 21:13（日本時間）"  # naive: UTC, as stored
    assert japan_time(dt.datetime(2026, 11, 23, 21, 13, tzinfo=dt.timezone(dt.timedelta(hours=9)))) == \
        "2026-11-23 21:13（日本時間）"
    assert japan_time("") == "" and japan_time(None) == "" and japan_time("not a time") == "not a time"


@pytest.mark.parametrize("command", [
    ("import", "--as", "nobody", "{book}"),
    ("consolidate", "--fy", "2025", "--as", "nobody", "-o", "{out}"),
    ("report", "year", "--fy", "2024", "--as", "nobody", "-o", "{out}"),
    ("copy", "--consortium", "kansai", "--from", "2024", "--to", "2025", "--as", "nobody"),
])
@pytest.mark.parametrize("lang, said", [("ja", "利用者 'nobody' は登録されていません。"),
                                        ("en", "User 'nobody' is not registered.")])
def test_as_an_unregistered_user_is_refused_as_such_and_changes_nothing(demo_db, tmp_path, command, lang, said):
    """`--as` with a login nobody registered: that is what the command says (it said the apps'
    「ログインしていません」), exit 1, no file, nothing stored."""
    from planner.api import open_store
    from planner.workbook import plan_workbook

    with open_store(demo_db) as store:
        book = tmp_path / "kansai.xlsx"
        book.write_bytes(plan_workbook(store, "kansai", 2025))
        before = [(r.plan.consortium, r.plan.fiscal_year, r.revision) for fy in (2024, 2025)
                  for r in store.plan_records(fy)]
    out = tmp_path / "out.xlsx"
    r = run("--lang", lang, *(a.format(book=book, out=out) for a in command), db=demo_db)
    assert r.returncode == 1 and said in r.stderr and "Traceback" not in r.stderr
    assert "ログインしていません" not in r.stderr and "not signed in" not in r.stderr
    assert not out.exists()
    with open_store(demo_db) as store:
        assert before == [(r.plan.consortium, r.plan.fiscal_year, r.revision) for fy in (2024, 2025)
                          for r in store.plan_records(fy)]
