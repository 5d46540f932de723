"""In headless Chromium against `planner serve`: time to interactive of the secretariat app against a
bare Voilà notebook served the same way (same server, same preheating), and the latency of changing a
quantity until points left are updated on screen, against a bare button → label round trip."""

from __future__ import annotations

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import PYTHON, ROOT, record  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
# A refilled kernel is announced when it starts, before its notebook has run up to the point where it
# waits for a request; a person arrives at a server that has been idle, so each page gets that time.
SETTLE = 6.0
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]

BARE = {
    "cells": [{"cell_type": "code", "execution_count": None, "id": "bare", "metadata": {}, "outputs": [],
               "source": ("import ipywidgets as w\n"
                          "label = w.Label('0')\nlabel.add_class('bare-label')\n"
                          "button = w.Button(description='+1')\nbutton.add_class('bare-button')\n"
                          "button.on_click(lambda _b: setattr(label, 'value', str(int(label.value) + 1)))\n"
                          "w.VBox([label, button])")}],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
    "nbformat": 4, "nbformat_minor": 5,
}

# Records when the first element matching the selector appears, measured from navigation start.
TTI_SCRIPT = """
(() => {
  const sel = window.name;
  const done = () => { if (document.querySelector(sel)) { window.__tti = performance.now(); return true; } };
  new MutationObserver((_, obs) => { if (done()) obs.disconnect(); })
    .observe(document, {subtree: true, childList: true, characterData: true});
})();
"""

# Click, then resolve with the milliseconds until the watched element's text changes.
ROUND_TRIP = """
([click, watch]) => new Promise(resolve => {
  const before = document.querySelector(watch).textContent;
  const t0 = performance.now();
  const obs = new MutationObserver(() => {
    const el = document.querySelector(watch);
    if (el && el.textContent !== before) { obs.disconnect(); resolve(performance.now() - t0); }
  });
  obs.observe(document.body, {subtree: true, childList: true, characterData: true});
  document.querySelector(click).click();
})
"""


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    def __init__(self, work: Path, db: Path, pool: int = 1):
        nb = work / "notebooks"
        nb.mkdir()
        (nb / "secretariat.ipynb").write_bytes((ROOT / "notebooks/secretariat.ipynb").read_bytes())
        (nb / "bare.ipynb").write_text(json.dumps(BARE), encoding="utf-8")
        self.port = _port()
        self.err = work / "serve.err"
        code = ("import sys; from pathlib import Path; from planner.serve import serve; "
                f"serve({self.port}, Path({str(db)!r}), pool_size={pool}, notebooks=Path({str(nb)!r}), "
                "apps=('secretariat.ipynb', 'bare.ipynb'))")
        self.proc = subprocess.Popen([PYTHON, "-c", code], stdout=subprocess.DEVNULL, stderr=self.err.open("wb"),
                                     start_new_session=True, env={**os.environ, "PLANNER_LANG": "ja"})
        self.wait_pools(2)

    def filled(self) -> int:
        return self.err.read_text(errors="replace").count("is filled")

    def wait_pools(self, n: int, timeout: float = 120) -> None:
        end = time.monotonic() + timeout
        while self.filled() < n:
            if self.proc.poll() is not None or time.monotonic() > end:
                raise RuntimeError("server did not start: " + self.err.read_text(errors="replace")[-1500:])
            time.sleep(0.2)

    def url(self, nb: str, query: str = "") -> str:
        return f"http://127.0.0.1:{self.port}/voila/render/{nb}" + (f"?{query}" if query else "")

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=30)


def tti(browser, served: Served, nb: str, query: str, selector: str) -> float:
    """Navigation to `selector` on screen, in a new browser context (no cookie: the key link signs in)."""
    before = served.filled()
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    page.add_init_script(f"window.name = {json.dumps(selector)};" + TTI_SCRIPT)
    page.goto(served.url(nb, query))
    page.locator(selector).first.wait_for(timeout=90_000)
    ms = page.evaluate("window.__tti")
    page.goto("about:blank")  # leaving the page sends its kernel's shutdown, as a person's browser does
    ctx.close()
    served.wait_pools(before + 1)  # the pool refilled: the next page gets a preheated kernel too
    time.sleep(SETTLE)
    return ms / 1000


def main(runs: int = 5, clicks: int = 30) -> None:
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from planner.demo import build_demo

    print("browser: time to interactive and interaction latency (headless Chromium)", flush=True)
    with tempfile.TemporaryDirectory() as d:
        work = Path(d)
        db = work / "demo.db"
        keys = build_demo(db)
        served = Served(work, db)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                key = f"key={keys['secretariat-kansai']}"
                app_t, bare_t = [], []
                # both from a key link in a fresh browser (sign-in, redirect to the clean URL, page), and
                # alternated so that both see the same load
                for _ in range(runs):
                    bare_t.append(tti(browser, served, "bare.ipynb", key, ".bare-label"))
                    app_t.append(tti(browser, served, "secretariat.ipynb", key, ".pl-left-value"))
                record("browser", "time to interactive: secretariat app from the key link", statistics.median(app_t),
                       "s", statistics.median(bare_t), "bare one-label notebook, same key link", "≤ 1.0×",
                       runs=app_t, baseline_runs=bare_t)

                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.goto(served.url("bare.ipynb", key))  # signed in once for both round-trip measurements
                page.goto(served.url("bare.ipynb"))
                page.locator(".bare-button").wait_for(timeout=90_000)
                bare_ms = [page.evaluate(ROUND_TRIP, [".bare-button", ".bare-label"]) for _ in range(clicks)]
                page.close()

                page = context.new_page()
                page.goto(served.url("secretariat.ipynb"))
                page.locator(".pl-left-value").wait_for(timeout=90_000)
                app_ms = []
                for i in range(clicks):
                    page.locator(".pl-line .pl-edit").first.click()
                    page.locator(".pl-apply").wait_for(state="visible")
                    qty = page.locator(".pl-qty input")
                    qty.fill(str(2 if i % 2 == 0 else 1))
                    qty.press("Tab")
                    page.wait_for_timeout(150)  # let the preview settle: only the apply is timed
                    app_ms.append(page.evaluate(ROUND_TRIP, [".pl-apply", ".pl-left-value"]))
                page.close()
                context.close()
                browser.close()
        finally:
            served.stop()
    p95 = statistics.quantiles(app_ms, n=20)[-1]
    bare_p95 = statistics.quantiles(bare_ms, n=20)[-1]
    record("browser", "change quantity → points left (median)", statistics.median(app_ms), "ms",
           statistics.median(bare_ms), "bare button → label", "≤ 100 ms")
    record("browser", "change quantity → points left (95th pct)", p95, "ms", bare_p95, "bare button → label",
           "≤ 250 ms")


if __name__ == "__main__":
    main()
