"""The year's results book and an event report as whole processes on the demo store (planner report year /
report event), each against the baseline of openpyxl loading and saving the plan template, run alternately;
then the same work inside one process."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import PYTHON, ROOT, median_s, paired, record, scoped_env  # noqa: E402

BASELINE = "import openpyxl, sys; wb = openpyxl.load_workbook(sys.argv[1]); wb.save(sys.argv[2])"


def main(runs: int = 5) -> None:
    print("reports: the demo's FY2024 (the seed's Tohoku event), whole processes (baseline run alternately)",
          flush=True)
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        # as bench_workbook: planner from bytecode of this run's own, like openpyxl from pip's
        env = {"PLANNER_LANG": "en", "PYTHONDONTWRITEBYTECODE": "", "PYTHONPYCACHEPREFIX": str(d / "pycache")}
        with scoped_env(env):
            _measure(d, env, runs)


def _measure(d: Path, env: dict, runs: int) -> None:
    import openpyxl

    import planner
    from planner.demo import build_demo

    db = d / "demo.db"
    build_demo(db)
    cli = [PYTHON, "-m", "planner", "--db", str(db)]
    base = [PYTHON, "-c", BASELINE, str(ROOT / "templates/xlsx/plan.xlsx"), str(d / "base.xlsx")]
    label = "openpyxl load+save template"
    year = cli + ["report", "year", "--fy", "2024", "-o", str(d / "book.xlsx")]
    t, m, b, bm = paired(base, year, runs, env)
    record("reports", "results book FY2024 (process)", t, "s", b, label, "≤ 2×", peak_mib=m, baseline_peak_mib=bm)
    event = cli + ["report", "event", "--consortium", "tohoku", "--fy", "2024", "--line", "1", "-o", str(d / "e.pdf")]
    t, m, b, _ = paired(base, event, runs, env)
    record("reports", "event report, 1 page (process)", t, "s", b, label, peak_mib=m)

    from planner.event_report import event_report
    from planner.workbook.results_book import results_book
    from planner.year_results import read_year

    template = ROOT / "templates/xlsx/plan.xlsx"
    in_base = median_s(lambda: openpyxl.load_workbook(template).save(d / "base2.xlsx"), runs)
    label = "openpyxl load+save template, in process"
    with planner.open_store(db) as s:
        fy = s.fiscal_year(2024)
        record("reports", "results book FY2024 (in process)",
               median_s(lambda: results_book(read_year(s, 2024), fy), runs), "s", in_base, label)
        record("reports", "event report, 1 page (in process)",
               median_s(lambda: event_report(s, "tohoku", 2024, 1), runs), "s", in_base, label)
