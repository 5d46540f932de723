"""A new fiscal year prepared on a serving server (README: 運用 / Operations): `planner years new` into
PLANNER_BUDGETS, and the next page opened offers it, a warm kernel started before the file included;
no restart."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from browser_support import READY, Server
from playwright.sync_api import expect

from planner.demo import keys_path

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.server


@pytest.mark.browser
def test_a_year_file_made_while_serving_opens_in_the_next_page(browser, demo_db, tmp_path):
    budgets = tmp_path / "budgets"
    budgets.mkdir()
    for f in (ROOT / "budgets").glob("fy*.toml"):
        shutil.copy(f, budgets / f.name)
    key = json.loads(keys_path(demo_db).read_text(encoding="utf-8"))["secretariat-kansai"]
    srv = Server(demo_db, tmp_path, pool_size=1, env={"PLANNER_BUDGETS": str(budgets)})
    try:
        # the warm kernel waiting now was started before FY2026 had a file
        env = {**os.environ, "PLANNER_BUDGETS": str(budgets)}
        r = subprocess.run([sys.executable, "-m", "planner", "years", "new", "--from", "2025", "--to", "2026",
                            "--budget", "kansai=130"], capture_output=True, text=True, env=env, timeout=60)
        assert r.returncode == 0 and (budgets / "fy2026.toml").exists(), r.stderr
        page = browser.new_context().new_page()
        page.set_default_timeout(READY)
        page.goto(srv.url(f"key={key}&fy=2026"), timeout=READY)
        # FY2026's budget for Kansai, and no plan yet: all 130 points left (FY2025's plan leaves 10)
        expect(page.locator(".pl-left-value")).to_have_text("130", timeout=READY)
        expect(page.locator("body")).to_contain_text("令和8年度")
        page.context.close()
    finally:
        srv.stop()
    assert "Traceback" not in srv.log()
