"""The rule registry: every code a plan check can report is declared by exactly one rule, with its
severity, and the documented lists of codes agree with it."""

from __future__ import annotations

import ast
import re
import string
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from skip_support import SPEC_ELSEWHERE
from test_fiscal_year import ADJUSTED
from test_rules_properties import CONSORTIA, any_line, valid_line

import planner
from planner import Line, Plan, check, messages, rules
from planner.demo import PLANS_2025, TOHOKU_2024
from planner.plan import LINE_FIELDS
from planner.text import Text

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
        rules.rule("UNKNOWN_ITEM")(lambda plan, menu, fy: iter(()))


def test_a_rule_needs_its_message_in_the_catalogue():
    with pytest.raises(KeyError, match="NO_SUCH_RULE"):
        rules.rule("NO_SUCH_RULE")(lambda plan, menu, fy: iter(()))
    assert "NO_SUCH_RULE" not in [c.code for c in rules.CHECKS]


def test_each_rule_has_the_severity_of_its_message():
    for c in rules.CHECKS:
        assert c.severity == messages.CODES[c.code] == messages.MESSAGES[c.code].severity


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


# -- the catalogue of messages: every code any check can raise, and nothing else --------------------

PLANNER = ROOT / "planner"
# the calls that raise a catalogue key given as their first argument (a literal, or either side of an
# `a if … else b`): Finding.of itself, a cell's Where.finding, the results' _err, the import's
# refusals from a PlannerError, and the plan rules' @rule
_RAISERS = {"of", "finding", "_err", "_from_error", "rule", "way"}


def _keys(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _keys(node.body) + _keys(node.orelse)
    return []


def _raised() -> dict[str, list[str]]:
    """Catalogue keys raised in planner/, each with where."""
    out: dict[str, list[str]] = {}
    for path in sorted(PLANNER.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            if name in _RAISERS:
                for key in _keys(node.args[0]):
                    out.setdefault(key, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return out


def test_every_raised_code_is_in_the_catalogue_and_every_entry_is_raised():
    raised = _raised()
    assert set(raised) - set(messages.MESSAGES) == set(), {k: raised[k] for k in set(raised) - set(messages.MESSAGES)}
    assert set(messages.MESSAGES) - set(raised) == set(), "catalogue entries nothing raises"


def test_no_finding_is_built_outside_the_catalogue():
    for path in sorted(PLANNER.rglob("*.py")):
        if path.name == "findings.py" and path.parent == PLANNER:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Finding":
                pytest.fail(f"{path.relative_to(ROOT)}:{node.lineno} builds a Finding; use Finding.of")


def _fields(template: str) -> set[str]:
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template)
            if name is not None}


@pytest.mark.parametrize("m", messages.MESSAGES.values(), ids=lambda m: m.key)
def test_each_template_formats_with_its_params_in_both_languages(m):
    assert re.fullmatch(r"[A-Z]+(_[A-Z0-9]+)*(\.[a-z_]+)?", m.key) and m.severity in ("error", "warning")
    ja, en = m.text
    assert _fields(ja) == _fields(en), "both languages fill the same fields"
    assert re.search(r"[぀-ヿ一-鿿]", ja) and not re.search(r"[぀-ゟ]", en), "ja is Japanese, en is not"
    params = {name: 1 for name in _fields(ja) if name not in ("line", "sheet", "row", "column")}
    f = planner.Finding.of(m.key, line=3, sheet="計画", row=5, column="B", **params)
    assert (f.code, f.severity, f.line, f.sheet, f.row, f.column) == (m.code, m.severity, 3, "計画", 5, "B")
    assert f.message_ja == ja.format(line=3, sheet="計画", row=5, column="B", **params)
    assert f.message_en == en.format(line=3, sheet="計画", row=5, column="B", **params)
    assert "{" not in f.message_ja + f.message_en
    # a Text param is said in each message's language
    plain = sorted(name for name in params
                   if all(spec == "" for _, field, spec, _ in string.Formatter().parse(ja + en) if field == name))
    if plain:
        name = plain[0]
        both = planner.Finding.of(m.key, line=3, sheet="計画", row=5, column="B",
                                  **{**params, name: Text("日本語の値", "the English value")})
        assert "日本語の値" in both.message_ja and "the English value" not in both.message_ja
        assert "the English value" in both.message_en and "日本語の値" not in both.message_en


def test_a_missing_param_or_an_unknown_code_is_an_error():
    with pytest.raises(KeyError):
        planner.Finding.of("NO_SUCH_CODE")
    with pytest.raises(KeyError, match="quantity"):
        planner.Finding.of("QUANTITY_INVALID", line=1)


def test_the_ways_of_one_code_share_its_severity():
    for m in messages.MESSAGES.values():
        assert messages.CODES[m.code] == m.severity
    assert set(messages.CODES) == {m.code for m in messages.MESSAGES.values()}
    assert set(rules.ERROR_CODES) | set(rules.WARNING_CODES) <= set(messages.CODES)


def test_every_code_the_code_names_is_in_the_catalogue():
    # codes compared against (f.code == "…", tables keyed by code) are codes some check raises
    named = set()
    for path in sorted(PLANNER.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare) and isinstance(node.left, ast.Attribute) and node.left.attr == "code":
                for c in node.comparators:
                    elts = c.elts if isinstance(c, ast.Tuple | ast.List | ast.Set) else [c]
                    named.update(e.value for e in elts if isinstance(e, ast.Constant) and isinstance(e.value, str))
    assert named and named <= set(messages.CODES), named - set(messages.CODES)


@pytest.mark.skipif(not SPEC.exists(), reason="../shared/SPEC.md is not next to this checkout")
def test_the_spec_workbook_codes_are_in_the_catalogue():
    text = SPEC.read_text(encoding="utf-8").replace("\n", " ")
    workbook = _backticked(text.split("Workbook-level codes", 1)[1].split(".", 1)[0])
    assert workbook and workbook <= set(messages.CODES)
