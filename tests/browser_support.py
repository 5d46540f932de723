"""Serving the real app for browser tests: `planner serve` on a free port, and headless Chromium."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
READY = 60_000  # ms: the first page of a fresh server may wait for a kernel


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`planner serve` in a child process; its stderr (the server log) is kept for inspection."""

    def __init__(self, db: Path, workdir: Path, pool_size: int = 1, cull_after: int = 1800,
                 extra: tuple[str, ...] = (), env: dict[str, str] | None = None, port: int | None = None):
        self.db = db
        self.pool = pool_size
        self.port = port or free_port()
        self.out = workdir / "serve.out"
        self.err = workdir / "serve.err"
        env = {**os.environ, "PLANNER_LANG": "ja", **(env or {})}
        env.pop("PLANNER_DB", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "planner", "serve", "--db", str(db), "--port", str(self.port),
             "--pool-size", str(pool_size), "--cull-after", str(cull_after), *extra],
            stdout=self.out.open("wb"), stderr=self.err.open("wb"), env=env,
            # its own process group, so stopping it also stops the kernels it started
            start_new_session=True,
        )
        self._wait()

    def _wait(self, timeout: float = 90) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"planner serve exited: {self.err.read_text(errors='replace')[-2000:]}")
            # the URLs are printed once Voilà listens; the pool is filled soon after
            filled = "pool of secretariat.ipynb is filled" in self.err.read_text(errors="replace") or not self.pool
            if "Ctrl+C" in self.out.read_text(errors="replace") and filled:
                return
            time.sleep(0.2)
        raise RuntimeError("planner serve did not start in time")

    def url(self, query: str = "", notebook: str = "secretariat.ipynb") -> str:
        return f"http://127.0.0.1:{self.port}/voila/render/{notebook}" + (f"?{query}" if query else "")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def kernel_pids(self) -> list[int]:
        """The kernels this server runs (its child processes; each kernel has a session of its own)."""
        pids = []
        for d in Path("/proc").iterdir():
            try:
                status = (d / "status").read_text() if d.name.isdigit() else ""
            except OSError:
                continue
            if f"PPid:\t{self.proc.pid}\n" in status and b"ipykernel" in (d / "cmdline").read_bytes():
                pids.append(int(d.name))
        return pids

    def log(self) -> str:
        return self.err.read_text(errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def open_secretariat(page, server, query: str) -> float:
    """Open the secretariat app and wait until points left are on screen; returns the seconds that took."""
    start = time.monotonic()
    page.goto(server.url(query), timeout=READY)
    page.locator(".pl-left-value").wait_for(timeout=READY)
    return time.monotonic() - start


def open_review(page, server, query: str) -> float:
    """Open the review app and wait for the list of plans; returns the seconds that took."""
    start = time.monotonic()
    page.goto(server.url(query, notebook="review.ipynb"), timeout=READY)
    page.locator(".rv-open").first.wait_for(timeout=READY)
    return time.monotonic() - start


def pick(page, item: int, variant_index: int, quantity: int) -> None:
    """In the secretariat app: choose a menu item, a variant and a quantity for the line to add."""
    page.locator(".pl-item select").select_option(index=item)  # 0 is 「選んでください」
    page.locator(".pl-variant select").select_option(index=variant_index)
    qty = page.locator(".pl-qty input")
    qty.fill(str(quantity))
    qty.press("Tab")


# fonts loaded, then no change to the DOM for `quiet` ms, then two frames drawn; refused after `limit` ms
_SETTLED = """([quiet, limit]) => document.fonts.ready.then(() => new Promise((resolve, reject) => {
    let timer;
    const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, quiet); });
    const giveUp = setTimeout(() => { observer.disconnect(); clearTimeout(timer);
                                      reject(new Error(`the page was still changing after ${limit} ms`)); }, limit);
    function done() {
        observer.disconnect(); clearTimeout(giveUp);
        requestAnimationFrame(() => requestAnimationFrame(() => resolve(true)));
    }
    observer.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
    timer = setTimeout(done, quiet);
}))"""


def settled(page, quiet: int = 250, limit: int = 20_000) -> None:
    """Wait until the page has finished drawing: its fonts are loaded and its DOM has not changed for
    `quiet` ms; fails if it is still changing after `limit` ms."""
    page.evaluate(_SETTLED, [quiet, limit])
