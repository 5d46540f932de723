"""Workbooks as whole processes: export, check and import of a 30-line plan, each against the baseline
of openpyxl loading and saving the plan template, run alternately in the same run."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import PYTHON, ROOT, median_s, paired, record, scoped_env, synthetic_budgets, thirty_lines  # noqa: E402

BASELINE = "import openpyxl, sys; wb = openpyxl.load_workbook(sys.argv[1]); wb.save(sys.argv[2])"


def main(runs: int = 5) -> None:
    print("workbooks: 30-line plan, whole processes (baseline run alternately)", flush=True)
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        env = {"PLANNER_BUDGETS": str(synthetic_budgets(d / "budgets", budget=400)), "PLANNER_LANG": "en",
               # Like with like: the baseline's openpyxl runs from the bytecode pip compiled at install,
               # so planner runs from bytecode too (kept in a cache of this run's own). Where
               # PYTHONDONTWRITEBYTECODE is set, planner would otherwise compile its ~40 modules from
               # source in every process, which measured about 0.4 s of a 0.9 s export.
               "PYTHONDONTWRITEBYTECODE": "", "PYTHONPYCACHEPREFIX": str(d / "pycache")}
        with scoped_env(env):
            _measure(d, env, runs)


def _measure(d: Path, env: dict, runs: int) -> None:
    import openpyxl

    import planner

    db, pristine = d / "bench.db", d / "pristine.db"
    with planner.open_store(db) as s:
        s.add_consortium("kansai", "関西コンソーシアム")
        s.add_user("secretariat-kansai", "secretariat", "kansai")
        s.save(planner.Plan("kansai", 2025, thirty_lines()), by="secretariat-kansai", base_revision=None)
    shutil.copy(db, pristine)
    out = d / "plan.xlsx"
    cli = [PYTHON, "-m", "planner", "--db", str(db)]
    base = [PYTHON, "-c", BASELINE, str(ROOT / "templates/xlsx/plan.xlsx"), str(d / "base.xlsx")]
    label = "openpyxl load+save template"

    export = cli + ["export", "--consortium", "kansai", "--fy", "2025", "-o", str(out)]
    t, m, b, bm = paired(base, export, runs, env)
    record("workbook", "export 30-line plan (process)", t, "s", b, label, "≤ 2×", peak_mib=m, baseline_peak_mib=bm)
    t, m, b, _ = paired(base, cli + ["check", str(out)], runs, env)
    record("workbook", "check 30-line plan (process)", t, "s", b, label, "≤ 2×", peak_mib=m)

    # import a workbook with one quantity changed, into a fresh copy of the store each time,
    # so every run stores a new revision (not the shorter "nothing changed" path)
    edited = d / "edited.xlsx"
    wb = openpyxl.load_workbook(out)
    ws = wb["計画"]
    header = next(r for r in range(1, 20) if ws.cell(r, 1).value == "番号")
    qty_col = next(c for c in range(1, 20) if ws.cell(header, c).value == "数量")
    ws.cell(header + 1, qty_col).value = 2
    wb.save(edited)
    t, m, b, _ = paired(base, cli + ["import", str(edited), "--as", "secretariat-kansai"], runs, env,
                        prepare=lambda: shutil.copy(pristine, db))
    record("workbook", "import 30-line plan, new revision (process)", t, "s", b, label, "≤ 2×", peak_mib=m)
    t, m, b, _ = paired(base, cli + ["consolidate", "--fy", "2025", "-o", str(d / "all.xlsx")], runs, env)
    record("workbook", "consolidated workbook (process)", t, "s", b, label, peak_mib=m)

    # the same work inside one process, where interpreter start and imports do not count
    from planner.workbook import consolidated_workbook, plan_workbook, read_workbook

    template = ROOT / "templates/xlsx/plan.xlsx"
    in_base = median_s(lambda: openpyxl.load_workbook(template).save(d / "base2.xlsx"), runs)
    label = "openpyxl load+save template, in process"
    with planner.open_store(db) as s:
        data = plan_workbook(s, "kansai", 2025)
        record("workbook", "export 30-line plan (in process)", median_s(lambda: plan_workbook(s, "kansai", 2025),
                                                                        runs), "s", in_base, label)
        record("workbook", "check 30-line plan (in process)", median_s(lambda: read_workbook(data, s), runs), "s",
               in_base, label)
        record("workbook", "consolidated workbook (in process)",
               median_s(lambda: consolidated_workbook(s, 2025), runs), "s", in_base, label)


if __name__ == "__main__":
    main()
