"""Live pages: how soon every open page shows a change, and what following costs while nobody clicks.

1. Six pages open in headless Chromium against `planner serve` (three of the Kansai secretariat, three of
   the officer), each in a browser of its own. A script (the Python API, a process of its own) submits and
   withdraws Kansai's plan in turn; each page watches for what it must show (版 N on the secretariat's
   page, 確認待ち N 件 on the officer's). The time from the commit to each page showing it, all pages of
   all rounds: median and 95th percentile.
2. Forty kernels (ipykernel, as Voilà starts them), each with a secretariat page's model built in it, left
   idle for 60 s while a script saves a plan every 10 s: the CPU seconds they use with their follower
   running, against the same kernels before their follower was started (read from /proc).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_browser import ARGS, CHROMIUM, Served  # noqa: E402
from common import ROOT, record  # noqa: E402

ROUNDS = 20
PAGES = 3  # of each of the two people: six pages
KERNELS = 40
IDLE = 60.0  # seconds each phase of the idle kernels is measured
CHANGE_EVERY = 10.0

# Resolves once the selector's text contains `text`: the wall-clock ms (epoch) it first did.
WATCH = """
([sel, text]) => { window.__seen = null;
  const check = () => { const el = document.querySelector(sel);
    if (el && el.textContent.includes(text)) {
      window.__seen = performance.timeOrigin + performance.now(); return true; } };
  if (check()) return;
  const obs = new MutationObserver(() => { if (check()) obs.disconnect(); });
  obs.observe(document.body, {subtree: true, childList: true, characterData: true});
}
"""


def propagation(runs: int = ROUNDS) -> None:
    from playwright.sync_api import sync_playwright

    import planner
    from planner.demo import build_demo
    from planner.server.app import POOL_SIZE

    with tempfile.TemporaryDirectory() as d:
        work = Path(d)
        db = work / "demo.db"
        keys = build_demo(db)
        served = Served(work, db, POOL_SIZE)
        store = planner.open_store(db)
        try:
            served.settle()
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                pages = []
                for who, nb, ready in (("secretariat-kansai", "secretariat.ipynb", ".pl-left-value"),
                                       ("officer", "review.ipynb", ".rv-waiting-count")):
                    for _ in range(PAGES):
                        ctx = browser.new_context(viewport={"width": 1280, "height": 900})
                        page = ctx.new_page()
                        page.goto(served.url(nb, f"key={keys[who]}"), timeout=120_000)
                        page.locator(ready).first.wait_for(timeout=120_000)
                        pages.append((who, page))
                waiting = len([r for r in store.plan_records(2025) if r.status == "submitted"])
                delays: list[float] = []
                for i in range(runs):
                    submit = i % 2 == 0
                    rev = store.current("kansai", 2025).revision + 1
                    n = waiting + (1 if submit else 0)
                    for who, page in pages:
                        sel, text = ((".pl-status", f"版 {rev}") if who != "officer"
                                     else (".rv-waiting-count", f"確認待ち {n} 件"))
                        page.evaluate(WATCH, [sel, text])
                    t0 = time.time() * 1000
                    if submit:
                        store.submit("kansai", 2025, by="secretariat-kansai")
                    else:
                        store.withdraw("kansai", 2025, by="secretariat-kansai")
                    for _, page in pages:
                        page.wait_for_function("() => window.__seen !== null", timeout=30_000)
                        delays.append((page.evaluate("window.__seen") - t0) / 1000)
                    time.sleep(0.5)
                browser.close()
        finally:
            store.close()
            served.stop()
    p95 = statistics.quantiles(delays, n=20)[-1]
    print(f"    change → every open page: {len(delays)} page-changes, max {max(delays):.2f} s", flush=True)
    record("live", "change → each of six open pages (median)", statistics.median(delays), "s", None, "",
           "≤ 3 s", runs=delays)
    record("live", "change → each of six open pages (95th pct)", p95, "s", None, "", "≤ 5 s")


def _cpu(pids: list[int]) -> float:
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _run(kc, code: str) -> None:
    msg_id = kc.execute(code)
    while True:
        reply = kc.get_shell_msg(timeout=120)
        if reply["parent_header"].get("msg_id") == msg_id:
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"{code!r}: {reply['content'].get('evalue')}")
            return


def idle_kernels(n: int = KERNELS, seconds: float = IDLE) -> None:
    from jupyter_client import KernelManager

    import planner
    from planner.demo import build_demo
    from planner.store import session_ref

    with tempfile.TemporaryDirectory() as d:
        db = Path(d) / "demo.db"
        keys = build_demo(db)
        store = planner.open_store(db)
        users = sorted(k for k in keys if k.startswith("secretariat-"))
        kernels = []
        try:
            env = {**os.environ, "PYTHONPATH": str(ROOT)}
            for i in range(n):
                km = KernelManager(kernel_name="python3")
                km.start_kernel(env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                kc = km.client()
                kc.start_channels()
                kc.wait_for_ready(timeout=120)
                token, _ = store.sign_in(keys[users[i % len(users)]], 3600, 43200)
                _run(kc, "import planner\nfrom planner.app.identity import Request\n"
                         "from planner.app.secretariat import open_session\n"
                         f"m = open_session(Request('', {session_ref(token)!r}), planner.open_store({str(db)!r}))\n"
                         "assert m.refusal is None")
                kernels.append((km, kc))
            pids = [km.provisioner.process.pid for km, _ in kernels]

            def measure() -> float:
                time.sleep(5)  # what the last setup left to do
                before = _cpu(pids)
                end = time.monotonic() + seconds
                i = 0
                while time.monotonic() < end:
                    time.sleep(min(CHANGE_EVERY, max(0.0, end - time.monotonic())))
                    cid = ("kansai", "hokkaido")[i % 2]
                    rec = store.current(cid, 2025)
                    store.save(rec.plan, by=f"secretariat-{cid}", base_revision=rec.revision)
                    i += 1
                return _cpu(pids) - before

            idle = measure()
            for _, kc in kernels:
                _run(kc, "m.follower.start()")
            following = measure()
            time.sleep(3)  # two checks after the last save
            last = store.last_event()
            for _, kc in kernels:  # each page has followed every save
                _run(kc, f"assert m.follower.last == {last}, m.follower.last")
        finally:
            for km, kc in kernels:
                kc.stop_channels()
                km.shutdown_kernel(now=True)
            store.close()
    print(f"    {n} idle kernels, {seconds:.0f} s, a save every {CHANGE_EVERY:.0f} s: CPU {following:.2f} s "
          f"following, {idle:.2f} s not following", flush=True)
    record("live", f"CPU of {n} idle kernels following, {seconds:.0f} s", following, "s", idle,
           f"the same {n} kernels not following", "small", share_of_one_core=following / seconds)


def main() -> None:
    print("live pages: change → open pages, and the cost of following", flush=True)
    propagation()
    idle_kernels()


if __name__ == "__main__":
    main()


def interaction(runs: int = 3, clicks: int = 30) -> dict[str, float]:
    """Time to interactive and the click latency of bench_browser, measured on whichever planner is on
    the path: run once on this branch and once on the base to see that following costs a click nothing."""
    from bench_browser import ROUND_TRIP, tti
    from playwright.sync_api import sync_playwright

    from planner.demo import build_demo
    from planner.server.app import POOL_SIZE

    with tempfile.TemporaryDirectory() as d:
        work = Path(d)
        db = work / "demo.db"
        keys = build_demo(db)
        served = Served(work, db, POOL_SIZE)
        try:
            served.settle()
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                key = f"key={keys['secretariat-kansai']}"
                ttis = [tti(browser, served, "secretariat.ipynb", key, ".pl-left-value") for _ in range(runs)]
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.goto(served.url("secretariat.ipynb", key))
                page.locator(".pl-left-value").wait_for(timeout=90_000)
                ms = []
                for i in range(clicks):
                    page.locator(".pl-line .pl-edit").first.click()
                    page.locator(".pl-apply").wait_for(state="visible")
                    qty = page.locator(".pl-qty input")
                    qty.fill(str(2 if i % 2 == 0 else 1))
                    qty.press("Tab")
                    page.wait_for_timeout(150)
                    ms.append(page.evaluate(ROUND_TRIP, [".pl-apply", ".pl-left-value"]))
                browser.close()
        finally:
            served.stop()
    out = {"tti_median_s": statistics.median(ttis), "click_median_ms": statistics.median(ms),
           "click_p95_ms": statistics.quantiles(ms, n=20)[-1]}
    print(f"    {out}", flush=True)
    return out
