"""Shared fixtures: the fiscal-year data, a fresh store, and the demo store."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import browser_support
import pytest
from skip_support import as_failure, unexpected_skip

import planner
from planner.demo import build_demo, keys_path


@pytest.fixture(scope="session")
def fy() -> planner.FiscalYear:
    return planner.load_fiscal_year(2025)


@pytest.fixture
def store(tmp_path: Path):
    """An empty store with the six consortia and one user of each role."""
    s = planner.open_store(tmp_path / "planner.db")
    for c in planner.load_fiscal_year(2025).consortia.values():
        s.add_consortium(c.id, c.name_ja)
    s.add_user("officer", "officer")
    s.add_user("contractor", "contractor")
    s.add_user("analyst", "analyst")
    for cid in ("kansai", "tohoku"):
        s.add_user(f"secretariat-{cid}", "secretariat", cid)
    yield s
    s.close()


@pytest.fixture(scope="session")
def demo_db_master(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(db)
    return db


def _copy_demo(master: Path, folder: Path) -> Path:
    db = folder / "demo.db"
    shutil.copy(master, db)
    shutil.copy(keys_path(master), keys_path(db))
    return db


@pytest.fixture
def demo_db(demo_db_master: Path, tmp_path: Path) -> Path:
    """A private copy of the demo store, so a test may change it."""
    return _copy_demo(demo_db_master, tmp_path)


@pytest.fixture
def demo(demo_db: Path):
    """A private copy of the demo store, open, with its users' access keys: (store, keys)."""
    store = planner.open_store(demo_db)
    yield store, json.loads(keys_path(demo_db).read_text(encoding="utf-8"))
    store.close()


@pytest.fixture(scope="module")
def demo_db_module(demo_db_master: Path, tmp_path_factory) -> Path:
    """A copy of the demo store shared by one module's tests (a browser module's server)."""
    return _copy_demo(demo_db_master, tmp_path_factory.mktemp("demo-module"))


@pytest.fixture(scope="module")
def server(demo_db_module: Path):
    """`planner serve` on a copy of the demo store, shared by one browser module's tests."""
    srv = browser_support.Server(demo_db_module, demo_db_module.parent)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def keys(server) -> dict[str, str]:
    """The demo users' access keys for that server's store."""
    return json.loads(keys_path(server.db).read_text(encoding="utf-8"))


DRIVES_CHROMIUM = {"browser", "page"}  # the fixtures that start headless Chromium


def pytest_collection_modifyitems(config, items):
    """The `browser` marker is exactly on the tests that drive Chromium (so `-m "not browser"` keeps
    every raw-HTTP check of the server, marked `server`), and those skip where there is no Chromium.
    A test that drives none yet needs the browser tests before it gives the reason:
    `@pytest.mark.browser(reason=...)`."""
    wrong = []
    no_chromium = None if Path(browser_support.CHROMIUM).exists() else \
        pytest.mark.skip(reason="needs Debian's chromium (scripts/setup.sh)")
    for item in items:
        drives = bool(DRIVES_CHROMIUM & set(getattr(item, "fixturenames", ())))
        mark = item.get_closest_marker("browser")
        marked = mark is not None
        # a test that reads what the module's browser tests left (the server's log) says so as the reason
        if drives != marked and not (marked and mark.kwargs.get("reason")):
            wrong.append(f"{item.nodeid}: {'drives Chromium without' if drives else 'drives no Chromium, yet has'}"
                         " the browser marker")
        if marked and no_chromium is not None:
            item.add_marker(no_chromium)
    if wrong:
        raise pytest.UsageError("\n".join(wrong))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so a browser fixture can screenshot a failure; under
    CI, a skip that is not by design becomes a failure (skip_support)."""
    outcome = yield
    rep = outcome.get_result()
    if (reason := unexpected_skip(rep)) is not None:
        as_failure(rep, reason)
    setattr(item, f"rep_{rep.when}", rep)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    """A whole module skipped (a module-level skip or importorskip) counts as a failure under CI too."""
    outcome = yield
    rep = outcome.get_result()
    if (reason := unexpected_skip(rep)) is not None:
        as_failure(rep, reason)


# Browser test fixtures: one Chromium per module, and a
# page that leaves a screenshot in test-artifacts/ when its test fails.
@pytest.fixture(scope="module")
def browser():
    with _sync_playwright() as p:
        b = p.chromium.launch(executable_path=browser_support.CHROMIUM, args=browser_support.CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    yield pg
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        browser_support.ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(browser_support.ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def _sync_playwright():
    from playwright.sync_api import sync_playwright

    return sync_playwright()
