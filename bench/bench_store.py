"""Store under contention: 4 processes saving 200 revisions each to the same few plans.

Baseline, in the same run: one process saving the same number of revisions alone. Every save starts
from the revision it read; a conflict is detected, re-read and retried, so none is lost.
"""

from __future__ import annotations

import multiprocessing as mp
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import record  # noqa: E402

import planner  # noqa: E402
from planner import Line, Plan  # noqa: E402

CONSORTIA = ("kansai", "tohoku", "kyushu")
PER_PROCESS = 200
PROCESSES = 4


def _setup(db: Path) -> None:
    with planner.open_store(db) as s:
        fy = planner.load_fiscal_year(2025)
        for cid in CONSORTIA:
            s.add_consortium(cid, fy.consortia[cid].name_ja)
            s.add_user(f"secretariat-{cid}", "secretariat", cid)


def _saver(db: str, wid: int, count: int, out) -> None:
    store = planner.open_store(db)
    conflicts = 0
    done = 0
    while done < count:
        cid = CONSORTIA[(wid + done) % len(CONSORTIA)]
        by = f"secretariat-{cid}"
        rec = store.find(cid, 2025, by=by)
        base = rec.revision if rec else None
        lines = [Line(2, "online", 1, 7, f"w{wid} n{done} line {i}") for i in range(10)]
        try:
            store.save(Plan(cid, 2025, lines), by=by, base_revision=base)
            done += 1
        except planner.Conflict:
            conflicts += 1
    store.close()
    out.put(conflicts)


def _run(processes: int, per_process: int) -> tuple[float, int, int, int]:
    with tempfile.TemporaryDirectory() as d:
        db = Path(d) / "bench.db"
        _setup(db)
        ctx = mp.get_context("fork")
        out = ctx.Queue()
        procs = [ctx.Process(target=_saver, args=(str(db), w, per_process, out)) for w in range(processes)]
        t = time.perf_counter()
        for p in procs:
            p.start()
        conflicts = sum(out.get() for _ in procs)
        for p in procs:
            p.join()
        elapsed = time.perf_counter() - t
        with planner.open_store(db) as s:
            markers = set()
            for cid in CONSORTIA:
                for h in s.history(cid, 2025, by="secretariat-" + cid):
                    markers.add(h.plan.lines[0].title.rsplit(" line", 1)[0])
            stored = sum(len(s.history(cid, 2025, by="secretariat-" + cid)) for cid in CONSORTIA)
        lost = processes * per_process - len(markers)
        return elapsed, conflicts, stored, lost


def main(runs: int = 3) -> None:
    print("store: 4 processes × 200 revisions on 3 plans", flush=True)
    total = PROCESSES * PER_PROCESS
    base = [(_run(1, total)) for _ in range(runs)]
    cont = [(_run(PROCESSES, PER_PROCESS)) for _ in range(runs)]
    base_rate = statistics.median(total / r[0] for r in base)
    rate = statistics.median(total / r[0] for r in cont)
    record("store", "revisions per second, 4 processes", rate, "rev/s", base_rate, "1 process alone",
           conflicts=[r[1] for r in cont], stored=[r[2] for r in cont], lost=[r[3] for r in cont])
    record("store", "conflicts detected (median)", statistics.median(r[1] for r in cont), "count")
    record("store", "revisions lost", max(r[3] for r in cont), "count", target="0")
    assert all(r[2] == total and r[3] == 0 for r in cont), cont


if __name__ == "__main__":
    main()
