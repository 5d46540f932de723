#!/usr/bin/env python3
"""Times of the Excel bridge: export and check of a 30-line plan, and the consolidated workbook.

    .venv/bin/python bench/workbook_bench.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import planner  # noqa: E402
from planner.workbook import consolidated_workbook, import_workbook, plan_workbook, read_workbook  # noqa: E402

VARIANTS = [(2, "online"), (3, "online"), (4, "online"), (5, "small"), (6, "day"), (8, "case"), (9, "month"),
            (10, "venue_day"), (1, "small"), (3, "hybrid")]


def thirty_lines(cid: str) -> planner.Plan:
    lines = [planner.Line(item, var, 1, [4, 5, 6, 7, 8, 9, 10, 11, 12, 1][i % 10], f"行 {i + 1} の件名（ベンチマーク）",
                          "大阪", 10, 20, "日本語", "備考" * 20)
             for i, (item, var) in enumerate(VARIANTS * 3)]
    return planner.Plan(cid, 2025, lines)


def timed(fn, n: int = 5) -> tuple[float, object]:
    times, out = [], None
    for _ in range(n):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        s = planner.open_store(Path(d) / "bench.db")
        fy = planner.load_fiscal_year(2025)
        for c in fy.consortia.values():
            s.add_consortium(c.id, c.name_ja)
            s.add_user(f"sec-{c.id}", "secretariat", c.id)
            s.save(thirty_lines(c.id), by=f"sec-{c.id}", base_revision=None)
        t_export, data = timed(lambda: plan_workbook(s, "kansai", 2025))
        t_check, read = timed(lambda: read_workbook(data, s))
        assert len(read.plan.lines) == 30 and read.plan == s.current("kansai", 2025).plan
        t_import, out = timed(lambda: import_workbook(s, data, by="sec-kansai"))
        t_cons, cons = timed(lambda: consolidated_workbook(s, 2025))
        print(f"30-line plan: export {t_export * 1000:.0f} ms ({len(data) / 1024:.0f} KB), "
              f"check {t_check * 1000:.0f} ms, import (no change) {t_import * 1000:.0f} ms")
        print(f"consolidated, 6 consortia × 30 lines: {t_cons * 1000:.0f} ms ({len(cons) / 1024:.0f} KB)")
        s.close()


if __name__ == "__main__":
    main()
