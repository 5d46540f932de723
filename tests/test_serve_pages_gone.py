"""Pages that are gone without stopping their kernel (a crashed browser, a killed tab, a laptop put to
sleep: no unload handler ran) do not count against the per-user cap: when a person reaches it, their
own kernels with no page connected for `--page-gone-after` seconds are stopped first (issue 26, item 8).

Raw clients: each page is asked for over HTTP (which hands it a kernel) and its websocket connected,
then the socket is cut without a close frame, as a killed browser leaves it."""

from __future__ import annotations

import json
import socket
import time
import uuid

import pytest
from browser_support import Server
from test_serve_security import APP, request, sign_in

from planner.demo import keys_path

pytestmark = pytest.mark.server
GONE_AFTER = 3  # seconds (the default is 60)


@pytest.fixture(scope="module")
def server(tmp_path_factory, demo_db_master):
    from conftest import _copy_demo

    db = _copy_demo(demo_db_master, tmp_path_factory.mktemp("gone"))
    srv = Server(db, db.parent, pool_size=0, extra=("--max-kernels-per-user", "4", "--page-gone-after",
                                                    str(GONE_AFTER)))
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def keys(server):
    return json.loads(keys_path(server.db).read_text(encoding="utf-8"))


def connect(server, cookie: str, kernel: str):
    """The page's websocket to its kernel, as the page opens it."""
    import websocket

    return websocket.create_connection(
        f"ws://127.0.0.1:{server.port}/api/kernels/{kernel}/channels?session_id={uuid.uuid4().hex}",
        header=[f"Cookie: {cookie}"], origin=server.base, timeout=60)


def cut(ws) -> None:
    """The connection dropped as a killed browser drops it: no close frame, no unload handler."""
    ws.sock.shutdown(socket.SHUT_RDWR)
    ws.sock.close()


def open_pages(server, key: str, n: int) -> tuple[str, list[str]]:
    """A signed-in session with n pages, each with its kernel: (cookie, kernel ids)."""
    cookie, first = sign_in(server, key)
    kernels = [first]
    for _ in range(n - 1):
        page = request(server, "GET", APP, cookie)
        assert page.status == 200, page.status
        kernels.append(page.text.split('"kernelId": "', 1)[1][:36])
    return cookie, kernels


def test_pages_gone_without_their_unload_handlers_do_not_hold_the_cap(server, keys):
    cookie, kernels = open_pages(server, keys["secretariat-tohoku"], 4)
    sockets = [connect(server, cookie, k) for k in kernels]
    for ws in sockets:
        cut(ws)
    pids = len(server.kernel_pids())
    time.sleep(GONE_AFTER + 1.5)
    resp = request(server, "GET", APP, cookie)  # a fifth page, after the browser was killed
    assert resp.status == 200 and "kernelId" in resp.text
    assert "stopped 4 kernel(s) whose pages were gone" in server.log()
    assert len(server.kernel_pids()) <= pids - 3  # four stopped, one started


def test_live_pages_still_count_and_a_page_reloading_keeps_its_kernel(server, keys):
    cookie, kernels = open_pages(server, keys["secretariat-hokkaido"], 4)
    sockets = [connect(server, cookie, k) for k in kernels]
    cut(sockets[0])
    sockets[0] = connect(server, cookie, kernels[0])  # reconnected at once, as a page on a flaky network
    time.sleep(GONE_AFTER + 1.5)
    resp = request(server, "GET", APP, cookie)
    assert resp.status == 429 and "同時に開ける画面は 4 つまで" in resp.text
    for ws in sockets:
        ws.send(json.dumps({"header": {"msg_id": uuid.uuid4().hex, "msg_type": "kernel_info_request",
                                       "username": "", "session": "s", "date": "", "version": "5.3"},
                            "parent_header": {}, "metadata": {}, "content": {}, "channel": "shell",
                            "buffers": []}))
        assert any("kernel_info_reply" in ws.recv() for _ in range(10))  # each live page's kernel answers
    for ws in sockets:
        ws.close()


def test_another_persons_gone_pages_are_not_stopped(server, keys):
    cookie, kernels = open_pages(server, keys["secretariat-kansai"], 1)
    cut(connect(server, cookie, kernels[0]))
    other, theirs = open_pages(server, keys["secretariat-kyushu"], 4)
    sockets = [connect(server, other, k) for k in theirs]
    time.sleep(GONE_AFTER + 1.5)
    assert request(server, "GET", APP, other).status == 429  # kyushu's own pages are live
    assert request(server, "GET", f"/api/kernels/{kernels[0]}", cookie).status == 200  # kansai's kernel stays
    for ws in sockets:
        ws.close()
