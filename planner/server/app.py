"""`planner serve`: Voilà on 127.0.0.1 serving notebooks/ (the secretariat and review apps).

Voilà runs in this process rather than as a `voila` subprocess because the access-log function
that keeps keys out of the logs is a Python callable, which no command-line flag can carry.

Behind a reverse proxy (deploy/nginx-planner.conf) the server also listens on a Unix socket that only
the proxy can open (`--proxy-socket`). Only there are X-Real-IP and X-Forwarded-Proto believed: on the
TCP port anyone on the machine could send them, and the sign-in throttle and the Secure cookie flag
would then follow whatever a stranger wrote.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import signal
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tornado import web

from ..demo import keys_path
from ..links import key_link
from . import channels, handoff, identity, internals, kernels
from . import downloads as serve_downloads

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
# Voilà finds templates in the Jupyter data path: ours ("planner") is the lab template without CDN requests
SHARE = Path(__file__).resolve().parents[1] / "share" / "jupyter"
TEMPLATE = "planner"
# Uploads are refused above 10 MB in the kernel, with a message; the socket must let such a file
# through (base64 and JSON framing add about a third) so that the refusal can be said at all.
WEBSOCKET_MAX_MESSAGE_SIZE = 64 * 1024 * 1024
APPS = {"secretariat": "secretariat.ipynb", "review": "review.ipynb"}
# warm kernels kept for each app (`--pool-size`): one for each of the six secretariats, so that all
# six opening the app at once each get one (bench/bench_browser.py; README, Performance)
POOL_SIZE = 6
CULL_AFTER = 30 * 60  # seconds a kernel with no page connected is kept
ACTIVITY_POLL = 2  # seconds between reads of the store's new actions and refusals, for the log

_KEY = re.compile(r"((?:^|[?&#\s\"'])key=)[^&\s\"'#]*", re.IGNORECASE)
# kernel ids (and any other UUID: session ids of the websocket protocol) never reach a log
_UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.IGNORECASE)
access_log = logging.getLogger("planner.serve.access")
PATH_LOGGED = 200  # characters of a request's path in its log line


def redact(text: str) -> str:
    """Hide access keys and kernel ids in a log line: `?key=12.abc` becomes `?key=[redacted]`, a
    kernel id `[kernel]`."""
    return _UUID.sub("[kernel]", _KEY.sub(r"\1[redacted]", text))


class RedactKeys(logging.Filter):
    """On every log handler: whatever logger a line comes from, a key in it is hidden."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is not ours to fix; let logging report it
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


class QuietRefusals(logging.Filter):
    """Tornado's own warning for a request refused with a 4xx (`403 POST /login (ip): reason`): the
    access line already says it, so a stranger's odd requests make one line each, not two."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        return not (isinstance(record.msg, str) and record.msg.startswith("%d %s: ") and args
                    and isinstance(args[0], int) and 400 <= args[0] < 500)


def log_request(handler: Any) -> None:
    """Tornado's access log line, but with the path only: the query string may hold a key."""
    request = handler.request
    status = handler.get_status()
    level = logging.INFO if status < 400 else logging.WARNING if status < 500 else logging.ERROR
    query = "?[…]" if request.query else ""
    path = redact(request.path)
    if len(path) > PATH_LOGGED:  # a stranger's 8,000-character path is not copied into the log
        path = path[:PATH_LOGGED] + "[…]"
    access_log.log(level, "%d %s %s%s %.1fms", status, request.method, path, query,
                   1000.0 * request.request_time())


def _install_redaction(*loggers: logging.Logger) -> None:
    flt = RedactKeys()
    root = logging.getLogger()
    if not root.handlers:
        # without a handler of its own, a library's warning goes to logging's last resort, which no
        # filter can reach (jupyter_server logs refused kernel requests there, with the kernel id)
        h = logging.StreamHandler(sys.stderr)
        h.setLevel(logging.WARNING)
        root.addHandler(h)
    logging.getLogger("tornado.general").addFilter(QuietRefusals())
    seen: set[int] = set()
    for lg in (logging.getLogger(), *loggers, logging.getLogger("tornado.access"),
               logging.getLogger("tornado.application"), logging.getLogger("tornado.general")):
        for h in lg.handlers:
            if id(h) not in seen:
                seen.add(id(h))
                h.addFilter(flt)


class BaseUrlError(ValueError):
    """A `--base-url` that is not a plain path."""


def normalize_base_url(text: str) -> str:
    """`planner`, `/planner` or `/planner/` -> `/planner/`: the form Voilà and the cookie path need.
    Only letters, digits and - _ . / are allowed, so the value can be put in nginx's config and in a
    cookie path as it is."""
    parts = [p for p in (text or "/").strip().split("/") if p]
    if any(p in (".", "..") or not re.fullmatch(r"[A-Za-z0-9._-]+", p) for p in parts):
        raise BaseUrlError(text)
    return "/" + "".join(f"{p}/" for p in parts)


def app_urls(port: int, db: Path, base_url: str = "/", origin: str = "") -> list[tuple[str, str, str]]:
    """(user, role description, key link) for each demo user, from the demo keys file next to the store."""
    base = f"{origin or f'http://127.0.0.1:{port}'}{base_url}"
    path = keys_path(db)
    if not path.exists():
        return []
    keys: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for user, key in keys.items():
        if user.startswith("secretariat-"):
            out.append((user, "事務局 / secretariat", key_link(base, key)))
        elif user in ("officer", "contractor"):
            out.append((user, "レビュー / review", key_link(base, key)))
    return out


def _print_urls(port: int, db: Path, lang: str, base_url: str = "/", proxy_socket: str = "") -> None:
    base = f"http://127.0.0.1:{port}{base_url}"
    ja = lang != "en"
    print("planner serve: " + ("起動しました。" if ja else "running."), flush=True)
    print(("  事務局アプリ: " if ja else "  Secretariat app: ") + f"{base}voila/render/{APPS['secretariat']}")
    print(("  レビューアプリ: " if ja else "  Review app: ") + f"{base}voila/render/{APPS['review']}")
    if proxy_socket:
        print(f"  リバースプロキシ用ソケット: {proxy_socket}" if ja
              else f"  Socket for the reverse proxy: {proxy_socket}")
    print(f"  死活監視: {base}health" if ja else f"  Health check: {base}health")
    demo = app_urls(port, db, base_url)
    if demo:
        print("  デモ利用者のサインイン用リンク（このキーはデモ用です）:" if ja
              else "  Demo users' sign-in links (demo keys):")
        for user, role, url in demo:
            print(f"    {user:22} {role:20} {url}")
    else:
        print("  サインイン用リンクは `planner users link USER --public-url URL` で作ります。" if ja
              else "  Make sign-in links with `planner users link USER --public-url URL`.")
    print("  止めるには Ctrl+C" if ja else "  Stop with Ctrl+C", flush=True)


def app_root(notebooks: Path, apps: tuple[str, ...] = tuple(APPS.values())) -> Path:
    """A private folder holding only the app notebooks.

    Voilà serves, and with preheating runs ahead of time, every notebook under its root: the analysts'
    notebooks in notebooks/ (which read every plan, and write fiscal-year files) must never run there.
    """
    root = Path(tempfile.mkdtemp(prefix="planner-apps-"))
    for name in apps:
        if (notebooks / name).exists():
            shutil.copy2(notebooks / name, root / name)
    return root


@dataclass(frozen=True)
class Limits:
    """What `planner serve` allows: session lengths and kernel caps (options of the command)."""

    idle_timeout: int = identity.IDLE_TIMEOUT
    max_age: int = identity.MAX_AGE
    max_kernels: int = kernels.MAX_KERNELS
    max_kernels_per_user: int = kernels.MAX_KERNELS_PER_USER
    page_gone_after: int = kernels.PAGE_GONE_AFTER


@dataclass(frozen=True)
class Site:
    """Where `planner serve` is reached: its base URL (under a proxy: `/planner/`) and the Unix socket
    the reverse proxy connects to (empty: none, the server is reached on 127.0.0.1 only)."""

    base_url: str = "/"
    proxy_socket: str = ""
    hub: bool = False  # also sign in through JupyterHub's OAuth (planner as a hub service)
    secure_cookie: bool = False  # the session cookie is Secure whatever the request's scheme


def voila_config(port: int, notebooks: Path, pool_size: int, apps: tuple[str, ...] = tuple(APPS.values()),
                 cull_after: int = CULL_AFTER, db: Path | None = None, limits: Limits = Limits(),
                 site: Site = Site()) -> Any:
    from traitlets.config import Config

    c = Config()
    c.Voila.base_url = site.base_url
    c.PlannerVoila.proxy_socket = site.proxy_socket
    c.PlannerIdentity.hub = site.hub
    c.PlannerIdentity.secure_cookie = site.secure_cookie
    c.Voila.identity_provider_class = identity.PlannerIdentity
    # a page's messages to its kernel, limited per session (a flood of widget messages is dropped)
    c.Voila.kernel_websocket_connection_class = channels.LimitedChannels
    c.Voila.authorizer_class = kernels.PlannerAuthorizer
    c.PlannerIdentity.db = str(db or "")
    c.PlannerIdentity.idle_timeout = limits.idle_timeout
    c.PlannerIdentity.max_age = limits.max_age
    c.Voila.ip = "127.0.0.1"
    c.Voila.port = port
    c.Voila.port_retries = 0  # the printed URLs must be the real ones
    c.Voila.open_browser = False
    c.Voila.root_dir = str(notebooks)
    # no voila.json from the working directory may switch the settings below back
    c.Voila.config_file_paths = []
    c.Voila.tornado_settings = {
        "websocket_max_message_size": WEBSOCKET_MAX_MESSAGE_SIZE,
        "planner_max_kernels": limits.max_kernels,
        "planner_max_kernels_per_user": limits.max_kernels_per_user,
        "planner_page_gone_after": limits.page_gone_after,
        "log_function": log_request,
        # no address of the apps is handed to another site as a Referer; "no-referrer" would also make
        # the browser send `Origin: null` with the sign-in form, which the XSRF check then refuses
        "headers": {"Referrer-Policy": "same-origin"},
    }
    vc = c.VoilaConfiguration
    vc.multi_kernel_manager_class = kernels.PlannerKernelManager
    # how the kernel learns who is there: a header the server sets from the session it checked
    vc.http_header_envs = [handoff.SESSION_HEADER]
    vc.template = TEMPLATE
    # <html lang>: the apps are Japanese unless `?lang=en` (the template's script switches it then)
    c.VoilaExporter.language_code = "ja"
    vc.show_tracebacks = False
    vc.strip_sources = True
    vc.allow_template_override = "NO"
    vc.allow_theme_override = "NO"
    vc.preheat_kernel = pool_size > 0
    vc.default_pool_size = pool_size
    # only the apps get warm kernels: preheating runs a notebook whole, and an analyst's notebook
    # (pandas, charts) refilled after every visit would eat the CPU the apps need
    # A page that is left sends its kernel's shutdown (accepted from its owner: kernels.py). A page that
    # vanishes without it (a crash, a lost network) leaves its kernel: kernels idle this long with no
    # page connected are shut down; a page left open stays connected and is never culled, and the warm
    # kernels wait inside their cell (busy), which the culler leaves alone.
    c.MappingKernelManager.cull_idle_timeout = cull_after
    c.MappingKernelManager.cull_interval = max(1, min(60, cull_after // 2))
    c.MappingKernelManager.cull_connected = False
    c.MappingKernelManager.cull_busy = False
    # kernels talk to the server over Unix sockets in Voilà's private folder, not TCP on 127.0.0.1
    # (kernels.PlannerKernelManager): a kernel's output stream needs no key to be read
    c.KernelManager.transport = "ipc"
    c.VoilaKernelManager.fill_delay = 0  # pools.PlannerPools decides when a refill starts
    c.VoilaKernelManager.kernel_pools_config = {
        "default": {"pool_size": 0},
        # PLANNER_APP: which app's pool started a kernel, for whoever reads /proc/<pid>/environ
        **{nb: {"pool_size": pool_size, "kernel_env_variables": {"PLANNER_APP": nb}} for nb in apps},
    }
    return c


class HealthHandler(web.RequestHandler):
    """`GET {base}health`: for a monitor, without a session. It says only whether the server answers
    and its store can be read: nothing about plans, users or sessions."""

    def get(self) -> None:
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        try:
            ok = self.settings["identity_provider"].store.healthy()
        except Exception:  # whatever went wrong, the monitor learns only that it did
            ok = False
        self.set_status(200 if ok else 503)
        self.finish(json.dumps({"status": "ok" if ok else "unavailable"}))

    def head(self) -> None:
        self.get()


def _planner_voila() -> Any:
    """Voilà with the app pages, kernel handoff and shutdown answered by planner's handlers."""
    from jupyter_server.utils import url_path_join
    from tornado.httpserver import HTTPServer
    from tornado.netutil import bind_unix_socket
    from traitlets import Unicode
    from voila.app import Voila

    internals.replace_names()

    class PlannerVoila(Voila):
        proxy_socket = Unicode("", config=True, help="A Unix socket for the reverse proxy, which alone may "
                                                      "set X-Real-IP and X-Forwarded-Proto.")

        def init_settings(self) -> dict:
            settings = super().init_settings()
            # who owns each kernel: the kernel manager records it, every handler reads it here
            settings[kernels.SETTING] = self.kernel_manager.owners
            return settings

        def init_handlers(self) -> list:
            base = self.server_url or self.base_url
            health = (url_path_join(base, "/health"), HealthHandler)
            return [health, *serve_downloads.handlers(base), *internals.with_planner_handlers(super().init_handlers())]

        def _handle_signal_stop(self, sig: int, frame: Any) -> None:
            """SIGTERM (`systemctl stop`): the loop stops, then `stop` ends the kernels. Voilà's own
            handler logs a line of its own and calls a deprecated tornado method (a warning in the log)."""
            self.stopped_by = signal.Signals(sig).name
            loop = getattr(self, "ioloop", None)
            if loop is None:  # not serving yet: no kernel has started
                raise SystemExit(0)
            loop.asyncio_loop.call_soon_threadsafe(loop.stop)

        def stop(self) -> None:
            super().stop()
            # one line for the whole stop, after one line per kernel (jupyter_server's 「Kernel shutdown」)
            access_log.info("planner serve stopped (%s)", getattr(self, "stopped_by", "interrupted"))

        def listen(self) -> None:
            if self.proxy_socket:
                # group read-write: the proxy's user is put in the service's group (README, Deploying)
                sock = bind_unix_socket(self.proxy_socket, mode=0o660)
                HTTPServer(self.app, xheaders=True).add_socket(sock)
            super().listen()

    return PlannerVoila


def serve(port: int, db: Path, lang: str = "ja", pool_size: int = POOL_SIZE, notebooks: Path = NOTEBOOKS,
          apps: tuple[str, ...] = tuple(APPS.values()), cull_after: int = CULL_AFTER,
          limits: Limits = Limits(), site: Site = Site(), mail: Any = None) -> int:
    """Run Voilà until interrupted (with `mail`, a `planner.mail.sender.MailServer`, the mail sender
    too). Returns the exit status."""
    Voila = _planner_voila()
    # what the server and its kernels create (connection files, the kernels' sockets) is the server
    # user's alone; the proxy's socket is given its group explicitly (0660)
    os.umask(0o077)

    # kernels inherit the environment: this is how the apps find the store
    os.environ["PLANNER_DB"] = str(db.resolve())
    os.environ["PLANNER_LANG"] = lang
    os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(SHARE), os.environ.get("JUPYTER_PATH", "")) if p)
    root = app_root(notebooks, apps)
    app = Voila(config=voila_config(port, root, pool_size, apps, cull_after, db.resolve(), limits, site))
    app.initialize([str(root)])
    _install_redaction(app.log)
    access_log.setLevel(logging.INFO)
    if not access_log.handlers:
        h = logging.StreamHandler(sys.stderr)
        h.setFormatter(logging.Formatter("[planner %(asctime)s] %(message)s", "%H:%M:%S"))
        h.addFilter(RedactKeys())
        access_log.addHandler(h)
        access_log.propagate = False

    import tornado.ioloop

    from ..store import Store
    from .activity import ActivityLog

    activity = ActivityLog(Store(db))
    tornado.ioloop.PeriodicCallback(activity.poll, ACTIVITY_POLL * 1000).start()
    if mail is not None:
        from ..mail.sender import start as start_mail

        start_mail(db, mail)  # a daemon thread: it ends with the server
    # runs once the loop is up, i.e. after Voilà is listening, so the URLs printed work
    tornado.ioloop.IOLoop.current().add_callback(_print_urls, app.port, db, lang, site.base_url, site.proxy_socket)
    try:
        app.start()
    finally:
        shutil.rmtree(root, ignore_errors=True)
        if site.proxy_socket:
            Path(site.proxy_socket).unlink(missing_ok=True)
    return 0
