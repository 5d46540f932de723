"""A new fiscal year as data: derived, validated, written, and the old year's plans keep their rules."""

from __future__ import annotations

import subprocess
import sys

import pytest

import planner
from planner.new_year import derive_fiscal_year, fiscal_year_toml, write_fiscal_year


def test_toml_round_trip_of_the_shipped_year(fy):
    again = planner.parse_fiscal_year(fiscal_year_toml(fy))
    assert (again.menu, again.consortia, again.budgets, again.rules, again.thresholds) == (
        fy.menu, fy.consortia, fy.budgets, fy.rules, fy.thresholds)


def test_derive_changes_points_budgets_and_items(fy, tmp_path):
    new = derive_fiscal_year(fy, 2026, points={(2, "online"): 14}, budgets={"kansai": 130}, drop_items=[5],
                             rename_items={3: "セミナーの開催（企業・自治体向け）"}, yen_per_point=110000)
    assert new.label_ja == "令和8年度" and new.year == 2026 and new.yen_per_point == 110000
    assert 5 not in new.menu and new.menu[3].name_ja == "セミナーの開催（企業・自治体向け）"
    # ⑤ was a companion of ⑦ and ⑩: the rules now name only what remains
    assert [r.companions for r in new.rules if r.item == 7] == [(1, 6)]
    path = write_fiscal_year(new, tmp_path)
    assert planner.load_fiscal_year(2026, tmp_path).budgets["kansai"] == 130
    with pytest.raises(planner.FiscalYearError):
        write_fiscal_year(new, tmp_path)  # no silent overwrite
    assert path.read_text(encoding="utf-8").count("[[items]]") == 10


def test_derive_refuses_unknown_names(fy):
    with pytest.raises(planner.FiscalYearError) as e:
        derive_fiscal_year(fy, 2026, points={(2, "taxi"): 3}, budgets={"okinawa": 50}, drop_items=[42])
    keys = [k for k, _, _ in e.value.problems]
    assert keys == ["items.42", "items.2.taxi", "budgets.okinawa"]


def test_old_plans_keep_old_rules(fy, tmp_path):
    new = derive_fiscal_year(fy, 2026, points={(2, "online"): 14})
    write_fiscal_year(new, tmp_path)
    lines = [planner.Line(2, "online", 2, 7, "説明会")]
    assert planner.points(planner.Plan("kansai", 2025, lines), fy) == 24
    assert planner.points(planner.Plan("kansai", 2026, lines), planner.load_fiscal_year(2026, tmp_path)) == 28


def run(*args):
    return subprocess.run([sys.executable, "-m", "planner", *args], capture_output=True, text=True, timeout=60)


def test_years_cli(tmp_path):
    r = run("years", "new", "--from", "2025", "--to", "2026", "--points", "2:online=14", "--budget", "kansai=130",
            "--dir", str(tmp_path))
    assert r.returncode == 0 and "12 → 14" in r.stdout and "120 → 130" in r.stdout
    assert run("years", "check", str(tmp_path / "fy2026.toml")).returncode == 0
    r = run("years", "new", "--from", "2025", "--to", "2026", "--dir", str(tmp_path))
    assert r.returncode == 1 and "上書きしません" in r.stderr
    r = run("years", "new", "--from", "2025", "--to", "2027", "--points", "2:taxi=3", "--dir", str(tmp_path),
            "--lang", "en")
    assert r.returncode == 1 and "no variant 'taxi'" in r.stderr and "Traceback" not in r.stderr
    assert run("years", "new", "--from", "2025", "--to", "2027", "--points", "2=3").returncode == 2
    bad = tmp_path / "fy2030.toml"
    bad.write_text("[fiscal_year]\nyear = 2030\n", encoding="utf-8")
    r = run("years", "check", str(bad))
    assert r.returncode == 1 and "budgets" in r.stderr and "fy2030.toml" in r.stderr
    assert "2025" in run("years", "list").stdout
