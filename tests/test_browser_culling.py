"""A page that vanished without its shutdown request (a crash, a lost network: here a browser context
closed without unloading) has its kernel stopped after a while; the warm kernel waiting for the next
visit is left alone."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from browser_support import READY, Server

from planner.demo import keys_path

pytestmark = pytest.mark.browser


def culled(srv: Server) -> int:
    return srv.log().count("Culling 'idle' kernel")


def test_a_closed_pages_kernel_is_culled_and_the_warm_one_stays(browser, demo_db: Path):
    key = json.loads(keys_path(demo_db).read_text(encoding="utf-8"))["secretariat-kansai"]
    srv = Server(demo_db, demo_db.parent, cull_after=2)
    try:
        context = browser.new_context()
        page = context.new_page()
        page.goto(srv.url(f"key={key}"), timeout=READY)
        page.locator(".pl-left-value").wait_for(timeout=READY)
        time.sleep(4)  # idle, but the page is still connected: not culled
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
        time.sleep(4)
        assert page.locator(".pl-left-value").inner_text() == "10"
        assert culled(srv) == 1
        page.close()
    finally:
        srv.stop()
