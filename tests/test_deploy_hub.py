"""planner as a JupyterHub service: a real hub (PyPI jupyterhub, configurable-http-proxy from npm, the
dummy authenticator), a secretariat and an officer through the hub's login to their apps in Chromium;
an unmapped hub user refused; forged OAuth state and hub cookies; the service's token kept from kernels."""

from __future__ import annotations

import http.client
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from browser_support import READY, Server, free_port, pick
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parent.parent
CHP = ROOT / "node_modules" / ".bin" / "configurable-http-proxy"
HUB = Path(sys.executable).parent / "jupyterhub"
pytestmark = [
    pytest.mark.server,  # the tests that also drive Chromium are marked browser one by one
    pytest.mark.skipif(not CHP.exists(), reason="needs configurable-http-proxy (scripts/setup.sh: npm)"),
    pytest.mark.skipif(not HUB.exists(), reason="needs jupyterhub (pip install -e '.[test]')"),
]
PREFIX = "/services/planner/"
APP = f"{PREFIX}voila/render/secretariat.ipynb"
REVIEW = f"{PREFIX}voila/render/review.ipynb"
PASSWORD = "hub-test-" + secrets.token_hex(4)

HUB_CONFIG = """
c.JupyterHub.bind_url = "http://127.0.0.1:{proxy_port}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub_port}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.command = [{chp!r}]
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {password!r}
c.Authenticator.allow_all = True
c.JupyterHub.db_url = "sqlite:///{folder}/hub.sqlite"
c.JupyterHub.cookie_secret_file = "{folder}/cookie_secret"
c.JupyterHub.pid_file = "{folder}/hub.pid"
"""


def dropin_environment() -> dict[str, str]:
    """The Environment= lines of deploy/planner-hub.conf."""
    text = (ROOT / "deploy" / "planner-hub.conf").read_text(encoding="utf-8")
    return dict(line.removeprefix("Environment=").split("=", 1) for line in text.splitlines()
                if line.startswith("Environment="))


def dropin_flags() -> tuple[str, ...]:
    """The options deploy/planner-hub.conf starts planner serve with, past the port."""
    text = (ROOT / "deploy" / "planner-hub.conf").read_text(encoding="utf-8")
    [command] = [line for line in text.splitlines() if line.startswith("ExecStart=/")]
    flags = command.split(" serve ", 1)[1].split()
    assert flags[:2] == ["--port", "8866"]
    return tuple(flags[2:])


def add_user(db: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PLANNER_DB"}
    subprocess.run([sys.executable, "-m", "planner", "users", "add", *args, "--db", str(db)], check=True,
                   capture_output=True, env=env, timeout=60)


def get(port: int, path: str, cookie: str = "") -> http.client.HTTPResponse:
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    con.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    resp = con.getresponse()
    resp.text = resp.read().decode("utf-8", "replace")  # type: ignore[attr-defined]
    con.close()
    return resp


def wait_for(port: int, path: str, proc: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"jupyterhub exited: {log.read_text(errors='replace')[-3000:]}")
        try:
            if get(port, path).status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"jupyterhub did not start: {log.read_text(errors='replace')[-3000:]}")


@pytest.fixture(scope="module")
def hub(demo_db_module: Path, tmp_path_factory):
    folder = tmp_path_factory.mktemp("hub")
    db = demo_db_module
    add_user(db, "hub-kansai", "--role", "secretariat", "--consortium", "kansai", "--hub-name", "kansai.staff")
    add_user(db, "hub-officer", "--role", "officer", "--hub-name", "officer.staff", "--display-name", "JETRO 本部")
    proxy_port, hub_port, api_port, planner_port = free_port(), free_port(), free_port(), free_port()
    token = secrets.token_hex(32)
    (folder / "planner-service-token").write_text(token + "\n", encoding="utf-8")
    # the service part as shipped in deploy/, pointed at this test's token file and planner's port
    shipped = (ROOT / "deploy" / "jupyterhub_config_planner.py").read_text(encoding="utf-8")
    for old, new in (("/etc/jupyterhub/planner-service-token", str(folder / "planner-service-token")),
                     ("http://127.0.0.1:8866", f"http://127.0.0.1:{planner_port}")):
        assert old in shipped
        shipped = shipped.replace(old, new)
    (folder / "jupyterhub_config.py").write_text(HUB_CONFIG.format(
        proxy_port=proxy_port, hub_port=hub_port, api_port=api_port, chp=str(CHP), password=PASSWORD,
        folder=folder) + shipped, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTERHUB_")}
    env["CONFIGPROXY_AUTH_TOKEN"] = secrets.token_hex(32)
    log = folder / "hub.log"
    proc = subprocess.Popen([str(HUB), "-f", str(folder / "jupyterhub_config.py")], cwd=folder, env=env,
                            stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)
    srv = None
    try:
        wait_for(proxy_port, "/hub/health", proc, log)
        # the environment deploy/planner-hub.conf gives planner.service, with this hub's port and token
        service_env = {**dropin_environment(), "JUPYTERHUB_API_TOKEN": token,
                       "JUPYTERHUB_API_URL": f"http://127.0.0.1:{hub_port}/hub/api",
                       # what a hub user's own server has, and planner must never believe
                       "JUPYTERHUB_USER": "officer.staff"}
        assert service_env["JUPYTERHUB_SERVICE_PREFIX"] == PREFIX
        srv = Server(db, folder, extra=dropin_flags(), env=service_env, port=planner_port)
        yield srv, proxy_port, log
    finally:
        if srv is not None:
            srv.stop()
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()


def hub_sign_in(page, proxy_port: int, path: str, hub_user: str) -> None:
    """From an app's address, through planner's sign-in page and the hub's login form."""
    page.goto(f"http://127.0.0.1:{proxy_port}{path}", timeout=READY)
    page.get_by_role("link", name="JupyterHub でサインイン").click()
    page.locator("#username_input").fill(hub_user)
    page.locator("#password_input").fill(PASSWORD)
    page.locator("#login_submit").click()


@pytest.mark.browser
def test_a_secretariat_and_an_officer_sign_in_through_the_hub(browser, hub):
    srv, proxy_port, _ = hub
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        hub_sign_in(page, proxy_port, APP, "kansai.staff")
        page.locator(".pl-left-value").wait_for(timeout=READY)
        assert page.url == f"http://127.0.0.1:{proxy_port}{APP}"
        assert page.locator(".pl-left-value").inner_text() == "10"
        expect(page.locator("body")).to_contain_text("関西コンソーシアム")
        [cookie] = [c for c in context.cookies() if c["name"].startswith("planner_session_")]
        # Secure (--secure-cookie): HTTPS ends in front of the hub; Chromium keeps it for 127.0.0.1 all the same
        assert cookie["httpOnly"] and cookie["secure"] and cookie["path"] == PREFIX
        # planner keeps no hub token: only its own session cookie is set for the service
        assert not [c for c in context.cookies() if c["name"] == "service-planner"]
        pick(page, 3, 1, 1)  # ③ online, 5 points: the kernel's websocket through the hub's proxy
        page.locator(".pl-add").click()
        expect(page.locator(".pl-left-value")).to_have_text("5")
        page.locator(".pl-save").click()
        expect(page.locator(".pl-actions-note")).to_contain_text("下書きを保存しました")
    finally:
        context.close()

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        hub_sign_in(page, proxy_port, REVIEW, "officer.staff")
        page.locator(".rv-overview-row").first.wait_for(timeout=READY)
        expect(page.locator(".rv-overview-row")).to_have_count(6)
        # the same sign-out as a key's session: the planner session ends
        page.locator("a.pl-signout-a").click()
        page.wait_for_url(f"**{PREFIX}login*")
        page.goto(f"http://127.0.0.1:{proxy_port}{REVIEW}", timeout=READY)
        expect(page.locator("h1")).to_have_text("サインイン")
    finally:
        context.close()
    log = srv.log()
    assert "sign-in: hub-kansai (secretariat) from 127.0.0.1 via JupyterHub kansai.staff" in log
    assert "sign-in: hub-officer (officer) from 127.0.0.1 via JupyterHub officer.staff" in log
    assert "sign-out: hub-officer" in log


@pytest.mark.browser
def test_an_unmapped_hub_user_is_refused_and_logged(browser, hub):
    srv, proxy_port, _ = hub
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        hub_sign_in(page, proxy_port, APP, "stranger")
        expect(page.locator(".msg")).to_contain_text("planner の利用者として登録されていません")
        assert not [c for c in context.cookies() if c["name"].startswith("planner_session")]
    finally:
        context.close()
    assert "sign-in refused: JupyterHub user stranger is not a planner user from 127.0.0.1" in srv.log()


def test_the_english_page_says_it_in_english(hub):
    srv, _, _ = hub
    resp = get(srv.port, f"{PREFIX}login?problem=hub_unmapped&lang=en")
    assert "is not registered as a planner user" in resp.text and "Sign in with JupyterHub" in resp.text


def test_a_forged_oauth_state_or_code_opens_nothing(hub):
    srv, proxy_port, _ = hub
    before = srv.log().count("Kernel started")
    for path, cookie in ((f"{PREFIX}oauth_callback?code=abc&state=forged", ""),
                         (f"{PREFIX}oauth_callback?code=abc&state=forged", "service-planner-oauth-state=forged"),
                         (f"{PREFIX}oauth_callback?state=forged", "service-planner-oauth-state=forged"),
                         (f"{PREFIX}oauth_callback", "")):
        resp = get(proxy_port, path, cookie)
        assert resp.status == 403, (path, resp.status)
        assert "planner_session" not in (resp.getheader("Set-Cookie") or "")
        assert "JupyterHub でのサインインを確認できませんでした" in resp.text
    assert srv.log().count("sign-in refused: JupyterHub sign-in with a missing or wrong OAuth state") >= 4
    assert srv.log().count("Kernel started") == before


def test_a_real_state_with_a_made_up_code_is_refused_by_the_hub(hub):
    srv, proxy_port, _ = hub
    resp = get(proxy_port, f"{PREFIX}hub-login")
    assert resp.status == 302 and "/hub/api/oauth2/authorize" in resp.getheader("Location")
    state_cookie = resp.getheader("Set-Cookie").split(";", 1)[0]
    state = resp.getheader("Location").split("state=", 1)[1].split("&", 1)[0]
    resp = get(proxy_port, f"{PREFIX}oauth_callback?code=made-up&state={state}", state_cookie)
    assert resp.status == 403 and "planner_session" not in (resp.getheader("Set-Cookie") or "")
    assert "sign-in refused: JupyterHub did not confirm the sign-in" in srv.log()


def test_hub_cookies_and_jupyterhub_user_are_not_a_session(hub):
    srv, proxy_port, _ = hub
    forged = "jupyterhub-session-id=abc; service-planner=forged; jupyterhub-hub-login=forged"
    resp = get(proxy_port, APP, forged)
    assert resp.status == 302 and "/login" in resp.getheader("Location")
    resp = get(proxy_port, f"{PREFIX}api/kernels/00000000-0000-4000-8000-000000000000", forged)
    assert resp.status in (302, 403)
    # JUPYTERHUB_USER=officer.staff is in the server's environment: it opens nothing either
    resp = get(srv.port, REVIEW)
    assert resp.status == 302 and "/login" in resp.getheader("Location")


def test_kernels_run_as_the_service_and_never_see_its_hub_token(hub):
    srv, _, _ = hub
    pids = srv.kernel_pids()
    assert pids  # the warm kernels
    server_uid = Path(f"/proc/{srv.proc.pid}/status").read_text().split("Uid:\t", 1)[1].split("\t", 1)[0]
    for pid in pids:
        status = Path(f"/proc/{pid}/status").read_text()
        assert status.split("Uid:\t", 1)[1].split("\t", 1)[0] == server_uid
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        assert not [v for v in environ if v.startswith(b"JUPYTERHUB_")], "a kernel inherited the hub settings"
