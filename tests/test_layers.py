"""The code's layers, read from its imports: no module imports, at run time (top level or inside a
function; `if TYPE_CHECKING:` aside), anything that imports it back; the apps reach the data through a
desk, never the store; the pure core imports nothing of the shell."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "planner"
# plan and fiscal year → event counting → rules → summary and load → records → store → desk → face, frames
CORE = ["plan", "fiscal_year", "event_counts", "rules", "summary", "load", "records", "diff", "results", "access",
        "workflow", "findings", "text", "fields", "limits", "japanese", "numbers", "dates", "cuts", "copying",
        "notices", "prefectures", "company_list"]
CORE += ["results_summary"]  # the year's results figures
SHELL = ("planner.store", "planner.desk", "planner.api", "planner.app", "planner.workbook", "planner.cli",
         "planner.frames", "planner.server")


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    t = node.test
    return (isinstance(t, ast.Name) and t.id == "TYPE_CHECKING") or (
        isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING")


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The planner modules this file imports at run time."""
    name = _module(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.Import):
                found.update(a.name for a in child.names if a.name.startswith("planner"))
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    up = package.split(".")
                    up = up[: len(up) - (child.level - 1)]
                    base = ".".join([*up, base] if base else up)
                if not base.startswith("planner"):
                    continue
                for alias in child.names:  # `from . import x` imports the module x
                    sub = f"{base}.{alias.name}"
                    found.add(sub if sub in modules else base)
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {m for m in found if m in modules and m != name}


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    files = sorted(ROOT.rglob("*.py"))
    modules = {_module(p) for p in files}
    return {_module(p): _imports(p, modules) for p in files}


def _reaches(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for nxt in graph.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _without_packages(graph: dict[str, set[str]], m: str) -> set[str]:
    # a package's __init__ that re-exports its own modules is not a circle with them
    return {d for d in graph[m] if not m.startswith(d + ".")}


def test_no_import_circle_at_run_time(graph):
    flat = {m: _without_packages(graph, m) for m in graph}
    circles = sorted(m for m in flat if m in _reaches(flat, m))
    assert circles == []


def test_the_apps_reach_the_data_only_through_a_desk(graph):
    for m, deps in graph.items():
        if m.startswith("planner.app"):
            assert not {d for d in deps if d.startswith(("planner.store", "planner.api"))}, m


def test_the_core_imports_nothing_of_the_shell(graph):
    for name in CORE:
        m = f"planner.{name}"
        assert m in graph, m
        assert not {d for d in _reaches(graph, m) if d.startswith(SHELL)}, m


def test_the_reader_sees_imports_at_the_top_and_inside_functions(graph):
    assert "planner.store" in graph["planner.desk"]
    assert "planner.event_counts" in graph["planner.rules"]
    assert "planner.desk" in graph["planner.app"]  # imported inside _open, as the page opens
    assert "planner.api" not in graph["planner.app"]  # named only under TYPE_CHECKING there
    assert _reaches({"a": {"b"}, "b": {"a"}}, "a") == {"a", "b"}


def test_the_apps_and_the_api_load_without_pandas_or_openpyxl():
    """A waiting kernel imports the apps ahead of the request: pandas there doubled its memory. Analysts'
    frames and workbooks load those libraries when they are made."""
    import subprocess
    import sys

    code = ("import sys, planner, planner.app.secretariat, planner.app.review, planner.desk; "
            "print(sorted(m for m in ('pandas', 'openpyxl', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
