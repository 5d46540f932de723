"""A page that vanished without its shutdown request (a crash, a lost network: here a browser context
closed without unloading) has its kernel stopped after a while; the warm kernel waiting for the next
visit is left alone."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import re
import time
from pathlib import Path

import pytest
from browser_support import READY, Server

from planner.demo import keys_path

pytestmark = pytest.mark.browser
# seconds; the culler looks every 2 (half of it, rounded down). Short, yet longer than a loaded machine may
# take between handing a warm kernel to a page and the page's websocket connecting to it.
CULL_AFTER = 5
IDLE_LONG_ENOUGH = CULL_AFTER + CULL_AFTER // 2 + 1  # idle past the timeout, and a pass of the culler since
KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')


def culled(srv: Server) -> int:
    return srv.log().count("Culling 'idle' kernel")


def kernel(srv: Server, page) -> dict | None:
    """The page's kernel as the server tells the page's owner (None once it is gone)."""
    kid = KERNEL_ID.search(page.content()).group(1)
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies())
    con = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
    con.request("GET", f"/api/kernels/{kid}", headers={"Cookie": cookie})
    resp = con.getresponse()
    body = resp.read()
    con.close()
    return json.loads(body) if resp.status == 200 else None


def idle_while_connected(srv: Server, page, seconds: float, timeout: float = 60) -> None:
    """Wait until the page's kernel has had no activity for longer than `seconds` by the server's own
    account, its page connected all along: the culler has looked at it idle since."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        k = kernel(srv, page)
        assert k is not None, "the page's kernel is gone"
        assert k["connections"] >= 1, k
        last = dt.datetime.fromisoformat(k["last_activity"].replace("Z", "+00:00"))
        if (dt.datetime.now(dt.UTC) - last).total_seconds() > seconds:
            return
        time.sleep(0.25)
    raise AssertionError(f"the page's kernel was never idle for {seconds} s in {timeout} s")


def test_a_closed_pages_kernel_is_culled_and_the_warm_one_stays(browser, demo_db: Path):
    key = json.loads(keys_path(demo_db).read_text(encoding="utf-8"))["secretariat-kansai"]
    srv = Server(demo_db, demo_db.parent, cull_after=CULL_AFTER)
    try:
        context = browser.new_context()
        page = context.new_page()
        page.goto(srv.url(f"key={key}"), timeout=READY)
        page.locator(".pl-left-value").wait_for(timeout=READY)
        idle_while_connected(srv, page, IDLE_LONG_ENOUGH)  # idle, but the page is still connected: not culled
        assert culled(srv) == 0
        context.close()
        end = time.monotonic() + 60
        while culled(srv) == 0 and time.monotonic() < end:
            time.sleep(0.5)
        assert culled(srv) == 1 and "with 0 connections" in srv.log()
        # the next visit still finds a working app, and no kernel with a page connected was culled
        page = browser.new_page()
        page.goto(srv.url(f"key={key}"), timeout=READY)
        page.locator(".pl-left-value").wait_for(timeout=READY)
        idle_while_connected(srv, page, IDLE_LONG_ENOUGH)
        assert page.locator(".pl-left-value").inner_text() == "10"
        assert culled(srv) == 1
        page.close()
    finally:
        srv.stop()
