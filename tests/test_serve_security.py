"""`planner serve` attacked from outside: no session, another user's session, raw HTTP and websocket
clients, forged headers, the preheat handoff, and the ways a session ends. All against a served app."""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_support import READY, Server
from playwright.sync_api import expect
from skip_support import root_only

from planner.demo import keys_path

pytestmark = pytest.mark.server  # the tests that also drive Chromium are marked browser one by one
APP = "/voila/render/secretariat.ipynb"
REVIEW = "/voila/render/review.ipynb"
KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')


def request(server, method: str, path: str, cookie: str = "", headers: dict | None = None,
            body: str | None = None) -> http.client.HTTPResponse:
    """One raw HTTP request, no redirects followed; the response is read and kept as .text."""
    con = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    h = {**({"Cookie": cookie} if cookie else {}), **(headers or {})}
    con.request(method, path, body=body, headers=h)
    resp = con.getresponse()
    resp.text = resp.read().decode("utf-8", "replace")  # type: ignore[attr-defined]
    con.close()
    return resp


def sign_in(server, key: str, app: str = APP) -> tuple[str, str]:
    """Sign in with the key link as a bare HTTP client: (cookie header, the page's kernel id)."""
    resp = request(server, "GET", f"{app}?key={key}")
    assert resp.status == 302
    cookie = resp.getheader("Set-Cookie").split(";", 1)[0]
    page = request(server, "GET", app, cookie)
    assert page.status == 200
    return cookie, KERNEL_ID.search(page.text).group(1)


def started(server) -> int:
    return server.log().count("Kernel started")


def ws_status(url: str, headers: dict) -> int:
    """The HTTP status a raw websocket handshake gets (101 when it opens). On a thread of its own:
    Playwright's sync API holds this thread's event loop."""
    import websockets

    async def attempt() -> int:
        try:
            async with websockets.connect(url, additional_headers=headers, open_timeout=20) as ws:
                await ws.close()
                return 101
        except websockets.exceptions.InvalidStatus as exc:
            return exc.response.status_code

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, attempt()).result()


# -- sign in before anything runs ----------------------------------------------------------------

def test_no_session_and_wrong_keys_get_the_sign_in_page_and_never_a_kernel(server):
    before, pids = started(server), len(server.kernel_pids())
    for path in (APP, REVIEW, f"{APP}?key=1.wrong", f"{APP}?key=", f"{REVIEW}?lang=en&key=9.x", "/",
                 "/voila/tree", "/voila/api/contents/"):
        resp = request(server, "GET", path)
        assert resp.status in (302, 403), path
        if resp.status == 302:
            location = resp.getheader("Location")
            assert urlsplit(location).path == "/login" and "key=" not in location, (path, location)
        assert "kernelId" not in resp.text
    for _ in range(30):  # what held 3.2 GB before: 30 anonymous page loads
        assert request(server, "GET", APP).status == 302
    assert started(server) == before and len(server.kernel_pids()) == pids


@pytest.mark.browser
def test_the_key_link_signs_in_to_a_clean_url_with_a_session_cookie(server, keys, browser):
    resp = request(server, "GET", f"{APP}?key={keys['secretariat-kansai']}&lang=en&fy=2025")
    assert resp.status == 302 and resp.getheader("Location") == f"{APP}?lang=en&fy=2025"
    cookie = resp.getheader("Set-Cookie")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Max-Age=43200" in cookie
    assert "Secure" not in cookie  # plain http here; over https the cookie is Secure (deployment tests)
    token = cookie.split(";", 1)[0].split("=", 1)[1]
    assert keys["secretariat-kansai"] not in cookie and len(token) >= 40

    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{server.base}{APP}?key={keys['secretariat-kansai']}", timeout=READY)
    page.locator(".pl-left-value").wait_for(timeout=READY)
    assert page.url == f"{server.base}{APP}"
    assert "key" not in page.evaluate("location.href")
    (c,) = [c for c in context.cookies() if c["name"] == f"planner_session_{server.port}"]
    assert c["httpOnly"] and c["sameSite"] == "Lax"
    assert page.evaluate("document.cookie").find("planner_session") == -1  # not readable by scripts
    expect(page.locator(".pl-signout-a")).to_have_text("サインアウト")
    page.go_back()  # the key link left no entry in the history: back is where the tab started
    assert page.url == "about:blank"
    context.close()


def who(server, cookie: str) -> str | None:
    """The user a cookie signs in as, asked without opening a page (no kernel is started): the one
    named in the log for a download that anyone signed in may make."""
    resp = request(server, "GET", "/workbook/plan?consortium=hokkaido&fy=2025", cookie)
    if resp.status != 200:
        return None
    return re.findall(r"download: (\S+) plan workbook", server.log())[-1]


def kernel_sockets(server, keys) -> tuple[str, list[dict]]:
    """The folder of the kernels' connection files and what they say, once a page's kernel runs."""
    sign_in(server, keys["analyst"], REVIEW)  # a page's kernel, beside the warm ones
    (folder,) = re.findall(r"Storing connection files in (\S+?)\.\n", server.log())
    return folder, [json.loads(f.read_text()) for f in Path(folder).glob("kernel-*.json")]


def test_no_other_local_user_can_reach_a_kernels_sockets(server, keys):
    """Over TCP on 127.0.0.1 any local user could subscribe to a kernel's output (no key is asked to
    listen) and read every plan it shows; the kernels' sockets are files in a folder of the server's own."""
    folder, infos = kernel_sockets(server, keys)
    assert os.stat(folder).st_mode & 0o077 == 0  # the server's user alone (Voilà makes it 1700)
    assert len(infos) >= 2 and all(i["transport"] == "ipc" and i["ip"].startswith(folder + "/") for i in infos)
    assert stat.S_ISSOCK(os.stat(f"{infos[0]['ip']}-{infos[0]['iopub_port']}").st_mode)


@root_only
def test_another_local_user_is_refused_at_a_kernels_output_socket(server, keys):
    """The same, tried: another local user (nobody) connecting to the output socket itself."""
    _, infos = kernel_sockets(server, keys)
    iopub = f"{infos[0]['ip']}-{infos[0]['iopub_port']}"
    assert shutil.which("runuser"), "runuser (util-linux) is needed to act as another user"
    probe = ("import socket,sys\ns=socket.socket(socket.AF_UNIX)\n"
             "try:\n s.connect(sys.argv[1]); print('open')\nexcept OSError as e: print(type(e).__name__)")
    out = subprocess.run(["runuser", "-u", "nobody", "--", "/usr/bin/python3", "-c", probe, iopub],
                         capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "PermissionError", out


def test_a_forged_widget_message_gets_no_traceback_back(server, keys):
    """A Dropdown's index set out of range over the page's own websocket: the error is the server's
    to log; nothing of the code (paths, source lines) reaches the page."""
    import uuid

    import websocket

    cookie, kernel = sign_in(server, keys["secretariat-tohoku"])
    sid = uuid.uuid4().hex
    ws = websocket.create_connection(f"ws://127.0.0.1:{server.port}/api/kernels/{kernel}/channels?session_id={sid}",
                                     header=[f"Cookie: {cookie}"], origin=server.base, timeout=60)

    def send(msg_type: str, content: dict, version: str) -> None:
        ws.send(json.dumps({"header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "x",
                                       "session": sid, "date": "", "version": "5.3"},
                            "parent_header": {}, "metadata": {"version": version}, "content": content,
                            "channel": "shell", "buffers": []}))

    def replies(seconds: float) -> list[dict]:
        out, end = [], time.monotonic() + seconds
        ws.settimeout(0.5)
        while time.monotonic() < end:
            try:
                frame = ws.recv()
            except websocket.WebSocketTimeoutException:
                continue
            if isinstance(frame, str):
                out.append(json.loads(frame))
        return out

    control = uuid.uuid4().hex
    send("comm_open", {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}}, "1.0.0")
    send("comm_msg", {"comm_id": control, "data": {"method": "request_states"}}, "1.0.0")
    states = next(m["content"]["data"]["states"] for m in replies(10) if m["msg_type"] == "comm_msg"
                  and m["content"]["data"].get("method") == "update_states")
    dropdown = next(mid for mid, v in states.items() if v["state"].get("_model_name") == "DropdownModel")
    send("comm_msg", {"comm_id": dropdown, "data": {"method": "update", "state": {"index": 999},
                                                    "buffer_paths": []}}, "2.1.0")
    sent = json.dumps(replies(4), ensure_ascii=False)
    ws.close()
    assert "Traceback" not in sent and "site-packages" not in sent and ".py" not in sent
    assert "Traceback" in server.log()  # the administrator sees it


def test_a_key_link_in_a_browser_signed_in_as_someone_else_signs_in_its_own_user(server, keys):
    resp = request(server, "GET", f"{APP}?key={keys['secretariat-hokkaido']}")
    hokkaido = resp.getheader("Set-Cookie").split(";", 1)[0]
    assert who(server, hokkaido) == "secretariat-hokkaido"
    # the analyst's link opened where Hokkaido is signed in (a shared PC): the analyst is signed in
    resp = request(server, "GET", f"{REVIEW}?key={keys['analyst']}", hokkaido)
    assert resp.status == 302 and resp.getheader("Location") == REVIEW
    analyst = resp.getheader("Set-Cookie").split(";", 1)[0]
    assert analyst != hokkaido and who(server, analyst) == "analyst"
    assert "sign-in: analyst (analyst)" in server.log()
    assert "sign-out: secretariat-hokkaido" in server.log() and "(a key link for analyst)" in server.log()
    assert who(server, hokkaido) is None  # Hokkaido's session ended with it: the browser is the analyst's only
    # a wrong key over a live session opens nothing, and the session it came with stays as it was
    resp = request(server, "GET", f"{APP}?key=1.wrong", analyst)
    assert resp.status == 302 and "problem=key" in resp.getheader("Location")
    assert who(server, analyst) == "analyst"
    # the same person's link again: a session of its own, the earlier one left open (their other tabs)
    again = request(server, "GET", f"{REVIEW}?key={keys['analyst']}", analyst)
    assert again.status == 302 and who(server, again.getheader("Set-Cookie").split(";", 1)[0]) == "analyst"
    assert who(server, analyst) == "analyst"


@pytest.mark.browser
def test_the_sign_in_page_takes_a_key_or_a_pasted_link_in_both_languages(server, keys, browser):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{server.base}{APP}", timeout=READY)
    assert urlsplit(page.url).path == "/login"
    expect(page.locator("h1")).to_have_text("サインイン")
    page.locator("a.lang").click()
    expect(page.locator("h1")).to_have_text("Sign in")
    page.locator("#key").fill("1.wrong")
    page.locator("button[type=submit]").click()
    expect(page.locator(".msg")).to_contain_text("The access key is wrong or revoked")
    page.locator("#key").fill(f"http://example.org{REVIEW}?key={keys['officer']}")  # the link, pasted whole
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{server.base}{APP}", timeout=READY)  # back to the page first asked for
    page.locator(".pl-refusal").wait_for(timeout=READY)  # an officer: the editor refuses them
    page.goto(f"{server.base}/login", timeout=READY)
    page.locator("#key").fill(keys["officer"])
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{server.base}{REVIEW}", timeout=READY)  # no page asked for: the role's app
    page.locator(".rv-open").first.wait_for(timeout=READY)
    context.close()


# -- a kernel belongs to the session that opened it -----------------------------------------------

def test_another_session_and_no_session_cannot_touch_a_kernel(server, keys):
    owner, kid = sign_in(server, keys["secretariat-kansai"])
    other, _ = sign_in(server, keys["officer"], REVIEW)
    same_user_other_session, _ = sign_in(server, keys["secretariat-kansai"])
    for cookie in ("", other, same_user_other_session, "planner_session=forged"):
        for method, path in (("GET", f"/api/kernels/{kid}"), ("DELETE", f"/api/kernels/{kid}"),
                             ("POST", f"/voila/api/shutdown/{kid}")):
            resp = request(server, method, path, cookie)
            assert resp.status in (302, 403), (cookie, method, path, resp.status)
            assert kid not in resp.text and "execution_state" not in resp.text
        ws = f"ws://127.0.0.1:{server.port}/api/kernels/{kid}/channels?session_id=attacker"
        status = ws_status(ws, {"Cookie": cookie, "Origin": server.base} if cookie else {})
        assert status == 403, (cookie, status)
    # the owner may (the page itself works through the same endpoints)
    resp = request(server, "GET", f"/api/kernels/{kid}", owner)
    assert resp.status == 200 and json.loads(resp.text)["id"] == kid
    status = ws_status(f"ws://127.0.0.1:{server.port}/api/kernels/{kid}/channels?session_id=mine",
                       {"Cookie": owner, "Origin": server.base})
    assert status == 101
    # and its page's own shutdown request is accepted (Voilà sends it without _xsrf)
    assert request(server, "POST", f"/voila/api/shutdown/{kid}", owner).status == 204


def test_the_preheat_handoff_answers_no_stranger(server, keys):
    _, kid = sign_in(server, keys["secretariat-tohoku"])
    for headers in ({}, {"X-Planner-Kernel": "0" * 64}, {"Cookie": sign_in(server, keys["officer"], REVIEW)[0]}):
        status = ws_status(f"ws://127.0.0.1:{server.port}/voila/query/{kid}", headers)
        assert status == 403, headers


@pytest.mark.browser
def test_a_forged_session_header_is_replaced_by_the_server(server, keys, browser):
    # the kernel learns who is there from a header the server sets; a browser's own is dropped
    context = browser.new_context(extra_http_headers={"X-Planner-Session": "0" * 64})
    page = context.new_page()
    assert request(server, "GET", APP, headers={"X-Planner-Session": "0" * 64}).status == 302  # no sign-in
    page.goto(f"{server.base}{APP}?key={keys['secretariat-kansai']}", timeout=READY)
    page.locator(".pl-left-value").wait_for(timeout=READY)
    body = page.locator("body").inner_text()
    assert "関西コンソーシアム" in body and "東北" not in body
    context.close()


def test_kernels_hold_no_key_or_request_url_and_their_files_are_private(server, keys):
    sign_in(server, keys["secretariat-hokkaido"])
    pids = server.kernel_pids()
    assert pids
    secrets = [k.split(".", 1)[1] for k in keys.values()]
    for pid in pids:
        env = Path(f"/proc/{pid}/environ").read_bytes().decode("utf-8", "replace")
        assert "VOILA_REQUEST_URL" not in env and "key=" not in env
        assert not any(s in env for s in secrets)
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode()
        assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", cmdline), cmdline  # no kernel id in `ps`
    folder = Path(re.search(r"Storing connection files in (\S+?)\.?$", server.log(), re.M).group(1))
    assert stat.S_IMODE(folder.stat().st_mode) & 0o077 == 0
    for f in folder.iterdir():
        assert stat.S_IMODE(f.stat().st_mode) & 0o077 == 0, f


# -- every action re-checks the session ----------------------------------------------------------

def planner_cli(server, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "planner", *args, "--db", str(server.db)], check=True,
                   capture_output=True)


def open_editor(browser, server, key: str):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{server.base}{APP}?key={key}", timeout=READY)
    page.locator(".pl-left-value").wait_for(timeout=READY)
    return context, page


def add_a_line(page) -> None:
    page.locator(".pl-item select").select_option(index=2)  # ③, online, one seminar
    page.locator(".pl-variant select").select_option(index=1)
    page.locator(".pl-qty input").fill("1")
    page.locator(".pl-qty input").press("Tab")
    page.locator(".pl-add").click()
    expect(page.locator(".pl-unsaved")).to_be_visible()


def close(server, context, page) -> None:
    """Close a page as its own shutdown request would: its kernel stops now rather than when culled."""
    kid = KERNEL_ID.search(page.content()).group(1)
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in context.cookies())
    request(server, "POST", f"/voila/api/shutdown/{kid}", cookie)
    context.close()


def revisions(server) -> int:
    import sqlite3

    with sqlite3.connect(server.db) as con:
        return con.execute("SELECT COUNT(*) FROM revisions").fetchone()[0]


@pytest.mark.browser
@pytest.mark.parametrize("how, says", [
    ("sign_out", "サインアウトしました"),
    ("revoke", "アクセスキーが失効されたため"),
    ("disable", "この利用者は無効にされたため"),
])
def test_sign_out_revoke_and_disable_end_an_open_page_at_its_next_action(server, browser, how, says):
    # each case on a user of its own, so that one ending does not touch the others
    user = {"sign_out": "secretariat-chugoku", "revoke": "secretariat-hokkaido", "disable": "secretariat-kansai"}[how]
    key = subprocess.run([sys.executable, "-m", "planner", "users", "issue-key", user, "--db", str(server.db)],
                         check=True, capture_output=True, text=True).stdout.strip()
    context, page = open_editor(browser, server, key)
    if how == "sign_out":
        other = context.new_page()  # the same sign-in in a second tab
        other.goto(f"{server.base}{APP}", timeout=READY)
        other.locator(".pl-left-value").wait_for(timeout=READY)
        other.locator(".pl-signout-a").click()
        other.wait_for_url(re.compile(r"/login"), timeout=READY)
        expect(other.locator(".msg")).to_contain_text("サインアウトしました")
    elif how == "revoke":
        planner_cli(server, "users", "revoke-key", user)
    else:
        planner_cli(server, "users", "disable", user)
    before = revisions(server)
    add_a_line(page)  # a change on screen only: then 保存, the action that reaches the store
    page.locator(".pl-save").click()
    ended = page.locator(".pl-ended")
    ended.wait_for(timeout=READY)
    expect(ended).to_contain_text(says)
    expect(ended).to_contain_text("何も保存していません")
    expect(ended.locator("a")).to_have_attribute("href", "/login")
    assert revisions(server) == before
    assert page.locator(".pl-add").count() == 0
    # and the page cannot be opened again with that session
    page.goto(f"{server.base}{APP}", timeout=READY)
    assert urlsplit(page.url).path == "/login"
    context.close()


# -- limits ---------------------------------------------------------------------------------------

def test_the_log_holds_no_kernel_id_or_key(server, keys):
    log = server.log()
    assert "Kernel started" in log and "/api/kernels/[kernel]" in log
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", log)
    for key in keys.values():
        assert key.split(".", 1)[1] not in log


# -- expiry and the caps, on a server of their own -----------------------------------------------

@pytest.fixture(scope="module")
def strict(tmp_path_factory, demo_db_master):
    from conftest import _copy_demo

    db = _copy_demo(demo_db_master, tmp_path_factory.mktemp("strict"))
    srv = Server(db, db.parent, pool_size=0, extra=("--idle-timeout", "8", "--max-kernels-per-user", "1",
                                                    "--max-kernels", "2"))
    yield srv
    srv.stop()


@pytest.mark.browser
def test_kernels_are_capped_per_user_and_in_all(strict, browser):
    keys = json.loads(keys_path(strict.db).read_text(encoding="utf-8"))
    context, first = open_editor(browser, strict, keys["secretariat-tohoku"])
    before = started(strict)
    cookie = sign_in_cookie(strict, keys["secretariat-tohoku"])
    resp = request(strict, "GET", APP, cookie)
    assert resp.status == 429 and "同時に開ける画面は 1 つまで" in resp.text and "at most 1 pages" in resp.text
    assert started(strict) == before
    second, page2 = open_editor(browser, strict, keys["secretariat-hokkaido"])
    resp = request(strict, "GET", APP, sign_in_cookie(strict, keys["secretariat-kansai"]))
    assert resp.status == 503 and "混み合っています" in resp.text and "server is busy" in resp.text
    assert started(strict) == before + 1
    close(strict, context, first)
    close(strict, second, page2)


def test_a_burst_of_pages_cannot_pass_the_caps_while_kernels_start(strict):
    """Pages asked for at once, before any owns a kernel (each waits for its kernel to start): the
    caps count them all the same (one user had opened 52 kernels against a cap of 4)."""
    keys = json.loads(keys_path(strict.db).read_text(encoding="utf-8"))
    cookie = sign_in_cookie(strict, keys["secretariat-kyushu"])
    before = started(strict)
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: request(strict, "GET", APP, cookie), range(8)))
    assert sorted(r.status for r in answers) == [200] + [429] * 7  # the cap is 1 a user here
    assert started(strict) == before + 1
    (page,) = [r for r in answers if r.status == 200]
    kernel = KERNEL_ID.search(page.text).group(1)
    assert request(strict, "POST", f"/voila/api/shutdown/{kernel}", cookie).status == 204


@pytest.mark.browser
def test_an_idle_session_expires_and_the_open_page_ends(strict, browser):
    keys = json.loads(keys_path(strict.db).read_text(encoding="utf-8"))
    context, page = open_editor(browser, strict, keys["secretariat-kansai"])
    add_a_line(page)
    (token,) = [c["value"] for c in context.cookies() if c["name"] == f"planner_session_{strict.port}"]
    wait_until_idle_too_long(strict, token)  # the server was started with --idle-timeout 8
    page.locator(".pl-save").click()
    ended = page.locator(".pl-ended")
    ended.wait_for(timeout=READY)
    expect(ended).to_contain_text("しばらく操作がなかったため")
    close(strict, context, page)


def wait_until_idle_too_long(server, token: str, timeout: float = 60) -> None:
    """Wait until the session has gone unused for longer than its idle timeout, as the store records it
    (read only: ending the session is left to the server, at the page's next action)."""
    import hashlib
    import sqlite3

    ref = hashlib.sha256(token.encode()).hexdigest()
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        con = sqlite3.connect(f"{server.db.resolve().as_uri()}?mode=ro", uri=True)
        try:
            last_seen, idle = con.execute("SELECT last_seen, idle_seconds FROM sessions WHERE hash = ?",
                                          (ref,)).fetchone()
        finally:
            con.close()
        if time.time() - last_seen > idle:
            return
        time.sleep(0.25)
    raise AssertionError(f"the session was still in use {timeout} s later")


def test_failed_sign_ins_are_throttled_per_address_and_logged(strict):
    """Last of all: from here on, wrong keys from this address get 429 for ten minutes."""
    keys = json.loads(keys_path(strict.db).read_text(encoding="utf-8"))
    form = request(strict, "GET", "/login")
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', form.text).group(1)
    cookie = form.getheader("Set-Cookie").split(";", 1)[0]

    def post(key: str) -> http.client.HTTPResponse:
        return request(strict, "POST", "/login", cookie, {"Content-Type": "application/x-www-form-urlencoded"},
                       f"_xsrf={xsrf}&key={key}&next=")

    statuses = [post(f"1.guess{i}").status for i in range(11)]
    assert statuses[:9] == [403] * 9 and statuses[9:] == [429, 429]
    assert "正しいキーならサインインできます" in post("1.again").text
    resp = post(keys["officer"])  # the right key signs in all the same
    assert resp.status == 302 and "planner_session_" in resp.getheader("Set-Cookie")
    assert request(strict, "GET", "/login").status == 200
    assert strict.log().count("sign-in refused") >= 11


def sign_in_cookie(server, key: str) -> str:
    resp = request(server, "GET", f"{APP}?key={key}")
    return resp.getheader("Set-Cookie").split(";", 1)[0]
