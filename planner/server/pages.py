"""What a person reads from the server itself: the sign-in page, sign-out, and short error pages.

Every text here is a `planner.text.Text` (Japanese and English); the sign-in page is Japanese unless
`?lang=en`. The identity provider (identity.py) decides who is signed in; the handlers here only ask it.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from jupyter_server.auth.decorator import allow_unauthenticated
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join

from ..errors import SessionEnded
from ..text import Text
from .identity import PlannerIdentity, SessionUser


def location(url: str) -> str:
    """An address as a Location header may carry it: whatever is not printable ASCII percent-encoded
    (a raw client may send any bytes in a path; a header with them would fail the response)."""
    return quote(url, safe="!#$%&'()*+,-./:;=?@_~")


def without_key(uri: str) -> str:
    """The same address without its `key` parameter (what the address bar may show)."""
    parts = urlsplit(uri)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "key"])
    return location(parts.path + (f"?{query}" if query else ""))


def with_query(uri: str, **params: str) -> str:
    """The same address with these parameters added (or replaced)."""
    parts = urlsplit(uri)
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    return location(parts.path + "?" + urlencode([*kept, *params.items()]))


def arrival(handler: Any) -> str:
    """Where a request came from, as far as a key link cares: "cross-site" (a link or form on another
    site), "same" (typed, pasted, a bookmark, a mail program, or this site itself) or "unknown" (a
    browser that sends no Fetch Metadata and no Origin or Referer, or a client that is no browser)."""
    headers = handler.request.headers
    site = headers.get("Sec-Fetch-Site", "").strip().lower()
    if site == "cross-site":
        return "cross-site"
    if site in ("same-origin", "same-site", "none"):
        return "same"
    for name in ("Origin", "Referer"):
        value = headers.get(name, "")
        if value and value != "null":
            try:
                host = urlsplit(value).netloc
            except ValueError:
                return "cross-site"
            return "same" if host == handler.request.host else "cross-site"
    return "unknown"


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


# what the sign-in page says above the form
PROBLEMS = {
    "key": Text("アクセスキーが無効です（誤り、失効、または利用者が無効）。"
                "キーを確かめるか、管理者に新しいキーを依頼してください。",
                "The access key is wrong or revoked, or the user is disabled. Check the key or ask the "
                "administrator for a new one."),
    "throttled": Text("間違ったキーが続いたため、この接続元からの間違ったキーをしばらく断っています。"
                      "正しいキーならサインインできます。キーを確かめてください。",
                      "Too many wrong keys: wrong keys from here are refused for a while. The right key still "
                      "signs in: check your key."),
    "signed_out": Text("サインアウトしました。", "You have signed out."),
    "hub_failed": Text("JupyterHub でのサインインを確認できませんでした（期限切れ、または別の画面からの要求）。"
                       "もう一度「JupyterHub でサインイン」を押してください。",
                       "The JupyterHub sign-in could not be confirmed (expired, or not started from this page). "
                       "Press “Sign in with JupyterHub” again."),
    "hub_unmapped": Text("この JupyterHub の利用者は planner の利用者として登録されていません（または無効です）。"
                         "管理者に登録を依頼してください。",
                         "This JupyterHub user is not registered as a planner user (or is disabled). "
                         "Ask the administrator to register you."),
    **{f"ended:{reason}": Text(f"{ja}もう一度サインインしてください。", f"{en} Please sign in again.")
       for reason, (ja, en) in SessionEnded.REASONS.items()},
}
# role -> the app a person lands on after signing in with no page asked for
HOME = {"secretariat": "voila/render/secretariat.ipynb", "officer": "voila/render/review.ipynb",
        "contractor": "voila/render/review.ipynb"}

SHELL = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin"><title>{title}</title>
<style>
body{{font-family:"Noto Sans CJK JP","Hiragino Sans","Yu Gothic",Meiryo,sans-serif;background:#f3f4f6;
color:#111827;margin:0}}
main{{max-width:34em;margin:8vh auto;background:#fff;padding:28px 32px;border-radius:8px;box-shadow:0 1px 4px #0002;
overflow-wrap:anywhere}}
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
.msg.warn{{border-color:#d97706;background:#fffbeb;color:#78350f}}
.foot{{color:#4b5563;font-size:13px;margin-top:24px}}
.cancel{{margin-left:16px;font-size:15px}}
.hub{{display:inline-block;font-size:16px;padding:8px 24px;background:#f37726;color:#fff;border-radius:4px;
text-decoration:none;margin:0 0 8px}}
.note{{padding:8px 12px;border-left:4px solid #2563eb;background:#eff6ff;color:#1e3a8a;margin:0 0 12px}}
.linking #signin{{display:none}} #linking{{display:none}} .linking #linking{{display:block}}
</style></head>
<body><main>
{body}
</main></body></html>
"""

SIGN_IN = """<a class="lang" href="{other_href}" lang="{other_lang}">{other_label}</a>
<h1>{heading}</h1><p class="sub">{sub}</p>
{message}
<p id="linking" class="note" role="status">{linking}</p>
<div id="signin">
{hub}
<form method="post" action="{action}">{xsrf}
<input type="hidden" name="next" value="{next}"><input type="hidden" name="lang" value="{lang}">
<label for="key">{key_label}</label>
<input id="key" name="key" type="password" autocomplete="off" required autofocus maxlength="2000">
<p class="hint">{hint}</p>
<button type="submit">{button}</button>
</form>
<p class="foot">{foot}</p>
</div>
<form id="link" method="post" action="{action}" hidden data-arrival="{arrival}">{xsrf}
<input type="hidden" name="next" value="{next}"><input type="hidden" name="lang" value="{lang}">
<input type="hidden" name="via" value="link"><input type="hidden" name="arrival" value="">
<input type="hidden" name="key" value="">
</form>
<script>
// A key link carries the key after "#", which no browser sends: it is read here, taken out of the
// address bar and the history at once, and posted with the XSRF token. Whether the link came from
// another site is what the server saw of this page's request (Sec-Fetch-Site), or, from a browser
// that does not say, the referrer.
function keyLink() {{
  var found = /(?:^|[#&])key=([^&]*)/.exec(location.hash);
  if (!found) return;
  history.replaceState(null, "", location.pathname + location.search);
  document.documentElement.className = "linking";
  var form = document.getElementById("link"), arrival = form.getAttribute("data-arrival"), key = found[1];
  try {{ key = decodeURIComponent(key); }} catch (e) {{}}
  if (arrival === "unknown") {{
    var from = "";
    try {{ from = document.referrer ? new URL(document.referrer).origin : ""; }} catch (e) {{ from = "x"; }}
    arrival = from && from !== location.origin ? "cross-site" : "same";
  }}
  form.elements.key.value = key;
  form.elements.arrival.value = arrival;
  form.submit();
}}
keyLink();
window.addEventListener("hashchange", keyLink);  // a link opened where this page already was
</script>
"""

CONFIRM = """<h1>{question}</h1>
<p class="msg warn" role="alert">{why}</p>
{current}
<form method="post" action="{action}">{xsrf}
<input type="hidden" name="next" value="{next}"><input type="hidden" name="lang" value="{lang}">
<input type="hidden" name="key" value="{key}"><input type="hidden" name="confirmed" value="1">
<button type="submit">{button}</button><a class="cancel" href="{cancel}">{cancel_label}</a>
</form>
<script>history.replaceState(null, "", {clean});  // an older link's key out of the address bar</script>
"""

SIGN_OUT = """<h1>{question}</h1>
<p class="sub">{who}</p>
<form method="post" action="{action}">{xsrf}<input type="hidden" name="lang" value="{lang}">
<button type="submit">{button}</button><a class="cancel" href="{cancel}">{cancel_label}</a>
</form>
"""

# the sign-in page's own words; `foot` is filled with the session lengths ({idle}, {max})
TEXTS = {
    "title": Text("サインイン — 支援事業メニュー計画", "Sign in — Support menu planner"),
    "heading": Text("サインイン", "Sign in"),
    "sub": Text("高度外国人材活躍地域コンソーシアム 支援事業メニュー計画",
                "Regional consortia for highly-skilled foreign talent: support menu planner"),
    "key_label": Text("アクセスキー", "Access key"),
    "hint": Text("配布されたアクセスキーを入力するか、キー付きのURLをそのまま貼り付けてください。",
                 "Enter the access key you were given, or paste the link with the key."),
    "button": Text("サインイン", "Sign in"),
    "other_label": Text("English", "日本語"),  # the link to the page in the other language
    "other_lang": Text("en", "ja"),
    "hub_button": Text("JupyterHub でサインイン", "Sign in with JupyterHub"),
    "hub_or": Text("または、アクセスキーでサインイン:", "Or sign in with an access key:"),
    "linking": Text("サインインしています…", "Signing in…"),
    "foot": Text("キーをなくした、または他人に知られたおそれがある場合は、管理者に連絡してキーの失効と再発行を"
                 "依頼してください。操作がないまま{idle}たつか、サインインから{max}たつと、もう一度サインインが必要です。",
                 "If you lost your key or someone else may know it, ask the administrator to revoke it and "
                 "issue a new one. After {idle} without activity, or {max} after signing in, you sign in again."),
}
# on the page as they are; the others are said by the page's own code
ON_PAGE = ("heading", "sub", "key_label", "hint", "button", "other_label", "other_lang", "linking")
# asking before a key link from another site signs in, and before signing out
CONFIRM_TEXTS = {
    "question": Text("{name} としてサインインしますか？", "Sign in as {name}?"),
    "why": Text("このサインイン用リンクは別のサイトから開かれました。自分で開いたリンクでなければ、"
                "サインインせずにこのページを閉じてください。",
                "This sign-in link was opened from another site. If you did not open it yourself, close this "
                "page without signing in."),
    "current": Text("いまは {current} としてサインインしています。"
                    "サインインすると、{current} のサインインは終わります。",
                    "You are signed in as {current}. Signing in ends that sign-in."),
    "button": Text("サインインする", "Sign in"),
    "cancel_label": Text("やめる", "Cancel"),
}
SIGN_OUT_TEXTS = {
    "title": Text("サインアウト — 支援事業メニュー計画", "Sign out — Support menu planner"),
    "question": Text("サインアウトしますか？", "Sign out?"),
    "who": Text("{name} としてサインインしています。サインアウトすると、開いている画面はすべて次の操作で終わります。",
                "You are signed in as {name}. Signing out ends every open page at its next action."),
    "button": Text("サインアウト", "Sign out"),
    "cancel_label": Text("もどる", "Back"),
}


ERROR_PAGE = ('<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>{status}</title></head>'
              '<body style="font-family:sans-serif;max-width:40em;margin:10vh auto">'
              '<p role="alert">{ja}</p><p lang="en">{en}</p><p><a href="{login}">サインイン / Sign in</a></p>'
              '</body></html>')
ERRORS = {403: Text("このページを開く権限がありません。", "You may not open this page."),
          404: Text("ページが見つかりません。", "This page does not exist.")}
NOT_HANDLED = Text("要求を処理できませんでした。", "The request could not be handled.")
# the app pages refused before a kernel starts (kernels.PlannerVoilaHandler): a title, then the text
TOO_MANY_PAGES = (Text("画面の数の上限", "Too many pages"),
                  Text("同時に開ける画面は {cap} つまでです。使っていないタブやウィンドウを閉じてから、"
                       "このページを読み込み直してください。",
                       "You can have at most {cap} pages open at once. Close the tabs or windows "
                       "you are not using, then reload this page."))
BUSY = (Text("混み合っています", "Server busy"),
        Text("ただいま利用者が多く、画面を開けません。数分後にもう一度お試しください。",
             "The server is busy and cannot open another page just now. Please try again in a few minutes."))


def error_page(status: int, text: Text, base_url: str) -> str:
    """A refusal in both languages, with the way back to the sign-in page."""
    return ERROR_PAGE.format(status=status, ja=html.escape(text.ja), en=html.escape(text.en),
                             login=html.escape(url_path_join(base_url, "/login")))


def notice_page(title: Text, text: Text, **fields: Any) -> str:
    """A page that says why an app page did not open (no sign-in link: the person is signed in)."""
    return (f'<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>{title.ja}</title></head>'
            '<body style="font-family:sans-serif;max-width:40em;margin:10vh auto">'
            f'<p role="alert">{text("ja", **fields)}</p><p lang="en">{text("en", **fields)}</p></body></html>')


class PlainErrors:
    """An error as a short bilingual page: jupyter_server's error templates need settings that Voilà
    does not set, so every refused request otherwise got an empty body and a traceback in the log."""

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.finish(error_page(status_code, ERRORS.get(status_code, NOT_HANDLED), self.base_url))


class SignInPages:
    """What the sign-in and sign-out pages share: the language, where to go next, the page itself, and
    the answer to a key from a link (also the app pages', which accept the older `?key=` links)."""

    # a JupyterHandler's, in the handlers this is mixed into
    base_url: str
    get_argument: Any
    identity_provider: Any
    current_user: Any
    redirect: Any
    set_status: Any
    set_header: Any
    finish: Any
    xsrf_form_html: Any
    request: Any

    @property
    def planner(self) -> PlannerIdentity:
        return self.identity_provider  # type: ignore[return-value]

    def _lang(self) -> str:
        return "en" if (self.get_argument("lang", "") or "").lower().startswith("en") else "ja"

    def _next(self) -> str:
        """Where to go after signing in: only a path on this server, and never with a key in it."""
        nxt = self.get_argument("next", "") or ""
        if not re.fullmatch(r"[\x21-\x7e]{1,2000}", nxt):  # printable ASCII: what a browser sends as a path
            return ""
        try:
            nxt = without_key(nxt)
        except ValueError:
            return ""
        if not nxt.startswith(self.base_url) or nxt.startswith("//") or "\\" in nxt:
            return ""
        return nxt

    def _home(self, user: SessionUser) -> str:
        return self._next() or url_path_join(self.base_url, HOME.get(user.role, ""))

    def _shell(self, title: str, body: str, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Cache-Control", "no-store")
        self.finish(SHELL.format(lang=self._lang(), title=html.escape(title), body=body))

    def _page(self, problem: str = "", status: int = 200) -> None:
        lang = self._lang()
        msg = PROBLEMS.get(problem)
        message = ""
        if msg:
            cls = "msg info" if problem == "signed_out" else "msg"
            message = f'<p class="{cls}" role="alert">{html.escape(msg(lang))}</p>'
        other = "en" if lang == "ja" else "ja"
        action = html.escape(url_path_join(self.base_url, "/login"))
        self._shell(TEXTS["title"](lang), SIGN_IN.format(
            lang=lang, message=message, action=action, xsrf=self.xsrf_form_html(), next=html.escape(self._next()),
            other_href=html.escape(login_url(self.base_url, self._next(), "", other)),
            hub=self._hub_link(lang), arrival=self._arrival(),
            **{k: html.escape(TEXTS[k](lang)) for k in ON_PAGE},
            foot=html.escape(TEXTS["foot"](lang, idle=duration(self.planner.idle_timeout, lang),
                                           max=duration(self.planner.max_age, lang))),
        ), status)

    def _arrival(self) -> str:
        """Where the sign-in page came from, for its script: what the request says, or another site if
        the app page that sent a `#key=` link on to here says so (it can only make the page ask)."""
        if self.get_argument("arrival", "") == "cross-site":
            return "cross-site"
        return arrival(self)

    def _hub_link(self, lang: str) -> str:
        if not self.planner.hub:
            return ""
        href = url_path_join(self.base_url, "/hub-login") + (f"?{urlencode({'next': self._next()})}"
                                                            if self._next() else "")
        return (f'<p><a class="hub" href="{html.escape(href)}">{html.escape(TEXTS["hub_button"](lang))}</a></p>'
                f'<p class="hint">{html.escape(TEXTS["hub_or"](lang))}</p>')

    def _refused(self, next_url: str) -> None:
        """A key refused, on the sign-in page (429 past the throttle's limits)."""
        problem = getattr(self, "planner_problem", "key")
        self._page(problem, 429 if problem == "throttled" else 403)

    def answer_key(self, key: str, next_url: str, ask: bool) -> None:
        """A key from a link: sign in and go on at once, or, for a link from another site, ask first (a
        link someone else made must not sign this browser in as them, nor end the person's own sign-in)."""
        if ask:
            holder = self.planner.key_holder(self, key)
            if holder is None:
                self._refused(next_url)
                return
            lang = self._lang()
            name = holder.display_name or holder.name
            current = self.current_user
            texts = {k: t(lang, name=name, current=getattr(current, "name", "")) for k, t in CONFIRM_TEXTS.items()}
            notice = (f'<p class="msg info">{html.escape(texts["current"])}</p>'
                      if current is not None and current.username != holder.name else "")
            self._shell(texts["question"], CONFIRM.format(
                action=html.escape(url_path_join(self.base_url, "/login")), xsrf=self.xsrf_form_html(),
                next=html.escape(next_url), lang=lang, key=html.escape(key), current=notice,
                cancel=html.escape(login_url(self.base_url, next_url, "", "en" if lang == "en" else "")),
                clean=json.dumps(next_url or url_path_join(self.base_url, "/login")).replace("<", "\\u003c"),
                **{k: html.escape(v) for k, v in texts.items() if k != "current"}))
            return
        user = self.planner.sign_in(self, key)
        if user is None:
            self._refused(next_url)
            return
        self.redirect(location(next_url or self._home(user)))


class LoginHandler(SignInPages, PlainErrors, JupyterHandler):
    """GET: the sign-in page (its script posts the key of a `#key=` link; an older `?key=` link signs
    in at once, or asks first when it comes from another site). POST: sign in with the key typed or
    posted by the page."""

    @allow_unauthenticated
    def get(self) -> None:
        if "key" in self.request.arguments:  # an older link, ?key=: its key is in the URL already
            self.answer_key(self.get_argument("key", ""), self._next(), ask=arrival(self) == "cross-site")
            return
        problem = getattr(self, "planner_problem", "") or self.get_argument("problem", "")
        self._page(problem, 403 if problem == "key" else 200)

    @allow_unauthenticated
    def post(self) -> None:
        # the page's own request says where the link came from (`arrival`, set by its script from what the
        # server saw of the page's request); a post that is itself cross-site is asked about whatever it says
        linked = self.get_argument("via", "") == "link" and self.get_argument("arrival", "") == "cross-site"
        ask = arrival(self) == "cross-site" or (linked and self.get_argument("confirmed", "") != "1")
        self.answer_key(self.get_argument("key", "") or "", self._next(), ask=ask)


class LogoutHandler(SignInPages, PlainErrors, JupyterHandler):
    """GET: a page that asks, with the button (a link from anywhere signs nobody out). POST (with the
    XSRF token): ends the session in the store (every open page stops at its next action), drops the
    cookie."""

    @allow_unauthenticated
    def get(self) -> None:
        user = self.current_user
        if user is None:
            self.redirect(login_url(self.base_url, lang="en" if self._lang() == "en" else ""))
            return
        lang = self._lang()
        texts = {k: t(lang, name=user.name) for k, t in SIGN_OUT_TEXTS.items()}
        self._shell(texts["title"], SIGN_OUT.format(
            action=html.escape(url_path_join(self.base_url, "/logout")), xsrf=self.xsrf_form_html(), lang=lang,
            cancel=html.escape(url_path_join(self.base_url, HOME.get(getattr(user, "role", ""), ""))),
            **{k: html.escape(v) for k, v in texts.items() if k != "title"}))

    @allow_unauthenticated
    def post(self) -> None:
        self.planner.sign_out(self)
        self.redirect(login_url(self.base_url, problem="signed_out", lang="en" if self._lang() == "en" else ""))
