"""The analyst notebooks run top to bottom on the demo store; a cell error or a missing glyph fails."""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import planner

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts" / "notebooks"


def execute(name: str, cwd: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}).execute()
    problems = []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{Path(name).stem}-cell*.png"):  # what is there is this run's charts only
        old.unlink()
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            text = out.get("text", "") if out.get("output_type") == "stream" else ""
            if out.get("name") == "stderr" and ("Glyph" in text or "missing from" in text or "findfont" in text):
                problems.append(f"cell {i}: {text.strip()}")
            png = out.get("data", {}).get("image/png")
            if png:  # kept so a person can look at the charts
                (ARTIFACTS / f"{Path(name).stem}-cell{i}.png").write_bytes(base64.b64decode(png))
    assert not problems, "\n".join(problems)
    return nb


@pytest.fixture
def analyst_env(demo_db, tmp_path, monkeypatch):
    budgets = tmp_path / "budgets"
    shutil.copytree(ROOT / "budgets", budgets)
    monkeypatch.setenv("PLANNER_DB", str(demo_db))
    monkeypatch.setenv("PLANNER_BUDGETS", str(budgets))
    return budgets


def _outputs(nb, cell_index: int) -> str:
    parts = []
    for out in nb.cells[cell_index].get("outputs", []):
        parts.append(out.get("text", ""))
        parts.append(out.get("data", {}).get("text/plain", ""))
        parts.append(out.get("data", {}).get("text/html", ""))
    return "\n".join(parts)


def test_analysis_notebook(analyst_env, tmp_path):
    nb = execute("analysis.ipynb", tmp_path)
    text = "\n".join(_outputs(nb, i) for i in range(len(nb.cells)))
    assert "関西コンソーシアム" in text and "東北コンソーシアム" in text
    assert "135" in text  # the Tohoku event's participants in planned against delivered
    charts = [i for i, cell in enumerate(nb.cells) for out in cell.get("outputs", [])
              if "image/png" in out.get("data", {})]
    assert len(charts) >= 4, charts  # drawn in this run, not files an earlier run left


def test_new_fiscal_year_notebook_writes_a_valid_year_and_old_plans_keep_old_rules(analyst_env, tmp_path):
    nb = execute("new_fiscal_year.ipynb", tmp_path)
    fy26 = planner.load_fiscal_year(2026, analyst_env)
    assert fy26.label_ja == "令和8年度" and fy26.menu[2].variant("online").points == 14
    assert fy26.budgets["kansai"] == 130
    assert planner.load_fiscal_year(2025, analyst_env).menu[2].variant("online").points == 12
    last = _outputs(nb, len(nb.cells) - 1)
    assert "令和7年度のルール: 24 ポイント" in last and "新年度のルールなら: 28 ポイント" in last
    execute("new_fiscal_year.ipynb", tmp_path)  # a second run does not overwrite and still succeeds
