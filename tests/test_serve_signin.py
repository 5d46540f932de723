"""How a key link signs in, against a served app: the key after `#` (never in a request line, a header
or a log), a link from another site that asks first, sign-out as a POST, a session cookie of each
instance's own, a throttle that never locks out a right key, and hostile input that never gets a 500.
Raw HTTP clients built here, and Chromium with pages on other origins served by this test."""

from __future__ import annotations

import http.client
import http.server
import json
import re
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from browser_support import READY, Server
from playwright.sync_api import expect

import planner
from planner.demo import keys_path
from planner.server.identity import Throttle

pytestmark = pytest.mark.server  # the tests that also drive Chromium are marked browser one by one
APP = "/voila/render/secretariat.ipynb"
REVIEW = "/voila/render/review.ipynb"
SHOTS = Path("/work/helpers/signin")
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def request(server, method: str, path: str, cookie: str = "", headers: dict | None = None,
            body: str | None = None, source: str = "127.0.0.1") -> http.client.HTTPResponse:
    """One raw HTTP request from a chosen loopback address, no redirects followed; the body as .text."""
    con = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60, source_address=(source, 0))
    con.request(method, path, body=body, headers={**({"Cookie": cookie} if cookie else {}), **(headers or {})})
    resp = con.getresponse()
    resp.text = resp.read().decode("utf-8", "replace")  # type: ignore[attr-defined]
    con.close()
    return resp


def session_cookie(resp: http.client.HTTPResponse) -> str:
    """`name=value` of the session cookie a response sets ('' if none)."""
    for header in resp.headers.get_all("Set-Cookie") or ():
        if header.startswith("planner_session") or header.startswith("__Host-planner_session"):
            value = header.split(";", 1)[0]
            return value if value.split("=", 1)[1] else ""
    return ""


def xsrf(server, path: str = "/login", cookie: str = "") -> tuple[str, str]:
    """(the form's _xsrf value, the cookie header to post it with) from a page of the server."""
    page = request(server, "GET", path, cookie)
    token = re.search(r'name="_xsrf" value="([^"]+)"', page.text).group(1)
    jar = [cookie] if cookie else []
    for header in page.headers.get_all("Set-Cookie") or ():
        if header.startswith("_xsrf="):
            jar.append(header.split(";", 1)[0])
    return token, "; ".join(jar)


def post_form(server, path: str, fields: dict[str, str], cookie: str = "", headers: dict | None = None,
              source: str = "127.0.0.1") -> http.client.HTTPResponse:
    token, jar = xsrf(server, "/login", cookie)
    body = "&".join(f"{k}={quote(v, safe='')}" for k, v in {"_xsrf": token, **fields}.items())
    return request(server, "POST", path, jar, {**FORM, **(headers or {})}, body, source)


def signed_in(server, key: str) -> str:
    """A session cookie for `key`, signed in as a mail program's link would (Sec-Fetch-Site: none)."""
    resp = post_form(server, "/login", {"key": key, "via": "link", "arrival": "same"})
    assert resp.status == 302, resp.text[:500]
    return session_cookie(resp)


def who(server, cookie: str) -> str | None:
    """The user a session cookie signs in as, asked without opening a page: the sign-out page names them."""
    resp = request(server, "GET", "/logout", cookie)
    if resp.status != 200:
        return None
    return re.search(r'<p class="sub">(.+?) としてサインインしています', resp.text).group(1)


@pytest.fixture(scope="module")
def keys(server) -> dict[str, str]:
    return json.loads(keys_path(server.db).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def names(server) -> dict[str, str]:
    with planner.open_store(server.db) as store:
        return store.display_names()


class Site:
    """A page on another origin, served by this test: a link (or a script) to planner."""

    def __init__(self, host: str):
        self.html = ""
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                body = site.html.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer((host if host != "localhost" else "127.0.0.1", 0), Handler)
        self.origin = f"http://{host}:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@contextmanager
def other_site(host: str):
    site = Site(host)
    try:
        yield site
    finally:
        site.close()


# -- the key after `#` ---------------------------------------------------------------------------

@pytest.mark.browser
def test_a_fragment_link_signs_in_and_its_key_reaches_no_url_header_or_log(server, keys, browser):
    key = keys["secretariat-kansai"]
    secret = key.split(".", 1)[1]
    context = browser.new_context()
    page = context.new_page()
    sent: list = []
    page.on("request", lambda r: sent.append(r))
    page.goto(f"{server.base}/login#key={key}", timeout=READY)
    page.locator(".pl-left-value").wait_for(timeout=READY)
    assert page.url == f"{server.base}{APP}"  # the role's app, at its clean URL
    assert secret not in page.evaluate("location.href")
    # the sign-in page posted the key while it loaded, which replaced its entry in the history: back
    # is where the tab started
    page.go_back()
    assert page.url == "about:blank"
    page.screenshot(path=str(SHOTS / "fragment-link-back.png"))
    carried = []
    for r in sent:
        # Playwright reports a navigation's URL with its fragment, which Chromium does not send (CDP's
        # urlFragment): what went over the wire is the URL without it
        assert secret not in urlsplit(r.url)._replace(fragment="").geturl(), r.url
        assert all(secret not in v for v in r.all_headers().values()), (r.url, r.all_headers())
        if secret in (r.post_data or ""):
            carried.append((r.method, urlsplit(r.url).path))
    assert carried == [("POST", "/login")]  # in one request body, the sign-in page's own POST
    assert secret not in server.log() and "sign-in: secretariat-kansai (secretariat)" in server.log()
    context.close()


@pytest.mark.browser
def test_a_fragment_link_to_an_app_page_goes_through_the_sign_in_page(server, keys, browser):
    """A link made by hand with the app's address: the page hands the key on to the sign-in page,
    also in a browser already signed in as someone else (the key then signs in its own person)."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{server.base}/login#key={keys['officer']}", timeout=READY)
    page.wait_for_url(f"{server.base}{REVIEW}", timeout=READY)
    page = context.new_page()  # the link opened from a mail program: a new tab
    page.goto(f"{server.base}{REVIEW}#key={keys['contractor']}", timeout=READY)
    page.wait_for_url(f"{server.base}{REVIEW}", timeout=READY)
    page.locator(".rv-open").first.wait_for(timeout=READY)
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in context.cookies() if "planner_session" in c["name"])
    assert who(server, cookie) == "受託者"
    assert keys["contractor"].split(".", 1)[1] not in page.url
    context.close()


# -- a link from another site asks first -----------------------------------------------------------

@pytest.mark.browser
def test_a_link_from_another_site_asks_before_it_signs_in_or_ends_a_session(server, keys, names, browser):
    context = browser.new_context(viewport={"width": 1000, "height": 700})
    page = context.new_page()
    page.goto(f"{server.base}/login#key={keys['officer']}", timeout=READY)
    page.wait_for_url(f"{server.base}{REVIEW}", timeout=READY)
    officer = "; ".join(f"{c['name']}={c['value']}" for c in context.cookies() if "planner_session" in c["name"])
    attacker = keys["secretariat-hokuriku"]
    with other_site("localhost") as site:  # another site: localhost is not 127.0.0.1
        site.html = (f'<a id="new" href="{server.base}/login#key={attacker}">new</a>'
                     f'<a id="old" href="{server.base}{APP}?key={attacker}">old</a>'
                     f'<a id="app" href="{server.base}{REVIEW}#key={attacker}">made by hand</a>')
        for link in ("#app", "#new", "#old"):  # the last one asked for the secretariat app
            page.goto(site.origin, timeout=READY)
            page.locator(link).click()
            heading = page.locator("h1")
            expect(heading).to_have_text(f"{names['secretariat-hokuriku']} としてサインインしますか？")
            expect(page.locator(".msg.warn")).to_contain_text("別のサイトから開かれました")
            expect(page.locator(".msg.info")).to_contain_text(f"いまは {names['officer']} としてサインインしています")
            assert attacker.split(".", 1)[1] not in page.url
            if link == "#new":
                page.screenshot(path=str(SHOTS / "cross-site-confirm.png"))
            # nothing happened by itself: the officer is still the officer
            assert who(server, officer) == names["officer"]
            assert not [c for c in context.cookies() if "planner_session" in c["name"] and c["value"] not in officer]
        page.locator("button[type=submit]").click()  # asked, and said yes
        page.wait_for_url(f"{server.base}{APP}", timeout=READY)
        page.locator(".pl-left-value").wait_for(timeout=READY)
        assert who(server, officer) is None  # that earlier sign-in ended, as with any key link
    context.close()


@pytest.mark.browser
def test_a_link_from_this_site_or_a_sibling_port_signs_in_at_once(server, keys, browser):
    context = browser.new_context()
    page = context.new_page()
    with other_site("127.0.0.1") as site:  # the same site (one host, another port)
        site.html = f'<a id="go" href="{server.base}/login#key={keys["secretariat-chugoku"]}">go</a>'
        page.goto(site.origin, timeout=READY)
        page.locator("#go").click()
        page.wait_for_url(f"{server.base}{APP}", timeout=READY)
        page.locator(".pl-left-value").wait_for(timeout=READY)
    context.close()


def test_cross_site_key_links_over_raw_http_ask_and_sign_in_nobody(server, keys, names):
    officer = signed_in(server, keys["officer"])
    key = keys["secretariat-kyushu"]
    cross = {"Sec-Fetch-Site": "cross-site"}
    asked = [
        request(server, "GET", f"{APP}?key={key}", officer, cross),  # an older link
        request(server, "GET", f"/login?key={key}", officer, cross),
        request(server, "GET", f"{APP}?key={key}", officer, {"Referer": "https://evil.example/x"}),  # no Fetch Metadata
        post_form(server, "/login", {"key": key, "via": "link", "arrival": "cross-site"}, officer),  # the page's post
        # the post itself from another site (a tossed _xsrf cookie): asked, whatever it claims
        post_form(server, "/login", {"key": key, "confirmed": "1"}, officer, cross),
    ]
    for resp in asked:
        assert resp.status == 200 and not session_cookie(resp), resp.text[:300]
        assert f"{names['secretariat-kyushu']} としてサインインしますか？" in resp.text
        assert 'name="confirmed" value="1"' in resp.text
    assert who(server, officer) == names["officer"]
    # the confirmation's own button: the page's post, confirmed
    yes = post_form(server, "/login", {"key": key, "via": "link", "arrival": "cross-site", "confirmed": "1"}, officer)
    assert yes.status == 302 and who(server, session_cookie(yes)) == names["secretariat-kyushu"]
    # a wrong key from another site is refused without asking anything
    wrong = request(server, "GET", "/login?key=1.nope", "", cross)
    assert wrong.status == 403 and "しますか" not in wrong.text
    # direct opens sign in at once: typed, pasted, a mail program; same origin
    for headers in ({"Sec-Fetch-Site": "none"}, {"Sec-Fetch-Site": "same-origin"}, {}):
        resp = request(server, "GET", f"{APP}?key={key}", "", headers)
        assert resp.status == 302 and resp.getheader("Location") == APP and session_cookie(resp)


# -- sign-out --------------------------------------------------------------------------------------

def test_sign_out_is_a_post_with_the_xsrf_token_and_a_get_only_asks(server, keys, names):
    cookie = signed_in(server, keys["secretariat-hokkaido"])
    for headers in ({}, {"Sec-Fetch-Site": "cross-site"}):
        page = request(server, "GET", "/logout", cookie, headers)
        assert page.status == 200 and "サインアウトしますか？" in page.text and 'method="post"' in page.text
    assert "<h1>Sign out?</h1>" in request(server, "GET", "/logout?lang=en", cookie).text
    # no token, or a wrong one: refused, and nobody is signed out
    assert request(server, "POST", "/logout", cookie, FORM, "").status == 403
    assert request(server, "POST", "/logout", cookie + "; _xsrf=2|a|b|1", FORM, "_xsrf=2|c|d|1").status == 403
    assert who(server, cookie) == names["secretariat-hokkaido"]
    resp = post_form(server, "/logout", {}, cookie)
    assert resp.status == 302 and "problem=signed_out" in resp.getheader("Location")
    assert who(server, cookie) is None
    assert "sign-out: secretariat-hokkaido" in server.log()
    # signed out already: the page sends the browser to the sign-in page
    assert request(server, "GET", "/logout", cookie).status == 302


def test_a_request_left_from_an_ended_session_does_not_clear_the_new_sessions_cookie(server, keys):
    """A key link opened over an app page: the old page's unload sends a kernel shutdown with the old
    cookie just after the new sign-in set the new one (same name). Its 403 cleared the cookie, and the
    new app opened on the sign-in page (seen as a flaky browser test). Only a navigation drops it."""
    old = signed_in(server, keys["secretariat-hokuriku"])
    new = post_form(server, "/login", {"key": keys["secretariat-chugoku"], "via": "link", "arrival": "same"}, old)
    assert new.status == 302 and session_cookie(new) and "sign-out: secretariat-hokuriku" in server.log()
    for method, path, mode in (("POST", "/voila/api/shutdown/0123456789abcdef", "no-cors"),
                               ("GET", "/api/kernels", "cors"), ("GET", APP, "websocket")):
        resp = request(server, method, path, old, {"Sec-Fetch-Mode": mode}, "" if method == "POST" else None)
        assert resp.status in (302, 403, 404), (path, resp.status)
        assert not [h for h in resp.headers.get_all("Set-Cookie") or () if h.startswith("planner_session")], path
    # the person opening a page with the dead cookie gets it dropped, and the sign-in page says why
    page = request(server, "GET", APP, old, {"Sec-Fetch-Mode": "navigate"})
    assert page.status == 302 and "problem=ended" in page.getheader("Location")
    cleared = [h for h in page.headers.get_all("Set-Cookie") or () if h.startswith("planner_session")]
    assert cleared and "expires=" in cleared[0]


@pytest.mark.browser
def test_the_sign_out_page_has_the_button(server, keys, browser):
    context = browser.new_context(viewport={"width": 1000, "height": 600})
    page = context.new_page()
    page.goto(f"{server.base}/login#key={keys['contractor']}", timeout=READY)
    page.wait_for_url(f"{server.base}{REVIEW}", timeout=READY)
    page.goto(f"{server.base}/logout", timeout=READY)
    expect(page.locator("h1")).to_have_text("サインアウトしますか？")
    page.screenshot(path=str(SHOTS / "sign-out-page.png"))
    page.goto(f"{server.base}{REVIEW}", timeout=READY)  # still signed in
    page.locator(".rv-open").first.wait_for(timeout=READY)
    page.goto(f"{server.base}/logout", timeout=READY)
    page.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/login\?problem=signed_out"), timeout=READY)
    expect(page.locator(".msg")).to_contain_text("サインアウトしました")
    context.close()


# -- hostile input ---------------------------------------------------------------------------------

HOSTILE_KEYS = ["².x", "1" * 5000 + ".x", "9" * 19 + ".abc", "-1.x", "1.", ".x", "%00", "1.\u202e", "1." + "a" * 5000,
                "x" * 3000, "１.２", "0x10.a", " 1 . a ", "1.x\r\nSet-Cookie: a=b"]
HOSTILE_VALUES = ["%ff%fe", "%00", "../../etc/passwd", "%E2%80%AE", "1" * 5000, "²", "-1", "1e9999", "[]",
                  "http://[::1", "//evil.example", "/\\evil.example", "%0d%0aX: y", "\u00e9", "%C0%AF"]


def hostile_requests(kernel: str) -> list[tuple[str, str, str, dict]]:
    """(method, path, body, headers) against every route the server has (Voilà's and planner's)."""
    reqs: list[tuple[str, str, str, dict]] = []
    for key in HOSTILE_KEYS:
        q = quote(key, safe="")
        reqs += [("GET", f"{APP}?key={q}", "", {}), ("GET", f"/login?key={q}", "", {}),
                 ("GET", f"/login?key={q}", "", {"Sec-Fetch-Site": "cross-site"}),
                 ("POST", "/login", f"key={q}", FORM), ("POST", "/login", f"key={q}&via=link&arrival=cross-site", FORM)]
    for raw in HOSTILE_VALUES:
        v = quote(raw, safe="%/:[]\\")
        for name in ("next", "lang", "fy", "consortium", "problem", "arrival", "via", "confirmed"):
            reqs += [("GET", f"/login?{name}={v}", "", {}), ("POST", "/login", f"{name}={v}&key=1.x", FORM),
                     ("GET", f"{APP}?{name}={v}", "", {}), ("GET", f"{REVIEW}?{name}={v}&key=1.x", "", {}),
                     ("GET", f"{REVIEW}?{name}={v}&key=1.x", "", {"Sec-Fetch-Site": "cross-site"}),
                     ("GET", f"/logout?{name}={v}", "", {}), ("POST", "/logout", f"{name}={v}", FORM),
                     ("GET", f"/workbook/plan?{name}={v}&consortium={v}&fy={v}", "", {}),
                     ("GET", f"/workbook/year?fy={v}", "", {}), ("GET", f"/health?{name}={v}", "", {})]
    paths = ["/voila/templates/planner/static/../..", "/voila/templates/planner/static/../../../../etc/passwd",
             "/voila/templates/..%2f..%2f", "/voila/templates/%00", "/voila/templates/", "/voila/static/../../x",
             "/voila/static/%2e%2e/%2e%2e/x", "/voila/api/themes/../..", "/voila/api/themes/%ff",
             "/voila/labextensions/../../x", "/voila/labextensions/%00", "/voila/files/../../etc/passwd",
             "/voila/files/secretariat.ipynb", "/voila/tree/../..", "/voila/tree/%ff", "/voila/render/../../x",
             "/voila/render/%ff.ipynb", "/voila/render/secretariat.ipynb/..", "/voila/render/" + "a" * 5000,
             "/voila/api/contents/../..", "/voila/api/contents/%00", f"/voila/query/{kernel}",
             f"/voila/execution/{kernel}", "/voila/query/not-a-kernel", f"/voila/api/shutdown/{kernel}",
             "/voila/api/shutdown/../..", f"/api/kernels/{kernel}", f"/api/kernels/{kernel}/channels",
             "/api/kernels/" + "f" * 5000, "/api/contents", "/api/sessions", "/api/terminals", "/%ff", "/%00",
             "/" + "a" * 8000, "/..%2f..%2f", "/hub-login", "/oauth_callback?code=x&state=y", "/health/../login",
             "/workbook/../login", "/workbook/plan/../../x", "/login/..", "/logout/x"]
    for p in paths:
        for method in ("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"):
            reqs.append((method, p, "x=1" if method in ("POST", "PUT", "PATCH") else "", FORM))
    # bodies and headers
    reqs += [("POST", "/login", "%ff%fe=%ff", FORM), ("POST", "/login", "key=" + "a" * 100_000, FORM),
             ("POST", "/login", '{"key": 1}', {"Content-Type": "application/json"}),
             ("POST", "/login", "key=1.x", {"Content-Type": "multipart/form-data; boundary=zz"}),
             ("GET", "/login", "", {"Cookie": "\u00ff=\u00ff; planner_session=\x7f"}),
             ("GET", APP, "", {"Cookie": "planner_session_1=" + "a" * 3000}),
             ("GET", "/login", "", {"Sec-Fetch-Site": "\u00ff", "Referer": "http://[::1"}),
             ("GET", "/login", "", {"Origin": "http://[::1", "Host": "[::1"}),
             ("GET", f"{APP}?key=1.x", "", {"Host": "a" * 1000}), ("GET", "/login", "", {"X-Real-IP": "not an ip"}),
             ("GET", "/login", "", {"X-Forwarded-Proto": "gopher"})]
    return reqs


def send(server, method: str, path: str, body: str, headers: dict, cookie: str, source: str) -> int:
    """One request exactly as given (the path unnormalised, odd headers and all); its status."""
    con = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60, source_address=(source, 0))
    try:
        con.putrequest(method, path, skip_host="Host" in headers, skip_accept_encoding=True)
        for k, v in {**headers, **({"Cookie": cookie} if cookie and "Cookie" not in headers else {})}.items():
            con.putheader(k, v.encode("latin-1", "replace"))
        data = body.encode("utf-8") if body else b""
        if data or method in ("POST", "PUT", "PATCH"):
            con.putheader("Content-Length", str(len(data)))
        con.endheaders(data or None)
        resp = con.getresponse()
        resp.read()
        return resp.status
    finally:
        con.close()


def test_hostile_input_to_every_route_gets_no_500_and_no_traceback(server, keys):
    cookie = signed_in(server, keys["secretariat-kansai"])
    page = request(server, "GET", APP, cookie)
    kernel = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page.text).group(1)
    before = len(server.log().splitlines())
    reqs = hostile_requests(kernel)
    answers = []
    for n, (method, path, body, headers) in enumerate(reqs):
        # half with a live session (not on the app pages: each would start a kernel), each from an address
        # of its own, so that the throttle is met only across the server
        app_page = path.startswith(("/voila/render/", "/voila/tree"))
        status = send(server, method, path, body, headers, cookie if n % 2 and not app_page else "",
                      f"127.1.{n // 250}.{n % 250 + 1}")
        answers.append((status, method, path[:80]))
    # and the app pages with a session: what the kernel makes of hostile query values
    for query in ("fy=1e9999", "fy=-1", "fy=%ff", "consortium=..%2f..", "lang=%E2%80%AE", "fy=" + "9" * 5000):
        page = request(server, "GET", f"{APP}?{query}", cookie)
        answers.append((page.status, "GET", f"{APP}?{query}"[:80]))
        found = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page.text)
        if found:  # its kernel stopped, as the closed page would (the cap is 4 pages a person)
            request(server, "POST", f"/voila/api/shutdown/{found.group(1)}", cookie)
    server_errors = [a for a in answers if a[0] >= 500]
    assert not server_errors, sorted({p for _, _, p in server_errors})
    assert {s for s, _, _ in answers} <= {101, 200, 204, 301, 302, 304, 400, 403, 404, 405, 413, 429, 431}, \
        sorted({s for s, _, _ in answers})
    log = "\n".join(server.log().splitlines()[before:])
    assert "Traceback" not in log, log[log.find("Traceback") - 2000:][:4000]
    assert "1" * 300 not in log and "a" * 300 not in log  # nothing long copied into the log
    # about one line a request (its access line); a refused key one more
    assert len(log.splitlines()) <= 3 * len(reqs), len(log.splitlines())
    # and the server still serves
    assert request(server, "GET", "/health").status == 200
    assert who(server, cookie) is not None


# -- the throttle, and two instances, on servers of their own ------------------------------------------

@pytest.fixture(scope="module")
def lone(tmp_path_factory, demo_db_master):
    from conftest import _copy_demo

    db = _copy_demo(demo_db_master, tmp_path_factory.mktemp("lone"))
    srv = Server(db, db.parent, pool_size=0)
    yield srv
    srv.stop()


def test_wrong_keys_are_throttled_per_address_but_a_right_key_always_signs_in(lone):
    keys = json.loads(keys_path(lone.db).read_text(encoding="utf-8"))
    wrong = [post_form(lone, "/login", {"key": f"1.guess{i}"}, source="127.0.0.9").status for i in range(12)]
    assert wrong[:9] == [403] * 9 and wrong[9:] == [429] * 3
    assert "10分" not in post_form(lone, "/login", {"key": "1.x"}, source="127.0.0.9").text  # no lock-out said
    # the right key, from that same address (a whole office behind one NAT), at once
    resp = post_form(lone, "/login", {"key": keys["officer"]}, source="127.0.0.9")
    assert resp.status == 302 and session_cookie(resp)
    assert request(lone, "GET", f"{REVIEW}?key={keys['officer']}", source="127.0.0.9").status == 302
    assert request(lone, "GET", "/login", source="127.0.0.9").status == 200  # the form, to type the right key
    # another address is not touched
    assert post_form(lone, "/login", {"key": "1.other"}, source="127.0.0.10").status == 403
    log = lone.log()
    assert log.count("sign-in refused: wrong, revoked or disabled key from 127.0.0.9") == 10  # not past the limit
    assert log.count("sign-in refused: too many failures from 127.0.0.9") == 1


def test_many_addresses_meet_a_cap_across_the_server_logged_once_a_minute(lone):
    """Run after the test above: 127.0.0.9 is past its limit already."""
    keys = json.loads(keys_path(lone.db).read_text(encoding="utf-8"))
    statuses = []
    for n in range(16):  # 16 addresses x 9 wrong keys: none past its own limit
        for i in range(9):
            statuses.append(request(lone, "GET", f"/login?key=1.walk{n}x{i}", source=f"127.0.1.{n + 1}").status)
    # the cap is 120 a minute, the 120th gets 429 (as the 10th from one address); the test above made 14
    first = statuses.index(429)
    assert first == 120 - 14 - 1 and set(statuses[first:]) == {429}, statuses
    fresh = request(lone, "GET", "/login?key=1.fresh", source="127.0.2.1")
    assert fresh.status == 429  # an address never seen: the server-wide cap
    right = request(lone, "GET", f"/login?key={keys['contractor']}", source="127.0.2.1")
    assert right.status == 302 and session_cookie(right)  # and still, a right key signs in
    log = lone.log()
    assert log.count("sign-in refused: wrong") <= 121  # a line each up to the cap, then none
    assert "further wrong keys are refused with 429 and logged once a minute" in log


def test_unit_throttle_counts_ipv6_by_64_and_summarises():
    now = [0.0]
    t = Throttle(allowed=3, window=600, server_cap=100, clock=lambda: now[0])
    assert [t.fail(f"2001:db8::{i}") for i in range(4)] == [True, True, True, False]
    assert t.blocked("2001:db8::ffff") and not t.blocked("2001:db8:0:1::1")
    assert t.summary() == ("1 more wrong key(s) from 1 address(es) in the last minute, refused with 429 "
                           "(2001:db8::/64 1)")
    assert t.summary() == ""
    now[0] = 601
    assert not t.blocked("2001:db8::1")


@pytest.mark.browser
def test_two_instances_on_two_ports_keep_their_own_sign_in(lone, demo_db, tmp_path, browser):
    keys = json.loads(keys_path(lone.db).read_text(encoding="utf-8"))
    other_keys = json.loads(keys_path(demo_db).read_text(encoding="utf-8"))
    second = Server(demo_db, tmp_path, pool_size=0)
    try:
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{lone.base}/login#key={keys['officer']}", timeout=READY)
        page.wait_for_url(f"{lone.base}{REVIEW}", timeout=READY)
        page.goto(f"{second.base}/login", timeout=READY)  # the other instance's sign-in page...
        page.goto(f"{second.base}/login#key={other_keys['contractor']}", timeout=READY)  # ...and signing in there
        page.wait_for_url(f"{second.base}{REVIEW}", timeout=READY)
        names = sorted(c["name"] for c in context.cookies() if "planner_session" in c["name"])
        assert names == sorted([f"planner_session_{lone.port}", f"planner_session_{second.port}"])
        with planner.open_store(lone.db) as store:
            shown = store.display_names()
        for srv, expected in ((lone, shown["officer"]), (second, shown["contractor"])):
            resp = context.request.get(f"{srv.base}/logout", max_redirects=0)
            assert resp.status == 200 and f"{expected} としてサインインしています" in resp.text()
        context.close()
    finally:
        second.stop()


def test_the_once_a_minute_line_counts_what_was_not_logged(lone):
    """Last: the summary of the wrong keys past the limits, a minute after the first of them."""
    end = time.monotonic() + 75
    while time.monotonic() < end and "more wrong key(s) from" not in lone.log():
        time.sleep(1)
    (line,) = [x for x in lone.log().splitlines() if "more wrong key(s) from" in x]
    total = int(re.search(r"sign-in refused: (\d+) more wrong key", line).group(1))
    assert total >= 12 and "refused with 429" in line
    assert "Traceback" not in lone.log()
