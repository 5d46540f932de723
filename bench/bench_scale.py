"""Scale: synthetic stores of 10, 100 and 1,000 plans × 30 lines. Time and peak memory of the
consolidated workbook of one year, plans_frame over all years and opening the review app, each in a
process of its own; the baseline of each figure is the same measure at the smallest size."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import PYTHON, child, record, scoped_env, synthetic_budgets, thirty_lines  # noqa: E402

# (plans, consortia, years): 1,000 is about 47 prefectural consortia over 20 years
SIZES = ((10, 10, 1), (100, 20, 5), (1000, 50, 20))
FIRST_YEAR = 2025

TIMED = {
    "plans_frame": (
        "import sys, time, pandas, planner; s = planner.open_store(sys.argv[1]); t = time.perf_counter();"
        "df = s.plans_frame(); print(time.perf_counter() - t, len(df))"
    ),
    "consolidated": (
        "import sys, time, planner; from planner.workbook import consolidated_workbook;"
        "s = planner.open_store(sys.argv[1]); t = time.perf_counter();"
        "b = consolidated_workbook(s, int(sys.argv[2])); print(time.perf_counter() - t, len(b))"
    ),
    "review_app": (  # argv[3] is "KEY QUERY": signed in first, as the server does before the kernel runs
        "import sys, time, planner; from planner.store import session_ref; s = planner.open_store(sys.argv[1]);"
        "key, query = sys.argv[3].split(' '); token, _ = s.sign_in(key, 1800, 43200); t = time.perf_counter();"
        "from planner.app import Request, review_app; review_app(Request(query, session_ref(token)), s);"
        "print(time.perf_counter() - t, 0)"
    ),
}


def build(db: Path, consortia: int, years: int) -> str:
    """Fill a store; returns the officer's key and the review app's query string, space-separated."""
    import planner

    lines = thirty_lines()
    with planner.open_store(db) as s:
        fy = s.fiscal_year(FIRST_YEAR)
        for cid, c in fy.consortia.items():
            s.add_consortium(cid, c.name_ja)
            s.add_user(f"sec-{cid}", "secretariat", cid)
        s.add_user("officer", "officer")
        key = s.issue_key("officer")
        for y in range(FIRST_YEAR, FIRST_YEAR + years):
            for cid in fy.consortia:
                s.save(planner.Plan(cid, y, lines), by=f"sec-{cid}", base_revision=None)
    return f"{key} fy={FIRST_YEAR}"


def measure(what: str, db: Path, year: int, query: str, env: dict, runs: int) -> tuple[float, float] | None:
    inner, peaks = [], []
    for _ in range(runs):
        try:
            _, peak, out = child([PYTHON, "-c", TIMED[what], str(db), str(year), query], env)
        except RuntimeError as e:
            print(f"  {what}: not measured ({str(e).splitlines()[-1][:120]})")
            return None
        inner.append(float(out.split()[0]))
        peaks.append(peak)
    return statistics.median(inner), max(peaks)


def main(runs: int = 3) -> None:
    print("scale: plans × 30 lines; per-plan cost against the smallest store", flush=True)
    first: dict[str, tuple[float, int]] = {}
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        for plans, consortia, years in SIZES:
            budgets = synthetic_budgets(d / f"b{plans}", consortia, tuple(range(FIRST_YEAR, FIRST_YEAR + years)), 400)
            env = {"PLANNER_BUDGETS": str(budgets)}
            with scoped_env(env):
                _size(d, plans, consortia, years, env, runs, first)


def _size(d: Path, plans: int, consortia: int, years: int, env: dict, runs: int, first: dict) -> None:
    """One store size: build it, then time each figure against the smallest size scaled linearly."""
    db = d / f"s{plans}.db"
    t = time.perf_counter()
    query = build(db, consortia, years)
    record("scale", f"build store: {plans} plans", time.perf_counter() - t, "s")
    for what, unit_count in (("plans_frame", plans), ("consolidated", consortia), ("review_app", consortia)):
        m = measure(what, db, FIRST_YEAR, query, env, runs)
        if m is None:
            continue
        secs, peak = m
        first.setdefault(what, (secs, unit_count))
        b_secs, b_count = first[what]
        # the baseline scaled linearly: a ratio ≤ 1 means growth linear or better
        linear = b_secs * unit_count / b_count
        scope = "all years" if what == "plans_frame" else f"{unit_count} plans in one year"
        record("scale", f"{what}: store of {plans} plans ({scope})", secs, "s", linear,
               f"linear from {b_count}", "≤ 1× (linear)", peak_mib=peak)


if __name__ == "__main__":
    main()
