"""Sign-in for `planner serve`: an access key opens a session; the session is a cookie.

jupyter_server's IdentityProvider is the hook Voilà calls on every request (pages, kernel websockets,
REST), so sign-in lives in one: it reads the session cookie and checks it against the store. What
jupyter_server does not have is written here: sessions kept in the store as hashes with an idle
timeout and a maximum age (its own login cookie is a signed user name, valid until the cookie secret
changes, which a revoked key or a disabled user could not end), access keys as the credential, the
key link that signs in and lands on a clean URL, throttling of failed sign-ins, and a bilingual page.
Under JupyterHub (planner as a hub service, `--hub`), the hub's OAuth is a second way in (hub.py):
it ends in the same kind of session, opened by `start_session`.
"""

from __future__ import annotations

import html
import logging
import time
from collections import deque
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from jupyter_server.auth.decorator import allow_unauthenticated
from jupyter_server.auth.identity import IdentityProvider, User
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join
from tornado import web
from traitlets import Bool, Int, Unicode

from ..errors import PlannerError, SessionEnded
from ..store import Store, open_store, session_ref
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


def without_key(uri: str) -> str:
    """The same address without its `key` parameter (what the address bar may show)."""
    parts = urlsplit(uri)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "key"])
    return parts.path + (f"?{query}" if query else "")


def with_query(uri: str, **params: str) -> str:
    """The same address with these parameters added (or replaced)."""
    parts = urlsplit(uri)
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    return parts.path + "?" + urlencode([*kept, *params.items()])


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

    def __init__(self, **kwargs: Any):
        kwargs.pop("token", None)  # Voilà offers its token setting; sign-in here is by access key only
        super().__init__(**kwargs)
        self.throttle = Throttle()
        self._store: Store | None = None
        self._hub_auth: Any = None

    @property
    def hub_auth(self) -> Any:
        """The hub's OAuth client (only with `hub`)."""
        if self._hub_auth is None:
            from .hub import hub_oauth

            self._hub_auth = hub_oauth()
        return self._hub_auth

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = open_store(self.db or None)
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
        handlers: list[tuple[str, object]] = [(url_path_join(base, "/login"), LoginHandler),
                                              (url_path_join(base, "/logout"), LogoutHandler)]
        if self.hub:
            from .hub import HubCallbackHandler, HubLoginHandler

            handlers += [(url_path_join(base, "/hub-login"), HubLoginHandler),
                         (url_path_join(base, "/oauth_callback"), HubCallbackHandler)]
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


def duration(seconds: int, lang: str) -> str:
    """30分 / 30 minutes, 12時間 / 12 hours: how long, as the sign-in page says it."""
    if seconds % 3600 == 0:
        n, ja, en = seconds // 3600, "時間", "hour"
    elif seconds % 60 == 0:
        n, ja, en = seconds // 60, "分", "minute"
    else:
        n, ja, en = seconds, "秒", "second"
    return f"{n}{ja}" if lang == "ja" else f"{n} {en}{'s' if n != 1 else ''}"


def login_url(base_url: str, next_url: str = "", problem: str = "", lang: str = "") -> str:
    params = {k: v for k, v in (("next", next_url), ("problem", problem), ("lang", lang)) if v}
    return url_path_join(base_url, "/login") + (f"?{urlencode(params)}" if params else "")


# (Japanese, English) for what the sign-in page says above the form
PROBLEMS = {
    "key": ("アクセスキーが無効です（誤り、失効、または利用者が無効）。"
            "キーを確かめるか、管理者に新しいキーを依頼してください。",
            "The access key is wrong or revoked, or the user is disabled. Check the key or ask the "
            "administrator for a new one."),
    "throttled": ("サインインの失敗が続いたため、この接続元からのサインインを10分間止めています。"
                  "時間をおいてお試しください。",
                  "Too many failed sign-ins from this address: sign-in is paused here for 10 minutes. "
                  "Please try again later."),
    "signed_out": ("サインアウトしました。", "You have signed out."),
    "hub_failed": ("JupyterHub でのサインインを確認できませんでした（期限切れ、または別の画面からの要求）。"
                   "もう一度「JupyterHub でサインイン」を押してください。",
                   "The JupyterHub sign-in could not be confirmed (expired, or not started from this page). "
                   "Press “Sign in with JupyterHub” again."),
    "hub_unmapped": ("この JupyterHub の利用者は planner の利用者として登録されていません（または無効です）。"
                     "管理者に登録を依頼してください。",
                     "This JupyterHub user is not registered as a planner user (or is disabled). "
                     "Ask the administrator to register you."),
    **{f"ended:{reason}": (f"{ja}もう一度サインインしてください。", f"{en} Please sign in again.")
       for reason, (ja, en) in SessionEnded.REASONS.items()},
}
# role -> the app a person lands on after signing in with no page asked for
HOME = {"secretariat": "voila/render/secretariat.ipynb", "officer": "voila/render/review.ipynb",
        "contractor": "voila/render/review.ipynb"}

PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin"><title>{title}</title>
<style>
body{{font-family:"Noto Sans CJK JP","Hiragino Sans","Yu Gothic",Meiryo,sans-serif;background:#f3f4f6;
color:#111827;margin:0}}
main{{max-width:34em;margin:8vh auto;background:#fff;padding:28px 32px;border-radius:8px;box-shadow:0 1px 4px #0002}}
h1{{font-size:20px;margin:0 0 4px}} .sub{{color:#4b5563;margin:0 0 20px;font-size:14px}}
.lang{{float:right;font-size:14px}} label{{display:block;font-weight:bold;margin:12px 0 6px}}
input[type=password]{{width:100%;box-sizing:border-box;font-size:16px;padding:8px;border:1px solid #9ca3af;
border-radius:4px}}
input:focus,button:focus,a:focus{{outline:3px solid #2563eb;outline-offset:2px}}
button{{margin-top:16px;font-size:16px;padding:8px 24px;background:#1d4ed8;color:#fff;border:0;border-radius:4px;
cursor:pointer}}
.hint{{color:#4b5563;font-size:13px;margin:6px 0}}
.msg{{padding:8px 12px;border-left:4px solid #dc2626;background:#fef2f2;color:#7f1d1d;margin:0 0 12px}}
.msg.info{{border-color:#2563eb;background:#eff6ff;color:#1e3a8a}}
.foot{{color:#4b5563;font-size:13px;margin-top:24px}}
.hub{{display:inline-block;font-size:16px;padding:8px 24px;background:#f37726;color:#fff;border-radius:4px;
text-decoration:none;margin:0 0 8px}}
</style></head>
<body><main>
<a class="lang" href="{other_href}" lang="{other_lang}">{other_label}</a>
<h1>{heading}</h1><p class="sub">{sub}</p>
{message}
{hub}
<form method="post" action="{action}">{xsrf}
<input type="hidden" name="next" value="{next}"><input type="hidden" name="lang" value="{lang}">
<label for="key">{key_label}</label>
<input id="key" name="key" type="password" autocomplete="off" required autofocus maxlength="2000">
<p class="hint">{hint}</p>
<button type="submit">{button}</button>
</form>
<p class="foot">{foot}</p>
</main></body></html>
"""

TEXTS = {
    "ja": dict(title="サインイン — 支援事業メニュー計画", heading="サインイン",
               sub="高度外国人材活躍地域コンソーシアム 支援事業メニュー計画", key_label="アクセスキー",
               hint="配布されたアクセスキーを入力するか、キー付きのURLをそのまま貼り付けてください。",
               button="サインイン", other_label="English", other_lang="en",
               hub_button="JupyterHub でサインイン", hub_or="または、アクセスキーでサインイン:",
               foot="キーをなくした、または他人に知られたおそれがある場合は、管理者に連絡してキーの失効と再発行を"
                    "依頼してください。操作がないまま{idle}たつか、サインインから{max}たつと、もう一度サインインが必要です。"),
    "en": dict(title="Sign in — Support menu planner", heading="Sign in",
               sub="Regional consortia for highly-skilled foreign talent: support menu planner",
               key_label="Access key", hint="Enter the access key you were given, or paste the link with the key.",
               button="Sign in", other_label="日本語", other_lang="ja",
               hub_button="Sign in with JupyterHub", hub_or="Or sign in with an access key:",
               foot="If you lost your key or someone else may know it, ask the administrator to revoke it and "
                    "issue a new one. After {idle} without activity, or {max} after signing in, you sign in again."),
}


ERROR_PAGE = ('<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>{status}</title></head>'
              '<body style="font-family:sans-serif;max-width:40em;margin:10vh auto">'
              '<p role="alert">{ja}</p><p lang="en">{en}</p><p><a href="{login}">サインイン / Sign in</a></p>'
              '</body></html>')


class PlainErrors:
    """An error as a short bilingual page: jupyter_server's error templates need settings that Voilà
    does not set, so every refused request otherwise got an empty body and a traceback in the log."""

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        ja, en = {403: ("このページを開く権限がありません。", "You may not open this page."),
                  404: ("ページが見つかりません。", "This page does not exist.")}.get(
            status_code, ("要求を処理できませんでした。", "The request could not be handled."))
        self.finish(ERROR_PAGE.format(status=status_code, ja=ja, en=en,
                                      login=html.escape(url_path_join(self.base_url, "/login"))))


class LoginHandler(PlainErrors, JupyterHandler):
    """GET: the sign-in page (a key link signs in at once). POST: sign in with the key typed."""

    accepts_key_link = True

    @property
    def planner(self) -> PlannerIdentity:
        return self.identity_provider  # type: ignore[return-value]

    def _lang(self) -> str:
        return "en" if (self.get_argument("lang", "") or "").lower().startswith("en") else "ja"

    def _next(self) -> str:
        """Where to go after signing in: only a path on this server, and never with a key in it."""
        nxt = without_key(self.get_argument("next", "") or "")
        if not nxt.startswith(self.base_url) or nxt.startswith("//") or "\\" in nxt:
            return ""
        return nxt

    def _home(self, user: SessionUser) -> str:
        return self._next() or url_path_join(self.base_url, HOME.get(user.role, ""))

    def _page(self, problem: str = "", status: int = 200) -> None:
        lang = self._lang()
        t = TEXTS[lang]
        msg = PROBLEMS.get(problem)
        message = ""
        if msg:
            cls = "msg info" if problem == "signed_out" else "msg"
            message = f'<p class="{cls}" role="alert">{html.escape(msg[1] if lang == "en" else msg[0])}</p>'
        other = "en" if lang == "ja" else "ja"
        self.set_status(status)
        self.set_header("Cache-Control", "no-store")
        self.finish(PAGE.format(
            lang=lang, message=message, action=html.escape(url_path_join(self.base_url, "/login")),
            xsrf=self.xsrf_form_html(), next=html.escape(self._next()),
            other_href=html.escape(login_url(self.base_url, self._next(), "", other)),
            hub=self._hub_link(t),
            **{k: html.escape(v) for k, v in t.items() if k not in ("foot", "hub_button", "hub_or")},
            foot=html.escape(t["foot"].format(idle=duration(self.planner.idle_timeout, lang),
                                              max=duration(self.planner.max_age, lang))),
        ))

    def _hub_link(self, t: dict[str, str]) -> str:
        if not self.planner.hub:
            return ""
        href = url_path_join(self.base_url, "/hub-login") + (f"?{urlencode({'next': self._next()})}"
                                                            if self._next() else "")
        return (f'<p><a class="hub" href="{html.escape(href)}">{html.escape(t["hub_button"])}</a></p>'
                f'<p class="hint">{html.escape(t["hub_or"])}</p>')

    @allow_unauthenticated
    def get(self) -> None:
        user = self.current_user
        if user is not None and "key" in self.request.arguments:  # a key link: now signed in
            self.redirect(self._home(user))
            return
        problem = getattr(self, "planner_problem", "") or self.get_argument("problem", "")
        address = self.request.remote_ip or "-"
        if self.planner.throttle.blocked(address):
            self._page("throttled", 429)
            return
        self._page(problem, 403 if problem == "key" else 200)

    @allow_unauthenticated
    def post(self) -> None:
        user = self.planner.sign_in(self, self.get_argument("key", "") or "")
        if user is None:
            problem = getattr(self, "planner_problem", "key")
            self._page(problem, 429 if problem == "throttled" else 403)
            return
        self.redirect(self._home(user))


class LogoutHandler(PlainErrors, JupyterHandler):
    """Ends the session in the store (every open page stops at its next action) and drops the cookie."""

    @allow_unauthenticated
    def get(self) -> None:
        self.identity_provider.sign_out(self)  # type: ignore[attr-defined]
        lang = "en" if (self.get_argument("lang", "") or "").startswith("en") else ""
        self.redirect(login_url(self.base_url, problem="signed_out", lang=lang))
