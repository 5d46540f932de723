"""A store made by the previous release (lines did not name the line they serve) opened by this one: each
⑦ and ⑩ line of every revision is linked where exactly one line fits, and left for the person to choose
(a warning, never an error) where several do. The old release is the code at a fixed commit, run in its
own process to build its demo store."""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

import planner
from planner.store import SCHEMA_VERSION
from planner.summary import summarize

ROOT = Path(__file__).resolve().parents[1]
PREVIOUS_RELEASE = "ba7eebc"  # the last commit before lines named the line they serve


@pytest.fixture(scope="module")
def old_store(tmp_path_factory) -> Path:
    where = tmp_path_factory.mktemp("previous-release")
    try:
        tar = subprocess.run(["git", "-C", str(ROOT), "archive", PREVIOUS_RELEASE, "planner", "budgets"],
                             capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip(f"the previous release ({PREVIOUS_RELEASE}) is not in this checkout's git history")
    with tarfile.open(fileobj=io.BytesIO(tar)) as t:
        t.extractall(where / "code", filter="data")
    db = where / "old.db"
    subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; from planner.demo import build_demo;"
                    " build_demo(Path(sys.argv[1]))", str(db)],
                   cwd=where / "code", env={"PYTHONPATH": str(where / "code"), "PATH": "/usr/bin:/bin"},
                   check=True, capture_output=True)
    with sqlite3.connect(db) as con:
        (content,) = con.execute("SELECT content FROM revisions LIMIT 1").fetchone()
        assert all("serves" not in ln for ln in json.loads(content)["lines"])  # made before serves
    return db


def _copy(src: Path, dst: Path) -> Path:
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    return dst


def test_the_old_stores_companions_are_linked_where_one_line_fits(old_store, tmp_path):
    store = planner.open_store(_copy(old_store, tmp_path / "db"))
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    fy = store.fiscal_year(2025)
    # hokuriku's bus can only be for its internship (①): linked, in every revision, and no finding
    linked = 0
    for rev in store.revisions("hokuriku", 2025):  # saved in steps: the bus came with a later one
        for bus in (ln for ln in rev.plan.lines if ln.item == 7):
            assert bus.serves == next(ln for ln in rev.plan.lines if ln.item == 1).id
            linked += 1
    assert linked
    plan = store.current("hokuriku", 2025).plan
    assert not [f for f in summarize(plan, fy, others={}).findings if f.code.startswith(("REQUIRES", "COMPANION"))]
    # kansai's bus could be for the tour (⑥) or the exchange event (⑤): left for the person to choose
    plan = store.current("kansai", 2025).plan
    n = next(i for i, ln in enumerate(plan.lines, start=1) if ln.item == 7)
    assert plan.lines[n - 1].serves is None
    found = summarize(plan, fy, others={}).findings
    [ask] = [f for f in found if f.code == "COMPANION_UNCHOSEN" and f.line == n]
    assert ask.severity == "warning" and "選んでください" in ask.message_ja and "Choose" in ask.message_en
    assert "REQUIRES_COMPANION" not in [f.code for f in found]
    # the accepted plan is still accepted, with no new error
    kyushu = store.current("kyushu", 2025)
    assert kyushu.status == "accepted"
    assert not [f for f in summarize(kyushu.plan, fy, others={}).findings if f.is_error]
    # the history compares as before: linking is no change anybody made
    for cid in ("kansai", "hokuriku", "tohoku"):
        for rev in store.revisions(cid, 2025):
            assert "対象行" not in rev.summary("ja", store.menu_or_none(cid, 2025))
    store.close()


def test_the_step_runs_once_and_keeps_a_choice_made_afterwards(old_store, tmp_path):
    path = _copy(old_store, tmp_path / "db")
    store = planner.open_store(path)
    rec = store.current("kansai", 2025)
    tour = next(ln for ln in rec.plan.lines if ln.item == 6)
    i = next(i for i, ln in enumerate(rec.plan.lines) if ln.item == 7)
    chosen = rec.plan.replace_line(i, planner.Line(**{**rec.plan.lines[i].as_dict(), "serves": tour.id}))
    store.save(chosen, by="secretariat-kansai", base_revision=rec.revision)
    store.close()
    again = planner.open_store(path)
    assert again.current("kansai", 2025).plan.lines[i].serves == tour.id
    assert again.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    again.close()
