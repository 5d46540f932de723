"""planner as a JupyterHub service: a real hub (PyPI jupyterhub, configurable-http-proxy from npm, the
dummy authenticator) that has a service and a role of its own, which deploy/jupyterhub_config_planner.py
keeps (loaded twice, as shipped); a secretariat and an officer through the hub's login to their apps in
Chromium; an unmapped hub user refused; forged OAuth state and hub cookies; the service's token kept from
kernels. The configuration's merging is also checked without a hub, in every way a hub may load it."""

from __future__ import annotations

import http.client
import json
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
SHIPPED = ROOT / "deploy" / "jupyterhub_config_planner.py"
SCOPE = "access:services!service=planner"
# the analysts' hub before planner: a service of its own (an idle culler's token) and its role
CULLER_TOKEN = secrets.token_hex(32)
CULLER_ROLE = {"name": "idle-culler", "scopes": ["list:users", "read:users:activity", "admin:servers", "list:services"],
               "services": ["idle-culler"]}
EXISTING = f"""
c.JupyterHub.services = [{{"name": "idle-culler", "api_token": {CULLER_TOKEN!r}}}]
c.JupyterHub.load_roles = [{CULLER_ROLE!r}]
"""
# the line the README adds at the end of the hub's jupyterhub_config.py: run in that file's namespace, so
# that it sees what the hub set; and the other way a hub may load it
INLINE = f"exec(open({str(SHIPPED)!r}, encoding='utf-8').read())\n"
SUBCONFIG = f"load_subconfig({str(SHIPPED)!r})\n"

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


def unit_environment() -> dict[str, str]:
    """The JUPYTERHUB_* Environment= lines of deploy/planner-hub.service (the rest are the server's paths)."""
    text = (ROOT / "deploy" / "planner-hub.service").read_text(encoding="utf-8")
    pairs = (line.removeprefix("Environment=").split("=", 1) for line in text.splitlines()
             if line.startswith("Environment="))
    return {k: v for k, v in pairs if k.startswith("JUPYTERHUB_")}


def unit_flags() -> tuple[str, ...]:
    """The options deploy/planner-hub.service starts planner serve with, past the port."""
    text = (ROOT / "deploy" / "planner-hub.service").read_text(encoding="utf-8")
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
    # the hub's own configuration, then the service part as shipped in deploy/, added as the README says
    # (and by mistake a second time), pointed at this test's token file and planner's port by the hub's
    # environment
    (folder / "jupyterhub_config.py").write_text(HUB_CONFIG.format(
        proxy_port=proxy_port, hub_port=hub_port, api_port=api_port, chp=str(CHP), password=PASSWORD,
        folder=folder) + EXISTING + INLINE * 2, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTERHUB_")}
    env["CONFIGPROXY_AUTH_TOKEN"] = secrets.token_hex(32)
    env["PLANNER_SERVICE_TOKEN_FILE"] = str(folder / "planner-service-token")
    env["PLANNER_SERVICE_URL"] = f"http://127.0.0.1:{planner_port}"
    log = folder / "hub.log"
    proc = subprocess.Popen([str(HUB), "-f", str(folder / "jupyterhub_config.py")], cwd=folder, env=env,
                            stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)
    srv = None
    try:
        wait_for(proxy_port, "/hub/health", proc, log)
        # the environment deploy/planner-hub.service gives planner serve, with this hub's port and token
        # (what /etc/planner/hub.env sets)
        service_env = {**unit_environment(), "JUPYTERHUB_API_TOKEN": token,
                       "JUPYTERHUB_API_URL": f"http://127.0.0.1:{hub_port}/hub/api",
                       # what a hub user's own server has, and planner must never believe
                       "JUPYTERHUB_USER": "officer.staff"}
        assert service_env["JUPYTERHUB_SERVICE_PREFIX"] == PREFIX
        srv = Server(db, folder, extra=unit_flags(), env=service_env, port=planner_port)
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


def hub_api(port: int, path: str, token: str) -> tuple[int, dict]:
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    con.request("GET", f"/hub/api{path}", headers={"Authorization": f"token {token}"})
    resp = con.getresponse()
    body = resp.read().decode("utf-8", "replace")
    con.close()
    return resp.status, json.loads(body) if body.startswith(("{", "[")) else {}


def test_the_hub_keeps_its_own_service_and_role_beside_planner(hub):
    _, proxy_port, log = hub
    # the culler's token still works, with its role's scopes: its service and role were kept
    status, services = hub_api(proxy_port, "/services", CULLER_TOKEN)
    assert status == 200, (status, services)
    assert sorted(services) == ["idle-culler", "planner"]
    status, me = hub_api(proxy_port, "/user", CULLER_TOKEN)
    assert status == 200 and me["kind"] == "service" and me["name"] == "idle-culler", me
    # the scopes of its role (expanded: admin:servers, list:users and what they hold)
    assert {"admin:servers", "list:users", "read:users:activity"} <= set(me["scopes"]), me
    # hub users got planner's scope on top of their own ("self"), not instead of it
    text = log.read_text(errors="replace")
    assert "multiply defined" not in text and "extra_user_scopes" not in text


# -- the configuration's merging, without a hub process -------------------------------------------------


def hub_settings(folder: Path, config: str, monkeypatch, version: tuple | None = None) -> dict:
    """What a hub makes of `config` (a jupyterhub_config.py): its services, roles and extra user scopes."""
    import jupyterhub
    from jupyterhub.app import JupyterHub
    from traitlets.config.loader import PyFileConfigLoader

    (folder / "planner-service-token").write_text("a" * 64 + "\n", encoding="ascii")
    monkeypatch.setenv("PLANNER_SERVICE_TOKEN_FILE", str(folder / "planner-service-token"))
    monkeypatch.delenv("PLANNER_SERVICE_URL", raising=False)
    if version is not None:
        monkeypatch.setattr(jupyterhub, "version_info", version)
    (folder / "jupyterhub_config.py").write_text(config, encoding="utf-8")
    hub = JupyterHub(config=PyFileConfigLoader("jupyterhub_config.py", path=str(folder)).load_config())
    return {"services": hub.services, "roles": hub.load_roles, "extra": set(hub.extra_user_scopes)}




def names(services: list[dict]) -> list[str]:
    return [s["name"] for s in services]


@pytest.mark.parametrize("include", [SUBCONFIG, INLINE], ids=["load_subconfig", "inline"])
def test_planner_is_added_to_the_hubs_services_and_roles(tmp_path, monkeypatch, include):
    got = hub_settings(tmp_path, EXISTING + include, monkeypatch)
    assert names(got["services"]) == ["idle-culler", "planner"]
    planner = got["services"][1]
    assert planner["url"] == "http://127.0.0.1:8866" and planner["api_token"] == "a" * 64
    assert planner["oauth_no_confirm"] is True
    assert got["roles"] == [CULLER_ROLE]
    assert got["extra"] == {SCOPE}


def test_loaded_twice_it_adds_planner_once(tmp_path, monkeypatch):
    got = hub_settings(tmp_path, EXISTING + INLINE * 2, monkeypatch)
    assert names(got["services"]) == ["idle-culler", "planner"] and got["extra"] == {SCOPE}
    # through load_subconfig each load sees a fresh `c`: the hub gets planner's entry twice, which it takes
    # as one, and the scope is in a set
    got = hub_settings(tmp_path, EXISTING + SUBCONFIG * 2, monkeypatch)
    assert set(names(got["services"])) == {"idle-culler", "planner"} and got["extra"] == {SCOPE}


def test_a_hub_that_redefines_its_user_role_keeps_that_role_with_planners_scope_added(tmp_path, monkeypatch):
    user_role = '\nc.JupyterHub.load_roles.append({"name": "user", "scopes": ["self", "read:groups"]})\n'
    got = hub_settings(tmp_path, EXISTING + user_role + INLINE * 2, monkeypatch)
    assert got["roles"] == [CULLER_ROLE, {"name": "user", "scopes": ["self", "read:groups", SCOPE]}]
    # the user role's scopes replace extra_user_scopes: planner's is in the role, not there
    assert got["extra"] == set()


def test_under_jupyterhub_5_the_default_user_role_gets_the_scope(tmp_path, monkeypatch):
    # JupyterHub 5 has no extra_user_scopes: the user role is redefined as the default ("self") plus planner's
    got = hub_settings(tmp_path, EXISTING + INLINE * 2, monkeypatch, version=(5, 2, 1, "", ""))
    assert got["roles"] == [CULLER_ROLE, {"name": "user", "scopes": ["self", SCOPE]}]
    assert got["extra"] == set()


def test_where_the_hub_finds_planner_comes_from_its_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_SERVICE_URL", "http://127.0.0.1:9000")
    from traitlets.config.loader import PyFileConfigLoader

    (tmp_path / "token").write_text("b" * 64, encoding="ascii")
    monkeypatch.setenv("PLANNER_SERVICE_TOKEN_FILE", str(tmp_path / "token"))
    (tmp_path / "jupyterhub_config.py").write_text(SUBCONFIG, encoding="utf-8")
    config = PyFileConfigLoader("jupyterhub_config.py", path=str(tmp_path)).load_config()
    from jupyterhub.app import JupyterHub

    [service] = JupyterHub(config=config).services
    assert service["url"] == "http://127.0.0.1:9000" and service["api_token"] == "b" * 64
