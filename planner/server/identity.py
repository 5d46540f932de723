"""Sign-in for `planner serve`: an access key opens a session; the session is a cookie.

jupyter_server's IdentityProvider is the hook Voilà calls on every request (pages, kernel websockets,
REST), so sign-in lives in one: it reads the session cookie and checks it against the store. What
jupyter_server does not have is written here: sessions kept in the store as hashes with an idle
timeout and a maximum age (its own login cookie is a signed user name, valid until the cookie secret
changes, which a revoked key or a disabled user could not end), access keys as the credential, a
session cookie named for its instance, and throttling of wrong keys. Reading a key link (the key after
`#`, posted by the sign-in page; asking first when the link came from another site) and the pages a
person reads (sign-in, sign-out, errors) are in pages.py. `get_user` only reads the cookie: nothing
signs in before the handler has decided it may. Under JupyterHub (planner as a hub service, `--hub`),
the hub's OAuth is a second way in (hub.py): it ends in the same kind of session, opened by
`start_session`.

The request handlers of those ways in are settings of the identity provider, as in jupyter_server
(`login_handler_class`, `logout_handler_class`, and here the hub's two), named by their dotted path so
that this module imports neither pages.py nor hub.py, which both import it.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from collections import deque
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from jupyter_server.auth.identity import IdentityProvider, User
from jupyter_server.utils import url_path_join
from tornado import web
from tornado.ioloop import IOLoop
from traitlets import Bool, Int, Type, Unicode

from ..errors import PlannerError, SessionEnded
from ..store import Store, session_ref
from .handoff import SESSION_HEADER

COOKIE = "planner_session"  # the start of the session cookie's name; the rest names the instance
IDLE_TIMEOUT = 30 * 60
MAX_AGE = 12 * 60 * 60
FAILURES_ALLOWED, FAILURE_WINDOW = 10, 10 * 60  # wrong keys from one address before 429
SERVER_CAP = 120  # wrong keys a minute from all addresses together before 429

log = logging.getLogger("planner.serve.access")


@dataclass
class SessionUser(User):
    """A signed-in person as the server knows them: the planner user and the session's ref."""

    session: str = ""
    role: str = ""


class Throttle:
    """Wrong keys, counted per client address and across the whole server.

    Keys are 192 random bits: nobody guesses one, so the throttle is against noise (a mistyped or
    revoked key, a script) and must never lock anyone out. A right key is always accepted; what is
    refused (429 rather than 403) are further wrong keys from an address that sent FAILURES_ALLOWED
    within FAILURE_WINDOW seconds, and any wrong key once the server has seen SERVER_CAP in the last
    minute from all addresses together (many addresses, e.g. all of 127.0.0.0/8, walk around the
    first). An IPv6 client counts by its /64: one machine holds a whole /64.

    Past those limits failures are no longer logged one by one: `fail` says whether to log the failure,
    and `summary` (called once a minute by the identity provider) says how many were not."""

    def __init__(self, allowed: int = FAILURES_ALLOWED, window: float = FAILURE_WINDOW,
                 server_cap: int = SERVER_CAP, clock: Any = time.monotonic):
        self.allowed, self.window, self.server_cap, self.clock = allowed, window, server_cap, clock
        self._failures: dict[str, deque[float]] = {}
        self._recent: deque[float] = deque()  # every failure of the last minute, any address
        self._quiet: dict[str, int] = {}  # address -> failures not logged since the last summary

    @staticmethod
    def source(address: str) -> str:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return address
        return str(ipaddress.ip_network(f"{ip}/64", strict=False)) if ip.version == 6 else str(ip)

    def _prune(self, now: float, address: str | None = None) -> None:
        while self._recent and now - self._recent[0] > 60:
            self._recent.popleft()
        q = self._failures.get(address or "")
        while q and now - q[0] > self.window:
            q.popleft()

    def blocked(self, address: str) -> bool:
        """Whether a wrong key from there is refused with 429 (a right key still signs in)."""
        now, src = self.clock(), self.source(address)
        self._prune(now, src)
        return len(self._failures.get(src, ())) >= self.allowed or len(self._recent) >= self.server_cap

    def fail(self, address: str) -> bool:
        """Count a wrong key from `address`; True if this failure is to be logged on its own."""
        was_blocked = self.blocked(address)
        now, src = self.clock(), self.source(address)
        self._failures.setdefault(src, deque()).append(now)
        self._recent.append(now)
        if len(self._failures) > 10_000:  # a bounded memory of addresses: the oldest ones go first
            self._failures.pop(next(iter(self._failures)))
        if was_blocked:
            self._quiet[src] = self._quiet.get(src, 0) + 1
            return False
        return True

    def summary(self) -> str:
        """What went unlogged since the last call ('' if nothing), and forget it."""
        if not self._quiet:
            return ""
        total, sources = sum(self._quiet.values()), len(self._quiet)
        top = ", ".join(f"{a} {n}" for a, n in sorted(self._quiet.items(), key=lambda x: -x[1])[:5])
        self._quiet.clear()
        return f"{total} more wrong key(s) from {sources} address(es) in the last minute, refused with 429 ({top})"


def _session_user(user: Any, ref: str) -> SessionUser:
    return SessionUser(username=user.name, name=user.display_name or user.name, session=ref, role=user.role)


def key_in(text: str) -> str:
    """An access key as typed, or taken out of a pasted key link (`#key=…`, or the older `?key=…`)."""
    text = text.strip()
    if "key=" in text:
        parts = urlsplit(text)
        for k, v in parse_qsl(parts.fragment, keep_blank_values=True) + parse_qsl(parts.query or text,
                                                                                 keep_blank_values=True):
            if k == "key":
                return v.strip()
    return text


def cookie_name(port: int, base_url: str, https: bool) -> str:
    """The session cookie's name, one per instance: browsers keep cookies per host, not per port, so
    two planner servers on one host (two ports, or two base URLs behind one proxy) with one name would
    each sign the browser out of the other. Over HTTPS the name has the `__Host-` prefix, which makes
    the browser accept it only Secure, with Path=/ and no Domain (no other site or path can set it)."""
    tag = "_".join(p for p in base_url.strip("/").split("/") if p)
    return ("__Host-" if https else "") + f"{COOKIE}_{port}" + (f"_{tag}" if tag else "")


class PlannerIdentity(IdentityProvider):
    """Who is behind a request: the live session its cookie names, or nobody."""

    db = Unicode("", config=True, help="The planner store (PLANNER_DB).")
    idle_timeout = Int(IDLE_TIMEOUT, config=True, help="Seconds without activity that end a session.")
    max_age = Int(MAX_AGE, config=True, help="Seconds after sign-in that end a session in any case.")
    hub = Bool(False, config=True, help="Also sign in through JupyterHub's OAuth (planner as a hub service).")
    secure_cookie = Bool(False, config=True, help="Always mark the session cookie Secure (HTTPS ends before a "
                                                  "proxy whose headers planner cannot believe, e.g. the hub's).")
    login_handler_class = Type("planner.server.pages.LoginHandler", klass=web.RequestHandler, config=True,
                               help="The sign-in page: `{base}login`.")
    logout_handler_class = Type("planner.server.pages.LogoutHandler", klass=web.RequestHandler, config=True,
                                help="Sign-out: `{base}logout`.")
    hub_login_handler_class = Type("planner.server.hub.HubLoginHandler", klass=web.RequestHandler, config=True,
                                   help="Off to the hub's OAuth (with `hub`): `{base}hub-login`.")
    hub_callback_handler_class = Type("planner.server.hub.HubCallbackHandler", klass=web.RequestHandler,
                                      config=True, help="Back from the hub's OAuth (with `hub`): "
                                                        "`{base}oauth_callback`.")

    def __init__(self, **kwargs: Any):
        kwargs.pop("token", None)  # Voilà offers its token setting; sign-in here is by access key only
        kwargs.pop("login_handler_class", None)  # and its own login page, which knows no access key
        super().__init__(**kwargs)
        self.throttle = Throttle()
        self._summary_due = False
        self._store: Store | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self.db or None)
        return self._store

    # jupyter_server asks these to decide whether to offer its own login and token
    @property
    def auth_enabled(self) -> bool:
        return True

    @property
    def login_available(self) -> bool:
        return True

    @property
    def logout_available(self) -> bool:
        return True

    def _token_default(self) -> str:
        return ""

    @property
    def base_url(self) -> str:
        """Where the apps are served: the sign-in pages and the session cookie live under it."""
        return self.parent.base_url if self.parent is not None else "/"

    def get_handlers(self) -> list[tuple[str, object]]:
        base = self.base_url
        handlers: list[tuple[str, object]] = [(url_path_join(base, "/login"), self.login_handler_class),
                                              (url_path_join(base, "/logout"), self.logout_handler_class)]
        if self.hub:
            handlers += [(url_path_join(base, "/hub-login"), self.hub_login_handler_class),
                         (url_path_join(base, "/oauth_callback"), self.hub_callback_handler_class)]
        return handlers

    def _cookie(self, handler: web.RequestHandler) -> tuple[str, dict[str, Any]]:
        """The session cookie's name and where it lives, for this request (cookie_name)."""
        https = handler.request.protocol == "https"
        port = getattr(self.parent, "port", 0) or 0
        if https:
            return cookie_name(port, self.base_url, True), {"path": "/", "secure": True}
        # under `--secure-cookie` (the hub's proxy ends TLS) the path stays the base URL: on the hub's
        # origin the users' own servers live under /user/, and must not be sent the session
        return cookie_name(port, self.base_url, False), {"path": self.base_url, "secure": self.secure_cookie}

    def get_user(self, handler: web.RequestHandler) -> SessionUser | None:
        # whatever a browser sent under this name is never passed on to a kernel
        if SESSION_HEADER in handler.request.headers:
            del handler.request.headers[SESSION_HEADER]
        user = self._from_cookie(handler)
        if user is not None:
            handler.request.headers[SESSION_HEADER] = user.session
        return user

    def _from_cookie(self, handler: web.RequestHandler) -> SessionUser | None:
        name, where = self._cookie(handler)
        token = handler.get_cookie(name)
        if not token:
            return None
        ref = session_ref(token)
        try:
            u = self.store.session_user(ref)
        except SessionEnded as exc:
            handler.planner_problem = f"ended:{exc.reason}"  # type: ignore[attr-defined]
            # Only a page the person opens drops the dead cookie. A page left from the ended session
            # still sends its own requests (a kernel shutdown on unload, a poll) with the old cookie; had
            # their answers cleared it, one racing a new sign-in in the same browser deleted the new
            # session's cookie, which has the same name, and the app opened on the sign-in page.
            if handler.request.headers.get("Sec-Fetch-Mode", "navigate") == "navigate":
                handler.clear_cookie(name, **where)
            return None
        return _session_user(u, ref)

    def _failed(self, handler: web.RequestHandler, why: str) -> None:
        """A wrong key (or a refused hub sign-in): counted, said on the handler, logged unless past a
        limit (then counted in the line logged once a minute)."""
        address = handler.request.remote_ip or "-"
        if self.throttle.fail(address):
            log.warning("sign-in refused: %s from %s", why, address)
            if self.throttle.blocked(address):
                log.warning("sign-in refused: too many failures from %s (or from all addresses together): further "
                            "wrong keys are refused with 429 and logged once a minute; a right key still signs in",
                            address)
        elif not self._summary_due:
            self._summary_due = True
            IOLoop.current().call_later(60, self._log_summary)
        blocked = self.throttle.blocked(address)
        handler.planner_problem = "throttled" if blocked else "key"  # type: ignore[attr-defined]

    def _log_summary(self) -> None:
        self._summary_due = False
        if text := self.throttle.summary():
            log.warning("sign-in refused: %s", text)

    def key_holder(self, handler: web.RequestHandler, key: str) -> Any | None:
        """The user whose key this is, without signing in (to ask first); None, counted, if refused."""
        try:
            return self.store.authenticate(key_in(key))
        except PlannerError:
            self._failed(handler, "wrong, revoked or disabled key")
            return None

    def sign_in(self, handler: web.RequestHandler, key: str) -> SessionUser | None:
        """Open a session for a key and set its cookie; None (and the reason on the handler) if refused.
        A right key always signs in, however many wrong ones came before it. It signs in whoever's key
        it is, also in a browser signed in as someone else (a shared PC, a person with two roles): that
        earlier session ends, so the browser is one person's only."""
        try:
            token, u = self.store.sign_in(key_in(key), self.idle_timeout, self.max_age)
        except PlannerError:
            self._failed(handler, "wrong, revoked or disabled key")
            return None
        earlier = self._from_cookie(handler)
        if earlier is not None and earlier.username != u.name:
            self.store.end_session(earlier.session, "signed_out")
            log.info("sign-out: %s from %s (a key link for %s)", earlier.username,
                     handler.request.remote_ip or "-", u.name)
        return self.start_session(handler, token, u)

    def start_session(self, handler: web.RequestHandler, token: str, u: Any, via: str = "") -> SessionUser:
        """Set the cookie of a session the store opened (by key or through the hub), and log it."""
        name, where = self._cookie(handler)
        handler.set_cookie(name, token, httponly=True, samesite="Lax", max_age=self.max_age, **where)
        log.info("sign-in: %s (%s) from %s%s", u.name, u.role, handler.request.remote_ip or "-",
                 f" via {via}" if via else "")
        return _session_user(u, session_ref(token))

    def sign_out(self, handler: web.RequestHandler) -> None:
        name, where = self._cookie(handler)
        token = handler.get_cookie(name)
        if token:
            try:
                who = self.store.session_user(session_ref(token), touch=False).name
            except SessionEnded:
                who = None
            self.store.end_session(session_ref(token), "signed_out")
            if who:
                log.info("sign-out: %s from %s", who, handler.request.remote_ip or "-")
        handler.clear_cookie(name, **where)
