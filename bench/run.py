"""Run every benchmark, print the table and write bench/results.json.

    .venv/bin/python bench/run.py [store workbook reports scale browser live]
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_browser  # noqa: E402
import bench_live  # noqa: E402
import bench_reports  # noqa: E402
import bench_scale  # noqa: E402
import bench_store  # noqa: E402
import bench_workbook  # noqa: E402
from common import write_json  # noqa: E402

PARTS = {"store": bench_store.main, "workbook": bench_workbook.main, "reports": bench_reports.main,
         "scale": bench_scale.main, "browser": bench_browser.main, "live": bench_live.main}


def main(names: list[str]) -> None:
    print(f"  {'figure':52} {'value':>10} {'unit':6} {'baseline':44} {'ratio':>7} target")
    for name in names or list(PARTS):
        PARTS[name]()
    out = HERE / "results.json"
    write_json(out)
    print(f"written: {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
