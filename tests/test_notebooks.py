"""The analyst notebooks run top to bottom on the demo store; a cell error or a missing glyph fails."""

from __future__ import annotations

import base64
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import planner

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts" / "notebooks"


def execute(name: str, cwd: Path, write: bool = False) -> nbformat.NotebookNode:
    """Run a notebook; `write` sets its WRITE flag as a person would, by editing the cell."""
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    if write:
        (cell,) = [c for c in nb.cells if c.source.startswith("WRITE = False")]
        cell.source = cell.source.replace("WRITE = False", "WRITE = True", 1)
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
    # tables as people read them: Japanese headers and statuses, rounded, — for nothing, titles on one line
    assert "計画イベント数" in text and "承認済み" in text and "下書き" in text
    assert ">accepted<" not in text and ">draft<" not in text and ">nan<" not in text.lower()
    assert not re.search(r">-?[0-9]+\.[0-9]{3,}<", text)  # no 0.911111 or 263.303769 in a cell
    assert "white-space: nowrap" in text and "重み付け" in text
    # reach: the seed's Tohoku companies came from all three of its main target prefectures, and from 青森 and 福島
    assert "対象県の到達" in text and "3/3" in text and "青森・福島" in text
    charts = [i for i, cell in enumerate(nb.cells) for out in cell.get("outputs", [])
              if "image/png" in out.get("data", {})]
    assert len(charts) >= 4, charts  # drawn in this run, not files an earlier run left


def test_new_fiscal_year_notebook_as_shipped_writes_nothing_and_says_where_it_would(analyst_env, tmp_path):
    before = sorted(p.name for p in analyst_env.iterdir())
    nb = execute("new_fiscal_year.ipynb", tmp_path)
    assert sorted(p.name for p in analyst_env.iterdir()) == before
    assert not (ROOT / "budgets" / "fy2026.toml").exists()
    said = "\n".join(_outputs(nb, i) for i in range(len(nb.cells)))
    assert "まだ書き出していません（WRITE = False）" in said and str(analyst_env / "fy2026.toml") in said
    assert "新年度のルールなら: 28 ポイント" in said  # the checks run on the year made in memory


def test_new_fiscal_year_notebook_writes_a_valid_year_and_old_plans_keep_old_rules(analyst_env, tmp_path):
    nb = execute("new_fiscal_year.ipynb", tmp_path, write=True)
    said = "\n".join(_outputs(nb, i) for i in range(len(nb.cells)))
    assert f"書き出しました: {analyst_env / 'fy2026.toml'}" in said
    fy26 = planner.load_fiscal_year(2026, analyst_env)
    assert fy26.label_ja == "令和8年度" and fy26.menu[2].variant("online").points == 14
    assert fy26.budgets["kansai"] == 130
    assert planner.load_fiscal_year(2025, analyst_env).menu[2].variant("online").points == 12
    last = _outputs(nb, len(nb.cells) - 1)
    assert "令和7年度のルール: 24 ポイント" in last and "新年度のルールなら: 28 ポイント" in last
    nb = execute("new_fiscal_year.ipynb", tmp_path, write=True)  # a second run does not overwrite, still succeeds
    assert "はすでにあります（上書きしません）" in "\n".join(_outputs(nb, i) for i in range(len(nb.cells)))
