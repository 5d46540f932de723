"""Several processes on one store file: exactly one save wins each round, nothing is lost, the file stays
sound, and a process killed in the middle of saving leaves the last good revision."""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import planner
from planner import Line, Plan

WORKERS = 4
ROUNDS = 12


def _worker(db: str, wid: int, barrier, out) -> None:
    store = planner.open_store(db)
    by = "secretariat-kansai"
    for rnd in range(ROUNDS):
        barrier.wait()
        base = store.get("kansai", 2025, by=by).revision
        barrier.wait()  # everyone holds the same base revision now
        plan = Plan("kansai", 2025, [Line(2, "online", 1, 7, f"w{wid} r{rnd}")])
        try:
            store.save(plan, by=by, base_revision=base)
            out.put((rnd, wid, "won"))
        except planner.Conflict:
            out.put((rnd, wid, "conflict"))
        barrier.wait()  # the round is over for everyone before the next read
    store.close()


def _make_store(db: Path) -> None:
    with planner.open_store(db) as s:
        s.add_consortium("kansai", "関西コンソーシアム")
        s.add_user("secretariat-kansai", "secretariat", "kansai")
        s.save(Plan("kansai", 2025, [Line(2, "online", 1, 7, "start")]), by="secretariat-kansai", base_revision=None)


def test_concurrent_saves_one_winner_per_round(tmp_path):
    db = tmp_path / "c.db"
    _make_store(db)
    ctx = mp.get_context("spawn")
    barrier, out = ctx.Barrier(WORKERS), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(str(db), w, barrier, out)) for w in range(WORKERS)]
    for p in procs:
        p.start()
    results = [out.get(timeout=120) for _ in range(WORKERS * ROUNDS)]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    winners = {}
    for rnd in range(ROUNDS):
        won = [w for r, w, what in results if r == rnd and what == "won"]
        assert len(won) == 1, f"round {rnd}: {won}"
        winners[rnd] = won[0]
    with planner.open_store(db) as s:
        hist = s.history("kansai", 2025, by="secretariat-kansai")
        assert [h.revision for h in hist] == list(range(1, ROUNDS + 2))
        titles = [h.plan.lines[0].title for h in hist[1:]]
        assert titles == [f"w{winners[r]} r{r}" for r in range(ROUNDS)]  # every winning save, in order
        conflicts = [r for r in s.refusals() if r["kind"] == "conflict"]
        assert len(conflicts) == ROUNDS * (WORKERS - 1)
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


SAVER = """
import sys, planner
from planner import Line, Plan
store = planner.open_store(sys.argv[1])
by = "secretariat-kansai"
n = 0
while True:
    rev = store.get("kansai", 2025, by=by).revision
    lines = [Line(2, "online", 1, 7, f"save {rev + 1} line {i}", notes="x" * 1000) for i in range(40)]
    store.save(Plan("kansai", 2025, lines), by=by, base_revision=rev)
    n += 1
    if n == 3:
        print("saving", flush=True)
"""


def test_killed_in_the_middle_of_saving_keeps_the_last_good_revision(tmp_path):
    db = tmp_path / "k.db"
    _make_store(db)
    for attempt in range(6):
        proc = subprocess.Popen([sys.executable, "-c", SAVER, str(db)], stdout=subprocess.PIPE, text=True,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"})
        assert proc.stdout.readline().strip() == "saving"
        time.sleep(0.05 + 0.037 * attempt)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        con = sqlite3.connect(db)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        plan_rev = con.execute("SELECT revision FROM plans").fetchone()[0]
        revs = [r[0] for r in con.execute("SELECT revision FROM revisions ORDER BY revision")]
        assert revs == list(range(1, plan_rev + 1))  # no half-written or orphan revision
        content = json.loads(con.execute("SELECT content FROM revisions WHERE revision = ?", (plan_rev,)).fetchone()[0])
        con.close()
        if plan_rev > 1:
            assert len(content["lines"]) == 40 and content["lines"][0]["title"] == f"save {plan_rev} line 0"
        with planner.open_store(db) as s:  # and the store goes on working
            rec = s.get("kansai", 2025, by="secretariat-kansai")
            assert rec.revision == plan_rev
            s.save(Plan("kansai", 2025, [Line(2, "online", 1, 7, "after")]), by="secretariat-kansai",
                   base_revision=rec.revision)
