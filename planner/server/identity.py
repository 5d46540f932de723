"""Sign-in for `planner serve`: an access key opens a session; the session is a cookie.

jupyter_server's IdentityProvider is the hook Voilà calls on every request (pages, kernel websockets,
REST), so sign-in lives in one: it reads the session cookie and checks it against the store. What
jupyter_server does not have is written here: sessions kept in the store as hashes with an idle
timeout and a maximum age (its own login cookie is a signed user name, valid until the cookie secret
changes, which a revoked key or a disabled user could not end), access keys as the credential, the
key link that signs in and lands on a clean URL, and throttling of failed sign-ins. The pages a person
reads (sign-in, sign-out, errors) are in pages.py. Under JupyterHub (planner as a hub service, `--hub`),
the hub's OAuth is a second way in (hub.py): it ends in the same kind of session, opened by
`start_session`.

The request handlers of those ways in are settings of the identity provider, as in jupyter_server
(`login_handler_class`, `logout_handler_class`, and here the hub's two), named by their dotted path so
that this module imports neither pages.py nor hub.py, which both import it.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from jupyter_server.auth.identity import IdentityProvider, User
from jupyter_server.utils import url_path_join
from tornado import web
from traitlets import Bool, Int, Type, Unicode

from ..errors import PlannerError, SessionEnded
from ..store import Store, session_ref
from .handoff import SESSION_HEADER

COOKIE = "planner_session"
IDLE_TIMEOUT = 30 * 60
MAX_AGE = 12 * 60 * 60
FAILURES_ALLOWED, FAILURE_WINDOW, BLOCK_FOR = 10, 10 * 60, 10 * 60

log = logging.getLogger("planner.serve.access")


@dataclass
class SessionUser(User):
    """A signed-in person as the server knows them: the planner user and the session's ref."""

    session: str = ""
    role: str = ""


class Throttle:
    """Failed sign-ins per client address: after FAILURES_ALLOWED within FAILURE_WINDOW seconds,
    every sign-in from there is refused for BLOCK_FOR seconds (right key or not)."""

    def __init__(self, allowed: int = FAILURES_ALLOWED, window: float = FAILURE_WINDOW,
                 block_for: float = BLOCK_FOR):
        self.allowed, self.window, self.block_for = allowed, window, block_for
        self._failures: dict[str, deque[float]] = {}
        self._blocked: dict[str, float] = {}

    def blocked(self, address: str) -> bool:
        until = self._blocked.get(address)
        if until is not None and time.monotonic() >= until:
            del self._blocked[address]
            return False
        return until is not None

    def fail(self, address: str) -> None:
        now = time.monotonic()
        q = self._failures.setdefault(address, deque())
        q.append(now)
        while q and now - q[0] > self.window:
            q.popleft()
        if len(q) >= self.allowed:
            self._blocked[address] = now + self.block_for
            q.clear()
        # a bounded memory of addresses: the oldest ones go first
        if len(self._failures) > 10_000:
            self._failures.pop(next(iter(self._failures)))


def _session_user(user: Any, ref: str) -> SessionUser:
    return SessionUser(username=user.name, name=user.display_name or user.name, session=ref, role=user.role)


def key_in(text: str) -> str:
    """An access key as typed, or taken out of a pasted key link."""
    text = text.strip()
    if "key=" in text:
        for k, v in parse_qsl(urlsplit(text).query or text, keep_blank_values=True):
            if k == "key":
                return v.strip()
    return text


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

    def get_user(self, handler: web.RequestHandler) -> SessionUser | None:
        # whatever a browser sent under this name is never passed on to a kernel
        if SESSION_HEADER in handler.request.headers:
            del handler.request.headers[SESSION_HEADER]
        user = self._from_cookie(handler)
        key = handler.get_query_argument("key", None) if getattr(handler, "accepts_key_link", False) else None
        if key is not None:
            # a key link signs in whoever's key it is, also in a browser signed in as someone else (a shared
            # PC, a person with two roles): that earlier session ends, so the browser is one person's only.
            # A key refused leaves the browser as it was, but the page is not opened as its earlier user.
            keyed = self.sign_in(handler, key)
            if keyed is not None and user is not None and user.username != keyed.username:
                self.store.end_session(user.session, "signed_out")
                log.info("sign-out: %s from %s (a key link for %s)", user.username,
                         handler.request.remote_ip or "-", keyed.username)
            user = keyed
        if user is not None:
            handler.request.headers[SESSION_HEADER] = user.session
        return user

    def _from_cookie(self, handler: web.RequestHandler) -> SessionUser | None:
        token = handler.get_cookie(COOKIE)
        if not token:
            return None
        ref = session_ref(token)
        try:
            u = self.store.session_user(ref)
        except SessionEnded as exc:
            handler.planner_problem = f"ended:{exc.reason}"  # type: ignore[attr-defined]
            handler.clear_cookie(COOKIE, path=self.base_url)
            return None
        return _session_user(u, ref)

    def sign_in(self, handler: web.RequestHandler, key: str) -> SessionUser | None:
        """Open a session for a key and set its cookie; None (and the reason on the handler) if refused."""
        address = handler.request.remote_ip or "-"
        if self.throttle.blocked(address):
            handler.planner_problem = "throttled"  # type: ignore[attr-defined]
            log.warning("sign-in refused: too many failures from %s", address)
            return None
        try:
            token, u = self.store.sign_in(key_in(key), self.idle_timeout, self.max_age)
        except PlannerError:
            self.throttle.fail(address)
            handler.planner_problem = "throttled" if self.throttle.blocked(address) else "key"  # type: ignore
            log.warning("sign-in refused: wrong, revoked or disabled key from %s", address)
            return None
        return self.start_session(handler, token, u)

    def start_session(self, handler: web.RequestHandler, token: str, u: Any, via: str = "") -> SessionUser:
        """Set the cookie of a session the store opened (by key or through the hub), and log it."""
        handler.set_cookie(COOKIE, token, path=self.base_url, httponly=True, samesite="Lax",
                           secure=self.secure_cookie or handler.request.protocol == "https", max_age=self.max_age)
        log.info("sign-in: %s (%s) from %s%s", u.name, u.role, handler.request.remote_ip or "-",
                 f" via {via}" if via else "")
        return _session_user(u, session_ref(token))

    def sign_out(self, handler: web.RequestHandler) -> None:
        token = handler.get_cookie(COOKIE)
        if token:
            try:
                name = self.store.session_user(session_ref(token), touch=False).name
            except SessionEnded:
                name = None
            self.store.end_session(session_ref(token), "signed_out")
            if name:
                log.info("sign-out: %s from %s", name, handler.request.remote_ip or "-")
        handler.clear_cookie(COOKIE, path=self.base_url)
