"""The analysts' JupyterLab for real: `jupyter lab` started as its own process (a free port, a token, its
own settings in Japanese through the language pack) on a copy of the notebooks and a demo store; Chromium
opens analysis.ipynb, runs every cell from the 実行 menu and reads what the tables show."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from browser_support import free_port

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parent.parent
SHOTS = Path("/work/helpers/reports")


@pytest.fixture
def lab(demo_db, tmp_path):
    pytest.importorskip("jupyterlab")
    pytest.importorskip("jupyterlab_language_pack_ja_JP")
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for name in ("analysis.ipynb", "new_fiscal_year.ipynb"):
        shutil.copy(ROOT / "notebooks" / name, notebooks / name)
    budgets = tmp_path / "budgets"
    shutil.copytree(ROOT / "budgets", budgets)
    settings = tmp_path / "lab-settings" / "@jupyterlab" / "translation-extension"
    settings.mkdir(parents=True)
    (settings / "plugin.jupyterlab-settings").write_text(json.dumps({"locale": "ja_JP"}), encoding="utf-8")
    tracker = tmp_path / "lab-settings" / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)  # every cell drawn (not only those in view), so the page can be read whole
    (tracker / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}), encoding="utf-8")
    news = tmp_path / "lab-settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}), encoding="utf-8")
    port, token = free_port(), os.urandom(16).hex()
    env = {**os.environ, "PLANNER_DB": str(demo_db), "PLANNER_BUDGETS": str(budgets),
           "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "lab-settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "lab-workspaces"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "IPYTHONDIR": str(tmp_path / "ipython")}
    args = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
            f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={notebooks}",
            "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if os.getuid() == 0:
        args.append("--allow-root")
    log = (tmp_path / "lab.log").open("w")
    proc = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError((tmp_path / "lab.log").read_text()) from None
            time.sleep(0.5)
    yield base, token, notebooks
    os.killpg(proc.pid, signal.SIGTERM)  # the server and the kernels it started
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    log.close()


def test_analysis_notebook_runs_in_jupyterlab_and_reads_in_japanese(lab, page):
    base, token, _ = lab
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{base}/lab/tree/analysis.ipynb?token={token}", timeout=120_000)
    page.locator(".jp-Notebook").first.wait_for(timeout=120_000)
    choose = page.locator(".jp-Dialog").get_by_role("button", name="選択")
    try:  # JupyterLab may ask which kernel to start: the notebook's own, Python 3
        choose.wait_for(timeout=15_000)
        choose.click()
    except Exception:  # noqa: BLE001 (no question asked: the kernel started by itself)
        pass
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(timeout=120_000)
    # the Japanese language pack is in use: the menu bar reads 実行, and Run All is 全てのセルを実行
    page.get_by_role("menuitem", name="実行", exact=True).click()
    run_all = page.get_by_text("すべてのセルを実行", exact=True).or_(page.get_by_text("全てのセルを実行", exact=True))
    run_all.first.click()
    cells = page.locator(".jp-Notebook .jp-CodeCell")
    n = cells.count()
    deadline = time.monotonic() + 180
    while True:  # every code cell has run: each shows its execution count
        prompts = page.locator(".jp-Notebook .jp-CodeCell .jp-InputArea-prompt").all_inner_texts()
        if len(prompts) == n and all(p.strip() not in ("[ ]:", "[*]:", "") for p in prompts):
            break
        assert time.monotonic() < deadline, prompts
        time.sleep(1)
    out = page.locator(".jp-Notebook .jp-OutputArea").all_inner_texts()
    text = "\n".join(out)
    assert "Traceback" not in text and "Error" not in text, text[:2000]
    assert page.locator(".jp-RenderedText[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
    for head in ("計画イベント数", "予算", "使用率", "状態", "コンソーシアム", "参加者計", "対象県の到達"):
        assert head in text, head
    assert "承認済み" in text and "下書き" in text and "accepted" not in text and "draft" not in text
    assert "0.911111" not in text and "NaN" not in text and "nan" not in text and "2,024" not in text
    # a title stays on one line: its cell is as wide as the text, not one character wide
    title = page.locator(".jp-OutputArea td", has_text="地域の中堅・中小企業と外国人留学生との交流会").first
    box = title.bounding_box()
    assert box and box["width"] > box["height"] * 4, box
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".jp-OutputArea").nth(5).scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "jupyterlab_analysis.png"))
    page.locator(".jp-OutputArea", has_text="対象県への到達").first.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "jupyterlab_reach.png"))
