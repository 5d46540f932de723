"""`planner serve --base-url /planner/` behind the real nginx of deploy/nginx-planner.conf, over HTTPS
with a self-signed certificate: both apps in Chromium, the Secure cookie, the client's own address in
the log and the throttle; and the same forged headers sent straight to planner serve, which ignores them."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest
from browser_support import READY, Server, free_port, pick
from playwright.sync_api import expect

from planner.demo import keys_path

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
pytestmark = [
    pytest.mark.server,  # the tests that also drive Chromium are marked browser one by one
    pytest.mark.skipif(not Path(NGINX).exists(), reason="needs Debian's nginx (scripts/setup.sh)"),
]
BASE = "/planner/"
APP = f"{BASE}voila/render/secretariat.ipynb"
REVIEW = f"{BASE}voila/render/review.ipynb"


def nginx_conf(folder: Path, port: int, http_port: int, sock: Path) -> Path:
    """deploy/nginx-planner.conf as shipped, pointed at this test's socket, certificate and ports."""
    site = (ROOT / "deploy" / "nginx-planner.conf").read_text(encoding="utf-8")
    site = "\n".join(line for line in site.splitlines() if "[::]" not in line)
    for old, new in (("listen 443 ssl;", f"listen 127.0.0.1:{port} ssl;"),
                     ("listen 80;", f"listen 127.0.0.1:{http_port};"),
                     ("/run/planner/planner.sock", str(sock)),
                     ("/etc/letsencrypt/live/planner.example.jp/fullchain.pem", str(folder / "cert.pem")),
                     ("/etc/letsencrypt/live/planner.example.jp/privkey.pem", str(folder / "key.pem")),
                     ("/var/log/nginx/planner.access.log", str(folder / "planner.access.log"))):
        assert old in site, old
        site = site.replace(old, new)
    temp = "".join(f"{name}_temp_path {folder / name};\n" for name in ("client_body", "proxy", "fastcgi", "uwsgi",
                                                                         "scgi"))
    conf = folder / "nginx.conf"
    conf.write_text(
        ("user root;\n" if os.geteuid() == 0 else "") +
        f"daemon off;\nworker_processes 1;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'};\n"
        "events { worker_connections 256; }\n"
        f"http {{\naccess_log {folder / 'access.log'};\n{temp}{site}\n}}\n", encoding="utf-8")
    return conf


def wait_port(port: int, proc: subprocess.Popen, timeout: float = 20) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError("nginx exited")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("nginx did not listen in time")


@pytest.fixture(scope="module")
def site(demo_db_module: Path, tmp_path_factory):
    folder = tmp_path_factory.mktemp("nginx")
    # a socket path must stay short (108 bytes): pytest's folders can be long
    sock = Path(f"/tmp/planner-test-{os.getpid()}-{free_port()}.sock")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=localhost", "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
                   check=True, capture_output=True)
    srv = Server(demo_db_module, demo_db_module.parent, extra=("--base-url", BASE, "--proxy-socket", str(sock)))
    srv.nginx_folder = folder  # type: ignore[attr-defined]  # where nginx's own logs are
    port, http_port = free_port(), free_port()
    conf = nginx_conf(folder, port, http_port, sock)
    proxy = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log")],
                             stdout=subprocess.DEVNULL, stderr=(folder / "nginx.err").open("wb"))
    try:
        wait_port(port, proxy)
        yield srv, port, http_port, sock
    finally:
        proxy.terminate()
        proxy.wait(timeout=20)
        srv.stop()
        sock.unlink(missing_ok=True)


@pytest.fixture(scope="module")
def keys(site) -> dict[str, str]:
    return json.loads(keys_path(site[0].db).read_text(encoding="utf-8"))


def https(port: int, method: str, path: str, headers: dict | None = None, body: str | None = None,
          source: str = "127.0.0.1") -> http.client.HTTPResponse:
    """One request through nginx from a chosen loopback address (all of 127/8 is this machine)."""
    ctx = ssl.create_default_context()
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
    con = http.client.HTTPSConnection("127.0.0.1", port, timeout=60, context=ctx, source_address=(source, 0))
    con.request(method, path, body=body, headers=headers or {})
    resp = con.getresponse()
    resp.text = resp.read().decode("utf-8", "replace")  # type: ignore[attr-defined]
    con.close()
    return resp


def direct(srv: Server, method: str, path: str, headers: dict | None = None) -> http.client.HTTPResponse:
    con = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=60)
    con.request(method, path, headers=headers or {})
    resp = con.getresponse()
    resp.text = resp.read().decode("utf-8", "replace")  # type: ignore[attr-defined]
    con.close()
    return resp


@pytest.mark.browser
def test_both_apps_over_https_through_nginx(browser, site, keys):
    srv, port, _, _ = site
    context = browser.new_context(ignore_https_errors=True, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(f"https://127.0.0.1:{port}{APP}?key={keys['secretariat-kansai']}", timeout=READY)
        page.locator(".pl-left-value").wait_for(timeout=READY)
        assert page.url == f"https://127.0.0.1:{port}{APP}"  # the key link lands on the clean URL
        assert page.locator(".pl-left-value").inner_text() == "10"
        # an edit goes over the kernel's websocket, through nginx's upgrade
        pick(page, 3, 1, 1)  # ③ online, 5 points
        page.locator(".pl-add").click()
        expect(page.locator(".pl-left-value")).to_have_text("5")
        page.locator(".pl-save").click()
        expect(page.locator(".pl-actions-note")).to_contain_text("下書きを保存しました")
        # the workbook comes from the server under the base URL, through nginx, in one click
        assert page.locator("a.pl-download").get_attribute("href") == f"{BASE}workbook/plan?consortium=kansai&fy=2025"
        with page.expect_download() as info:
            page.locator("a.pl-download").click()
        assert info.value.suggested_filename == "計画_関西コンソーシアム_2025年度_版3.xlsx"
        assert Path(info.value.path()).read_bytes().startswith(b"PK")
        # the instance's own cookie, which the browser takes only Secure, for the whole host, from this host
        [cookie] = [c for c in context.cookies() if c["name"] == f"__Host-planner_session_{srv.port}_planner"]
        assert cookie["secure"] and cookie["httpOnly"] and cookie["path"] == "/"
        # sign-out (a POST with the XSRF token) goes to the sign-in page under the base URL
        page.locator("a.pl-signout-a").click()
        page.wait_for_url(f"https://127.0.0.1:{port}{BASE}login*")
        expect(page.locator("h1")).to_have_text("サインイン")

        review = context.new_page()
        review.goto(f"https://127.0.0.1:{port}{REVIEW}?key={keys['officer']}", timeout=READY)
        review.locator(".rv-overview-row").first.wait_for(timeout=READY)
        expect(review.locator(".rv-overview-row")).to_have_count(6)
        review.locator(".rv-row-hokuriku .rv-open").click()
        expect(review.locator(".rv-plan-name")).to_have_text("北陸コンソーシアム")
        # the officer in the secretariat's app: refused there, and the refusal is in the server's log
        review.goto(f"https://127.0.0.1:{port}{APP}", timeout=READY)
        review.locator(".pl-refusal").wait_for(timeout=READY)
    finally:
        context.close()
    log = wait_for_log(srv, "refusal: officer open_secretariat_app")
    assert "sign-in: secretariat-kansai (secretariat) from 127.0.0.1" in log
    assert "sign-out: secretariat-kansai from 127.0.0.1" in log
    assert re.search(r"action: secretariat-kansai save kansai FY2025 revision \d+ \(draft -> draft\)", log)
    assert keys["officer"] not in log and keys["secretariat-kansai"] not in log
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", log)  # no kernel id


def wait_for_log(srv: Server, text: str, timeout: float = 20) -> str:
    """The server's log once it holds text (actions reach it at the server's next read of the store)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if text in (log := srv.log()):
            return log
        time.sleep(0.2)
    raise AssertionError(f"{text!r} not in the log:\n{srv.log()[-3000:]}")


def test_plain_http_is_sent_to_https(site):
    _, port, http_port, _ = site
    con = http.client.HTTPConnection("127.0.0.1", http_port, timeout=20)
    con.request("GET", APP)
    resp = con.getresponse()
    assert resp.status == 301 and resp.getheader("Location").startswith("https://")


def test_the_client_address_is_the_one_nginx_saw_not_one_the_client_wrote(site, keys):
    srv, port, _, _ = site
    forged = {"X-Real-IP": "203.0.113.7", "X-Forwarded-For": "203.0.113.8", "X-Scheme": "http",
              "X-Forwarded-Proto": "http"}
    resp = https(port, "GET", f"{APP}?key={keys['secretariat-tohoku']}", forged, source="127.0.0.2")
    assert resp.status == 302
    cookie = resp.getheader("Set-Cookie")
    assert cookie.startswith("__Host-planner_session_") and "Secure" in cookie and "HttpOnly" in cookie
    assert "Path=/;" in cookie and "Domain" not in cookie
    assert "sign-in: secretariat-tohoku (secretariat) from 127.0.0.2" in srv.log()
    assert "203.0.113" not in srv.log()


def test_the_throttle_counts_each_client_by_its_own_address(site, keys):
    srv, port, _, _ = site
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    statuses = []
    for n in range(11):
        # each try claims another address: nginx replaces the claim with the real one
        h = {**form, "X-Real-IP": f"198.51.100.{n}", "X-Forwarded-For": f"198.51.100.{n}"}
        statuses.append(https(port, "GET", f"{BASE}login?key=1.wrong{n}", h, source="127.0.0.5").status)
    assert statuses[:9] == [403] * 9 and statuses[-1] == 429, statuses
    assert "sign-in refused: too many failures from 127.0.0.5" in srv.log()
    # someone else, behind the same nginx, is not blocked by that
    other = https(port, "GET", f"{APP}?key={keys['secretariat-kyushu']}", source="127.0.0.6")
    assert other.status == 302


def test_the_socket_is_for_the_proxy_only(site):
    _, _, _, sock = site
    mode = sock.stat().st_mode & 0o777
    assert mode == 0o660, oct(mode)


def test_health_answers_without_a_session_and_tells_nothing(site):
    srv, port, _, _ = site
    for resp in (https(port, "GET", f"{BASE}health"), direct(srv, "GET", f"{BASE}health")):
        assert resp.status == 200
        assert json.loads(resp.text) == {"status": "ok"}
        assert resp.getheader("Set-Cookie") is None
    assert https(port, "HEAD", f"{BASE}health").status == 200


def test_headers_sent_straight_to_planner_serve_are_not_believed(site, keys):
    srv, _, _, _ = site
    forged = {"X-Real-IP": "192.0.2.44", "X-Forwarded-For": "192.0.2.45", "X-Forwarded-Proto": "https",
              "X-Scheme": "https"}
    resp = direct(srv, "GET", f"{APP}?key={keys['secretariat-chugoku']}", forged)
    assert resp.status == 302
    cookie = resp.getheader("Set-Cookie")
    assert cookie.startswith(f"planner_session_{srv.port}_planner=") and "Secure" not in cookie
    assert "sign-in: secretariat-chugoku (secretariat) from 127.0.0.1" in srv.log()
    assert "192.0.2.4" not in srv.log()
    # nor can a forged address escape the throttle: ten failures claiming ten addresses count for 127.0.0.1
    statuses = []
    for n in range(11):
        claim = {"X-Real-IP": f"192.0.2.{n}", "X-Forwarded-For": f"192.0.2.{n}"}
        statuses.append(direct(srv, "GET", f"{BASE}login?key=1.bad{n}", claim).status)
    assert statuses[-2:] == [429, 429]
    # and a right key still signs in from there
    assert direct(srv, "GET", f"{BASE}login?key={keys['secretariat-hokuriku']}").status == 302


@pytest.mark.browser
def test_nginx_logs_no_key_of_a_link_new_or_old(browser, site, keys):
    srv, port, _, _ = site
    context = browser.new_context(ignore_https_errors=True)
    try:
        page = context.new_page()
        page.goto(f"https://127.0.0.1:{port}{BASE}login#key={keys['contractor']}", timeout=READY)
        page.wait_for_url(f"https://127.0.0.1:{port}{REVIEW}", timeout=READY)
    finally:
        context.close()
    # an older link, with its key in the query string, and a referer that names one
    old = https(port, "GET", f"{APP}?key={keys['secretariat-tohoku']}&lang=en",
                {"Referer": f"https://127.0.0.1:{port}{BASE}login?key={keys['secretariat-tohoku']}"})
    assert old.status == 302
    log = (srv.nginx_folder / "planner.access.log").read_text()
    assert f"POST {BASE}login HTTP/1.1" in log and f"GET {APP} HTTP/1.1" in log  # it is the log of these requests
    for user in ("contractor", "secretariat-tohoku"):
        assert keys[user].split(".", 1)[1] not in log
    assert "key=" not in log and "?" not in log


def test_secure_cookie_marks_the_session_secure_behind_a_proxy_it_cannot_believe(demo_db, tmp_path):
    keys = json.loads(keys_path(demo_db).read_text(encoding="utf-8"))
    srv = Server(demo_db, tmp_path, pool_size=0, extra=("--secure-cookie",))
    try:
        resp = direct(srv, "GET", f"/voila/render/secretariat.ipynb?key={keys['secretariat-kansai']}")
        assert resp.status == 302 and "Secure" in resp.getheader("Set-Cookie")
    finally:
        srv.stop()
