"""In headless Chromium against `planner serve`: time to interactive of the secretariat app against a
bare Voilà notebook served the same way (same server, same preheating), the same for the six
secretariats arriving together (at once, and 2 s apart), the memory of a kernel, and the
latency of changing a quantity until points left are updated on screen, against a bare button → label
round trip.

The server runs with `planner serve`'s own pool size (planner.server.app.POOL_SIZE) for every notebook it serves."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import PYTHON, ROOT, record  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
APPS = ("secretariat.ipynb", "review.ipynb", "bare.ipynb")
# the six secretariats open the app within a minute: all at once, and one every two seconds
ARRIVALS = (("at once", 0.0), ("2 s apart", 2.0))
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
    def __init__(self, work: Path, db: Path, pool: int):
        nb = work / "notebooks"
        nb.mkdir()
        for name in APPS[:2]:
            (nb / name).write_bytes((ROOT / "notebooks" / name).read_bytes())
        (nb / "bare.ipynb").write_text(json.dumps(BARE), encoding="utf-8")
        self.pool = pool
        self.port = _port()
        self.err = work / "serve.err"
        code = ("import sys; from pathlib import Path; from planner.server.app import serve; "
                f"serve({self.port}, Path({str(db)!r}), pool_size={pool}, notebooks=Path({str(nb)!r}), "
                f"apps={APPS!r})")
        self.proc = subprocess.Popen([PYTHON, "-c", code], stdout=subprocess.DEVNULL, stderr=self.err.open("wb"),
                                     start_new_session=True, env={**os.environ, "PLANNER_LANG": "ja"})
        self.wait_pools(len(APPS))
        self.wait_warm(2 * pool)  # the secretariat and review kernels wait for their page

    def filled(self) -> int:
        return self.err.read_text(errors="replace").count("is filled")

    def warm(self) -> int:
        """Kernels that have run their app's notebook up to the request (the bare one never asks)."""
        return self.err.read_text(errors="replace").count("warm kernel waits for its page")

    def wait_warm(self, n: int, timeout: float = 180) -> None:
        end = time.monotonic() + timeout
        while self.warm() < n:
            if self.proc.poll() is not None or time.monotonic() > end:
                raise RuntimeError("kernels did not warm up: " + self.err.read_text(errors="replace")[-1500:])
            time.sleep(0.2)

    def settle(self, timeout: float = 180) -> None:
        """Until the server holds its full pools only, every kernel idle: the pages' kernels are gone
        (a page's own or, once the pool ran out, one started for it) and the refills have run their
        notebook up to the request. A person arrives at a server that has been idle."""
        end = time.monotonic() + timeout
        before: dict[int, float] = {}
        while time.monotonic() < end:
            now = {pid: k["cpu"] for pid, k in self.kernels().items()}
            labelled = [k for k in self.kernels().values() if k["app"]]
            if len(now) == len(labelled) == self.pool * len(APPS) and now == before:
                time.sleep(SETTLE)
                return
            before = now
            time.sleep(1.0)
        raise RuntimeError("the pools did not settle: " + self.err.read_text(errors="replace")[-1500:])

    def kernels(self) -> dict[int, dict[str, float]]:
        """The server's kernels: pid -> the app whose pool started it, VmRSS and VmHWM (MiB), CPU seconds."""
        out: dict[int, dict[str, float]] = {}
        for d in Path("/proc").iterdir():
            try:
                if not d.name.isdigit() or f"PPid:\t{self.proc.pid}\n" not in (d / "status").read_text():
                    continue
                env = dict(v.split("=", 1) for v in (d / "environ").read_bytes().decode(errors="replace").split("\0")
                           if "=" in v)
                status = dict(line.split(":", 1) for line in (d / "status").read_text().splitlines() if ":" in line)
                ticks = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            out[int(d.name)] = {"app": env.get("PLANNER_APP", ""),
                                "rss": int(status["VmRSS"].split()[0]) / 1024,
                                "hwm": int(status["VmHWM"].split()[0]) / 1024,
                                "anon": int(status["RssAnon"].split()[0]) / 1024,
                                "cpu": (int(ticks[11]) + int(ticks[12])) / os.sysconf("SC_CLK_TCK")}
        return out

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


async def _visit(browser, url: str, selector: str, delay: float) -> tuple[float, object]:
    """One person: arrives `delay` seconds after the first, opens the key link in a browser of their own,
    and sees `selector`. (seconds from navigation to it, the browser context, left open)"""
    await asyncio.sleep(delay)
    ctx = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await ctx.new_page()
    await page.add_init_script(f"window.name = {json.dumps(selector)};" + TTI_SCRIPT)
    await page.goto(url, timeout=120_000)
    await page.locator(selector).first.wait_for(timeout=120_000)
    return await page.evaluate("window.__tti") / 1000, ctx


def _cpu(server_pid: int) -> dict[int, tuple[str, float]]:
    """CPU seconds so far of the server and its kernels ("server") and of Chromium ("browser"), by pid."""
    out = {}
    tick = os.sysconf("SC_CLK_TCK")
    for d in Path("/proc").iterdir():
        try:
            if not d.name.isdigit():
                continue
            fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            name = (d / "cmdline").read_bytes().split(b"\0")[0]
        except OSError:
            continue
        pid, ppid = int(d.name), int(fields[1])
        group = "server" if server_pid in (pid, ppid) else "browser" if b"chrom" in name else ""
        if group:
            out[pid] = (group, (int(fields[11]) + int(fields[12])) / tick)
    return out


async def _arrivals(served: Served, nb: str, selector: str, keys: list[str], gap: float,
                    on_screen=None) -> tuple[list[float], dict[str, float]]:
    """Each key's holder opens `nb`, the i-th `i * gap` seconds after the first; all stay on their page
    until the last sees it (then `on_screen()` runs), then all leave. (seconds to interactive, in order;
    CPU seconds the browser and the server with its kernels used until then)"""
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        before = _cpu(served.proc.pid)
        done = await asyncio.gather(*(_visit(browser, served.url(nb, f"key={k}"), selector, i * gap)
                                      for i, k in enumerate(keys)))
        used = {"browser": 0.0, "server": 0.0}
        for pid, (group, seconds) in _cpu(served.proc.pid).items():
            used[group] += seconds - before.get(pid, (group, 0.0))[1]
        if on_screen:
            on_screen()
        for _, ctx in done:
            for page in ctx.pages:
                await page.goto("about:blank")  # leaving sends the kernel's shutdown
            await ctx.close()
        await browser.close()
    return [t for t, _ in done], used


def six_visitors(served: Served, keys: dict[str, str], rounds: int = 2) -> None:
    """The six secretariats (one a consortium) open their app within a minute, against six bare
    notebooks opened the same way; each arrival pattern alternated with its baseline. Then the memory
    of a kernel: waiting in the pool, and serving a page."""
    users = sorted(k for k in keys if k.startswith("secretariat-"))
    assert len(users) == 6, users
    mem: dict[str, list[float]] = {"served": [], "served_bare": []}

    def serving(app: str, into: str) -> Callable[[], None]:
        def look() -> None:
            # the six kernels that served the pages: of the app's pooled ones and those started for a page
            # when the pool had none (no PLANNER_APP), the six that worked the most
            ks = sorted((k for k in served.kernels().values() if k["app"] in (app, "")), key=lambda k: -k["cpu"])[:6]
            mem[into] += [k["hwm"] for k in ks]
        return look

    warm_kernels = served.kernels()
    for name, gap in ARRIVALS:
        app_t: list[float] = []
        bare_t: list[float] = []
        cpu = {"browser": 0.0, "server": 0.0}
        loads = []
        for r in range(rounds):
            pair = [("bare.ipynb", ".bare-label", bare_t, "served_bare"),
                    ("secretariat.ipynb", ".pl-left-value", app_t, "served")]
            for nb, selector, out, into in pair[::-1] if r % 2 else pair:  # each goes first in turn
                loads.append(os.getloadavg()[0])
                times, used = asyncio.run(_arrivals(served, nb, selector, [keys[u] for u in users], gap,
                                                    serving(nb, into)))
                out += times
                if nb != "bare.ipynb":
                    cpu = {k: cpu[k] + v / rounds for k, v in used.items()}
                served.settle()
        # the browser runs on this machine too: what it takes from the processor is not the server's
        print(f"    six secretariats {name}: app {[round(t, 2) for t in app_t]}, "
              f"bare {[round(t, 2) for t in bare_t]}; CPU seconds for the six app pages: headless Chromium "
              f"{cpu['browser']:.1f}, server and kernels {cpu['server']:.1f}; load average before each "
              f"{[round(v, 1) for v in loads]}", flush=True)
        label = f"six secretariats, {name}"
        record("browser", f"{label}: slowest first screen", max(app_t), "s", max(bare_t),
               "six bare notebooks, same arrivals", "≤ 2 s each", runs=app_t, baseline_runs=bare_t,
               pool_size=served.pool, load_average=loads, cpu_seconds=cpu)
        record("browser", f"{label}: median first screen", statistics.median(app_t), "s",
               statistics.median(bare_t), "six bare notebooks, same arrivals", "≤ 2 s")

    def warm_rss(app: str, key: str = "rss") -> float:
        return max(k[key] for k in warm_kernels.values() if k["app"] == app)

    sec, rev, bare = warm_rss("secretariat.ipynb"), warm_rss("review.ipynb"), warm_rss("bare.ipynb")
    anon = served.pool * (warm_rss("secretariat.ipynb", "anon") + warm_rss("review.ipynb", "anon"))
    record("browser", "memory: secretariat kernel waiting in the pool (VmRSS)", sec, "MiB", bare,
           "bare notebook's warm kernel", "—")
    record("browser", "memory: review kernel waiting in the pool (VmRSS)", rev, "MiB", bare,
           "bare notebook's warm kernel", "—")
    record("browser", "memory: secretariat kernel serving a page (VmHWM, max)", max(mem["served"]), "MiB",
           max(mem["served_bare"]), "bare notebook serving a page", "—")
    record("browser", f"memory: planner serve's pools ({served.pool} per app × 2 apps, VmRSS)",
           served.pool * (sec + rev), "MiB", None, "", "—")
    # VmRSS counts in every kernel the library pages they all share; RssAnon is each one's own memory
    record("browser", "memory: planner serve's pools, private part (RssAnon)", anon, "MiB", None, "", "—")


def main(runs: int = 5, clicks: int = 30) -> None:
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from planner.demo import build_demo
    from planner.server.app import POOL_SIZE

    print("browser: time to interactive and interaction latency (headless Chromium)", flush=True)
    with tempfile.TemporaryDirectory() as d:
        work = Path(d)
        db = work / "demo.db"
        keys = build_demo(db)
        served = Served(work, db, POOL_SIZE)
        try:
            served.settle()
            six_visitors(served, keys)
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
