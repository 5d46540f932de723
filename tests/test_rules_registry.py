"""The rule registry: every code a plan check can report is declared by exactly one rule, with its
severity, and the documented lists of codes agree with it."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from skip_support import SPEC_ELSEWHERE
from test_fiscal_year import ADJUSTED
from test_rules_properties import CONSORTIA, any_line, valid_line

import planner
from planner import Line, Plan, check, rules
from planner.demo import PLANS_2025, TOHOKU_2024
from planner.plan import LINE_FIELDS

ROOT = Path(__file__).resolve().parents[1]
FY25, FY24 = planner.load_fiscal_year(2025), planner.load_fiscal_year(2024)
FY_ADJUSTED = planner.parse_fiscal_year(ADJUSTED, "adjusted.toml")


def _run_each_rule(plan: Plan, fy: planner.FiscalYear) -> list[planner.Finding]:
    """Every rule run on its own, each finding checked against what its rule declared."""
    menu = fy.menu_for(plan.consortium) if plan.consortium in fy.consortia else fy.menu
    out = []
    for c in rules.CHECKS:
        for f in c.findings(plan, menu, fy):
            assert (f.code, f.severity) == (c.code, c.severity), f"{c.run.__name__} reported {f.code}"
            out.append(f)
    return out


def _assert_check_is_the_rules(plan: Plan, fy: planner.FiscalYear) -> None:
    # check() reports what the registered rules report, nothing more and nothing less
    found = check(plan, fy)
    assert Counter(found) == Counter(_run_each_rule(plan, fy))
    declared = {(c.code, c.severity) for c in rules.CHECKS}
    assert {(f.code, f.severity) for f in found} <= declared


def test_the_code_lists_are_read_from_the_registry():
    codes = [c.code for c in rules.CHECKS]
    assert len(codes) == len(set(codes))
    assert rules.ERROR_CODES == tuple(c.code for c in rules.CHECKS if c.severity == "error")
    assert rules.WARNING_CODES == tuple(c.code for c in rules.CHECKS if c.severity == "warning")
    assert set(rules.ERROR_CODES) | set(rules.WARNING_CODES) == set(codes)
    for c in rules.CHECKS:
        assert re.fullmatch(r"[A-Z]+(_[A-Z]+)*", c.code) and c.severity in ("error", "warning")
        assert c.field is None or c.field in LINE_FIELDS, c.code
        assert rules.FIELDS[c.code] == c.field


def test_a_code_declared_twice_is_refused():
    with pytest.raises(ValueError, match="UNKNOWN_ITEM"):
        rules.rule("UNKNOWN_ITEM", "error")(lambda plan, menu, fy: iter(()))


def test_demo_plans_report_only_declared_codes():
    for fy in (FY25, FY24, FY_ADJUSTED):
        for cid, lines in PLANS_2025.items():
            _assert_check_is_the_rules(Plan(cid, 2025, lines), fy)
        _assert_check_is_the_rules(Plan("tohoku", 2024, TOHOKU_2024), fy)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.sampled_from([*CONSORTIA, "okinawa"]), st.none(), st.integers()),
       st.sampled_from([2024, 2025, "2025"]),
       st.lists(st.one_of(any_line(), valid_line(), valid_line(items=[FY25.menu[7], FY25.menu[10]])), max_size=10),
       st.sampled_from([FY25, FY24, FY_ADJUSTED]))
def test_generated_plans_report_only_declared_codes(cid, year, lines, fy):
    _assert_check_is_the_rules(Plan(cid, year, lines), fy)


# One plan that each rule finds, so no declared code is dead: a new rule needs a line here too.
GOOD = [Line(2, "in_person", 2, 7, "説明会"), Line(3, "hybrid", 3, 10, "セミナー"), Line(6, "day", 2, 9, "見学会")]
EXAMPLES = {
    "WRONG_FISCAL_YEAR": Plan("kansai", 2024, GOOD),
    "UNKNOWN_CONSORTIUM": Plan("okinawa", 2025, GOOD),
    "UNKNOWN_ITEM": Plan("kansai", 2025, [*GOOD, Line(12, "x", 1, 5, "?")]),
    "UNKNOWN_VARIANT": Plan("kansai", 2025, [*GOOD, Line(2, "drive_in", 1, 5, "?")]),
    "QUANTITY_INVALID": Plan("kansai", 2025, [*GOOD, Line(8, "case", 0, 5, "好事例")]),
    "MONTH_OUTSIDE_YEAR": Plan("kansai", 2025, [*GOOD, Line(8, "case", 1, 13, "好事例")]),
    "DESCRIPTION_REQUIRED": Plan("kansai", 2025, [*GOOD, Line(11, "proposal", 1, 5, "提案")]),
    "REQUIRES_COMPANION": Plan("kansai", 2025, [Line(8, "case", 2, 5, "好事例"), Line(7, "bus_day", 1, 6, "バス")]),
    "MAX_QUANTITY": Plan("kansai", 2025, [*GOOD, Line(8, "case", 11, 5, "好事例")]),
    "BUDGET_EXCEEDED": Plan("kansai", 2025, [*GOOD, Line(1, "standard", 2, 8, "インターン")]),
    "BUDGET_UNDERUSED": Plan("kansai", 2025, GOOD[:1]),
    "LATE_CONCENTRATION": Plan("kansai", 2025, [Line(2, "in_person", 3, 2, "説明会")]),
}


@pytest.mark.parametrize("c", rules.CHECKS, ids=lambda c: c.code)
def test_every_declared_code_is_found_by_its_rule(c):
    assert c.code in EXAMPLES, f"add a plan that {c.run.__name__} finds to EXAMPLES"
    plan = EXAMPLES[c.code]
    assert c.code in [f.code for f in check(plan, FY25)]
    _assert_check_is_the_rules(plan, FY25)


def _backticked(text: str) -> set[str]:
    return set(re.findall(r"`([A-Z][A-Z_]+)`", text))


def test_readme_lists_exactly_the_registered_codes():
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("\n## ルール\n", 1)[1].split("\n## ", 1)[0]
    errors, warnings = section.split("警告:", 1)
    assert _backticked(errors) == set(rules.ERROR_CODES)
    assert _backticked(warnings) == set(rules.WARNING_CODES)


SPEC = ROOT.parent / "shared" / "SPEC.md"


@pytest.mark.skipif(not SPEC.exists(), reason=SPEC_ELSEWHERE)
def test_spec_rule_codes_are_registered_with_their_severity():
    text = SPEC.read_text(encoding="utf-8").replace("\n", " ")
    rules_text = text.split("Rules, each with its stable code.", 1)[1].split("A finding has", 1)[0]
    errors, warnings = rules_text.split("Warnings:", 1)
    assert _backticked(warnings) == set(rules.WARNING_CODES)
    assert _backticked(errors) <= set(rules.ERROR_CODES)
    # SPEC names the rules about what a plan holds; these two say it was checked against the wrong
    # year's or another consortium's data (README lists them with the rest)
    assert set(rules.ERROR_CODES) - _backticked(errors) == {"UNKNOWN_CONSORTIUM", "WRONG_FISCAL_YEAR"}
