"""`systemctl stop` on a serving planner: SIGTERM to `planner serve` with pages open in Chromium and warm
kernels waiting stops every kernel and the server, one log line each, with no traceback, in seconds,
with exit status 0; and no kernel start logs a trust warning."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time

import pytest
from browser_support import READY, Server, open_review, open_secretariat

from planner.demo import keys_path

pytestmark = pytest.mark.server
NOISE = ("Traceback", "KeyboardInterrupt", "ZMQError", "not trusted", "Error", "WARNING")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a child that exited but was not yet reaped by its parent is gone all the same
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def stop_and_read(srv: Server, everyone: bool = False) -> tuple[int, float, str, list[int]]:
    """SIGTERM as systemd sends it (KillMode=mixed: to the server alone; control-group: to every process
    of the service, the kernels included, which run in sessions of their own); returns the exit status,
    the seconds it took, the log of the stop, and the kernels still alive."""
    kernels = srv.kernel_pids()
    assert kernels, "no kernel ran"
    before = len(srv.log())
    start = time.monotonic()
    srv.proc.send_signal(signal.SIGTERM)
    for pid in kernels if everyone else ():
        os.kill(pid, signal.SIGTERM)
    try:
        status = srv.proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(srv.proc.pid, signal.SIGKILL)
        srv.proc.wait()
        pytest.fail("planner serve did not stop within 30 s of SIGTERM")
    took = time.monotonic() - start
    time.sleep(0.5)
    return status, took, srv.log()[before:], [p for p in kernels if alive(p)]


def open_pages(browser, srv: Server) -> None:
    keys = json.loads(keys_path(srv.db).read_text(encoding="utf-8"))
    for user, opener in (("secretariat-kansai", open_secretariat), ("officer", open_review)):
        page = browser.new_context().new_page()
        page.set_default_timeout(READY)
        opener(page, srv, f"key={keys[user]}")


@pytest.mark.browser
def test_sigterm_with_pages_open_stops_quietly_in_seconds(browser, demo_db, tmp_path):
    srv = Server(demo_db, tmp_path, pool_size=1)
    try:
        open_pages(browser, srv)
        # the pools refill the kernels the pages took: wait until they wait again, warm
        end = time.monotonic() + 90
        while srv.log().count("a warm kernel waits for its page") < 4 and time.monotonic() < end:
            time.sleep(0.3)
        full = srv.log()
        status, took, log, left = stop_and_read(srv)
    finally:
        srv.stop()
    assert status == 0, log
    assert took < 15, f"{took:.1f} s"
    assert not left, f"kernels still running: {left}"
    for word in NOISE:
        assert word not in log, log
    lines = [line for line in log.splitlines() if line.strip()]
    # one line per kernel (the two pages' and the two warm ones), one for the server
    shut = [line for line in lines if "Kernel shutdown" in line]
    assert len(shut) == 4, log
    assert [line for line in lines if line not in shut] == [lines[-1]], log
    assert lines[-1].endswith("planner serve stopped (SIGTERM)")
    assert "not trusted" not in full and "Traceback" not in full


@pytest.mark.browser
def test_sigterm_to_every_process_while_a_kernel_warms_is_quiet_too(browser, demo_db, tmp_path):
    """KillMode=control-group (the unit of an earlier planner): the kernels get SIGTERM too; and a
    refill is under way (a page just took the warm kernel)."""
    srv = Server(demo_db, tmp_path, pool_size=1)
    try:
        open_pages(browser, srv)
        # the refill starts once no page has opened for a few seconds (pools.REFILL_QUIET): catch it warming
        end = time.monotonic() + 30
        while "Kernel started" not in srv.log()[srv.log().rfind("Using pre-heated kernel"):] \
                and time.monotonic() < end:
            time.sleep(0.1)
        status, took, log, left = stop_and_read(srv, everyone=True)
    finally:
        srv.stop()
    assert status == 0, log
    assert took < 15, f"{took:.1f} s"
    assert not left, f"kernels still running: {left}"
    for word in NOISE:
        assert word not in log, log
    assert log.rstrip().endswith("planner serve stopped (SIGTERM)")
