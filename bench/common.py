"""Shared pieces of the benchmarks: timing, child processes with peak memory, synthetic data, the table."""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
RESULTS: list[dict] = []


@contextlib.contextmanager
def scoped_env(env: dict[str, str]) -> Iterator[None]:
    """Environment variables for one benchmark part (its temporary budgets folder), then restored."""
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def median_s(fn: Callable[[], object], runs: int = 5, warmup: int = 1) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def child(args: list[str], env: dict | None = None, cwd: Path | None = None) -> tuple[float, float, str]:
    """Run a process; (wall seconds, its own peak resident memory in MiB, stdout). Raises if it fails."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t = time.perf_counter()
        p = subprocess.Popen(args, stdout=out, stderr=err, env={**os.environ, **(env or {})}, cwd=cwd, text=True)
        # wait4, not wait: it gives this child's own rusage (RUSAGE_CHILDREN would mix all children)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if p.returncode != 0:
            raise RuntimeError(f"{args} failed ({p.returncode}): {err.read()[-2000:]}")
        return wall, usage.ru_maxrss / 1024, out.read()


def paired(base_args: list[str], args: list[str], runs: int = 5, env: dict | None = None,
           prepare: Callable[[], object] | None = None) -> tuple[float, float, float, float]:
    """Run a baseline and a command alternately, so both see the same machine load.

    Returns (median seconds, peak MiB, baseline median seconds, baseline peak MiB). `prepare` runs,
    untimed, before each run of the command (e.g. to restore a store file).
    """
    walls, peaks, bwalls, bpeaks = [], [], [], []
    child(base_args, env)  # warm the file cache for both
    if prepare:
        prepare()
    child(args, env)
    for _ in range(runs):
        w, m, _ = child(base_args, env)
        bwalls.append(w)
        bpeaks.append(m)
        if prepare:
            prepare()
        w, m, _ = child(args, env)
        walls.append(w)
        peaks.append(m)
    return statistics.median(walls), max(peaks), statistics.median(bwalls), max(bpeaks)


def record(section: str, name: str, value: float, unit: str, baseline: float | None = None,
           baseline_name: str = "", target: str = "", **extra: object) -> dict:
    row = {"section": section, "name": name, "value": value, "unit": unit, "baseline": baseline,
           "baseline_name": baseline_name, "ratio": (value / baseline) if baseline else None, "target": target,
           **extra}
    RESULTS.append(row)
    ratio = f"{row['ratio']:.2f}×" if row["ratio"] is not None else ""
    base = f"{baseline:.3f} {unit} ({baseline_name})" if baseline is not None else ""
    print(f"  {name:52} {value:10.3f} {unit:6} {base:44} {ratio:>7} {target}", flush=True)
    return row


def write_json(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
                                "at": time.strftime("%Y-%m-%dT%H:%M:%S"), "results": RESULTS},
                               ensure_ascii=False, indent=2), encoding="utf-8")


def synthetic_budgets(directory: Path, consortia: int = 6, years: tuple[int, ...] = (2025,),
                      budget: int | None = None) -> Path:
    """Fiscal-year files for a benchmark: the FY2025 menu, `consortia` consortia, a budget for each."""
    sys.path.insert(0, str(ROOT))
    import planner
    from planner.fiscal_year import Consortium
    from planner.new_year import fiscal_year_toml

    base = planner.load_fiscal_year(2025)
    prefs = [p for c in base.consortia.values() for p in c.prefectures] + ["東京", "神奈川", "千葉", "埼玉",
                                                                              "茨城", "栃木", "群馬", "新潟"]
    if consortia <= len(base.consortia):
        cons = dict(list(base.consortia.items())[:consortia])
    else:
        cons = {f"c{i:02d}": Consortium(f"c{i:02d}", f"{prefs[i % len(prefs)]}第{i}コンソーシアム", f"Consortium {i}",
                                        None, (prefs[i % len(prefs)],)) for i in range(consortia)}
    budgets = {cid: budget or base.budgets.get(cid, 100) for cid in cons}
    directory.mkdir(parents=True, exist_ok=True)
    for y in years:
        fy = replace(base, year=y, label_ja=f"{y}年度", consortia=cons, budgets=budgets)
        (directory / f"fy{y}.toml").write_text(fiscal_year_toml(fy), encoding="utf-8")
    return directory


def thirty_lines() -> list:
    """A 30-line plan touching every item, valid under a budget of 400."""
    from planner import Line

    lines = []
    shapes = [(1, "small"), (2, "online"), (3, "online"), (4, "online"), (5, "small"), (6, "day"), (7, "bus_day"),
              (8, "case"), (9, "month"), (10, "venue_day")]
    for i in range(30):
        item, variant = shapes[i % len(shapes)]
        month = [4, 5, 6, 7, 8, 9, 10, 11, 12, 1][i % 10]
        lines.append(Line(item, variant, 1, month, f"行事 {i + 1}: 合同企業説明会・セミナー", "大阪", 10, 40,
                          "日本語", "=SUM(A1) は文字として" if i == 3 else ""))
    return lines
